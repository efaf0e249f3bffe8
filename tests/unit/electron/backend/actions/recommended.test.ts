import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import type { CacheDb } from '../../../../../electron/backend/cache/db';
import type { RecommendedPlan } from '../../../../../shared/ipc/contract';
import { add, type Money } from '../../../../../shared/money';
import type { SellerActionType } from '../../../../../shared/rules/states';
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

/** A mix of every state the demo data has, in a fixed order. */
async function someIds(count: number): Promise<string[]> {
  return (await backend.db.requests.toArray()).slice(0, count).map((row) => row.id);
}

function willDo(plan: RecommendedPlan): Array<{ requestId: string; action: SellerActionType }> {
  return plan.items.flatMap((item) => (item.status === 'will_do' ? [{ requestId: item.requestId, action: item.action }] : []));
}

const ENDPOINTS: Readonly<Record<SellerActionType, string>> = {
  accept: 'accept',
  refuse: 'refuse',
  request_proof: 'request-evidence',
  offer: 'offer',
  escalate: 'escalate',
};

const LEDGER_ACTIONS: Readonly<Record<SellerActionType, string>> = {
  accept: 'accept',
  refuse: 'refuse',
  request_proof: 'request_evidence',
  offer: 'offer',
  escalate: 'escalate',
};

describe('decisions.planRecommended', () => {
  it("plans each request's own recommendation (what its rules panel recommends), grouped by action with totals; skips say why; writes nothing", async () => {
    const ids = [...(await someIds(150)), 'r-nope'];
    const before = await written(backend.db);
    const plan = await backend.handle('decisions.planRecommended', { requestIds: ids });
    expect(await written(backend.db)).toEqual(before);
    expect(plan.evaluatedAt).toBe(new Date(desk.clock.now()).toISOString());
    expect(plan.items.map((item) => item.requestId)).toEqual(ids);
    expect(plan.items.find((item) => item.requestId === 'r-nope')).toMatchObject({ status: 'skipped', code: 'not_found' });

    for (const item of plan.items) {
      if (item.requestId === 'r-nope') continue;
      const detail = await backend.handle('requests.get', { requestId: item.requestId });
      if (item.status === 'will_do') {
        // The same rules at the same instant: the plan does what the detail pane recommends.
        expect(detail.rules.available && detail.rules.recommendation.action?.type).toBe(item.action);
        expect(item.why).toBe(detail.rules.available ? detail.rules.recommendation.reasons[0]?.message : '');
      } else if (detail.rules.available && detail.rules.recommendation.action === null) {
        expect([item.code, item.message]).toEqual(['no_recommendation', detail.rules.recommendation.reasons[0]?.message]);
      } else if (!detail.rules.available) {
        // Final, pending or not synced: the plan and the panel name the same kind of reason.
        expect(item.message.length).toBeGreaterThan(0);
      }
    }

    // Each group: its count and, per currency, the sum of its items' amounts.
    expect(plan.groups.reduce((sum, group) => sum + group.count, 0)).toBe(plan.willDo);
    for (const group of plan.groups) {
      const members = plan.items.filter((item) => item.status === 'will_do' && item.action === group.action);
      expect(group.count).toBe(members.length);
      const sums = new Map<string, { amount: Money; count: number }>();
      for (const member of members) {
        if (member.status !== 'will_do' || member.amount === null) continue;
        const sum = sums.get(member.amount.currency);
        sums.set(member.amount.currency, { amount: sum === undefined ? member.amount : add(sum.amount, member.amount), count: (sum?.count ?? 0) + 1 });
      }
      expect(group.totals).toEqual([...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, sum]) => ({ currency, ...sum })));
    }
    // The demo data gives work of several kinds and reasons to skip: never a comparison of empty plans.
    expect(plan.groups.length).toBeGreaterThan(1);
    expect(plan.skipped).toBeGreaterThan(1);
    expect(plan.willDo + plan.skipped).toBe(ids.length);
  });

  it('one focused request: one item, one group', async () => {
    const target = await desk.find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment' && row.local === null);
    const plan = await backend.handle('decisions.planRecommended', { requestIds: [target.id] });
    expect(plan).toMatchObject({ willDo: 1, skipped: 0, groups: [{ count: 1 }] });
    expect(plan.items[0]).toMatchObject({ requestId: target.id, orderId: target.orderId, status: 'will_do' });
  });
});

