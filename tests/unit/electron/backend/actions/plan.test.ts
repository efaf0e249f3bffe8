import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import type { CacheDb } from '../../../../../electron/backend/cache/db';
import type { DecisionPlan, DecisionResult } from '../../../../../shared/ipc/contract';
import type { BulkAction } from '../../../../../shared/rules/bulk';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk;
let backend: Backend;

beforeEach(async () => {
  desk = await startDesk({ seed: 8, orders: 600 });
  ({ backend } = desk);
});

afterEach(async () => {
  await desk.close();
});

/** Every row of the tables a decision writes, to show that planning wrote none. */
async function written(db: CacheDb): Promise<unknown> {
  return { requests: await db.requests.toArray(), outbox: await db.outbox.toArray(), audit: await db.audit.toArray(), batches: await db.batches.toArray() };
}

function split(items: DecisionPlan['items'] | DecisionResult['items']) {
  return items.map((item) => (item.status === 'skipped' ? { id: item.requestId, skipped: item.code, message: item.message } : { id: item.requestId, amount: item.amount, summary: item.summary }));
}

describe('decisions.plan: what decide would do, without writing', () => {
  it.each<[string, BulkAction]>([
    ['accept', { type: 'accept' }],
    ['refuse', { type: 'refuse', reason: 'already_shipped' }],
    ['a 50 % offer', { type: 'offer', percent: 50 }],
    ['escalate', { type: 'escalate' }],
  ])('%s: the same items, in input order, skips and totals as decide; nothing written by the plan', async (_name, action) => {
    const rows = await backend.db.requests.toArray();
    // A mix: every state, an id twice, an unknown id, in a shuffled order.
    const ids = [...rows.slice(0, 60).map((row) => row.id).reverse(), 'r-nope', rows[3]?.id ?? ''];
    const before = await written(backend.db);
    const plan = await backend.handle('decisions.plan', { requestIds: ids, action });
    expect(await written(backend.db)).toEqual(before);

    expect(plan.items.map((item) => item.requestId)).toEqual([...new Set(ids)]);
    expect(plan.willDo + plan.skipped).toBe(plan.items.length);
    expect(plan.items.find((item) => item.requestId === 'r-nope')).toMatchObject({ status: 'skipped', code: 'not_found', orderId: null });
    for (const item of plan.items) {
      const row = rows.find((candidate) => candidate.id === item.requestId);
      if (row !== undefined) expect(item.orderId).toBe(row.orderId);
    }

    const result = await backend.handle('decisions.decide', { requestIds: ids, action });
    expect(split(result.items)).toEqual(split(plan.items));
    expect(result.totals).toEqual(plan.totals);
    expect(result.done).toBe(plan.willDo);
    expect(result.skipped).toBe(plan.skipped);
    // Every action finds work and skips in this data: the comparison above is never of two empty plans.
    expect(plan.willDo).toBeGreaterThan(0);
    expect(plan.skipped).toBeGreaterThan(1);
  });

  it('after a decision, the plan skips those requests as pending; an empty plan still answers (decide of one would throw)', async () => {
    const candidates = (await backend.db.requests.toArray()).filter((row) => row.state === 'requested' && row.phase === 'before_shipment');
    const [first] = candidates;
    if (first === undefined) throw new Error('no request in the demo data fits this test');
    await backend.handle('decisions.decide', { requestIds: [first.id], action: { type: 'accept' } });
    const plan = await backend.handle('decisions.plan', { requestIds: [first.id], action: { type: 'accept' } });
    expect(plan).toEqual({
      willDo: 0,
      skipped: 1,
      items: [{ requestId: first.id, orderId: first.orderId, status: 'skipped', code: 'decision_pending', message: expect.stringContaining('undo it first') as unknown }],
      totals: [],
    });
    await expect(backend.handle('decisions.decide', { requestIds: [first.id], action: { type: 'accept' } })).rejects.toMatchObject({ code: 'decision_pending' });
  });

  it('plans with an order that is not synced as order_missing', async () => {
    const [row] = await backend.db.requests.toArray();
    if (row === undefined) throw new Error('no requests');
    await backend.db.orders.delete(row.orderId);
    const plan = await backend.handle('decisions.plan', { requestIds: [row.id], action: { type: 'accept' } });
    expect(plan.items).toEqual([{ requestId: row.id, orderId: row.orderId, status: 'skipped', code: 'order_missing', message: expect.stringContaining('not been synced') as unknown }]);
  });
});
