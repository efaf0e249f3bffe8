import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain/order';
import { BUYER_REASONS, REQUEST_STATES, type BuyerReason, type CancelRequest, type RequestState } from '../../../../shared/domain/request';
import { money } from '../../../../shared/money';
import {
  BUYER_REASON_CATALOGUE,
  DEFAULT_POLICY,
  RULES_VERSION,
  SELLER_ACTION_TYPES,
  allowedActions,
  parsePolicy,
  planAction,
  type ActionOption,
  type RulesPhase,
  type SellerAction,
  type SellerActionType,
} from '../../../../shared/rules';
import { pairArb, policyArb, nowArb } from '../arbitraries';
import { DAY, HOUR, NOW, at, makeEvidence, makeOrder, makeRequest, usd } from '../factories';

const STATUS_OF_PHASE = {
  before_payment: 'awaiting_payment',
  before_shipment: 'awaiting_shipment',
  after_shipment: 'delivered',
  closed: 'cancelled',
} as const satisfies Record<RulesPhase, string>;

/** The spec, written independently of the implementation: which states each seller action leaves. */
const SELLER_FROM: Record<SellerActionType, readonly RequestState[]> = {
  accept: ['requested', 'proof_requested', 'proof_submitted', 'refused_by_buyer'],
  refuse: ['requested', 'proof_requested', 'proof_submitted'],
  request_proof: ['requested'],
  offer: ['requested', 'proof_submitted', 'refused_by_buyer'],
  escalate: ['requested', 'proof_submitted', 'refused_by_buyer'],
};

/** design.md §2-3 and issue 3 as a table: the actions a seller may take. */
function expectedAllowed(reason: BuyerReason, phase: RulesPhase, state: RequestState, afterDeadline: boolean): SellerActionType[] {
  if (phase === 'closed' || afterDeadline) return [];
  const inState = (type: SellerActionType) => SELLER_FROM[type].includes(state);
  switch (phase) {
    case 'before_payment':
      // Accepting cancels the order with nothing to refund; nothing else applies.
      return inState('accept') ? ['accept'] : [];
    case 'before_shipment':
      // Refunded in full; refused only with proof of shipment (never while proof is awaited).
      return SELLER_ACTION_TYPES.filter((type) => (type === 'accept' && inState(type)) || (type === 'refuse' && inState(type) && state !== 'proof_requested'));
    case 'after_shipment':
      return SELLER_ACTION_TYPES.filter((type) => inState(type) && (type !== 'request_proof' || BUYER_REASON_CATALOGUE[reason].proofUseful));
  }
}

/** Proof is not required by this policy and shipping is always refunded, to isolate the table. */
const TABLE_POLICY = parsePolicy({ proofRequired: { reasons: [] }, shippingAfterShipment: 'refund' });

function fixture(reason: BuyerReason, phase: RulesPhase, state: RequestState): { order: Order; request: CancelRequest } {
  const order = makeOrder({ status: STATUS_OF_PHASE[phase] });
  const request = makeRequest(
    {
      kind: phase === 'after_shipment' || phase === 'closed' ? 'dispute' : 'cancel',
      reason,
      state,
      // Proof was asked for and is overdue, with nothing sent.
      proofRequest: state === 'proof_requested' ? { message: 'Photos please', dueAt: at(-HOUR) } : null,
      offer: state === 'offer_made' ? usd(1000) : null,
    },
    order,
  );
  return { order, request };
}

const PHASES_UNDER_TEST: readonly RulesPhase[] = ['before_payment', 'before_shipment', 'after_shipment', 'closed'];
const rows = BUYER_REASONS.flatMap((reason) =>
  PHASES_UNDER_TEST.flatMap((phase) =>
    REQUEST_STATES.flatMap((state) => [false, true].map((afterDeadline) => [reason, phase, state, afterDeadline] as const)),
  ),
);

describe('allowed actions: every buyer reason × phase × state × before/after the deadline', () => {
  it.each(rows)('%s, %s, %s, after deadline: %s', (reason, phase, state, afterDeadline) => {
    const { order, request } = fixture(reason, phase, state);
    const now = afterDeadline ? NOW + 6 * DAY : NOW;
    const options = allowedActions(order, request, TABLE_POLICY, now);
    expect(options.map((option) => option.action)).toEqual([...SELLER_ACTION_TYPES]);
    expect(options.filter((option) => option.allowed).map((option) => option.action)).toEqual(expectedAllowed(reason, phase, state, afterDeadline));
    for (const option of options) {
      expect(option.message).toMatch(/^[A-Z].*\.$/);
      if (!option.allowed) {
        expect(option.message).toMatch(/^Cannot /);
        // A blocked action is also refused by planAction, with the same code and sentence.
        const concrete = concreteAction(option.action, order);
        const planned = planAction(order, request, concrete, TABLE_POLICY, now);
        expect(planned).toMatchObject({ ok: false, error: { code: option.code, message: option.message } });
      }
    }
  });
});

