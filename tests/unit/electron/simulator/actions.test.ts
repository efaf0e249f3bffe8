import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain/order';
import { CancelRequestSchema, type CancelRequest } from '../../../../shared/domain/request';
import { instantMs, type Clock } from '../../../../shared/domain/time';
import { createManualClock, type ManualClock } from '../../../../electron/simulator/clock';
import { PLATFORM_REVIEW_MS, REVIEW_AFTER_PROOF_MS } from '../../../../electron/simulator/marketplace';
import { createSimulator, type Simulator } from '../../../../electron/simulator/server';
import { START_MS, act, call, errorOf, type JsonAnswer } from './helpers';

interface ActionBody {
  readonly request: CancelRequest;
  readonly order: Order;
  readonly refund: { amountMinor: number; currency: string } | null;
}

let sim: Simulator;
let clock: ManualClock;

beforeEach(async () => {
  clock = createManualClock(START_MS);
  sim = await createSimulator({ seed: 11, orders: 600, clock, buyers: { active: false } });
});

afterEach(async () => {
  await sim.close();
});

function find(predicate: (request: CancelRequest) => boolean): CancelRequest {
  const found = sim.state.requests.list().find(predicate);
  if (found === undefined) throw new Error('The dataset has no request of the kind this test needs.');
  return found;
}

function orderOf(request: CancelRequest): Order {
  const order = sim.state.orders.get(request.orderId);
  if (order === undefined) throw new Error(`Order ${request.orderId} is missing.`);
  return order;
}

const paidCancel = (request: CancelRequest): boolean =>
  request.kind === 'cancel' && request.state === 'requested' && request.refundMax.amountMinor > 0;
const openDispute = (request: CancelRequest): boolean =>
  request.kind === 'dispute' && request.state === 'requested' && request.requestedAmount.amountMinor > 10;

function bodyOf(answer: JsonAnswer): ActionBody {
  return answer.body as ActionBody;
}

