import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import { buyerHistory } from '../../../../../electron/backend/actions/records';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import { toRemoteRequest } from '../../../../../electron/backend/cache/records';
import type { ManualClock } from '../../../../../electron/simulator/clock';
import { DEMO_CAPABILITIES } from '../../../../../shared/domain/marketplace';
import { toInstant } from '../../../../../shared/domain/time';
import { allowedActions } from '../../../../../shared/rules/actions';
import { DEFAULT_POLICY } from '../../../../../shared/rules/policy';
import { recommend } from '../../../../../shared/rules/recommend';
import { isTerminal } from '../../../../../shared/rules/states';
import { TEST_START_MS as START, startDesk, type Desk } from '../../../../support/desk';

let desk: Desk;
let backend: Backend;
let clock: ManualClock;

beforeEach(async () => {
  desk = await startDesk({ seed: 8, orders: 600 });
  ({ backend, clock } = desk);
});

afterEach(async () => {
  await desk.close();
});

const find = (predicate: (row: CachedRequest) => boolean): Promise<CachedRequest> => desk.find(predicate);

describe('requests.get: the rules panel', () => {
  it("evaluates the actions and the recommendation with the backend clock, the store policy, the buyer history and the store's marketplace", async () => {
    const policy = { ...DEFAULT_POLICY, repeatCanceller: { minRequests: 2, windowDays: 365 } };
    await backend.handle('settings.update', { policy });
    clock.advance(3_600_000);
    // A buyer with more than one request, so the history matters.
    const rows = await backend.db.requests.toArray();
    const orders = new Map((await backend.db.orders.toArray()).map((order) => [order.id, order]));
    const byBuyer = new Map<string, CachedRequest[]>();
    for (const row of rows) {
      const buyer = orders.get(row.orderId)?.buyer.id;
      if (buyer !== undefined) byBuyer.set(buyer, [...(byBuyer.get(buyer) ?? []), row]);
    }
    const repeat = [...byBuyer.values()].find((list) => list.length > 1 && list.some((row) => !isTerminal(row.state)));
    const target = repeat?.find((row) => !isTerminal(row.state));
    if (repeat === undefined || target === undefined) throw new Error('no repeat buyer in the demo data');
    const order = orders.get(target.orderId);
    if (order === undefined) throw new Error('no order');

    const history = await buyerHistory(backend.db, order, target.id);
    expect(history.map((entry) => entry.id).sort()).toEqual(repeat.filter((row) => row.id !== target.id).map((row) => row.id).sort());

    const detail = await backend.handle('requests.get', { requestId: target.id });
    const now = START + 3_600_000;
    expect(detail.rules).toEqual({
      available: true,
      evaluatedAt: toInstant(now),
      actions: allowedActions(order, toRemoteRequest(target), policy, now, DEMO_CAPABILITIES),
      recommendation: recommend(order, toRemoteRequest(target), history, policy, now, DEMO_CAPABILITIES),
    });
    if (!detail.rules.available) throw new Error('the rules panel is unavailable for an open request');
    expect(detail.rules.recommendation.signals).toContain('repeat_canceller');
  });

  it('is unavailable, with the reason, while a decision is pending, for a final request, and without the order', async () => {
    const open = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    await backend.handle('decisions.decide', { requestIds: [open.id], action: { type: 'accept' } });
    expect((await backend.handle('requests.get', { requestId: open.id })).rules).toEqual({
      available: false,
      code: 'decision_pending',
      message: 'Your decision (accepted) is waiting to be sent; undo it first to decide differently.',
    });
    // Once the undo window closed and it is on its way, the sentence says so.
    const entry = (await backend.db.outbox.where('requestId').equals(open.id).toArray())[0];
    if (entry === undefined) throw new Error('no outbox entry');
    await backend.db.outbox.put({ ...entry, status: 'sending' });
    expect((await backend.handle('requests.get', { requestId: open.id })).rules).toMatchObject({ available: false, code: 'decision_pending', message: expect.stringContaining('being sent') as unknown });

    const final = await find((row) => isTerminal(row.state) && row.local === null);
    expect((await backend.handle('requests.get', { requestId: final.id })).rules).toMatchObject({ available: false, code: 'request_final' });

    const other = await find((row) => row.local === null && !isTerminal(row.state) && row.id !== open.id);
    await backend.db.orders.delete(other.orderId);
    expect((await backend.handle('requests.get', { requestId: other.id })).rules).toMatchObject({ available: false, code: 'order_missing', message: expect.stringContaining(other.orderId) as unknown });
  });
});

describe('audit.exportCsv: the file name', () => {
  it('makes a hostile request id safe, like the queue export does a search', async () => {
    const hostile = '../../..\\Startup\\ÉVIL\u202egnp.exe\r\n:*?"<>|\u0000';
    const { fileName } = await backend.handle('audit.exportCsv', { requestId: hostile });
    expect(fileName).toMatch(/^cancel-desk-audit-startup-vil-gnp-exe-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/);
    // Nothing is left of the id but letters, digits and dashes: no folder, no control, no bidi override.
    expect(await backend.handle('audit.exportCsv', { requestId: '../..' })).toMatchObject({ fileName: expect.stringMatching(/^cancel-desk-audit-request-\d{4}-/) as string });
    const row = await find((request) => request.id.length > 0);
    expect((await backend.handle('audit.exportCsv', { requestId: row.id })).fileName).toContain(`-audit-${row.id.toLowerCase()}-`);
  });
});
