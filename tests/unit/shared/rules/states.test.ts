import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REQUEST_STATES, type CancelRequest, type RequestState } from '../../../../shared/domain/request';
import { money } from '../../../../shared/money';
import {
  REQUEST_ACTION_TYPES,
  STATE_EDGES,
  TERMINAL_STATES,
  TRANSITIONS,
  isTerminal,
  transition,
  whoseTurn,
  type RequestAction,
  type RequestActionType,
} from '../../../../shared/rules';
import { DAY, HOUR, NOW, at, makeEvidence, makeOrder, makeRequest } from '../factories';

const shippedOrder = makeOrder({ status: 'delivered' });
const dispute = (overrides: Partial<CancelRequest> = {}) => makeRequest(overrides, shippedOrder);

/** The diagram of design.md §2, plus the seller moves the rules add (documented in states.ts). */
const DIAGRAM: readonly string[] = [
  'requested->accepted',
  'accepted->refunded',
  'requested->refused',
  'refused->escalated',
  'requested->proof_requested',
  'proof_requested->proof_submitted',
  'proof_submitted->accepted',
  'proof_submitted->refused',
  'proof_submitted->offer_made',
  'offer_made->accepted',
  'offer_made->refused_by_buyer',
  'refused_by_buyer->escalated',
  'requested->auto_accepted',
  'escalated->closed_by_platform',
  ...['requested', 'proof_requested', 'proof_submitted', 'offer_made', 'refused_by_buyer', 'refused', 'escalated'].map((from) => `${from}->withdrawn`),
  // Added: accept while waiting for proof; offer or escalate a dispute directly; answer a refused offer.
  'proof_requested->accepted',
  'proof_requested->refused',
  'requested->offer_made',
  'requested->escalated',
  'proof_submitted->escalated',
  'refused_by_buyer->accepted',
  'refused_by_buyer->offer_made',
];

/** A valid example of every action. */
function exampleAction(type: RequestActionType): RequestAction {
  switch (type) {
    case 'refuse':
      return { type, reason: 'other', note: 'The item was returned in use.' };
    case 'offer':
      return { type, amount: money(1000, 'USD') };
    case 'request_proof':
      return { type, dueAt: at(3 * DAY) };
    case 'submit_proof':
      return { type, evidence: makeEvidence(1) };
    case 'accept':
    case 'escalate':
    case 'withdraw':
    case 'accept_offer':
    case 'refuse_offer':
    case 'buyer_escalate':
    case 'auto_accept':
    case 'platform_close':
    case 'refund_completed':
      return { type };
  }
}

describe('the state machine', () => {
  it('has exactly the arrows of the diagram (with the documented additions)', () => {
    expect([...STATE_EDGES].sort()).toEqual([...DIAGRAM].sort());
  });

  it('ends in refunded, withdrawn, auto_accepted and closed_by_platform only', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['auto_accepted', 'closed_by_platform', 'refunded', 'withdrawn']);
    expect(isTerminal('refused')).toBe(false);
    expect(isTerminal('refunded')).toBe(true);
  });

  it('says whose turn it is, consistently with who may act', () => {
    for (const state of REQUEST_STATES) {
      const turn = whoseTurn(state);
      if (turn === null) {
        expect(isTerminal(state)).toBe(true);
      } else {
        const actors = REQUEST_ACTION_TYPES.filter((type) => TRANSITIONS[type].from.includes(state)).map((type) => TRANSITIONS[type].actor);
        expect(actors).toContain(turn);
      }
    }
  });

  describe('every action from every state', () => {
    const rows = REQUEST_STATES.flatMap((state) => REQUEST_ACTION_TYPES.map((type) => [state, type] as const));
    it.each(rows)('from %s, %s', (state, type) => {
      const rule = TRANSITIONS[type];
      // Late enough for the platform, early enough for the seller and buyer.
      // While proof is awaited, the only refusal is for missing evidence, once it is overdue.
      const awaitingProof = state === 'proof_requested' && type === 'refuse';
      const now = type === 'auto_accept' ? NOW + 6 * DAY : awaitingProof ? NOW + 3 * DAY : NOW;
      const action: RequestAction = awaitingProof ? { type: 'refuse', reason: 'no_evidence_provided' } : exampleAction(type);
      const request = dispute({
        state,
        proofRequest: state === 'proof_requested' ? { message: 'Photos please', dueAt: at(2 * DAY) } : null,
      });
      const result = transition(request, action, now);
      if (rule.from.includes(state)) {
        expect(result).toEqual({ ok: true, value: { from: state, to: rule.to, actor: rule.actor, action } });
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('wrong_state');
          expect(result.error.message).toMatch(new RegExp(`^Cannot ${rule.verb}: .+\\.$`));
        }
      }
    });
  });
});

