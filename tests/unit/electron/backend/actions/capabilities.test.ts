import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, plan, type DecisionDeps } from '../../../../../electron/backend/actions/decide';
import { requestDetail } from '../../../../../electron/backend/actions/records';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import { DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../../../shared/domain/marketplace';
import { toInstant } from '../../../../../shared/domain/time';
import { DEFAULT_POLICY } from '../../../../../shared/rules/policy';
import { startDesk, type Desk } from '../../../../support/desk';

/** AliExpress as its protocol notes describe it: nothing but accept and refuse before shipment, no escalation by the seller. */
const ALIEXPRESS_LIKE: MarketplaceCapabilities = {
  kind: 'aliexpress',
  name: 'AliExpress',
  actions: { cancel: ['accept', 'refuse'], dispute: ['accept', 'refuse', 'request_proof', 'offer'] },
  proofRequest: 'message',
  idempotencyKeys: false,
  limits: { refusalNoteMax: 512, messageMax: 1000 },
  evidence: { upload: true, contentTypes: ['image/jpeg'], maxBytes: 5 * 1024 * 1024, maxFiles: 5 },
  messages: true,
};

let desk: Desk;

beforeAll(async () => {
  desk = await startDesk({ seed: 8, orders: 600 });
});

afterAll(async () => {
  await desk.close();
});

/** Decision deps over the desk's cache, with the marketplace capabilities a test gives each store. */
function depsWith(capabilities?: (storeId: string) => MarketplaceCapabilities): DecisionDeps {
  return {
    db: desk.backend.db,
    clock: desk.clock,
    flush: () => Promise.resolve(),
    policy: () => DEFAULT_POLICY,
    onRequestsChanged: () => undefined,
    onOutboxChanged: () => undefined,
    ...(capabilities === undefined ? {} : { capabilities }),
  };
}

async function openDisputes(): Promise<CachedRequest[]> {
  return (await desk.backend.db.requests.toArray()).filter((row) => row.kind === 'dispute' && row.state === 'requested' && row.local === null);
}

describe('decisions read the store marketplace capabilities from their deps', () => {
  it('decide on one request refuses an action the marketplace lacks, with its sentence, and writes nothing', async () => {
    const [dispute] = await openDisputes();
    if (dispute === undefined) throw new Error('no open dispute in the demo data');
    const outboxBefore = await desk.backend.db.outbox.count();
    await expect(decide(depsWith(() => ALIEXPRESS_LIKE), [dispute.id], { type: 'escalate' })).rejects.toMatchObject({
      code: 'not_supported_by_marketplace',
      message: 'AliExpress has no escalation for disputes after shipment.',
    });
    expect(await desk.backend.db.outbox.count()).toBe(outboxBefore);
    expect((await desk.backend.db.requests.get(dispute.id))?.local).toBeNull();
    // The demo marketplace (the default) has escalation for disputes: the same plan goes.
    expect((await plan(depsWith(), [dispute.id], { type: 'escalate' })).willDo).toBe(1);
  });

  it('a bulk decision skips, per store, what that store marketplace lacks, with its sentence', async () => {
    // One marketplace here, so one store: half of these requests (and their orders) are moved to
    // a second store, as if synced from it.
    const aliexpressStore = 'ae-store';
    const db = desk.backend.db;
    const picked = (await openDisputes()).slice(0, 30);
    const moved = picked.filter((_row, index) => index % 2 === 0);
    await db.requests.bulkPut(moved.map((row) => ({ ...row, storeId: aliexpressStore })));
    const orders = (await db.orders.bulkGet(moved.map((row) => row.orderId))).filter((order) => order !== undefined);
    await db.orders.bulkPut(orders.map((order) => ({ ...order, storeId: aliexpressStore })));
    const disputes = (await db.requests.bulkGet(picked.map((row) => row.id))).filter((row) => row !== undefined);
    const stores = new Set(disputes.map((row) => row.storeId));
    expect(stores.size).toBe(2);
    const asked: string[] = [];
    const deps = depsWith((storeId) => {
      asked.push(storeId);
      return storeId === aliexpressStore ? ALIEXPRESS_LIKE : DEMO_CAPABILITIES;
    });
    const planned = await plan(deps, disputes.map((row) => row.id), { type: 'escalate' });
    for (const item of planned.items) {
      const row = disputes.find((candidate) => candidate.id === item.requestId);
      if (row?.storeId === aliexpressStore) {
        expect(item).toMatchObject({ status: 'skipped', code: 'not_supported_by_marketplace', message: 'AliExpress has no escalation for disputes after shipment.' });
      } else {
        expect(item.status).toBe('will_do');
      }
    }
    expect(new Set(asked)).toEqual(stores);

    const result = await decide(deps, disputes.map((row) => row.id), { type: 'escalate' });
    expect(result.items.map((item) => [item.requestId, item.status])).toEqual(planned.items.map((item) => [item.requestId, item.status === 'will_do' ? 'done' : 'skipped']));
    const skipped = result.items.filter((item) => item.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    for (const item of skipped) expect(item).toMatchObject({ code: 'not_supported_by_marketplace', message: 'AliExpress has no escalation for disputes after shipment.' });
    expect(await desk.backend.db.outbox.where('requestId').anyOf(skipped.map((item) => item.requestId)).count()).toBe(0);
  });

  it('a refusal note longer than the marketplace takes is refused with the limit', async () => {
    const cancel = await desk.find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment' && row.local === null);
    const action = { type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'JD1', note: 'n'.repeat(600) } as const;
    await expect(decide(depsWith(() => ALIEXPRESS_LIKE), [cancel.id], action)).rejects.toMatchObject({
      code: 'text_too_long',
      message: 'Cannot refuse: AliExpress takes a refusal note of at most 512 characters; this one has 600.',
    });
    expect((await plan(depsWith(), [cancel.id], action)).willDo).toBe(1);
  });

  it("the request detail's rules panel blocks what the store marketplace lacks, with its sentence", async () => {
    const [dispute] = await openDisputes();
    if (dispute === undefined) throw new Error('no open dispute in the demo data');
    const detail = await requestDetail(desk.backend.db, dispute.id, { clock: desk.clock, policy: () => DEFAULT_POLICY, capabilities: () => ALIEXPRESS_LIKE });
    if (!detail.rules.available) throw new Error(detail.rules.message);
    expect(detail.rules.actions.find((option) => option.action === 'escalate')).toMatchObject({
      allowed: false,
      code: 'not_supported_by_marketplace',
      message: 'AliExpress has no escalation for disputes after shipment.',
    });
    expect(detail.rules.recommendation.action?.type).not.toBe('escalate');
  });
});

describe('DEMO_CAPABILITIES match what the demo marketplace accepts', () => {
  it('refuses a proof request, an offer and an escalation on a cancellation, as the capabilities say', async () => {
    const cancel = await desk.find((row) => row.kind === 'cancel' && row.state === 'requested' && row.local === null);
    const bodies: Record<string, Record<string, unknown>> = {
      'request-evidence': { expectedVersion: cancel.version, message: 'Photos, please.', dueAt: toInstant(desk.clock.now() + 86_400_000) },
      offer: { expectedVersion: cancel.version, amount: { amountMinor: 1, currency: cancel.requestedAmount.currency } },
      escalate: { expectedVersion: cancel.version },
    };
    for (const [endpoint, body] of Object.entries(bodies)) {
      const response = await fetch(`${desk.simulator.url}/v1/requests/${encodeURIComponent(cancel.id)}/${endpoint}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${desk.simulator.token}`, 'content-type': 'application/json', 'idempotency-key': `caps-${endpoint}` },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { error?: { code?: string } };
      expect([endpoint, response.status, answer.error?.code]).toEqual([endpoint, 422, 'not_a_dispute']);
    }
    expect(DEMO_CAPABILITIES.actions.cancel).toEqual(['accept', 'refuse']);
    expect(desk.sellerLedger(cancel.id)).toEqual([]);
  });
});
