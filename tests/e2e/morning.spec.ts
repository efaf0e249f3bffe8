import { expect, test, type Page } from '@playwright/test';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import { viewOfState } from '../../shared/domain/views';
import { formatMoney, toDecimalString, type Money } from '../../shared/money';
import { allowedActions, type ActionOption } from '../../shared/rules/actions';
import { planBulk } from '../../shared/rules/bulk';
import { PolicySchema } from '../../shared/rules/policy';
import { createSimulator, type Simulator } from '../../electron/simulator/server';
import type { LedgerEntry } from '../../electron/simulator/state';
import { byTimeLeft, fetchAllFromMarketplace } from '../support/marketplace';
import { startHost, watchPageErrors, type HostProcess } from './host';

/**
 * A seller's morning, by keyboard only (issue 6): triage twenty requests with every action, a
 * bulk accept of fifty checked in its plan and undone, a second bulk accept confirmed, a proof
 * request answered by the buyer and accepted; then the demo marketplace's ledger must hold
 * exactly what was decided, once each, and nothing that was undone.
 */

const POLICY = PolicySchema.parse({});
const SELLER_ACTIONS = new Set(['accept', 'refuse', 'request_evidence', 'offer', 'escalate']);

let simulator: Simulator;
let host: HostProcess;

test.beforeAll(async () => {
  // Buyers hold still (no new requests, no withdrawals) so the ledger holds only what we did.
  simulator = await createSimulator({ seed: 2026, orders: 2_000, buyers: { active: false } });
  host = await startHost(['--marketplace-url', simulator.url, '--marketplace-token', simulator.token]);
});

test.afterAll(async () => {
  expect(await host.stop()).toBe(0);
  await simulator.close();
});

interface Candidate {
  request: CancelRequest;
  order: Order;
  options: ActionOption[];
}

function option<T extends ActionOption['action']>(candidate: Candidate, action: T): Extract<ActionOption, { action: T }> {
  const found = candidate.options.find((entry) => entry.action === action);
  if (found === undefined) throw new Error(`no ${action} option`);
  return found as Extract<ActionOption, { action: T }>;
}

async function focusedId(page: Page): Promise<string> {
  return (await page.locator('[data-focused="true"]').getAttribute('data-request-id')) ?? '';
}

