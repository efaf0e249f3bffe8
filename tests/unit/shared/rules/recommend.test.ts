import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CancelRequest } from '../../../../shared/domain/request';
import {
  DEFAULT_POLICY,
  RULES_VERSION,
  parsePolicy,
  planAction,
  recommend,
  type HistoryEntry,
} from '../../../../shared/rules';
import { nowArb, pairArb, policyArb } from '../arbitraries';
import { DAY, HOUR, NOW, at, makeEvidence, makeOrder, makeRequest, usd } from '../factories';

function history(count: number, daysAgo = 10): HistoryEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `old-${index}`,
    orderId: `order-old-${index}`,
    kind: 'cancel',
    reason: 'changed_mind',
    requestedAt: at(-daysAgo * DAY - index * HOUR),
    state: 'accepted',
  }));
}

const noProofPolicy = parsePolicy({ proofRequired: { reasons: [] } });

describe('recommend', () => {
  it('accepts a pre-shipment cancel with no risk signal', () => {
    const order = makeOrder();
    const recommendation = recommend(order, makeRequest({}, order), [], DEFAULT_POLICY, NOW);
    expect(recommendation).toEqual({
      action: { type: 'accept' },
      reasons: [{ code: 'full_refund_due', message: 'Before shipment a cancel is refunded in full; it can only be refused with proof of shipment.' }],
      signals: [],
      urgency: 'normal',
      timeLeftMs: 46 * HOUR,
      rulesVersion: RULES_VERSION,
    });
  });

  it('accepts a cancel before payment', () => {
    const order = makeOrder({ status: 'awaiting_payment' });
    expect(recommend(order, makeRequest({}, order), [], DEFAULT_POLICY, NOW)).toMatchObject({ action: { type: 'accept' }, reasons: [{ code: 'not_paid' }] });
  });

  it('refuses a pre-shipment cancel when the order already has tracking', () => {
    const order = makeOrder({ tracking: { carrier: 'DHL', number: 'JD1' } });
    expect(recommend(order, makeRequest({}, order), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: { type: 'refuse', reason: 'already_shipped' },
      reasons: [{ code: 'tracking_on_file', message: 'The order already has tracking (DHL JD1): refuse with proof of shipment.' }],
    });
  });

  it('still accepts a repeat canceller before shipment, saying why', () => {
    const order = makeOrder();
    const recommendation = recommend(order, makeRequest({}, order), history(2), DEFAULT_POLICY, NOW);
    expect(recommendation.signals).toEqual(['repeat_canceller']);
    expect(recommendation.action).toEqual({ type: 'accept' });
    expect(recommendation.reasons[1]).toEqual({
      code: 'repeat_canceller',
      message: 'Repeat canceller: 3 requests from this buyer in the last 90 days, but that alone is no ground to refuse.',
    });
  });

  it('asks for proof of a high-value damage claim without photos', () => {
    const order = makeOrder({ status: 'delivered', lines: makeOrder().lines.map((line) => ({ ...line, qty: 5 })) });
    const request = makeRequest({ reason: 'damaged' }, order);
    const recommendation = recommend(order, request, [], noProofPolicy, NOW);
    expect(recommendation.signals).toEqual(['high_value', 'needs_proof']);
    expect(recommendation).toMatchObject({ action: { type: 'request_proof' }, reasons: [{ code: 'high_value', message: 'High value: the buyer asks for $217.50.' }] });
  });

  it('asks for proof when the policy wants it', () => {
    const order = makeOrder({ status: 'delivered' });
    expect(recommend(order, makeRequest({ reason: 'wrong_item' }, order), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: { type: 'request_proof' },
      signals: ['needs_proof', 'proof_required_by_policy'],
      reasons: [{ code: 'proof_required_by_policy' }],
    });
  });

  it('asks a repeat canceller for proof, and escalates one whose claim photos cannot show', () => {
    const order = makeOrder({ status: 'delivered' });
    expect(recommend(order, makeRequest({ reason: 'missing_parts', requestedAmount: usd(1000) }, order), history(4), noProofPolicy, NOW)).toMatchObject({
      action: { type: 'request_proof' },
      reasons: [{ code: 'repeat_canceller', message: 'Repeat canceller: 5 requests from this buyer in the last 90 days.' }],
    });
    const shipped = makeOrder({ status: 'shipped' });
    const recommendation = recommend(shipped, makeRequest({ reason: 'not_received' }, shipped), history(4), noProofPolicy, NOW);
    expect(recommendation.action).toEqual({ type: 'escalate' });
    expect(recommendation.reasons.at(-1)?.message).toBe('Photos cannot show "Item not received", so let the marketplace look at this buyer\'s claims.');
  });

  it('counts only this buyer\'s other requests inside the window', () => {
    const order = makeOrder();
    const request = makeRequest({}, order);
    const outside = [...history(2, 120), { ...history(1)[0]!, id: request.id }, { ...history(1)[0]!, id: 'future', requestedAt: at(DAY) }];
    expect(recommend(order, request, outside, DEFAULT_POLICY, NOW).signals).toEqual([]);
    expect(recommend(order, request, history(2), parsePolicy({ repeatCanceller: { minRequests: 4 } }), NOW).signals).toEqual([]);
  });

  it('refuses "not received" when the tracking shows delivery', () => {
    const order = makeOrder({ status: 'delivered' });
    expect(recommend(order, makeRequest({ reason: 'not_received' }, order), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: { type: 'refuse', reason: 'already_shipped' },
      signals: ['tracking_shows_delivered'],
      reasons: [{ code: 'tracking_shows_delivered' }],
    });
  });

  it('accepts a claim with proof in, and one with no risk', () => {
    const order = makeOrder({ status: 'delivered' });
    expect(recommend(order, makeRequest({ reason: 'damaged', state: 'proof_submitted', evidence: makeEvidence(2) }, order), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: { type: 'accept' },
      reasons: [{ code: 'evidence_in', message: 'The buyer sent 2 files as proof.' }],
    });
    expect(recommend(order, makeRequest({ reason: 'damaged', state: 'proof_submitted', evidence: makeEvidence(1) }, order), [], DEFAULT_POLICY, NOW).reasons[0]?.message).toBe('The buyer sent 1 file as proof.');
    expect(recommend(order, makeRequest({ reason: 'damaged', requestedAmount: usd(1000) }, order), [], noProofPolicy, NOW)).toMatchObject({
      action: { type: 'accept' },
      reasons: [{ code: 'no_risk', message: 'Nothing here calls for more than refunding $10.00.' }],
    });
  });

  it('offers everything but shipping when the policy keeps it', () => {
    const order = makeOrder({ status: 'delivered' });
    expect(recommend(order, makeRequest({ reason: 'changed_mind' }, order), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: { type: 'offer', amount: usd(5500) },
      reasons: [{ code: 'shipping_policy', message: 'Offer $55.00: everything but shipping, which your policy does not refund here.' }],
    });
  });

  it('escalates when the buyer refused the offer, or when nothing can be refunded', () => {
    const order = makeOrder({ status: 'delivered' });
    expect(recommend(order, makeRequest({ state: 'refused_by_buyer', offer: usd(1000) }, order), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: { type: 'escalate' },
      reasons: [{ code: 'buyer_refused_offer' }],
    });
    const refunded = makeOrder({ status: 'delivered', refunded: usd(6000) });
    expect(recommend(refunded, makeRequest({ reason: 'changed_mind' }, refunded), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: { type: 'escalate' },
      reasons: [{ code: 'nothing_to_do', message: 'Cannot accept: everything paid ($60.00) has already been refunded. Let the marketplace mediate instead.' }],
    });
  });

  it('waits for proof, and refuses once it is overdue', () => {
    const order = makeOrder({ status: 'delivered' });
    const waiting = makeRequest({ reason: 'damaged', state: 'proof_requested', proofRequest: { message: 'Photos', dueAt: at(DAY) } }, order);
    expect(recommend(order, waiting, [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: null,
      urgency: 'none',
      reasons: [{ code: 'waiting_for_buyer', message: 'Wait: proof was requested and the buyer has until 2026-11-27 09:30 UTC to send it.' }],
    });
    expect(recommend(order, waiting, [], DEFAULT_POLICY, NOW + DAY)).toMatchObject({
      action: { type: 'refuse', reason: 'no_evidence_provided' },
      reasons: [{ code: 'proof_overdue' }],
    });
  });

  it('has nothing to do when it is not the seller\'s turn or the order is cancelled', () => {
    const order = makeOrder({ status: 'delivered' });
    expect(recommend(order, makeRequest({ state: 'offer_made', offer: usd(100) }, order), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: null,
      reasons: [{ code: 'waiting_for_buyer', message: "Nothing to do: your offer of $1.00 is waiting for the buyer's answer." }],
    });
    expect(recommend(order, makeRequest({ state: 'escalated' }, order), [], DEFAULT_POLICY, NOW)).toMatchObject({ action: null, reasons: [{ code: 'nothing_to_do' }] });
    const cancelled = makeOrder({ status: 'cancelled' });
    expect(recommend(cancelled, makeRequest({}, cancelled), [], DEFAULT_POLICY, NOW)).toMatchObject({
      action: null,
      reasons: [{ code: 'nothing_to_do', message: 'Nothing to do: the order is already cancelled.' }],
    });
  });

  it('flags a close deadline only while a reply is still due: not once accepted, refused or handed to the buyer', () => {
    const order = makeOrder({ status: 'delivered' });
    const closeToDeadline = { respondBy: at(4 * HOUR) }; // inside the 24 h warning window
    const signalsOf = (overrides: Partial<CancelRequest>) => recommend(order, makeRequest({ ...closeToDeadline, ...overrides }, order), [], noProofPolicy, NOW).signals;
    expect(signalsOf({})).toContain('deadline_close');
    expect(signalsOf({ state: 'proof_submitted', evidence: makeEvidence(1) })).toContain('deadline_close');
    for (const state of ['accepted', 'refused', 'offer_made', 'escalated'] as const) {
      expect(signalsOf({ state, offer: state === 'offer_made' ? usd(100) : null }), state).not.toContain('deadline_close');
    }
    // Proof asked for: the buyer's move until it is due; once overdue the seller owes the answer again.
    const proof = { state: 'proof_requested' as const, proofRequest: { message: 'Photos, please.', dueAt: at(HOUR) } };
    expect(signalsOf(proof)).not.toContain('deadline_close');
    expect(recommend(order, makeRequest({ ...closeToDeadline, ...proof }, order), [], noProofPolicy, NOW + 2 * HOUR).signals).toContain('deadline_close');
  });

  it('says to act now inside the SLA warning window, and nothing once the deadline has passed', () => {
    const order = makeOrder();
    const request = makeRequest({ requestedAt: at(-44 * HOUR) }, order); // 4 h left
    const soon = recommend(order, request, [], DEFAULT_POLICY, NOW);
    expect(soon).toMatchObject({ action: { type: 'accept' }, urgency: 'act_now', signals: ['deadline_close'], timeLeftMs: 4 * HOUR });
    expect(soon.reasons.at(-1)).toEqual({ code: 'deadline_close', message: 'Act now: 4 h left before the marketplace decides at 2026-11-26 13:30 UTC.' });
    const late = recommend(order, request, [], DEFAULT_POLICY, NOW + 5 * HOUR);
    expect(late).toMatchObject({
      action: null,
      urgency: 'overdue',
      reasons: [{ code: 'deadline_passed', message: 'The reply deadline passed at 2026-11-26 13:30 UTC; the marketplace decides now.' }],
    });
  });

  it('words durations for people', () => {
    const order = makeOrder({ status: 'delivered' });
    const leaving = (left: number): CancelRequest => makeRequest({ reason: 'damaged', evidence: makeEvidence(1), respondBy: at(left) }, order);
    const wording = (left: number) => recommend(order, leaving(left), [], parsePolicy({ slaWarningHours: 168 }), NOW).reasons.at(-1)?.message;
    expect(wording(30_000)).toMatch(/^Act now: less than a minute left/);
    expect(wording(12 * 60_000)).toMatch(/^Act now: 12 min left/);
    expect(wording(5 * HOUR + 20 * 60_000)).toMatch(/^Act now: 5 h 20 min left/);
    expect(wording(DAY)).toMatch(/^Act now: 1 day left/);
    expect(wording(3 * DAY + 4 * HOUR)).toMatch(/^Act now: 3 days 4 h left/);
  });
});

describe('recommend (property)', () => {
  it('suggests only actions planAction accepts as they are, and is deterministic', () => {
    const historyArb = fc.array(
      fc.record({ daysAgo: fc.integer({ min: -5, max: 200 }), kind: fc.constantFrom('cancel' as const, 'dispute' as const) }).map(({ daysAgo, kind }): HistoryEntry => ({
        id: `h-${daysAgo}`,
        orderId: 'order-h',
        kind,
        reason: 'changed_mind',
        requestedAt: at(-daysAgo * DAY),
        state: 'accepted',
      })),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(pairArb, historyArb, policyArb, nowArb, ({ order, request }, past, policy, now) => {
        const recommendation = recommend(order, request, past, policy, now);
        expect(recommend(order, request, past, policy, now)).toEqual(recommendation);
        expect(recommendation.reasons.length).toBeGreaterThan(0);
        if (recommendation.action === null) {
          expect(['none', 'overdue']).toContain(recommendation.urgency);
        } else {
          expect(planAction(order, request, recommendation.action, policy, now)).toMatchObject({ ok: true });
          expect(['normal', 'act_now']).toContain(recommendation.urgency);
        }
      }),
      { numRuns: 500 },
    );
  });
});