describe('decisions.decideRecommended', () => {
  it('decides exactly the planned actions in ONE batch, audited as recommended; one undo takes them all back', async () => {
    const plan = await backend.handle('decisions.planRecommended', { requestIds: await someIds(150) });
    const planned = willDo(plan);
    const result = await backend.handle('decisions.decideRecommended', { items: planned });
    expect(result.done).toBe(planned.length);
    expect(result.items.map((item) => [item.requestId, item.status])).toEqual(planned.map((item) => [item.requestId, 'done']));
    const batchId = result.batchId ?? '';
    const batch = await backend.db.batches.get(batchId);
    expect(batch?.requestIds).toEqual(planned.map((item) => item.requestId));

    const outbox = await backend.db.outbox.where('batchId').equals(batchId).toArray();
    expect(outbox.map((entry) => [entry.requestId, entry.endpoint]).sort()).toEqual(planned.map((item) => [item.requestId, ENDPOINTS[item.action]]).sort());
    for (const entry of outbox) expect(entry.status).toBe('held');
    const audit = await backend.db.audit.where('batchId').equals(batchId).toArray();
    expect(audit.map((entry) => [entry.requestId, entry.action]).sort()).toEqual(planned.map((item) => [item.requestId, item.action]).sort());
    for (const entry of audit) expect(entry.params).toMatchObject({ recommended: true });
    // Nothing half-filled: what the marketplace will get carries every field of its action.
    for (const entry of outbox.filter((candidate) => candidate.endpoint === 'refuse')) expect(entry.body).toMatchObject({ reason: expect.any(String) as unknown, memo: expect.stringMatching(/\S/) as unknown });
    for (const entry of outbox.filter((candidate) => candidate.endpoint === 'request-evidence')) expect(entry.body).toMatchObject({ message: expect.stringMatching(/\S/) as unknown, dueAt: expect.any(String) as unknown });

    const undone = await backend.handle('decisions.undo', { batchId });
    expect(undone.undone).toBe(planned.length);
    for (const item of planned) expect((await backend.db.requests.get(item.requestId))?.local).toBeNull();
    expect((await backend.db.outbox.where('batchId').equals(batchId).toArray()).every((entry) => entry.status === 'cancelled')).toBe(true);
    const undoAudit = (await backend.db.audit.where('batchId').equals(batchId).toArray()).filter((entry) => entry.action === 'undo');
    expect(undoAudit.map((entry) => entry.message).sort()).toEqual(planned.map((item) => `Undid "${item.action}" before it was sent.`).sort());
  });

  it('the marketplace receives exactly the planned action, once, for each request', async () => {
    const plan = await backend.handle('decisions.planRecommended', { requestIds: await someIds(80) });
    const planned = willDo(plan);
    expect(new Set(planned.map((item) => item.action)).size).toBeGreaterThan(1);
    await backend.handle('decisions.decideRecommended', { items: planned });
    await desk.deliver();
    for (const item of planned) expect([item.requestId, desk.sellerLedger(item.requestId).map((entry) => entry.action)]).toEqual([item.requestId, [LEDGER_ACTIONS[item.action]]]);
  });

  it('a request whose recommendation is not what the plan showed is skipped with why, never decided otherwise', async () => {
    const plan = await backend.handle('decisions.planRecommended', { requestIds: await someIds(60) });
    const [first, second] = willDo(plan);
    if (first === undefined || second === undefined) throw new Error('the demo data has too little to recommend');
    const other: SellerActionType = first.action === 'escalate' ? 'accept' : 'escalate';
    const result = await backend.handle('decisions.decideRecommended', { items: [{ requestId: first.requestId, action: other }, second] });
    expect(result.items).toEqual([
      {
        requestId: first.requestId,
        status: 'skipped',
        code: 'recommendation_changed',
        message: expect.stringMatching(/^The recommendation changed since the plan: it is now to .+\. Look at this request again\.$/) as unknown,
      },
      expect.objectContaining({ requestId: second.requestId, status: 'done' }),
    ]);
    expect((await backend.db.requests.get(first.requestId))?.local).toBeNull();
    await expect(backend.handle('decisions.decideRecommended', { items: [{ requestId: first.requestId, action: other }] })).rejects.toMatchObject({
      code: 'recommendation_changed',
    });
  });
});
