import { expect, test, type Page } from '@playwright/test';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import { instantMs, type Clock } from '../../shared/domain/time';
import { viewOfState } from '../../shared/domain/views';
import { formatMoney, toDecimalString, type Money } from '../../shared/money';
import { DEMO_CAPABILITIES } from '../../shared/domain/marketplace';
import { allowedActions, type ActionOption } from '../../shared/rules/actions';
import { planBulk } from '../../shared/rules/bulk';
import { PolicySchema } from '../../shared/rules/policy';
import type { Simulator } from '../../electron/simulator/server';
import { startE2eDesk, type E2eDesk } from './desk';
import type { LedgerEntry } from '../../electron/simulator/state';
import { installPageClock } from '../support/e2e-clock';
import { byTimeLeft, fetchAllFromMarketplace } from '../support/marketplace';
import { watchPageErrors, type HostProcess } from './host';
import { expectRulesAsShown } from './rules-panel';

/**
 * A seller's morning, by keyboard only (issue 6): triage twenty requests with every action, a
 * bulk accept of fifty checked in its plan and undone, a second bulk accept confirmed, a proof
 * request answered by the buyer and accepted; then the demo marketplace's ledger must hold
 * exactly what was decided, once each, and nothing that was undone.
 */

const POLICY = PolicySchema.parse({});
const SELLER_ACTIONS = new Set(['accept', 'refuse', 'request_evidence', 'offer', 'escalate']);

let desk: E2eDesk;
let timeline: Clock;
let simulator: Simulator;
let host: HostProcess;

test.beforeAll(async () => {
  // Buyers hold still (no new requests, no withdrawals) so the ledger holds only what we did.
  desk = await startE2eDesk({ seed: 2026, orders: 2_000, buyers: { active: false } });
  ({ timeline, simulator, host } = desk);
});

test.afterAll(async () => {
  await desk.close();
});

interface Candidate {
  request: CancelRequest;
  order: Order;
  /** What the rules allow: as picked, then as the app evaluated them when the seller got there. */
  options: ActionOption[];
}

function option<T extends ActionOption['action']>(candidate: Candidate, action: T): Extract<ActionOption, { action: T }> {
  const found = candidate.options.find((entry) => entry.action === action);
  if (found === undefined) throw new Error(`no ${action} option`);
  return found as Extract<ActionOption, { action: T }>;
}

/**
 * Keyboard only: "/" to search, the order id, Enter back to the queue; the row has the focus.
 * Then the rules panel must say what the rules say at the instant the app evaluated them, and
 * the candidate's options become those (what the seller's keys act on).
 */
