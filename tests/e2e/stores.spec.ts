import { expect, test, type Page } from '@playwright/test';
import type { LedgerEntry } from '../../electron/simulator/state';
import { createTimeline, installPageClock, startAtArgs } from '../support/e2e-clock';
import { startHost, watchPageErrors, type DemoMarketplace, type HostProcess } from './host';

/**
 * A new user on the two demo stores the app opens on (`npm run start:web` as it ships): the queue
 * spans both, filters by store, a bulk accept across both shows totals per store, a selection
 * follows the recommendation; then each demo marketplace's ledger holds exactly what was decided
 * for its own requests, once each.
 */

/** A real 1×1 PNG: the app sniffs the bytes, not the name. */
const PARCEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let host: HostProcess;
let marketplaces: DemoMarketplace[];

test.beforeAll(async () => {
  const timeline = createTimeline();
  // The two demo-marketplace stores: this spec reads their ledgers (the AliExpress demo store has its own spec).
  host = await startHost([...startAtArgs(timeline), '--orders', '400', '--no-aliexpress-demo']);
  marketplaces = await host.demoMarketplaces(2);
});

test.afterAll(async () => {
  expect(await host.stop()).toBe(0);
});

async function ledgerOf(marketplace: DemoMarketplace): Promise<LedgerEntry[]> {
  const answer = await fetch(`${marketplace.url}/_sim/ledger`, { headers: { Authorization: `Bearer ${marketplace.adminToken}` } });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { entries: LedgerEntry[] }).entries;
}

const sellerEntries = (entries: readonly LedgerEntry[]): LedgerEntry[] => entries.filter((entry) => entry.actor === 'seller');

const ROWS = '.queue-row[data-request-id]';

/** The queue's rows on screen in the queue's order (rows are recycled slots: sorted by their index), with the store each names. */
async function rowsShown(page: Page): Promise<Array<{ index: number; order: string; store: string }>> {
  const rows = await page.locator(ROWS).evaluateAll((elements) =>
    elements.map((element) => ({
      index: Number(element.getAttribute('data-index')),
      order: element.querySelector('.order-id')?.textContent?.trim() ?? '',
      store: element.querySelector('[data-store-id]')?.getAttribute('data-store-id') ?? '',
    })),
  );
  return rows.sort((a, b) => a.index - b.index);
}

/** The row at this position of the queue. */
const rowAt = (page: Page, index: number) => page.locator(`${ROWS}[data-index="${index}"]`);

