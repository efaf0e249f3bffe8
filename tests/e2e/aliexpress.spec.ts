import { expect, test, type Page } from '@playwright/test';
import { createTimeline, installPageClock, startAtArgs } from '../support/e2e-clock';
import { startHost, watchPageErrors, type DemoMarketplace, type HostProcess } from './host';

/**
 * The keyboard morning on the AliExpress demo store (`npm run start:web` as it ships: its sandbox,
 * signed in by the shell): accept a cancellation and refuse another with its tracking, refuse a
 * dispute with a photo, agree to another, counter a third with a partial refund and a photo, ask for
 * proof by message; then the sandbox's ledger holds exactly that, in AliExpress's terms.
 */

/** A real 1×1 PNG: the app sniffs the bytes, not the name. */
const PARCEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let host: HostProcess;
let sandbox: DemoMarketplace;

test.beforeAll(async () => {
  host = await startHost([...startAtArgs(createTimeline()), '--orders', '200']);
  sandbox = await host.aliExpressSandbox();
});

test.afterAll(async () => {
  expect(await host.stop()).toBe(0);
});

interface SandboxEntry {
  seq: number;
  kind: string;
  api: string;
  orderId: string;
  issueId?: string;
  amountMinor?: number;
}

async function ledger(): Promise<SandboxEntry[]> {
  const answer = await fetch(`${sandbox.url}/_sandbox/ledger`, { headers: { Authorization: `Bearer ${sandbox.adminToken}` } });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { entries: SandboxEntry[] }).entries;
}

const DETAIL = '.detail-pane';

/**
 * Focuses (by a click) the first row on screen whose request id starts so, not done yet, and whose
 * rules panel allows what the step is about to do (`allows`); its request id.
 */
async function focusFirst(page: Page, prefix: 'cancel-' | 'issue-', skip: ReadonlySet<string>, allows: RegExp = /./): Promise<string> {
  const rows = await page.locator(`.queue-row[data-request-id^="${prefix}"]`).evaluateAll((elements) =>
    elements.map((row) => ({ id: row.getAttribute('data-request-id') ?? '', order: row.querySelector('.order-id')?.textContent?.trim() ?? '' })),
  );
  for (const row of rows) {
    if (skip.has(row.id)) continue;
    await page.locator(`.queue-row[data-request-id="${row.id}"]`).click();
    // The detail shows this request's order once it has loaded.
    await expect(page.locator(DETAIL)).toContainText(row.order.replace(/…$/, ''));
    await expect(page.locator(DETAIL)).toContainText('What you can do');
    if (allows.test(await page.locator(DETAIL).innerText())) return row.id;
  }
  throw new Error(`no ${prefix} row on screen allows ${String(allows)}`);
}