describe('POST /v1/requests/:id/accept', () => {
  it('accepts, refunds into the ledger, bumps versions and moves both records up the feed', async () => {
    const request = find(paidCancel);
    const order = orderOf(request);
    const feedEnd = sim.state.requests.list().at(-1);
    const answer = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-accept-1');
    expect(answer.status).toBe(200);
    const body = bodyOf(answer);
    expect(CancelRequestSchema.safeParse(body.request).success).toBe(true);
    expect(body.request).toMatchObject({ id: request.id, state: 'accepted', version: request.version + 1 });
    expect(body.request.resolution).toMatchObject({ outcome: 'refunded', amount: request.refundMax, by: 'seller' });
    expect(body.refund).toEqual(request.refundMax);
    expect(body.order).toMatchObject({
      status: 'cancelled',
      refunded: { amountMinor: order.refunded.amountMinor + request.refundMax.amountMinor },
      version: order.version + 1,
    });
    expect(body.request.updatedAt > (feedEnd?.updatedAt ?? '')).toBe(true);
    expect(sim.state.requests.get(request.id)).toEqual(body.request);
    expect(sim.state.ledger).toEqual([
      expect.objectContaining({
        seq: 1,
        actor: 'seller',
        action: 'accept',
        requestId: request.id,
        fromState: 'requested',
        toState: 'accepted',
        refund: request.refundMax,
        idempotencyKey: 'k-accept-1',
        requestVersion: request.version + 1,
      }),
    ]);
    // An incremental reader that had reached the old end of the feed sees the change.
    const since = encodeURIComponent(feedEnd?.updatedAt ?? '');
    const page = await call(sim, `/v1/requests?updated_since=${since}`);
    expect((page.body as { items: CancelRequest[] }).items.map((item) => item.id)).toContain(request.id);
    const orders = await call(sim, `/v1/orders?updated_since=${since}`);
    expect((orders.body as { items: Order[] }).items.map((item) => item.id)).toContain(order.id);
  });

  it('replays the first answer for the same key and body, without applying twice', async () => {
    const request = find(paidCancel);
    const body = { expectedVersion: request.version, amount: request.refundMax };
    const first = await act(sim, request.id, 'accept', body, 'k-replay');
    const reordered = { amount: { currency: request.refundMax.currency, amountMinor: request.refundMax.amountMinor }, expectedVersion: request.version };
    const second = await act(sim, request.id, 'accept', reordered, 'k-replay');
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(sim.state.ledger.filter((entry) => entry.requestId === request.id)).toHaveLength(1);
  });

  it('answers 422 when a key is reused for another call', async () => {
    const request = find(paidCancel);
    await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-reuse');
    const other = await act(sim, request.id, 'accept', { expectedVersion: request.version + 1, amount: request.refundMax }, 'k-reuse');
    expect(other.status).toBe(422);
    expect(errorOf(other)).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    const elsewhere = await act(sim, 'r-000001', 'escalate', { expectedVersion: 1 }, 'k-reuse');
    expect(errorOf(elsewhere).code).toBe('idempotency_key_reused');
  });

  it('answers 409 with the current version when expectedVersion is stale', async () => {
    const request = find(paidCancel);
    await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-stale-1');
    const stale = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-stale-2');
    expect(stale.status).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'version_conflict', currentVersion: request.version + 1, currentState: 'accepted' });
    expect(sim.state.ledger).toHaveLength(1);
  });

  it('refuses amounts above the cap, of zero, or in another currency', async () => {
    const request = find(paidCancel);
    const over = { ...request.refundMax, amountMinor: request.refundMax.amountMinor + 1 };
    const above = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: over }, 'k-cap');
    expect(above.status).toBe(422);
    expect(errorOf(above).code).toBe('amount_above_cap');
    const zero = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: { ...request.refundMax, amountMinor: 0 } }, 'k-zero');
    expect(errorOf(zero).code).toBe('amount_not_positive');
    const currency = request.refundMax.currency === 'USD' ? 'EUR' : 'USD';
    const foreign = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: { amountMinor: 1, currency } }, 'k-cur');
    expect(errorOf(foreign)).toMatchObject({ code: 'currency_mismatch', field: 'amount.currency' });
    expect(sim.state.ledger).toHaveLength(0);
  });

  it('accepts an unpaid order\'s cancel with a refund of zero and cancels the order', async () => {
    const request = find((item) => item.kind === 'cancel' && item.state === 'requested' && item.refundMax.amountMinor === 0);
    const answer = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-unpaid');
    expect(answer.status).toBe(200);
    expect(bodyOf(answer).order.status).toBe('cancelled');
  });

  it('answers 422 wrong_state for a request that is over', async () => {
    const request = find((item) => item.state === 'refunded');
    const answer = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-over');
    expect(answer.status).toBe(422);
    expect(errorOf(answer)).toMatchObject({ code: 'wrong_state', currentState: 'refunded' });
  });

  it('answers 404 for an unknown request, and replays it', async () => {
    const body = { expectedVersion: 1, amount: { amountMinor: 1, currency: 'USD' } };
    const answer = await act(sim, 'r-999999', 'accept', body, 'k-404');
    expect(answer.status).toBe(404);
    expect(errorOf(answer).code).toBe('not_found');
  });
});

describe('POST /v1/requests/:id/refuse', () => {
  it('needs tracking to refuse a cancel, and ships the order with it', async () => {
    const request = find(paidCancel);
    const bare = await act(sim, request.id, 'refuse', { expectedVersion: request.version, reason: 'already_shipped', memo: '' }, 'k-r1');
    expect(bare.status).toBe(422);
    expect(errorOf(bare)).toMatchObject({ code: 'not_shipped', field: 'tracking' });
    const tracking = { carrier: 'DHL', number: 'JD0001' };
    const answer = await act(
      sim,
      request.id,
      'refuse',
      { expectedVersion: request.version, reason: 'already_shipped', memo: 'Left the warehouse this morning.', tracking },
      'k-r2',
    );
    expect(answer.status).toBe(200);
    const body = bodyOf(answer);
    expect(body.request.state).toBe('refused');
    expect(body.request.resolution).toMatchObject({ outcome: 'refused', amount: null, by: 'seller' });
    expect(body.order).toMatchObject({ status: 'shipped', tracking, refunded: orderOf(request).refunded });
    expect(sim.state.ledger.at(-1)).toMatchObject({
      action: 'refuse',
      refund: null,
      details: { reason: 'already_shipped', memo: 'Left the warehouse this morning.', tracking },
    });
  });

  it('refuses a dispute without tracking', async () => {
    const request = find(openDispute);
    const answer = await act(sim, request.id, 'refuse', { expectedVersion: request.version, reason: 'item_as_described', memo: 'See listing.' }, 'k-r3');
    expect(answer.status).toBe(200);
    expect(bodyOf(answer).request.state).toBe('refused');
  });
});

