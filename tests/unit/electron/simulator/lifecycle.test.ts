import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain/order';
import { CancelRequestSchema, type CancelRequest } from '../../../../shared/domain/request';
import { OrderSchema } from '../../../../shared/domain/order';
import { instantMs } from '../../../../shared/domain/time';
import { createManualClock } from '../../../../electron/simulator/clock';
import { REFUND_SETTLE_MS } from '../../../../electron/simulator/marketplace';
import { createSimulator, type Simulator } from '../../../../electron/simulator/server';
import { START_MS, act, call } from './helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function withSim<T>(
  options: { buyers: boolean; seed?: number },
  run: (sim: Simulator, advance: (ms: number) => void) => T | Promise<T>,
): Promise<T> {
  const clock = createManualClock(START_MS);
  const sim = await createSimulator({
    seed: options.seed ?? 21,
    orders: 1_200,
    clock,
    buyers: { active: options.buyers },
  });
  try {
    return await run(sim, (ms) => clock.advance(ms));
  } finally {
    await sim.close();
  }
}

function snapshot(sim: Simulator): Map<string, CancelRequest> {
  return new Map(sim.state.requests.list().map((request) => [request.id, request]));
}

/** Every refund the ledger records for an order adds up to what the order says was refunded since. */
function expectRefundsAccountedFor(sim: Simulator, before: ReadonlyMap<string, Order>): void {
  const ledgerByOrder = new Map<string, number>();
  for (const entry of sim.state.ledger) {
    if (entry.refund !== null) ledgerByOrder.set(entry.orderId, (ledgerByOrder.get(entry.orderId) ?? 0) + entry.refund.amountMinor);
  }
  for (const order of sim.state.orders.list()) {
    const start = before.get(order.id);
    expect(order.refunded.amountMinor - (start?.refunded.amountMinor ?? 0)).toBe(ledgerByOrder.get(order.id) ?? 0);
    expect(order.refunded.amountMinor).toBeLessThanOrEqual(order.paid.amountMinor);
  }
}

describe('deadlines (buyers idle)', () => {
  it('auto-accepts a pre-shipment cancel unanswered for 48 h, refunding and cancelling the order', async () => {
    await withSim({ buyers: false }, (sim, advance) => {
      const cancel = sim.state.requests.list().find((r) => r.kind === 'cancel' && r.state === 'requested' && r.refundMax.amountMinor > 0);
      if (cancel === undefined) throw new Error('no open cancel');
      const respondBy = instantMs(cancel.respondBy);
      advance(respondBy - START_MS - 1);
      expect(sim.state.requests.get(cancel.id)?.state).toBe('requested');
      advance(1);
      const after = sim.state.requests.get(cancel.id);
      expect(after).toMatchObject({ state: 'auto_accepted', version: cancel.version + 1 });
      expect(after?.resolution).toMatchObject({ outcome: 'decided_by_platform', by: 'platform', amount: cancel.refundMax });
      expect(after?.resolution?.decidedAt).toBe(cancel.respondBy);
      expect(sim.state.orders.get(cancel.orderId)?.status).toBe('cancelled');
      expect(sim.state.ledger.find((entry) => entry.requestId === cancel.id)).toMatchObject({
        actor: 'platform',
        action: 'auto_accept',
        refund: cancel.refundMax,
      });
    });
  });

  it('decides for the buyer when a dispute passes respondBy, and settles, reviews and closes the rest', async () => {
    await withSim({ buyers: false }, (sim, advance) => {
      const orders = new Map(sim.state.orders.list().map((order) => [order.id, order]));
      const before = snapshot(sim);
      advance(10 * DAY);
      const now = START_MS + 10 * DAY;
      for (const [id, start] of before) {
        const current = sim.state.requests.get(id);
        if (current === undefined) throw new Error(`request ${id} vanished`);
        expect(CancelRequestSchema.safeParse(current).success).toBe(true);
        switch (start.state) {
          case 'requested':
            expect(current.state).toBe(start.kind === 'cancel' ? 'auto_accepted' : 'closed_by_platform');
            break;
          case 'proof_submitted':
            expect(current.state).toBe('closed_by_platform');
            // The platform decided for the buyer: a resolution with a real amount.
            expect(current.resolution).toMatchObject({ amount: { amountMinor: expect.any(Number) as number, currency: expect.any(String) as string } });
            break;
          case 'proof_requested':
            // No proof by the due date: closed for the seller.
            expect(current.state).toBe('closed_by_platform');
            expect(current.resolution?.amount).toBeNull();
            break;
          case 'accepted':
            expect(current.state).toBe('refunded');
            break;
          case 'refused_by_buyer':
          case 'escalated':
            expect(current.state).toBe('closed_by_platform');
            break;
          case 'offer_made':
          case 'refused':
          case 'refunded':
          case 'withdrawn':
          case 'auto_accepted':
          case 'closed_by_platform':
            // Offers wait for the buyer; finished cases stay finished.
            expect(current).toEqual(start);
            break;
        }
      }
      for (const request of sim.state.requests.list()) {
        if (['requested', 'proof_submitted', 'refused_by_buyer', 'escalated'].includes(request.state)) {
          expect(instantMs(request.respondBy)).toBeGreaterThan(now);
        }
      }
      for (const order of sim.state.orders.list()) expect(OrderSchema.safeParse(order).success).toBe(true);
      expectRefundsAccountedFor(sim, orders);
    });
  });

  it('settles an accepted refund 30 minutes later', async () => {
    await withSim({ buyers: false }, async (sim, advance) => {
      const cancel = sim.state.requests.list().find((r) => r.kind === 'cancel' && r.state === 'requested');
      if (cancel === undefined) throw new Error('no open cancel');
      advance(1_000);
      await act(sim, cancel.id, 'accept', { expectedVersion: cancel.version, amount: cancel.refundMax }, 'k-settle');
      advance(REFUND_SETTLE_MS - 1);
      expect(sim.state.requests.get(cancel.id)?.state).toBe('accepted');
      advance(1);
      expect(sim.state.requests.get(cancel.id)?.state).toBe('refunded');
      const entries = sim.state.ledger.filter((entry) => entry.requestId === cancel.id);
      expect(entries.map((entry) => [entry.action, entry.refund?.amountMinor ?? null])).toEqual([
        ['accept', cancel.refundMax.amountMinor],
        ['settle_refund', null],
      ]);
    });
  });

  it('ignores a deadline when the seller answered before it', async () => {
    await withSim({ buyers: false }, async (sim, advance) => {
      const dispute = sim.state.requests.list().find((r) => r.kind === 'dispute' && r.state === 'requested');
      if (dispute === undefined) throw new Error('no open dispute');
      await act(sim, dispute.id, 'refuse', { expectedVersion: dispute.version, reason: 'item_as_described', memo: '' }, 'k-early');
      advance(instantMs(dispute.respondBy) - START_MS + DAY);
      expect(sim.state.requests.get(dispute.id)?.state).toBe('refused');
    });
  });
});

