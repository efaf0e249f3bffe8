import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CancelRequest } from '../../../../shared/domain/request';
import {
  DEFAULT_POLICY,
  RULES_VERSION,
  SELLER_ACTION_TYPES,
  allowedActions,
  allowedActionsWithoutOrder,
  planWithoutOrder,
  recommendWithoutOrder,
  rulesPhaseOf,
  type ActionOption,
  type BulkAction,
  type SellerActionType,
} from '../../../../shared/rules';
import { nowArb, pairArb, policyArb } from '../arbitraries';
import { DAY, HOUR, NOW, at, makeEvidence, makeOrder, makeRequest } from '../factories';

const dispute = (overrides: Partial<CancelRequest> = {}): CancelRequest => makeRequest(overrides, makeOrder({ status: 'delivered' }));
const cancel = (overrides: Partial<CancelRequest> = {}): CancelRequest => makeRequest(overrides, makeOrder({ status: 'awaiting_shipment' }));

function byAction(options: readonly ActionOption[]): Record<SellerActionType, ActionOption> {
  return Object.fromEntries(options.map((option) => [option.action, option])) as Record<SellerActionType, ActionOption>;
}

const SET_ASIDE = { reason: 'buyer.name: Too big: expected string to have <=200 characters', cachedVersion: null };

/** A bulk action of each type with what it needs filled in. */
const ACTIONS: Record<SellerActionType, BulkAction> = {
  accept: { type: 'accept' },
  refuse: { type: 'refuse', reason: 'other', note: 'The buyer agreed by phone.' },
  request_proof: { type: 'request_proof' },
  offer: { type: 'offer', percent: 50 },
  escalate: { type: 'escalate' },
};