describe('POST /v1/requests/:id/request-evidence', () => {
  it('asks a dispute\'s buyer for proof and extends respondBy past the due date', async () => {
    const request = find(openDispute);
    const dueAt = new Date(START_MS + 3 * 86_400_000).toISOString();
    const answer = await act(
      sim,
      request.id,
      'request-evidence',
      { expectedVersion: request.version, message: 'Please send a photo of the label.', dueAt },
      'k-e1',
    );
    expect(answer.status).toBe(200);
    const updated = bodyOf(answer).request;
    expect(updated.state).toBe('proof_requested');
    expect(updated.proofRequest).toEqual({ message: 'Please send a photo of the label.', dueAt });
    expect(instantMs(updated.respondBy)).toBeGreaterThanOrEqual(instantMs(dueAt) + REVIEW_AFTER_PROOF_MS);
  });

  it('is only for disputes, and only with a due date in the next 14 days', async () => {
    const cancel = find(paidCancel);
    const dueAt = new Date(START_MS + 86_400_000).toISOString();
    const onCancel = await act(sim, cancel.id, 'request-evidence', { expectedVersion: cancel.version, message: 'Photo?', dueAt }, 'k-e2');
    expect(errorOf(onCancel).code).toBe('not_a_dispute');
    const dispute = find(openDispute);
    for (const [key, due] of [
      ['k-e3', new Date(START_MS - 1).toISOString()],
      ['k-e4', new Date(START_MS + 15 * 86_400_000).toISOString()],
    ] as const) {
      const answer = await act(sim, dispute.id, 'request-evidence', { expectedVersion: dispute.version, message: 'Photo?', dueAt: due }, key);
      expect(answer.status).toBe(422);
      expect(errorOf(answer)).toMatchObject({ code: 'invalid_due_date', field: 'dueAt' });
    }
  });
});

describe('POST /v1/requests/:id/offer and /escalate', () => {
  it('makes a partial offer below what the buyer asks', async () => {
    const request = find(openDispute);
    const currency = request.requestedAmount.currency;
    const tooMuch = await act(sim, request.id, 'offer', { expectedVersion: request.version, amount: request.requestedAmount }, 'k-o1');
    expect(errorOf(tooMuch).code).toMatch(/amount_not_below_request|amount_above_cap/);
    const zero = await act(sim, request.id, 'offer', { expectedVersion: request.version, amount: { amountMinor: 0, currency } }, 'k-o2');
    expect(errorOf(zero).code).toBe('amount_not_positive');
    const amount = { amountMinor: Math.floor(Math.min(request.requestedAmount.amountMinor, request.refundMax.amountMinor) / 2), currency };
    const answer = await act(sim, request.id, 'offer', { expectedVersion: request.version, amount }, 'k-o3');
    expect(answer.status).toBe(200);
    expect(bodyOf(answer).request).toMatchObject({ state: 'offer_made', offer: amount });
    expect(bodyOf(answer).refund).toBeNull();
  });

  it('escalates a dispute; the platform rules 72 h later', async () => {
    const request = find(openDispute);
    const answer = await act(sim, request.id, 'escalate', { expectedVersion: request.version }, 'k-x1');
    expect(answer.status).toBe(200);
    expect(bodyOf(answer).request.state).toBe('escalated');
    expect(instantMs(bodyOf(answer).request.respondBy)).toBe(START_MS + PLATFORM_REVIEW_MS);
    const cancel = find(paidCancel);
    const onCancel = await act(sim, cancel.id, 'escalate', { expectedVersion: cancel.version }, 'k-x2');
    expect(errorOf(onCancel).code).toBe('not_a_dispute');
  });
});