describe('transition preconditions', () => {
  it('blocks the seller once the reply deadline has passed', () => {
    const request = dispute({ respondBy: at(HOUR) });
    expect(transition(request, { type: 'accept' }, NOW + HOUR - 1).ok).toBe(true);
    const late = transition(request, { type: 'accept' }, NOW + HOUR);
    expect(late).toEqual({
      ok: false,
      error: { code: 'deadline_passed', message: 'Cannot accept: the reply deadline passed at 2026-11-26 10:30 UTC, so the marketplace decides now.' },
    });
    // The buyer may still withdraw.
    expect(transition(request, { type: 'withdraw' }, NOW + 2 * HOUR).ok).toBe(true);
  });

  it('auto-accepts only once the deadline has passed', () => {
    const request = makeRequest();
    expect(transition(request, { type: 'auto_accept' }, NOW)).toMatchObject({ ok: false, error: { code: 'deadline_not_reached' } });
    expect(transition(request, { type: 'auto_accept' }, NOW + 46 * HOUR)).toMatchObject({ ok: true, value: { to: 'auto_accepted', actor: 'platform' } });
  });

  it('requires what each refusal reason needs', () => {
    const request = dispute();
    expect(transition(request, { type: 'refuse', reason: 'already_shipped', carrier: 'DHL' }, NOW)).toEqual({
      ok: false,
      error: { code: 'missing_field', message: 'Cannot refuse: "Already shipped" needs the tracking number.', field: 'trackingNumber' },
    });
    expect(transition(request, { type: 'refuse', reason: 'other', note: '   ' }, NOW)).toMatchObject({ ok: false, error: { code: 'missing_field', field: 'note' } });
    expect(transition(request, { type: 'refuse', reason: 'buyer_agreed_to_keep', note: 'Agreed by chat on Monday.' }, NOW).ok).toBe(true);
  });

  it('allows "no evidence provided" only after an unanswered proof request is overdue', () => {
    const waiting = dispute({ state: 'proof_requested', proofRequest: { message: 'Photos please', dueAt: at(DAY) } });
    const refuse: RequestAction = { type: 'refuse', reason: 'no_evidence_provided' };
    expect(transition(waiting, refuse, NOW)).toMatchObject({ ok: false, error: { code: 'proof_not_due', message: 'Cannot refuse: the buyer has until 2026-11-27 09:30 UTC to send proof.' } });
    expect(transition(waiting, refuse, NOW + DAY)).toMatchObject({ ok: true, value: { to: 'refused' } });
    expect(transition({ ...waiting, evidence: makeEvidence(2) }, refuse, NOW + DAY)).toMatchObject({ ok: false, error: { code: 'evidence_provided' } });
    expect(transition(dispute(), refuse, NOW)).toMatchObject({ ok: false, error: { code: 'refusal_reason_not_allowed' } });
    expect(transition(waiting, { type: 'refuse', reason: 'other', note: 'x' }, NOW + DAY)).toMatchObject({ ok: false, error: { code: 'refusal_reason_not_allowed' } });
    expect(transition({ ...waiting, proofRequest: null }, refuse, NOW + DAY)).toMatchObject({ ok: false, error: { code: 'refusal_reason_not_allowed' } });
  });

  it('checks a proof due date and an offer amount against the request', () => {
    const request = dispute();
    expect(transition(request, { type: 'request_proof', dueAt: at(0) }, NOW)).toMatchObject({ ok: false, error: { code: 'invalid_due_date', field: 'dueAt' } });
    expect(transition(request, { type: 'request_proof' }, NOW).ok).toBe(true);
    expect(transition(request, { type: 'offer', amount: money(0, 'USD') }, NOW)).toMatchObject({ ok: false, error: { code: 'amount_not_positive' } });
    expect(transition(request, { type: 'offer', amount: money(100, 'EUR') }, NOW)).toMatchObject({ ok: false, error: { code: 'currency_mismatch' } });
    expect(transition(request, { type: 'offer', amount: money(request.refundMax.amountMinor + 1, 'USD') }, NOW)).toMatchObject({ ok: false, error: { code: 'amount_above_cap' } });
  });

  it('explains the state in the refusal sentence', () => {
    const offered = dispute({ state: 'offer_made', offer: money(2000, 'USD') });
    expect(transition(offered, { type: 'accept' }, NOW)).toMatchObject({ ok: false, error: { message: "Cannot accept: your offer of $20.00 is waiting for the buyer's answer." } });
    expect(transition(dispute({ state: 'offer_made' }), { type: 'accept' }, NOW)).toMatchObject({ ok: false, error: { message: "Cannot accept: an offer is waiting for the buyer's answer." } });
    expect(transition(dispute({ state: 'proof_requested' }), { type: 'offer', amount: money(1, 'USD') }, NOW)).toMatchObject({
      ok: false,
      error: { message: 'Cannot make an offer: proof was requested and the buyer has not sent it yet.' },
    });
  });
});