function concreteAction(type: SellerActionType, order: Order): SellerAction {
  switch (type) {
    case 'accept':
      return { type };
    case 'refuse':
      return { type, reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'JD1' };
    case 'request_proof':
      return { type };
    case 'offer':
      return { type, amount: money(1, order.currency) };
    case 'escalate':
      return { type };
  }
}

function option<T extends SellerActionType>(options: ActionOption[], type: T): Extract<ActionOption, { action: T }> {
  const found = options.find((candidate): candidate is Extract<ActionOption, { action: T }> => candidate.action === type);
  if (found === undefined) throw new Error(`no ${type} option`);
  return found;
}

describe('before payment', () => {
  const order = makeOrder({ status: 'awaiting_payment' });
  const request = makeRequest({}, order);
  it('accepting cancels with a zero refund; refusing makes no sense', () => {
    const options = allowedActions(order, request, DEFAULT_POLICY, NOW);
    expect(option(options, 'accept')).toMatchObject({ allowed: true, message: 'Accept: the order is cancelled; the buyer has not paid, so nothing is refunded.' });
    expect(option(options, 'refuse')).toMatchObject({ allowed: false, code: 'not_paid', message: 'Cannot refuse: the buyer has not paid yet; accept to cancel the order.' });
    expect(option(options, 'offer')).toMatchObject({ allowed: false, code: 'not_paid' });
    expect(planAction(order, request, { type: 'accept' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: true, value: { refund: usd(0), to: 'accepted', rulesVersion: RULES_VERSION } });
  });
});

describe('after payment, before shipment', () => {
  const order = makeOrder();
  const request = makeRequest({}, order);

  it('accepts with a full refund, shipping included', () => {
    const plan = planAction(order, request, { type: 'accept' }, DEFAULT_POLICY, NOW);
    expect(plan).toMatchObject({ ok: true, value: { refund: usd(6000), from: 'requested', to: 'accepted', summary: 'Accept and refund $60.00 in full, shipping included; the order is cancelled.' } });
  });

  it('refuses only with proof of shipment', () => {
    expect(planAction(order, request, { type: 'refuse', reason: 'other', note: 'No.' }, DEFAULT_POLICY, NOW)).toEqual({
      ok: false,
      error: {
        code: 'not_shipped',
        message: 'Cannot refuse: the order has not shipped, and a pre-shipment cancel can only be refused with proof that it has.',
        field: 'reason',
      },
    });
    expect(planAction(order, request, { type: 'refuse', reason: 'already_shipped' }, DEFAULT_POLICY, NOW)).toMatchObject({
      ok: false,
      error: { code: 'missing_field', field: 'carrier', message: 'Cannot refuse: "Already shipped" needs the carrier.' },
    });
    const refused = planAction(order, request, { type: 'refuse', reason: 'already_shipped', carrier: ' UPS ', trackingNumber: '1Z999' }, DEFAULT_POLICY, NOW);
    expect(refused).toMatchObject({ ok: true, value: { to: 'refused', action: { type: 'refuse', reason: 'already_shipped', carrier: 'UPS', trackingNumber: '1Z999' }, summary: 'Refuse: Already shipped (UPS 1Z999).' } });
  });

  it('fills the carrier and tracking number from the order when it has them', () => {
    const tracked = makeOrder({ tracking: { carrier: 'DHL', number: 'JD1' } });
    const refuse = option(allowedActions(tracked, makeRequest({}, tracked), DEFAULT_POLICY, NOW), 'refuse');
    expect(refuse.reasons[0]).toMatchObject({ reason: 'already_shipped', allowed: true, prefill: { carrier: 'DHL', trackingNumber: 'JD1' } });
    expect(refuse.reasons[0]?.message).toMatch(/The order's tracking \(DHL JD1\) is filled in\.$/);
    expect(planAction(tracked, makeRequest({}, tracked), { type: 'refuse', reason: 'already_shipped' }, DEFAULT_POLICY, NOW)).toMatchObject({
      ok: true,
      value: { action: { carrier: 'DHL', trackingNumber: 'JD1' } },
    });
  });

  it('isolates a carrier or tracking number that could reorder the sentence it is quoted in', () => {
    const tracked = makeOrder({ tracking: { carrier: 'DHL', number: 'JD1\u202E' } });
    const refuse = option(allowedActions(tracked, makeRequest({}, tracked), DEFAULT_POLICY, NOW), 'refuse');
    expect(refuse.reasons[0]?.message).toMatch(/The order's tracking \(\u2068DHL JD1\u202E\u2069\) is filled in\.$/u);
    const refused = planAction(tracked, makeRequest({}, tracked), { type: 'refuse', reason: 'already_shipped' }, DEFAULT_POLICY, NOW);
    expect(refused).toMatchObject({ ok: true, value: { summary: 'Refuse: Already shipped (\u2068DHL JD1\u202E\u2069).' } });
  });

  it('still accepts a cancel when everything was already refunded', () => {
    const refunded = makeOrder({ refunded: usd(6000) });
    expect(option(allowedActions(refunded, makeRequest({}, refunded), DEFAULT_POLICY, NOW), 'accept')).toMatchObject({
      allowed: true,
      message: 'Accept: the order is cancelled; everything paid was already refunded.',
      refund: { total: usd(0) },
    });
  });

  it('has no proof, offer or mediation', () => {
    const options = allowedActions(order, request, DEFAULT_POLICY, NOW);
    expect(option(options, 'request_proof').message).toBe('Cannot ask for proof: the order has not shipped, so there is nothing for the buyer to photograph.');
    expect(option(options, 'offer').message).toBe('Cannot make an offer: before shipment a cancel is refunded in full; partial offers are for disputes after shipment.');
    expect(option(options, 'escalate').code).toBe('not_a_dispute');
  });
});

describe('after shipment', () => {
  const order = makeOrder({ status: 'delivered' });

  it('blocks accepting a costly damage claim without photos, as the policy asks', () => {
    const request = makeRequest({ reason: 'damaged' }, order);
    const accept = option(allowedActions(order, request, DEFAULT_POLICY, NOW), 'accept');
    expect(accept).toMatchObject({
      allowed: false,
      code: 'proof_required',
      message: 'Cannot accept: your policy asks for photos or video before refunding "Arrived damaged" claims of $50.00 or more; ask the buyer for proof first.',
    });
    expect(option(allowedActions(order, { ...request, evidence: makeEvidence(1) }, DEFAULT_POLICY, NOW), 'accept').allowed).toBe(true);
    expect(option(allowedActions(order, { ...request, requestedAmount: usd(4999) }, DEFAULT_POLICY, NOW), 'accept').allowed).toBe(true);
    const anyAmount = parsePolicy({ proofRequired: { minAmount: {} } });
    expect(option(allowedActions(order, { ...request, requestedAmount: usd(1) }, anyAmount, NOW), 'accept').message).toBe(
      'Cannot accept: your policy asks for photos or video before refunding "Arrived damaged" claims; ask the buyer for proof first.',
    );
  });

  it('asks for proof with the policy defaults, or a given due date in the future', () => {
    const request = makeRequest({ reason: 'damaged' }, order);
    const proof = option(allowedActions(order, request, DEFAULT_POLICY, NOW), 'request_proof');
    // NOW is 2026-11-26 09:30 UTC: due at the end of 29 November in the rules' zone (UTC), and the
    // sentence names no instant (the screen shows it in the seller's zone beside it).
    expect(proof).toMatchObject({
      allowed: true,
      defaultDueAt: '2026-11-29T23:59:59.999Z',
      dueDays: 3,
      defaultMessage: DEFAULT_POLICY.proofRequestTemplate,
      message: 'Ask the buyer for photos or video; by default it is due at the end of the day 3 days from today.',
    });
    expect(planAction(order, request, { type: 'request_proof', message: '  ' }, DEFAULT_POLICY, NOW)).toMatchObject({
      ok: true,
      value: { to: 'proof_requested', action: { dueAt: '2026-11-29T23:59:59.999Z', message: DEFAULT_POLICY.proofRequestTemplate }, summary: 'Ask the buyer for photos or video by 2026-11-29 23:59 UTC.' },
    });
    expect(planAction(order, request, { type: 'request_proof', dueAt: at(-1) }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'invalid_due_date' } });
    expect(option(allowedActions(order, makeRequest({ reason: 'not_received' }, order), DEFAULT_POLICY, NOW), 'request_proof')).toMatchObject({
      allowed: false,
      code: 'proof_not_useful',
      message: 'Cannot ask for proof: photos or video cannot show "Item not received".',
    });
  });

  it('offers between one minor unit and just below what the buyer asks', () => {
    const request = makeRequest({ reason: 'damaged', evidence: makeEvidence(1), requestedAmount: usd(3000) }, order);
    const offer = option(allowedActions(order, request, DEFAULT_POLICY, NOW), 'offer');
    expect(offer).toMatchObject({ allowed: true, range: { min: usd(1), max: usd(2999) }, message: 'Offer a partial refund between $0.01 and $29.99.' });
    const plan = (amount: number) => planAction(order, request, { type: 'offer', amount: usd(amount) }, DEFAULT_POLICY, NOW);
    expect(plan(2000)).toMatchObject({ ok: true, value: { offer: usd(2000), to: 'offer_made', refund: null, summary: 'Offer a partial refund of $20.00.' } });
    expect(plan(3000)).toMatchObject({ ok: false, error: { code: 'amount_not_below_request', message: 'Cannot make an offer: $30.00 is not below the $30.00 the buyer asks for; accept instead.' } });
    expect(plan(6001)).toMatchObject({ ok: false, error: { code: 'amount_above_cap' } });
    expect(plan(0)).toMatchObject({ ok: false, error: { code: 'amount_not_positive' } });
    expect(planAction(order, request, { type: 'offer', amount: money(100, 'EUR') }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'currency_mismatch' } });
    const limited = makeRequest({ reason: 'damaged', evidence: makeEvidence(1), refundMax: usd(2500), requestedAmount: usd(6000) }, order);
    expect(planAction(order, limited, { type: 'offer', amount: usd(2600) }, DEFAULT_POLICY, NOW)).toMatchObject({
      ok: false,
      error: { code: 'amount_above_cap', message: 'Cannot make an offer: $26.00 is too much: the marketplace allows at most $25.00 for this request.' },
    });
  });

  it('offers up to the cap when the cap keeps an accept below what the buyer asks (the demo marketplace takes it too)', () => {
    // The buyer asks $50.00, the marketplace caps the refund at $30.00: an offer of $30.00 is below the ask.
    const capped = makeRequest({ reason: 'damaged', evidence: makeEvidence(1), requestedAmount: usd(5000), refundMax: usd(3000) }, order);
    expect(option(allowedActions(order, capped, DEFAULT_POLICY, NOW), 'offer')).toMatchObject({ allowed: true, range: { min: usd(1), max: usd(3000) } });
    expect(planAction(order, capped, { type: 'offer', amount: usd(3000) }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: true, value: { offer: usd(3000), to: 'offer_made' } });
    expect(planAction(order, capped, { type: 'offer', amount: usd(3001) }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'amount_above_cap' } });
    // Not capped: the sentence names what the buyer asks, not what an accept would refund.
    const asks = makeRequest({ reason: 'damaged', evidence: makeEvidence(1), requestedAmount: usd(2000), refundMax: usd(3000) }, order);
    expect(planAction(order, asks, { type: 'offer', amount: usd(2500) }, DEFAULT_POLICY, NOW)).toMatchObject({
      ok: false,
      error: { code: 'amount_not_below_request', message: 'Cannot make an offer: $25.00 is not below the $20.00 the buyer asks for; accept instead.' },
    });
  });

  it('has nothing to offer when the buyer asks for one cent', () => {
    const request = makeRequest({ reason: 'damaged', requestedAmount: usd(1) }, order);
    expect(option(allowedActions(order, request, DEFAULT_POLICY, NOW), 'offer')).toMatchObject({
      allowed: false,
      code: 'amount_not_below_request',
      message: 'Cannot make an offer: the buyer asks for only $0.01; accept instead.',
    });
  });

  it('offers everything but shipping when the policy does not refund it', () => {
    const request = makeRequest({ reason: 'changed_mind' }, order);
    const options = allowedActions(order, request, DEFAULT_POLICY, NOW);
    expect(option(options, 'accept')).toMatchObject({ allowed: false, code: 'shipping_not_refundable' });
    expect(option(options, 'offer')).toMatchObject({ allowed: true, range: { max: usd(5500) } });
    expect(planAction(order, request, { type: 'offer', amount: usd(5501) }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'shipping_not_refundable' } });
    expect(planAction(order, request, { type: 'offer', amount: usd(5500) }, DEFAULT_POLICY, NOW).ok).toBe(true);
  });

  it('has nothing to refund once everything was refunded', () => {
    const refunded = makeOrder({ status: 'delivered', refunded: usd(6000) });
    const options = allowedActions(refunded, makeRequest({ reason: 'changed_mind' }, refunded), DEFAULT_POLICY, NOW);
    expect(option(options, 'accept')).toMatchObject({ allowed: false, code: 'nothing_to_refund', message: 'Cannot accept: everything paid ($60.00) has already been refunded.' });
    expect(option(options, 'offer')).toMatchObject({ allowed: false, code: 'nothing_to_refund' });
  });

  it('refuses with a reason and its note, and escalates with an optional note', () => {
    const request = makeRequest({ reason: 'not_as_described' }, order);
    expect(planAction(order, request, { type: 'refuse', reason: 'evidence_contradicts_claim', note: ' The photo shows another item. ' }, DEFAULT_POLICY, NOW)).toMatchObject({
      ok: true,
      value: { action: { type: 'refuse', reason: 'evidence_contradicts_claim', note: 'The photo shows another item.' }, summary: 'Refuse: Evidence contradicts the claim.' },
    });
    expect(planAction(order, request, { type: 'refuse', reason: 'evidence_contradicts_claim' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'missing_field', field: 'note' } });
    expect(planAction(order, request, { type: 'refuse', reason: 'no_evidence_provided' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, error: { code: 'refusal_reason_not_allowed' } });
    expect(planAction(order, request, { type: 'escalate', note: ' see photos ' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: true, value: { action: { type: 'escalate', note: 'see photos' }, to: 'escalated' } });
    expect(planAction(order, request, { type: 'escalate', note: '' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: true, value: { action: { type: 'escalate' } } });
  });

  it('while proof is awaited, refuses only for missing evidence once overdue', () => {
    const waiting = makeRequest({ reason: 'damaged', state: 'proof_requested', proofRequest: { message: 'Photos', dueAt: at(DAY) } }, order);
    const refuse = option(allowedActions(order, waiting, DEFAULT_POLICY, NOW), 'refuse');
    expect(refuse).toMatchObject({ allowed: false, code: 'proof_not_due', message: 'Cannot refuse: the buyer has until 2026-11-27 09:30 UTC to send proof.' });
    const overdue = option(allowedActions(order, waiting, DEFAULT_POLICY, NOW + DAY), 'refuse');
    expect(overdue.allowed).toBe(true);
    expect(overdue.reasons.filter((reason) => reason.allowed).map((reason) => reason.reason)).toEqual(['no_evidence_provided']);
    expect(planAction(order, waiting, { type: 'refuse', reason: 'other', note: 'x' }, DEFAULT_POLICY, NOW + DAY)).toMatchObject({ ok: false, error: { code: 'refusal_reason_not_allowed', field: 'reason' } });
  });

  it('a cancelled order blocks everything with one sentence', () => {
    const cancelled = makeOrder({ status: 'cancelled' });
    for (const blocked of allowedActions(cancelled, makeRequest({}, cancelled), DEFAULT_POLICY, NOW)) {
      expect(blocked).toMatchObject({ allowed: false, code: 'order_cancelled' });
      expect(blocked.message).toMatch(/the order is already cancelled, so there is nothing left to decide\.$/);
    }
  });
});

describe('planAction agrees with allowedActions (property)', () => {
  const actionArb = fc.oneof(
    fc.constant<SellerAction>({ type: 'accept' }),
    fc.constantFrom<SellerAction>(
      { type: 'refuse', reason: 'already_shipped' },
      { type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'X' },
      { type: 'refuse', reason: 'no_evidence_provided' },
      { type: 'refuse', reason: 'other', note: 'Because.' },
      { type: 'refuse', reason: 'buyer_agreed_to_keep' },
    ),
    fc.constant<SellerAction>({ type: 'request_proof' }),
    fc.integer({ min: 0, max: 200_000 }).map((amount): SellerAction => ({ type: 'offer', amount: usd(amount) })),
    fc.constant<SellerAction>({ type: 'escalate' }),
  );

  it('a planned action is allowed; a blocked action is refused with the same code and sentence', () => {
    fc.assert(
      fc.property(pairArb, policyArb, nowArb, actionArb, ({ order, request }, policy, now, candidate) => {
        const action: SellerAction = candidate.type === 'offer' ? { type: 'offer', amount: money(candidate.amount.amountMinor, order.currency) } : candidate;
        const options = allowedActions(order, request, policy, now);
        const matching = options.find((entry) => entry.action === action.type);
        const planned = planAction(order, request, action, policy, now);
        if (planned.ok) {
          expect(matching?.allowed).toBe(true);
          expect(planned.value.from).toBe(request.state);
          if (planned.value.refund !== null) expect(planned.value.refund.amountMinor).toBeLessThanOrEqual(Math.min(request.refundMax.amountMinor, order.paid.amountMinor - order.refunded.amountMinor));
        } else if (matching !== undefined && !matching.allowed) {
          expect(planned.error).toMatchObject({ code: matching.code, message: matching.message });
        }
      }),
      { numRuns: 500 },
    );
  });
});