describe('action input validation', () => {
  it('needs an Idempotency-Key header', async () => {
    const request = find(paidCancel);
    for (const key of [null, '', 'has space']) {
      const answer = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, key);
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ code: 'bad_request', field: 'Idempotency-Key' });
    }
  });

  it.each([
    ['accept', { amount: { amountMinor: 1, currency: 'USD' } }, 'expectedVersion'],
    ['accept', { expectedVersion: 1, amount: { amountMinor: 1.5, currency: 'USD' } }, 'amount.amountMinor'],
    ['accept', { expectedVersion: 1, amount: { amountMinor: -1, currency: 'USD' } }, 'amount.amountMinor'],
    ['accept', { expectedVersion: 1, amount: { amountMinor: 1, currency: 'XYZ' } }, 'amount.currency'],
    ['accept', { expectedVersion: 1, amount: { amountMinor: 1, currency: 'USD' }, note: 'x' }, 'note'],
    ['refuse', { expectedVersion: 1, reason: 'Bad Reason', memo: '' }, 'reason'],
    ['refuse', { expectedVersion: 1, reason: 'other' }, 'memo'],
    ['refuse', { expectedVersion: 1, reason: 'other', memo: '', tracking: { carrier: '' } }, 'tracking.carrier'],
    ['request-evidence', { expectedVersion: 1, message: 'x', dueAt: 'tomorrow' }, 'dueAt'],
    ['offer', { expectedVersion: 0, amount: { amountMinor: 1, currency: 'USD' } }, 'expectedVersion'],
    ['escalate', { expectedVersion: '1' }, 'expectedVersion'],
    ['escalate', [], '(body)'],
  ])('answers 400 naming the field for %s %j', async (action, body, field) => {
    const answer = await act(sim, 'r-000001', action, body, `k-bad-${action}-${field}`);
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({ code: 'bad_request', field });
    expect(errorOf(answer).message).toContain(`"${field}"`);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const answer = await act(sim, 'r-000001', 'escalate', '{"expectedVersion":', 'k-json');
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('bad_request');
  });

  it('does not remember a key whose call was rejected as malformed', async () => {
    const request = find(openDispute);
    await act(sim, request.id, 'escalate', { expectedVersion: 'x' }, 'k-fix');
    const fixed = await act(sim, request.id, 'escalate', { expectedVersion: request.version }, 'k-fix');
    expect(fixed.status).toBe(200);
  });
});

describe('idempotency while a call is in flight', () => {
  it('answers 409 to the same key until the first call has answered', async () => {
    const network = createManualClock(0);
    let signalArmed: () => void = () => undefined;
    const armed = new Promise<void>((resolve) => {
      signalArmed = resolve;
    });
    const networkClock: Clock = {
      now: () => network.now(),
      setTimer: (delayMs, callback) => {
        const cancel = network.setTimer(delayMs, callback);
        signalArmed();
        return cancel;
      },
    };
    const slow = await createSimulator({
      seed: 11,
      orders: 600,
      clock: createManualClock(START_MS),
      networkClock,
      faults: { latencyMs: 250 },
      buyers: { active: false },
    });
    try {
      const request = slow.state.requests.list().find(paidCancel);
      if (request === undefined) throw new Error('no cancel to accept');
      const body = { expectedVersion: request.version, amount: request.refundMax };
      const first = act(slow, request.id, 'accept', body, 'k-flight');
      await armed;
      expect(slow.state.ledger).toHaveLength(0);
      const second = act(slow, request.id, 'accept', body, 'k-flight');
      // The second call is answered at once, while the first still waits on the network clock.
      const early = await second;
      expect(early.status).toBe(409);
      expect(errorOf(early)).toMatchObject({ code: 'idempotency_in_flight' });
      network.advance(250);
      expect((await first).status).toBe(200);
      expect(slow.state.ledger).toHaveLength(1);
      const third = await act(slow, request.id, 'accept', body, 'k-flight');
      expect(third.status).toBe(200);
      expect(third.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      await slow.close();
    }
  });
});

describe('timing', () => {
  it('stamps changes after the clock, strictly increasing', async () => {
    clock.advance(5_000);
    const cancel = find(paidCancel);
    const dispute = find(openDispute);
    const a = bodyOf(await act(sim, cancel.id, 'accept', { expectedVersion: cancel.version, amount: cancel.refundMax }, 'k-t1'));
    const b = bodyOf(await act(sim, dispute.id, 'escalate', { expectedVersion: dispute.version }, 'k-t2'));
    expect(instantMs(a.order.updatedAt)).toBe(START_MS + 5_000);
    expect(a.request.updatedAt > a.order.updatedAt).toBe(true);
    expect(b.request.updatedAt > a.request.updatedAt).toBe(true);
  });
});