describe('sequences of actions (property)', () => {
  const anyAction = fc.constantFrom(...REQUEST_ACTION_TYPES).map(exampleAction);
  const step = fc.record({ action: anyAction, advanceMs: fc.integer({ min: 0, max: 3 * DAY }) });

  it('never reach a state outside the diagram, and a refused action never changes anything', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REQUEST_STATES), fc.array(step, { maxLength: 25 }), (start, steps) => {
        let request: CancelRequest = dispute({
          state: start,
          respondBy: at(7 * DAY),
          proofRequest: { message: 'Photos please', dueAt: at(DAY) },
        });
        let now = NOW;
        for (const { action, advanceMs } of steps) {
          now += advanceMs;
          const before = structuredClone(request);
          const frozen = Object.freeze({ ...request });
          const result = transition(frozen, action, now);
          expect(request).toEqual(before);
          if (result.ok) {
            expect(result.value.from).toBe(request.state);
            expect(STATE_EDGES.has(`${result.value.from}->${result.value.to}`)).toBe(true);
            expect(REQUEST_STATES).toContain(result.value.to);
            request = { ...request, state: result.value.to };
          }
          if (isTerminal(request.state)) expect(transition(request, action, now).ok).toBe(false);
        }
      }),
    );
  });

  it('nothing ever leaves a terminal state', () => {
    fc.assert(
      fc.property(fc.constantFrom<RequestState>(...TERMINAL_STATES), anyAction, fc.integer({ min: 0, max: 10 * DAY }), (state, action, offset) => {
        expect(transition(dispute({ state }), action, NOW + offset)).toMatchObject({ ok: false, error: { code: 'wrong_state' } });
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REQUEST_STATES), anyAction, fc.integer({ min: -DAY, max: 10 * DAY }), (state, action, offset) => {
        const request = dispute({ state });
        expect(transition(request, action, NOW + offset)).toEqual(transition(request, action, NOW + offset));
      }),
    );
  });
});
