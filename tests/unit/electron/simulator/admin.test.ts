import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain/order';
import type { CancelRequest } from '../../../../shared/domain/request';
import { createManualClock } from '../../../../electron/simulator/clock';
import { NO_FAULTS } from '../../../../electron/simulator/faults';
import { createSimulator, type Simulator } from '../../../../electron/simulator/server';
import type { LedgerEntry } from '../../../../electron/simulator/state';
import { START_MS, act, admin, call, errorOf } from './helpers';

let sim: Simulator;

beforeEach(async () => {
  sim = await createSimulator({ seed: 5, orders: 500, clock: createManualClock(START_MS), buyers: { active: false } });
});

afterEach(async () => {
  await sim.close();
});

function find(predicate: (request: CancelRequest) => boolean): CancelRequest {
  const found = sim.state.requests.list().find(predicate);
  if (found === undefined) throw new Error('The dataset has no request of the kind this test needs.');
  return found;
}

interface Outcome {
  readonly request: CancelRequest;
  readonly order: Order;
}

describe('/_sim admin endpoints', () => {
  it('need the admin token, not the marketplace token', async () => {
    for (const token of [null, sim.token]) {
      const answer = await call(sim, '/_sim/clock', { token });
      expect(answer.status).toBe(401);
      expect(errorOf(answer).code).toBe('unauthorized');
    }
    expect((await admin(sim, '/_sim/clock')).status).toBe(200);
  });

  it('advance marketplace time and apply what falls due', async () => {
    expect((await admin(sim, '/_sim/clock')).body).toEqual({ now: new Date(START_MS).toISOString() });
    const cancel = find((request) => request.kind === 'cancel' && request.state === 'requested');
    const answer = await admin(sim, '/_sim/clock/advance', { ms: 48 * 3_600_000 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ now: new Date(START_MS + 48 * 3_600_000).toISOString() });
    expect((answer.body as { applied: number }).applied).toBeGreaterThan(0);
    expect(sim.state.requests.get(cancel.id)?.state).toBe('auto_accepted');
    const bad = await admin(sim, '/_sim/clock/advance', { ms: -5 });
    expect(errorOf(bad)).toMatchObject({ code: 'bad_request', field: 'ms' });
  });

  it('list the ledger, optionally after a sequence number', async () => {
    const cancel = find((request) => request.kind === 'cancel' && request.state === 'requested');
    await act(sim, cancel.id, 'accept', { expectedVersion: cancel.version, amount: cancel.refundMax }, 'k-l1');
    await admin(sim, '/_sim/clock/advance', { ms: 3_600_000 });
    const all = (await admin(sim, '/_sim/ledger')).body as { entries: LedgerEntry[] };
    expect(all.entries.length).toBeGreaterThan(1);
    expect(all.entries[0]).toMatchObject({ seq: 1, action: 'accept', idempotencyKey: 'k-l1', refund: cancel.refundMax });
    expect(all.entries.map((entry) => entry.seq)).toEqual(all.entries.map((_, index) => index + 1));
    const after = (await admin(sim, '/_sim/ledger?after=1')).body as { entries: LedgerEntry[] };
    expect(after.entries).toEqual(all.entries.slice(1));
    expect(errorOf(await admin(sim, '/_sim/ledger?after=x')).field).toBe('after');
  });

  it('read and replace the fault configuration, validating it', async () => {
    expect((await admin(sim, '/_sim/faults')).body).toEqual(NO_FAULTS);
    const set = await admin(sim, '/_sim/faults', { errorRate: 0.25, latencyMs: 0, rate429: 0.5 });
    expect(set.body).toEqual({ ...NO_FAULTS, errorRate: 0.25, rate429: 0.5 });
    expect((await admin(sim, '/_sim/faults')).body).toEqual(set.body);
    const cleared = await admin(sim, '/_sim/faults', {});
    expect(cleared.body).toEqual(NO_FAULTS);
    for (const [body, field] of [
      [{ errorRate: 2 }, 'errorRate'],
      [{ latencyMs: -1 }, 'latencyMs'],
      [{ explode: true }, 'explode'],
    ] as const) {
      const answer = await admin(sim, '/_sim/faults', body);
      expect(answer.status).toBe(400);
      expect(errorOf(answer).field).toBe(field);
    }
  });

  it('open a request as a buyer, with a kind that follows the order', async () => {
    const shipped = sim.state.orders
      .list()
      .find(
        (order) =>
          order.status === 'delivered' &&
          order.refunded.amountMinor < order.paid.amountMinor &&
          !sim.state.requests.list().some((request) => request.orderId === order.id),
      );
    if (shipped === undefined) throw new Error('no delivered order without a request');
    const answer = await admin(sim, '/_sim/requests', { orderId: shipped.id, reason: 'damaged', buyerMessage: 'Cracked <b>screen</b>' });
    expect(answer.status).toBe(201);
    const { request } = answer.body as Outcome;
    expect(request).toMatchObject({
      kind: 'dispute',
      state: 'requested',
      reason: 'damaged',
      buyerMessage: 'Cracked <b>screen</b>',
      orderId: shipped.id,
      version: 1,
      refundMax: { amountMinor: shipped.paid.amountMinor - shipped.refunded.amountMinor, currency: shipped.currency },
    });
    expect(request.id > (sim.state.requests.list().filter((item) => item.id !== request.id).map((item) => item.id).sort().at(-1) ?? '')).toBe(true);
    expect((await call(sim, `/v1/requests/${request.id}`)).body).toEqual(request);
    expect(sim.state.ledger.at(-1)).toMatchObject({ action: 'open', actor: 'buyer', fromState: null, toState: 'requested' });

    const twice = await admin(sim, '/_sim/requests', { orderId: shipped.id });
    expect(errorOf(twice)).toMatchObject({ code: 'request_already_open', requestId: request.id });
    const wrongReason = await admin(sim, '/_sim/requests', { orderId: shipped.id.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10)), reason: 'not_a_reason' });
    expect(errorOf(wrongReason).field).toBe('reason');
    expect((await admin(sim, '/_sim/requests', { orderId: 'o-999999' })).status).toBe(404);
    const unpaid = sim.state.orders
      .list()
      .find((order) => order.status === 'awaiting_payment' && !sim.state.requests.list().some((item) => item.orderId === order.id));
    const mismatched = await admin(sim, '/_sim/requests', { orderId: unpaid?.id ?? '', reason: 'damaged' });
    expect(errorOf(mismatched)).toMatchObject({ code: 'reason_not_allowed', field: 'reason' });
    const cancel = (await admin(sim, '/_sim/requests', { orderId: unpaid?.id ?? '' })).body as Outcome;
    expect(cancel.request).toMatchObject({ kind: 'cancel', refundMax: { amountMinor: 0 } });
    const cancelled = sim.state.orders.list().find((order) => order.status === 'cancelled');
    expect(errorOf(await admin(sim, '/_sim/requests', { orderId: cancelled?.id ?? '' })).code).toBe('order_cancelled');
  });

  it('withdraw, submit proof, answer offers and escalate refusals as the buyer', async () => {
    const open = find((request) => request.state === 'requested');
    const withdrawn = (await admin(sim, `/_sim/requests/${open.id}/withdraw`, {})).body as Outcome;
    expect(withdrawn.request).toMatchObject({ state: 'withdrawn', resolution: { outcome: 'withdrawn', by: 'buyer' } });
    expect(errorOf(await admin(sim, `/_sim/requests/${open.id}/withdraw`, {})).code).toBe('wrong_state');

    const waiting = find((request) => request.state === 'proof_requested');
    const proof = (await admin(sim, `/_sim/requests/${waiting.id}/submit-proof`, { photos: 3 })).body as Outcome;
    expect(proof.request.state).toBe('proof_submitted');
    expect(proof.request.evidence).toHaveLength(waiting.evidence.length + 3);
    const newest = proof.request.evidence.at(-1);
    const image = await fetch(`${sim.url}/v1/evidence/${newest?.id ?? ''}`, { headers: { Authorization: `Bearer ${sim.token}` } });
    expect(image.status).toBe(200);
    expect(errorOf(await admin(sim, `/_sim/requests/${waiting.id}/submit-proof`, { photos: 0 })).field).toBe('photos');

    const offers = sim.state.requests.list().filter((request) => request.state === 'offer_made');
    const [taken, declined] = offers;
    if (taken === undefined || declined === undefined) throw new Error('need two offers');
    const accepted = (await admin(sim, `/_sim/requests/${taken.id}/answer-offer`, { accept: true })).body as Outcome;
    expect(accepted.request).toMatchObject({ state: 'accepted', resolution: { outcome: 'refunded', amount: taken.offer, by: 'buyer' } });
    expect(sim.state.ledger.at(-1)).toMatchObject({ action: 'accept_offer', refund: taken.offer });
    const refused = (await admin(sim, `/_sim/requests/${declined.id}/answer-offer`, { accept: false })).body as Outcome;
    expect(refused.request.state).toBe('refused_by_buyer');
    expect(errorOf(await admin(sim, `/_sim/requests/${declined.id}/answer-offer`, { accept: 'yes' })).field).toBe('accept');

    const refusal = find((request) => request.state === 'refused');
    const escalated = (await admin(sim, `/_sim/requests/${refusal.id}/escalate`, {})).body as Outcome;
    expect(escalated.request).toMatchObject({ state: 'escalated', resolution: null });
    expect((await admin(sim, '/_sim/requests/r-999999/withdraw', {})).status).toBe(404);
  });
});
