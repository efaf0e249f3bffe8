import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REQUEST_STATES, type CancelRequest, type RequestState } from '../../../../shared/domain/request';
import { viewOfState } from '../../../../shared/domain/views';
import { closedAtOf, isTerminal, replyStillDue, standingInput, standingOf, whoseTurn } from '../../../../shared/rules';
import { DAY, HOUR, NOW, at, makeOrder, makeRequest, usd } from '../factories';

const shipped = makeOrder({ status: 'delivered' });
const dispute = (overrides: Partial<CancelRequest> = {}): CancelRequest => makeRequest(overrides, shipped);
const standing = (request: CancelRequest, local: RequestState | null = null, now = NOW) =>
  standingOf(standingInput(request, local === null ? null : { state: local }), now);

describe('where a request stands for the seller', () => {
  it('has a reply due, with the time left, only on the seller\'s move', () => {
    expect(standing(dispute())).toEqual({ kind: 'reply_due', deadlineMs: NOW + 5 * DAY, msLeft: 5 * DAY, proofOverdue: false });
    expect(standing(dispute({ state: 'proof_submitted' }))).toMatchObject({ kind: 'reply_due' });
    expect(standing(dispute({ state: 'refused_by_buyer', offer: usd(100) }))).toMatchObject({ kind: 'reply_due' });
    // Past the deadline it is still owed (the marketplace has not decided yet): negative time left.
    expect(standing(dispute(), null, NOW + 6 * DAY)).toMatchObject({ kind: 'reply_due', msLeft: -DAY });
    // A cancel is auto-accepted 48 h after it was made, whatever respondBy says.
    const cancel = makeRequest({ requestedAt: at(-2 * HOUR), respondBy: at(10 * DAY) });
    expect(standing(cancel)).toMatchObject({ kind: 'reply_due', msLeft: 46 * HOUR });
  });

  it('shows a closed request\'s outcome and when: never a countdown', () => {
    const decidedAt = at(-3 * DAY);
    const refunded = dispute({ state: 'refunded', resolution: { outcome: 'refunded', amount: usd(500), decidedAt, by: 'seller' }, respondBy: at(-35 * DAY) });
    expect(standing(refunded)).toEqual({ kind: 'closed', state: 'refunded', closedAtMs: NOW - 3 * DAY });
    // Accepted (the refund on its way) and refused are done too; without a resolution, the last change says when.
    expect(standing(dispute({ state: 'accepted', updatedAt: at(-HOUR) }))).toEqual({ kind: 'closed', state: 'accepted', closedAtMs: NOW - HOUR });
    expect(standing(dispute({ state: 'refused', updatedAt: at(-2 * HOUR) }))).toMatchObject({ kind: 'closed', state: 'refused' });
    expect(closedAtOf(dispute({ state: 'requested' }))).toBeNull();
    expect(standingOf({ ...standingInput(dispute({ state: 'withdrawn' }), null), closedAt: null }, NOW)).toEqual({ kind: 'closed', state: 'withdrawn', closedAtMs: null });
  });

  it('says a decision waits to be sent, whatever the marketplace still shows', () => {
    expect(standing(dispute(), 'accepted')).toEqual({ kind: 'decision_pending', state: 'accepted' });
    expect(replyStillDue({ state: 'requested', proofDueAt: null, localState: 'refused' }, NOW)).toBe(false);
  });

  it('waits for proof until it is due; overdue, the reply is the seller\'s again', () => {
    const asked = dispute({ state: 'proof_requested', proofRequest: { message: 'Photos, please.', dueAt: at(DAY) } });
    expect(standing(asked)).toEqual({ kind: 'awaiting_proof', dueMs: NOW + DAY });
    expect(standing(asked, null, NOW + DAY)).toMatchObject({ kind: 'reply_due', proofOverdue: true, msLeft: 4 * DAY });
    expect(standing(dispute({ state: 'offer_made', offer: usd(100) }))).toEqual({ kind: 'awaiting', party: 'buyer', deadlineMs: NOW + 5 * DAY, msLeft: 5 * DAY });
    expect(standing(dispute({ state: 'escalated' }))).toMatchObject({ kind: 'awaiting', party: 'platform' });
  });

  it('owes a reply in no done or terminal state, and in every state where it is the seller\'s move (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REQUEST_STATES), fc.integer({ min: -10 * DAY, max: 10 * DAY }), (state, offset) => {
        const input = { state, proofDueAt: at(offset) };
        const due = replyStillDue(input, NOW);
        if (isTerminal(state) || viewOfState(state) === 'done') expect(due).toBe(false);
        if (whoseTurn(state) === 'seller') expect(due).toBe(true);
        expect(replyStillDue({ ...input, localState: 'accepted' }, NOW)).toBe(false);
      }),
    );
  });
});