test('a new user on the two demo stores: filter by store, bulk across both, follow the recommendation, reply from a template, refuse with a photo; each ledger holds what was decided', async ({ page }) => {
  const pageErrors = watchPageErrors(page);
  const timeline = createTimeline();
  await installPageClock(page, timeline);
  await page.goto(host.url);
  const atlas = marketplaces.find((marketplace) => marketplace.storeId === 'atlas-outdoor');
  const lantern = marketplaces.find((marketplace) => marketplace.storeId === 'lantern-home');
  if (atlas === undefined || lantern === undefined) throw new Error(`unexpected demo stores: ${JSON.stringify(marketplaces)}`);

  // 1. Both stores in one queue, each row naming its store.
  const filter = page.getByRole('region', { name: /Stores/ });
  await expect(filter.getByRole('button', { name: /Atlas Outdoor/ })).toBeVisible({ timeout: 60_000 });
  await expect(filter.getByRole('button', { name: /Lantern Home/ })).toBeVisible();
  await expect(rowAt(page, 0)).toBeVisible({ timeout: 60_000 });
  const mixed = await rowsShown(page);
  expect(new Set(mixed.map((row) => row.store))).toEqual(new Set(['atlas-outdoor', 'lantern-home']));
  // Ids never meet: the second demo store's carry its prefix.
  for (const row of mixed) expect(row.order.startsWith('lh-')).toBe(row.store === 'lantern-home');

  // 2. The store filter: only Lantern Home's requests, then every store again.
  await filter.getByRole('button', { name: /Lantern Home/ }).click();
  await expect(page.getByTestId('queue-store')).toContainText('Lantern Home');
  await expect.poll(async () => new Set((await rowsShown(page)).map((row) => row.store))).toEqual(new Set(['lantern-home']));
  await filter.getByRole('button', { name: /All stores/ }).click();
  await expect.poll(async () => new Set((await rowsShown(page)).map((row) => row.store)).size).toBe(2);

  // 3. A bulk accept across both stores: the plan totals per store; Enter sends it.
  await rowAt(page, 0).click();
  await page.keyboard.press('x');
  for (let step = 0; step < 7; step += 1) await page.keyboard.press('Shift+J');
  const selected = (await rowsShown(page)).slice(0, 8);
  expect(new Set(selected.map((row) => row.store)).size).toBe(2);
  await page.keyboard.press('a');
  const plan = page.getByRole('dialog');
  await expect(plan).toBeVisible();
  await expect(plan).toContainText('By store');
  await expect(plan).toContainText('Atlas Outdoor');
  await expect(plan).toContainText('Lantern Home');
  const willDo = Number(/(\d+) will be done/.exec(await plan.innerText())?.[1] ?? Number.NaN);
  expect(willDo).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  await expect(plan).toBeHidden();

  // 4. Follow the recommendation on a selection of the next requests.
  await page.keyboard.press('Escape');
  await rowAt(page, 10).click();
  await page.keyboard.press('x');
  for (let step = 0; step < 3; step += 1) await page.keyboard.press('Shift+J');
  await page.keyboard.press('.');
  const recommended = page.getByRole('dialog');
  await expect(recommended).toBeVisible();
  await expect(recommended).toContainText('Do what is recommended');
  const followed = Number(/(\d+) will be done/.exec(await recommended.innerText())?.[1] ?? '0');
  await page.keyboard.press('Enter');
  await expect(recommended).toBeHidden();

  // 5. Reply to a buyer from a template (m): the message goes through the outbox like a decision.
  await page.keyboard.press('Escape');
  await rowAt(page, 20).click();
  const replied = (await rowsShown(page)).find((row) => row.index === 20);
  if (replied === undefined) throw new Error('no row 20');
  await page.keyboard.press('m');
  const reply = page.getByRole('dialog', { name: 'Reply to the buyer' });
  await expect(reply).toBeVisible();
  await reply.getByLabel('Template').selectOption({ label: 'Ask for photos' });
  const text = await reply.getByLabel('Message').inputValue();
  // Placeholders are filled for this request: its order id is in the text.
  expect(text).toContain(replied.order);
  await page.keyboard.press('Control+Enter');
  await expect(reply).toBeHidden();
  await expect(page.getByText('Not sent yet', { exact: false }).first()).toBeVisible();

  // 6. Refuse a dispute with a photo of the parcel (the file picker), as the refusal's evidence.
  await page.keyboard.press('Escape');
  const disputeIndex = await page.locator(ROWS).evaluateAll((elements) => {
    const row = elements.find((element) => element.querySelector('.phase')?.textContent?.trim() === 'After shipment' && element.querySelector('.state')?.textContent?.trim().startsWith('Requested'));
    return row === undefined ? -1 : Number(row.getAttribute('data-index'));
  });
  expect(disputeIndex).toBeGreaterThanOrEqual(0);
  await rowAt(page, disputeIndex).click();
  const refused = (await rowsShown(page)).find((row) => row.index === disputeIndex);
  if (refused === undefined) throw new Error('no dispute row');
  await page.keyboard.press('r');
  const refuse = page.getByRole('dialog');
  await expect(refuse).toBeVisible();
  // The reason "Other", with a note, then the photo through the file picker.
  await refuse.locator('input[type="radio"][value="other"]').check();
  await expect(refuse.locator('textarea')).toBeVisible();
  await refuse.locator('textarea').fill('Packed with care: see the photo of the parcel.');
  await refuse.locator('input[type=file]').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: PARCEL_PNG });
  await expect(refuse.getByRole('button', { name: 'Remove parcel.png' })).toBeVisible();
  await refuse.locator('textarea').focus();
  await page.keyboard.press('Control+Enter');
  await expect(refuse).toBeHidden();

  // 7. Everything sent; each marketplace holds its own store's decisions, each once.
  await expect(page.getByTestId('outbox-status')).toContainText('All decisions sent', { timeout: 90_000 });
  const atlasLedger = sellerEntries(await ledgerOf(atlas));
  const lanternLedger = sellerEntries(await ledgerOf(lantern));
  for (const entry of atlasLedger) expect(entry.orderId.startsWith('lh-'), `${entry.orderId} in Atlas Outdoor's ledger`).toBe(false);
  for (const entry of lanternLedger) expect(entry.orderId.startsWith('lh-'), `${entry.orderId} in Lantern Home's ledger`).toBe(true);
  const refusal = [...atlasLedger, ...lanternLedger].find((entry) => entry.action === 'refuse' && entry.orderId === refused.order);
  expect(refusal?.details.evidenceIds, 'the refusal went with the photo').toHaveLength(1);
  const messages = [...atlasLedger, ...lanternLedger].filter((entry) => entry.action === 'message');
  expect(messages.map((entry) => [entry.orderId, entry.details.text])).toEqual([[replied.order, text]]);
  const all = [...atlasLedger, ...lanternLedger].filter((entry) => entry.action !== 'message');
  const perRequest = new Map<string, number>();
  for (const entry of all) perRequest.set(entry.requestId, (perRequest.get(entry.requestId) ?? 0) + 1);
  expect([...perRequest].filter(([, count]) => count !== 1), 'a request decided more than once').toEqual([]);
  expect(all.filter((entry) => entry.action === 'accept').length).toBeGreaterThanOrEqual(willDo);
  expect(all.length).toBe(willDo + followed + 1);
  const selectedOrders = new Set(selected.map((row) => row.order));
  const bulkAccepts = all.filter((entry) => entry.action === 'accept' && selectedOrders.has(entry.orderId));
  expect(bulkAccepts).toHaveLength(willDo);
  expect(new Set(bulkAccepts.map((entry) => entry.storeId)).size).toBe(2);
  pageErrors();
});