describe('buyers as time passes', () => {
  it('submit proof, withdraw, answer offers and open new requests', async () => {
    await withSim({ buyers: true }, (sim, advance) => {
      const orders = new Map(sim.state.orders.list().map((order) => [order.id, order]));
      const requestsAtStart = sim.state.requests.size;
      for (let hour = 0; hour < 72; hour++) advance(HOUR);
      const actions = new Set(sim.state.ledger.map((entry) => entry.action));
      for (const action of ['open', 'withdraw', 'submit_proof', 'auto_accept', 'decide_for_buyer', 'settle_refund']) {
        expect(actions).toContain(action);
      }
      expect(actions.has('accept_offer') || actions.has('refuse_offer')).toBe(true);
      // One new request every 20 minutes (a few skipped when no order nearby qualifies).
      const opened = sim.state.ledger.filter((entry) => entry.action === 'open').length;
      expect(opened).toBeGreaterThan(150);
      expect(sim.state.requests.size).toBe(requestsAtStart + opened);
      for (const request of sim.state.requests.list()) expect(CancelRequestSchema.safeParse(request).success).toBe(true);
      const proofs = sim.state.ledger.filter((entry) => entry.action === 'submit_proof');
      for (const entry of proofs) {
        const request = sim.state.requests.get(entry.requestId);
        expect(request?.evidence.length).toBeGreaterThan(0);
      }
      expectRefundsAccountedFor(sim, orders);
      // Never two requests in play on one order.
      const inPlay = new Map<string, number>();
      for (const request of sim.state.requests.list()) {
        if (!['refunded', 'refused', 'withdrawn', 'auto_accepted', 'closed_by_platform'].includes(request.state)) {
          inPlay.set(request.orderId, (inPlay.get(request.orderId) ?? 0) + 1);
        }
      }
      expect(Math.max(...inPlay.values())).toBe(1);
    });
  });

  it('lets an incremental reader catch every change by (updatedAt, id)', async () => {
    await withSim({ buyers: true }, async (sim, advance) => {
      const mark = sim.state.requests.list().at(-1);
      const before = snapshot(sim);
      advance(2 * DAY);
      const changed = sim.state.requests.list().filter((request) => before.get(request.id) !== request);
      expect(changed.length).toBeGreaterThan(50);
      const seen = new Map<string, CancelRequest>();
      let cursor: string | null = null;
      const since = encodeURIComponent(mark?.updatedAt ?? '');
      do {
        const page: { items: CancelRequest[]; nextCursor: string | null } = (
          await call(sim, `/v1/requests?updated_since=${since}&limit=50${cursor === null ? '' : `&cursor=${cursor}`}`)
        ).body as { items: CancelRequest[]; nextCursor: string | null };
        for (const item of page.items) seen.set(item.id, item);
        cursor = page.nextCursor;
      } while (cursor !== null);
      for (const request of changed) expect(seen.get(request.id)).toEqual(request);
    });
  });

  it('replays identically for the same seed and the same steps', async () => {
    const run = (): Promise<string> =>
      withSim({ buyers: true, seed: 33 }, async (sim, advance) => {
        const target = sim.state.requests.list().find((r) => r.kind === 'dispute' && r.state === 'requested');
        if (target === undefined) throw new Error('no open dispute');
        advance(HOUR);
        await act(sim, target.id, 'escalate', { expectedVersion: target.version }, 'k-det');
        for (let step = 0; step < 12; step++) advance(6 * HOUR);
        return JSON.stringify({ ledger: sim.state.ledger, requests: sim.state.requests.list(), orders: sim.state.orders.list() });
      });
    const [first, second] = [await run(), await run()];
    expect(second).toBe(first);
  });
});