async function goToOrder(page: Page, candidate: Candidate): Promise<void> {
  await page.keyboard.press('/');
  await expect(page.locator('#queue-search')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(candidate.order.id);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', candidate.request.id);
  await expect(page.getByTestId('queue-scroll')).toBeFocused();
  candidate.options = (await expectRulesAsShown(page, candidate, POLICY)).options;
}

/**
 * An instant of the host's clock that has passed: when the rules the detail pane shows were
 * evaluated. Whatever the host does after this read, it does at this instant or later.
 */
async function hostInstantPassed(page: Page): Promise<number> {
  const time = page.locator('.detail-pane .detail-evaluated time');
  await expect(time).toHaveAttribute('datetime', /\d{4}-\d\d-\d\dT/);
  return instantMs((await time.getAttribute('datetime')) ?? '');
}

/** Ctrl+, then the undo window typed into Settings and saved, as a seller would; Esc closes. */
async function setUndoWindow(page: Page, seconds: number): Promise<void> {
  await page.keyboard.press('ControlOrMeta+,');
  const timing = page.getByRole('region', { name: 'Undo, sync and alerts' });
  const field = timing.getByLabel('Undo window');
  await field.fill(String(seconds));
  await field.press('Enter');
  await expect(timing.getByRole('status')).toHaveText('Saved.');
  await page.keyboard.press('Escape');
  await expect(page.locator('dialog[open]')).toHaveCount(0);
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
  // Some 250 keys, each waited for: on a loaded machine a key can take a second or more.
  test.setTimeout(480_000);
  const checkErrors = watchPageErrors(page);
  const [orders, requests] = await Promise.all([
    fetchAllFromMarketplace<Order>(simulator, 'orders'),
    fetchAllFromMarketplace<CancelRequest>(simulator, 'requests'),
  ]);
  const ordersById = new Map(orders.map((order) => [order.id, order]));
  const itemOf = (request: CancelRequest | undefined): { order: Order; request: CancelRequest } => {
    const order = ordersById.get(request?.orderId ?? '');
    if (request === undefined || order === undefined) throw new Error(`no order for ${request?.id ?? 'a missing request'}`);
    return { order, request };
  };
  const open = requests.filter((request) => viewOfState(request.state) === 'needs_reply').sort(byTimeLeft);
  expect(open.length).toBeGreaterThan(200);

  const pageClock = await installPageClock(page, timeline);
  await page.goto(host.url);
  await expect(page.locator('[data-sync-state="idle"]')).toBeVisible();
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', open[0]?.id ?? '-');
  // The first detail, exactly as the rules have it at the app's instant: the instant to pick at.
  const { evaluatedAt: pickedAt } = await expectRulesAsShown(page, itemOf(open[0]), POLICY);

  // Leave the first 120 of the queue to the bulk steps; triage from further down.
  const candidates: Candidate[] = open.slice(120).flatMap((request) => {
    const order = ordersById.get(request.orderId);
    return order === undefined ? [] : [{ request, order, options: allowedActions(order, request, POLICY, pickedAt, DEMO_CAPABILITIES) }];
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
  /** x, then Shift+J down the queue from the focused row: each step lands on the next open request. */
  const selectFifty = async (from: number): Promise<string[]> => {
    const ids = open.slice(from, from + 50).map((request) => request.id);
    await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', ids[0] ?? '-');
    await page.keyboard.press('x');
    for (const id of ids.slice(1)) {
      await page.keyboard.press('Shift+J');
      await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', id);
    }
    await expect(page.getByTestId('selection-summary')).toContainText('50 selected');
    return ids;
  };
  const planDialog = page.getByRole('dialog');
  /**
   * Presses a, and checks the plan the app shows against the rules' plan at the instant the app
   * made it. The app does not say that instant, but it lies between one the host showed before
   * the key (the detail's "Checked" time) and the timeline's reading once the plan is on screen
   * (the host's clock is never ahead of it). An accept depends on the time only through each
   * reply deadline, a single step: the same plan at both ends is the plan at every instant
   * between, so the comparison is exact.
   */
  const pressAcceptAndCheckPlan = async (ids: readonly string[]) => {
    const items = ids.map((id) => itemOf(requests.find((candidate) => candidate.id === id)));
    const earliest = await hostInstantPassed(page);
    await page.keyboard.press('a');
    await expect(planDialog).toContainText('will be done');
    const latest = timeline.now();
    const plan = planBulk(items, 'accept', {}, POLICY, earliest, DEMO_CAPABILITIES);
    expect(planBulk(items, 'accept', {}, POLICY, latest, DEMO_CAPABILITIES), 'no reply deadline falls while the app plans').toEqual(plan);
    await expect(planDialog).toContainText(`${plan.items.filter((item) => item.status === 'will_do').length} will be done`);
    for (const total of plan.totals) await expect(planDialog).toContainText(formatMoney(total.amount, 'en-US'));
    for (const item of plan.items) {
      if (item.status === 'skipped') await expect(planDialog).toContainText(item.message);
    }
    return plan;
  };

  // The undo is the step under test, not the seller's speed: a window of five minutes (set in
  // Settings, as a seller would) outlasts any slow machine, and the page's clock holds still
  // while z runs, so the six-second "Undone" notice is still there to be read.
  await setUndoWindow(page, 300);
  const needsReplyBefore = await page.locator('[data-count="needs_reply"]').innerText();
  const firstBulk = await selectFifty(0);
  const firstPlan = await pressAcceptAndCheckPlan(firstBulk);
  await page.keyboard.press('Enter');
  await expect(planDialog).toBeHidden();
  await expect(page.getByTestId('undo-toast')).toBeVisible();
  await pageClock.pause();
  await page.keyboard.press('z');
  await expect(page.locator('.notice', { hasText: 'Undone:' })).toContainText(`Undone: ${firstPlan.items.filter((item) => item.status === 'will_do').length} requests restored.`);
  await expect(page.locator('[data-count="needs_reply"]')).toHaveText(needsReplyBefore);
  await expect(page.getByTestId('undo-toast')).toHaveCount(0);
  await pageClock.resume();
  // Back to the usual window, so what follows leaves for the marketplace in seconds.
  await setUndoWindow(page, POLICY.undoWindowSeconds);

  // 3. A second bulk accept, of the next fifty, confirmed.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-summary')).toHaveCount(0);
  // g n: the view again, from its top; then fifty down.
  await page.keyboard.press('g');
  await page.keyboard.press('n');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', open[0]?.id ?? '');
  for (let step = 0; step < 50; step += 1) await page.keyboard.press('j');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', open[50]?.id ?? '');
  const secondBulk = await selectFifty(50);
  const secondPlan = await pressAcceptAndCheckPlan(secondBulk);
  const secondAccepted = secondPlan.items.flatMap((item) => (item.status === 'will_do' && item.requestId !== null ? [item.requestId] : []));
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