test('the keyboard morning on the AliExpress store: every decision reaches the sandbox once, in AliExpress terms', async ({ page }) => {
  const pageErrors = watchPageErrors(page);
  await installPageClock(page, createTimeline());
  await page.goto(host.url);
  const stores = page.getByRole('region', { name: /Stores/ });
  await expect(stores.getByRole('button', { name: /Jade Bazaar/ })).toBeVisible({ timeout: 60_000 });
  await stores.getByRole('button', { name: /Jade Bazaar/ }).click();
  await expect(page.locator('.queue-row[data-request-id^="cancel-"]').first()).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('.queue-row[data-request-id^="issue-"]').first()).toBeVisible({ timeout: 90_000 });
  const done = new Set<string>();

  // 1. Accept a cancellation (a): a refund of the whole order.
  const cancel = await focusFirst(page, 'cancel-', done, /Accept\s*a\s*Allowed/);
  done.add(cancel);
  await page.keyboard.press('a');
  await expect(page.getByTestId('undo-toast')).toBeVisible();

  // 1b. Refuse another (r): it shipped after all; the carrier and tracking go in AliExpress's memo.
  const kept = await focusFirst(page, 'cancel-', done, /Refuse\s*r\s*Allowed/);
  done.add(kept);
  await page.keyboard.press('r');
  const refuseCancel = page.getByRole('dialog');
  await expect(refuseCancel).toBeVisible();
  await refuseCancel.locator('input[type="radio"][value="already_shipped"]').check();
  await refuseCancel.getByLabel(/^Carrier/).fill('Cainiao');
  await refuseCancel.getByLabel(/^Tracking number/).fill('LP00999000111CN');
  await refuseCancel.getByLabel(/^Tracking number/).focus();
  await page.keyboard.press('Control+Enter');
  await expect(refuseCancel).toBeHidden();

  // 2. Refuse a dispute (r) with a note and a photo: a seller solution of no refund, and the photo uploaded.
  const refused = await focusFirst(page, 'issue-', done, /Refuse\s*r\s*Allowed/);
  done.add(refused);
  await page.keyboard.press('r');
  const refuse = page.getByRole('dialog');
  await expect(refuse).toBeVisible();
  await refuse.locator('input[type="radio"][value="other"]').check();
  await refuse.locator('textarea').fill('Packed with care: see the photo of the parcel.');
  await refuse.locator('input[type=file]').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: PARCEL_PNG });
  await expect(refuse.getByRole('button', { name: 'Remove parcel.png' })).toBeVisible();
  await refuse.locator('textarea').focus();
  await page.keyboard.press('Control+Enter');
  await expect(refuse).toBeHidden();

  // 3. Agree to another dispute (a): the buyer's solution.
  const agreed = await focusFirst(page, 'issue-', done, /Accept\s*a\s*Allowed/);
  done.add(agreed);
  await page.keyboard.press('a');

  // 3b. Counter a dispute (f) with a partial refund and a photo: a seller solution of that amount.
  const countered = await focusFirst(page, 'issue-', done, /Offer\s*f\s*Allowed/);
  done.add(countered);
  await page.keyboard.press('f');
  const offer = page.getByRole('dialog');
  await expect(offer).toBeVisible();
  const amount = offer.getByLabel(/^Amount/);
  await amount.fill('1');
  await offer.locator('input[type=file]').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: PARCEL_PNG });
  await expect(offer.getByRole('button', { name: 'Remove label.png' })).toBeVisible();
  await amount.focus();
  await page.keyboard.press('Control+Enter');
  await expect(offer).toBeHidden();

  // 4. Ask for proof on a third (p): AliExpress has no proof request, so it goes as a message.
  const asked = await focusFirst(page, 'issue-', done, /Ask for proof\s*p\s*Allowed/);
  done.add(asked);
  await page.keyboard.press('p');
  const proof = page.getByRole('dialog');
  await expect(proof).toBeVisible();
  await proof.locator('textarea').focus();
  await page.keyboard.press('Control+Enter');
  await expect(proof).toBeHidden();

  // 5. Everything sent; the sandbox holds each decision once, as AliExpress names it.
  await expect(page.getByTestId('outbox-status')).toContainText('All decisions sent', { timeout: 90_000 });
  const entries = (await ledger()).filter((entry) => entry.kind === 'seller_action' || entry.kind === 'refund');
  const issueOf = (requestId: string) => requestId.replace(/^issue-/, '');
  const orderOf = (requestId: string) => requestId.replace(/^cancel-/, '');
  const seller = entries.filter((entry) => entry.kind === 'seller_action');
  expect(seller.filter((entry) => entry.api === 'aliexpress.trade.seller.order.acceptcancel').map((entry) => entry.orderId)).toEqual([orderOf(cancel)]);
  expect(entries.filter((entry) => entry.kind === 'refund' && entry.orderId === orderOf(cancel))).toHaveLength(1);
  expect(seller.filter((entry) => entry.issueId === issueOf(refused)).map((entry) => entry.api)).toEqual(['aliexpress.issue.image.upload', 'aliexpress.issue.solution.save']);
  expect(seller.filter((entry) => entry.issueId === issueOf(agreed)).map((entry) => entry.api)).toEqual(['aliexpress.issue.solution.agree']);
  expect(seller.filter((entry) => entry.api === 'aliexpress.trade.seller.order.refusecancel').map((entry) => entry.orderId)).toEqual([orderOf(kept)]);
  expect(entries.filter((entry) => entry.kind === 'refund' && entry.orderId === orderOf(kept))).toEqual([]);
  expect(seller.filter((entry) => entry.issueId === issueOf(countered)).map((entry) => entry.api)).toEqual(['aliexpress.issue.image.upload', 'aliexpress.issue.solution.save']);
  expect(seller.filter((entry) => entry.api === 'aliexpress/message/send')).toHaveLength(1);
  expect(seller).toHaveLength(8);
  pageErrors();
});