/** Keyboard only: "/" to search, the order id, Enter back to the queue; the row has the focus. */
async function goToOrder(page: Page, candidate: Candidate): Promise<void> {
  await page.keyboard.press('/');
  await expect(page.locator('#queue-search')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(candidate.order.id);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', candidate.request.id);
  await expect(page.getByTestId('queue-scroll')).toBeFocused();
}

async function expectDecided(page: Page, candidate: Candidate): Promise<void> {
  // Decided: it leaves "Needs reply", so the search in that view no longer finds it.
  await expect(page.locator(`[data-request-id="${candidate.request.id}"]`)).toHaveCount(0);
  await expect(page.getByTestId('undo-toast')).toBeVisible();
}

function sellerEntries(ledger: readonly LedgerEntry[]): LedgerEntry[] {
  return ledger.filter((entry) => entry.actor === 'seller' && SELLER_ACTIONS.has(entry.action));
}

test('a morning at the desk, by keyboard only, ends with the ledger the seller meant', async ({ page }) => {
  test.setTimeout(300_000);
  const checkErrors = watchPageErrors(page);
  const [orders, requests] = await Promise.all([
    fetchAllFromMarketplace<Order>(simulator, 'orders'),
    fetchAllFromMarketplace<CancelRequest>(simulator, 'requests'),
  ]);
  const ordersById = new Map(orders.map((order) => [order.id, order]));
  const now = Date.now();
  // Leave the first 120 of the queue to the bulk steps; triage from further down.
  const open = requests.filter((request) => viewOfState(request.state) === 'needs_reply').sort(byTimeLeft);
  expect(open.length).toBeGreaterThan(200);
  const candidates: Candidate[] = open.slice(120).flatMap((request) => {
    const order = ordersById.get(request.orderId);
    return order === undefined ? [] : [{ request, order, options: allowedActions(order, request, POLICY, now) }];
  });
  const taken = new Set<string>();
  const pick = (count: number, fits: (candidate: Candidate) => boolean): Candidate[] => {
    const chosen = candidates.filter((candidate) => !taken.has(candidate.request.id) && fits(candidate)).slice(0, count);
    expect(chosen).toHaveLength(count);
    for (const candidate of chosen) taken.add(candidate.request.id);
    return chosen;
  };
  const accepts = pick(4, (candidate) => option(candidate, 'accept').allowed);
  const refusals = pick(4, (candidate) => option(candidate, 'refuse').reasons.some((reason) => reason.reason === 'other' && reason.allowed));
  const proofs = pick(4, (candidate) => option(candidate, 'request_proof').allowed);
  const offers = pick(4, (candidate) => {
    const offer = option(candidate, 'offer');
    return offer.allowed && offer.range !== null && offer.range.max.amountMinor > offer.range.min.amountMinor + 1;
  });
  const escalations = pick(4, (candidate) => option(candidate, 'escalate').allowed);

  await page.goto(host.url);
  await expect(page.locator('[data-sync-state="idle"]')).toBeVisible();
  await expect(page.locator('[data-focused="true"]')).toBeVisible();

  // The help overlay and the palette say what every key does.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expect(page.locator('.help-row[data-command="request.accept"]')).toContainText('A');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
  await page.keyboard.press('ControlOrMeta+k');
  await page.keyboard.type('sync');
  await expect(page.locator('.palette-option').first()).toHaveAttribute('data-command', 'sync.now');
  await expect(page.locator('.palette-option').first()).toContainText('S');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('queue-scroll')).toBeFocused();

  // 1. Triage twenty, one at a time, mixing every action.
  for (const candidate of accepts) {
    await goToOrder(page, candidate);
    await page.keyboard.press('a');
    await expectDecided(page, candidate);
  }
  for (const [index, candidate] of refusals.entries()) {
    await goToOrder(page, candidate);
    if (index === 0) {
      // An internal note first: n, type, Ctrl+Enter.
      await page.keyboard.press('n');
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.keyboard.type('Called the buyer: they want to keep it after all.');
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect(page.getByRole('dialog')).toBeHidden();
      await expect(page.getByTestId('queue-scroll')).toBeFocused();
    }
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    const position = option(candidate, 'refuse').reasons.findIndex((reason) => reason.reason === 'other');
    await page.keyboard.press(String(position + 1));
    await expect(dialog.locator('textarea')).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(dialog.locator('textarea')).toBeFocused();
    await page.keyboard.type(`Refused at the desk (${candidate.order.id}).`);
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(dialog).toBeHidden();
    await expectDecided(page, candidate);
  }
  for (const candidate of proofs) {
    await goToOrder(page, candidate);
    await page.keyboard.press('p');
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expectDecided(page, candidate);
  }
  const offered = new Map<string, Money>();
  for (const candidate of offers) {
    await goToOrder(page, candidate);
    await page.keyboard.press('f');
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    const range = option(candidate, 'offer').range;
    if (range === null) throw new Error('an allowed offer has a range');
    const amount: Money = { currency: range.max.currency, amountMinor: Math.floor((range.min.amountMinor + range.max.amountMinor) / 2) };
    offered.set(candidate.request.id, amount);
    await page.keyboard.type(toDecimalString(amount));
    await expect(dialog).toContainText(formatMoney(amount, 'en-US'));
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expectDecided(page, candidate);
  }
  for (const candidate of escalations) {
    await goToOrder(page, candidate);
    await page.keyboard.press('e');
    await expectDecided(page, candidate);
  }

  // Back to the whole view: Esc in the search field clears it.
  await page.keyboard.press('/');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('queue-scroll')).toBeFocused();
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', open[0]?.id ?? '');

  // 2. Bulk accept of fifty: check the plan, confirm, undo.
  const selectFifty = async (): Promise<string[]> => {
    const ids = [await focusedId(page)];
    await page.keyboard.press('x');
    for (let step = 1; step < 50; step += 1) {
      await page.keyboard.press('Shift+J');
      await expect(page.locator('[data-focused="true"]')).not.toHaveAttribute('data-request-id', ids.at(-1) ?? '');
      ids.push(await focusedId(page));
    }
    await expect(page.getByTestId('selection-summary')).toContainText('50 selected');
    return ids;
  };
  const expectedPlan = (ids: readonly string[]) => {
    const items = ids.map((id) => {
      const request = requests.find((candidate) => candidate.id === id);
      const order = ordersById.get(request?.orderId ?? '');
      if (request === undefined || order === undefined) throw new Error(`unknown request ${id}`);
      return { order, request };
    });
    return planBulk(items, 'accept', {}, POLICY, Date.now());
  };

  const needsReplyBefore = await page.locator('[data-count="needs_reply"]').innerText();
  const firstBulk = await selectFifty();
  expect(firstBulk).toEqual(open.slice(0, 50).map((request) => request.id));
  const firstPlan = expectedPlan(firstBulk);
  await page.keyboard.press('a');
  const planDialog = page.getByRole('dialog');
  await expect(planDialog).toContainText(`${firstPlan.items.filter((item) => item.status === 'will_do').length} will be done`);
  for (const total of firstPlan.totals) await expect(planDialog).toContainText(formatMoney(total.amount, 'en-US'));
  for (const item of firstPlan.items) {
    if (item.status === 'skipped') await expect(planDialog).toContainText(item.message);
  }
  await page.keyboard.press('Enter');
  await expect(planDialog).toBeHidden();
  await expect(page.getByTestId('undo-toast')).toBeVisible();
  await page.keyboard.press('z');
  await expect(page.locator('.notice', { hasText: 'Undone:' })).toContainText(`Undone: ${firstPlan.items.filter((item) => item.status === 'will_do').length} requests restored.`);
  await expect(page.locator('[data-count="needs_reply"]')).toHaveText(needsReplyBefore);

  // 3. A second bulk accept, of the next fifty, confirmed.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-summary')).toHaveCount(0);
  // g n: the view again, from its top; then fifty down.
  await page.keyboard.press('g');
  await page.keyboard.press('n');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', open[0]?.id ?? '');
  for (let step = 0; step < 50; step += 1) await page.keyboard.press('j');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', open[50]?.id ?? '');
  const secondBulk = await selectFifty();
  const secondPlan = expectedPlan(secondBulk);
  const secondAccepted = secondPlan.items.flatMap((item) => (item.status === 'will_do' && item.requestId !== null ? [item.requestId] : []));
  await page.keyboard.press('a');
  await expect(planDialog).toContainText(`${secondAccepted.length} will be done`);
  await page.keyboard.press('Enter');
  await expect(planDialog).toBeHidden();
  await expect(page.getByTestId('undo-toast')).toBeVisible();

  // 4. The buyer answers a proof request (once the marketplace has it); sync, then accept.
  const [proofCandidate] = proofs;
  if (proofCandidate === undefined) throw new Error('no proof request');
  await expect
    .poll(() => simulator.state.ledger.some((entry) => entry.requestId === proofCandidate.request.id && entry.action === 'request_evidence'), { timeout: 60_000 })
    .toBe(true);
  simulator.marketplace.submitProof(proofCandidate.request.id, 2);
  await page.keyboard.press('s');
  await page.keyboard.press('g');
  await page.keyboard.press('r');
  await expect(page.locator('.queue-heading')).toContainText('Proof in');
  await expect(page.locator(`[data-request-id="${proofCandidate.request.id}"]`)).toBeVisible();
  await page.keyboard.press('/');
  await page.keyboard.type(proofCandidate.order.id);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', proofCandidate.request.id);
  await expect(page.locator('.detail-pane')).toContainText('Proof submitted');
  await page.keyboard.press('a');
  await expect(page.locator(`[data-request-id="${proofCandidate.request.id}"]`)).toHaveCount(0);

  // Everything leaves once its undo window has passed.
  await expect(page.getByTestId('outbox-status')).toContainText('All decisions sent', { timeout: 90_000 });

  // 5. The ledger: each decision exactly once, with what the seller chose; nothing undone.
  const ledger = sellerEntries(simulator.state.ledger);
  const byRequest = new Map<string, LedgerEntry[]>();
  for (const entry of ledger) byRequest.set(entry.requestId, [...(byRequest.get(entry.requestId) ?? []), entry]);
  const actionsOf = (id: string) => (byRequest.get(id) ?? []).map((entry) => entry.action);

  for (const candidate of accepts) {
    expect(actionsOf(candidate.request.id)).toEqual(['accept']);
    const quote = option(candidate, 'accept').refund;
    // The refund the rules quoted is the refund the marketplace recorded, to the minor unit.
    if (quote !== null && quote.total.amountMinor > 0) expect(byRequest.get(candidate.request.id)?.[0]?.details).toEqual({ amount: quote.total });
  }
  for (const candidate of refusals) {
    expect(actionsOf(candidate.request.id)).toEqual(['refuse']);
    expect(byRequest.get(candidate.request.id)?.[0]?.details).toMatchObject({ reason: 'other' });
  }
  for (const candidate of proofs) {
    expect(actionsOf(candidate.request.id)).toEqual(candidate === proofCandidate ? ['request_evidence', 'accept'] : ['request_evidence']);
  }
  for (const candidate of offers) {
    expect(actionsOf(candidate.request.id)).toEqual(['offer']);
    expect(byRequest.get(candidate.request.id)?.[0]?.details).toEqual({ amount: offered.get(candidate.request.id) });
  }
  for (const candidate of escalations) expect(actionsOf(candidate.request.id)).toEqual(['escalate']);
  for (const id of firstBulk) expect(actionsOf(id), `undone ${id}`).toEqual([]);
  for (const id of secondAccepted) expect(actionsOf(id)).toEqual(['accept']);
  const decided = new Set([...taken, ...secondAccepted]);
  expect([...byRequest.keys()].filter((id) => !decided.has(id))).toEqual([]);
  const keys = ledger.map((entry) => entry.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  checkErrors();
});