describe('the rules without the order (set aside at sync)', () => {
  it('block accepting and offers, which need the order amounts, with a sentence that says so', () => {
    const options = byAction(allowedActionsWithoutOrder(dispute(), DEFAULT_POLICY, NOW));
    expect(options.accept).toEqual({
      action: 'accept',
      refund: null,
      allowed: false,
      code: 'order_set_aside',
      message:
        "Cannot accept: the refund is worked out from the order's amounts (what was paid, what was already refunded, shipping), and order order-1 was set aside because the marketplace sent it malformed; this becomes possible once a valid copy of the order arrives.",
    });
    expect(options.offer).toMatchObject({ allowed: false, code: 'order_set_aside', range: null });
    expect(options.offer.message).toMatch(/^Cannot make an offer: the most an offer may be depends on the order's amounts/);
  });

  it('allow on a dispute what the request alone decides: proof, mediation, a refusal whose tracking the seller types', () => {
    const options = byAction(allowedActionsWithoutOrder(dispute(), DEFAULT_POLICY, NOW));
    expect(options.request_proof).toMatchObject({ allowed: true, dueDays: DEFAULT_POLICY.proofDueDays, defaultMessage: DEFAULT_POLICY.proofRequestTemplate });
    expect(options.escalate).toMatchObject({ allowed: true, message: 'Ask the marketplace to mediate; it then decides.' });
    const refuse = options.refuse;
    if (refuse.action !== 'refuse') throw new Error('not the refuse option');
    expect(refuse.allowed).toBe(true);
    expect(refuse.reasons.map((reason) => [reason.reason, reason.allowed])).toEqual([
      ['already_shipped', true],
      ['buyer_agreed_to_keep', true],
      ['no_evidence_provided', false],
      ['evidence_contradicts_claim', true],
      ['other', true],
    ]);
    for (const reason of refuse.reasons) expect(reason.prefill).toMatchObject({ carrier: null, trackingNumber: null });
  });

  it('allow on a cancel only a refusal with proof of shipment', () => {
    const options = byAction(allowedActionsWithoutOrder(cancel(), DEFAULT_POLICY, NOW));
    expect(options.accept.code).toBe('order_set_aside');
    for (const type of ['offer', 'request_proof', 'escalate'] as const) expect(options[type]).toMatchObject({ allowed: false, code: 'not_a_dispute' });
    const refuse = options.refuse;
    if (refuse.action !== 'refuse') throw new Error('not the refuse option');
    expect(refuse.reasons.filter((reason) => reason.allowed).map((reason) => reason.reason)).toEqual(['already_shipped']);
    expect(refuse.message).toContain('the carrier and tracking number, which you enter');
  });

  it('check the state and the deadline first, as with the order', () => {
    const late = byAction(allowedActionsWithoutOrder(dispute({ respondBy: at(-HOUR) }), DEFAULT_POLICY, NOW));
    for (const type of SELLER_ACTION_TYPES) expect(late[type]).toMatchObject({ allowed: false, code: 'deadline_passed' });
    const waiting = byAction(allowedActionsWithoutOrder(dispute({ state: 'offer_made' }), DEFAULT_POLICY, NOW));
    for (const type of SELLER_ACTION_TYPES) expect(waiting[type]).toMatchObject({ allowed: false, code: 'wrong_state' });
  });

  it('agree with the rules that hold the order on every action that needs no amounts (property)', () => {
    fc.assert(
      fc.property(pairArb, policyArb, nowArb, ({ order, request }, policy, now) => {
        const phase = rulesPhaseOf(order);
        // The kind stands for the phase: a dispute after shipment, a cancel after payment, before shipment.
        fc.pre((phase === 'after_shipment' && request.kind === 'dispute') || (phase === 'before_shipment' && request.kind === 'cancel'));
        const withOrder = byAction(allowedActions(order, request, policy, now));
        const without = byAction(allowedActionsWithoutOrder(request, policy, now));
        expect(without.accept.allowed).toBe(false);
        expect(without.offer.allowed).toBe(false);
        for (const type of ['refuse', 'request_proof', 'escalate'] as const) {
          expect({ type, allowed: without[type].allowed }).toEqual({ type, allowed: withOrder[type].allowed });
        }
        const [refuseWith, refuseWithout] = [withOrder.refuse, without.refuse];
        if (refuseWith.action === 'refuse' && refuseWithout.action === 'refuse' && refuseWith.allowed) {
          expect(refuseWithout.reasons.map((reason) => reason.allowed)).toEqual(refuseWith.reasons.map((reason) => reason.allowed));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('plan a decision exactly when its option is allowed, with no amount (property)', () => {
    fc.assert(
      fc.property(pairArb, policyArb, nowArb, fc.constantFrom(...SELLER_ACTION_TYPES), ({ request }, policy, now, type) => {
        const option = byAction(allowedActionsWithoutOrder(request, policy, now))[type];
        const planned = planWithoutOrder(request, ACTIONS[type], policy, now);
        const reasonOk = type !== 'refuse' || (option.action === 'refuse' && option.reasons.find((reason) => reason.reason === 'other')?.allowed === true);
        expect(planned.ok).toBe(option.allowed && reasonOk);
        if (planned.ok) {
          expect(planned.value).toMatchObject({ from: request.state, refund: null, quote: null, offer: null, rulesVersion: RULES_VERSION });
        } else if (!option.allowed) {
          expect(planned.error).toEqual({ code: option.code, message: option.message });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('plan a refusal with the tracking the seller typed, and refuse one without it', () => {
    const request = cancel();
    expect(planWithoutOrder(request, { type: 'refuse', reason: 'already_shipped' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'missing_field', field: 'carrier' } });
    const planned = planWithoutOrder(request, { type: 'refuse', reason: 'already_shipped', carrier: ' DHL ', trackingNumber: 'JD1' }, DEFAULT_POLICY, NOW);
    expect(planned).toMatchObject({
      ok: true,
      value: { action: { type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'JD1' }, to: 'refused', summary: 'Refuse: Already shipped (DHL JD1).' },
    });
    expect(planWithoutOrder(request, { type: 'refuse', reason: 'other', note: 'x' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'not_shipped' } });
  });

  it('recommend nothing, first saying which order was set aside and why, then how urgent the reply is', () => {
    const calm = recommendWithoutOrder(dispute(), DEFAULT_POLICY, NOW, SET_ASIDE);
    expect(calm).toMatchObject({ action: null, urgency: 'normal', rulesVersion: RULES_VERSION });
    expect(calm.reasons.map((reason) => reason.code)).toEqual(['order_set_aside']);
    expect(calm.reasons[0]?.message).toBe(
      'Order order-1 was set aside at sync because the marketplace sent it malformed (buyer.name: Too big: expected string to have <=200 characters). ' +
        'Without it nothing is suggested: accepting and offers need its amounts and wait for a valid copy; the other actions below are checked from the request alone.',
    );
    const close = recommendWithoutOrder(dispute({ respondBy: at(2 * HOUR) }), DEFAULT_POLICY, NOW, { ...SET_ASIDE, cachedVersion: 4 });
    expect(close.urgency).toBe('act_now');
    expect(close.signals).toContain('deadline_close');
    expect(close.reasons.map((reason) => reason.code)).toEqual(['order_set_aside', 'deadline_close']);
    expect(close.reasons[0]?.message).toContain('The order shown is an older copy (version 4) and may be out of date.');
    expect(recommendWithoutOrder(dispute({ respondBy: at(-HOUR) }), DEFAULT_POLICY, NOW, SET_ASIDE).urgency).toBe('overdue');
    const waiting = recommendWithoutOrder(dispute({ state: 'proof_requested', proofRequest: { message: 'Photos', dueAt: at(DAY) } }), DEFAULT_POLICY, NOW, SET_ASIDE);
    expect(waiting).toMatchObject({ urgency: 'none', reasons: [{ code: 'order_set_aside' }, { code: 'waiting_for_buyer' }] });
    // What the request alone shows: a proof-worthy claim without evidence.
    expect(recommendWithoutOrder(dispute(), DEFAULT_POLICY, NOW, SET_ASIDE).signals).toContain('needs_proof');
    expect(recommendWithoutOrder(dispute({ evidence: makeEvidence(1) }), DEFAULT_POLICY, NOW, SET_ASIDE).signals).not.toContain('needs_proof');
  });
});
