import type { CancelRequest, RequestKind, RequestState } from '../domain/request';
import { instantMs } from '../domain/time';
import { viewOfState } from '../domain/views';
import { replyDeadlineMs } from './phase';
import { whoseTurn } from './states';

/**
 * Where a request stands for the seller, for the queue's time column and the detail header: a
 * reply still due (the only case with a countdown and urgency colours), a decision waiting to be
 * sent, the other side's move (proof awaited until its due time), or closed with its outcome.
 * Read from the state machine (`whoseTurn`) and the views (`viewOfState`), never from a screen.
 */
export type Standing =
  /**
   * A reply is owed: the reply deadline and what is left of it (negative once it passed);
   * `proofOverdue` when it is owed because proof asked for did not come by its due time.
   */
  | { readonly kind: 'reply_due'; readonly deadlineMs: number; readonly msLeft: number; readonly proofOverdue: boolean }
  /** The seller decided here; the decision waits in the outbox (or is being sent). */
  | { readonly kind: 'decision_pending'; readonly state: RequestState }
  /** Proof asked for and not yet due: the buyer has until `dueMs`. */
  | { readonly kind: 'awaiting_proof'; readonly dueMs: number }
  /** The buyer's or the marketplace's move, until the marketplace's deadline (no reply owed by the seller). */
  | { readonly kind: 'awaiting'; readonly party: 'buyer' | 'platform'; readonly deadlineMs: number; readonly msLeft: number }
  /** Done: accepted, refused, refunded, withdrawn, auto-accepted or closed by the platform; since when, when known. */
  | { readonly kind: 'closed'; readonly state: RequestState; readonly closedAtMs: number | null };

export type StandingKind = Standing['kind'];

/** What the standing is read from: a queue row has these fields, a request gets them from `standingInput`. */
export interface StandingInput {
  readonly kind: RequestKind;
  /** The marketplace's state. */
  readonly state: RequestState;
  readonly requestedAt: string;
  readonly respondBy: string;
  readonly proofDueAt: string | null;
  /** The state of the seller's decision not yet confirmed by the marketplace; null (or absent) when none. */
  readonly localState?: RequestState | null;
  /** When it was closed (see `closedAtOf`); null (or absent) when not closed or not known. */
  readonly closedAt?: string | null;
}

/** When a closed request was closed: the marketplace's resolution time, else its last change; null while it is open. */
export function closedAtOf(request: Pick<CancelRequest, 'state' | 'resolution' | 'updatedAt'>): string | null {
  if (viewOfState(request.state) !== 'done') return null;
  return request.resolution?.decidedAt ?? request.updatedAt;
}

/** The standing input of a request and the seller's pending decision (the detail's `local`). */
export function standingInput(request: CancelRequest, local: { readonly state: RequestState } | null): StandingInput {
  return {
    kind: request.kind,
    state: request.state,
    requestedAt: request.requestedAt,
    respondBy: request.respondBy,
    proofDueAt: request.proofRequest?.dueAt ?? null,
    localState: local?.state ?? null,
    closedAt: closedAtOf(request),
  };
}

/** What decides whether a reply is owed. */
export type ReplyDueInput = Pick<StandingInput, 'state' | 'proofDueAt' | 'localState'>;

/**
 * Whether the seller still owes a reply at `now`: their move (a new request, proof in, an offer
 * refused), or proof asked for and overdue (refuse for missing evidence or accept); never while
 * a decision of theirs waits to be sent, nor once the buyer or the marketplace has the move.
 */
export function replyStillDue(input: ReplyDueInput, now: number): boolean {
  if ((input.localState ?? null) !== null) return false;
  if (whoseTurn(input.state) === 'seller') return true;
  return input.state === 'proof_requested' && proofOverdue(input.proofDueAt, now);
}

/** As the refusal rule reads it (states.ts): from the due instant on, nothing came in time. */
function proofOverdue(proofDueAt: string | null, now: number): boolean {
  return proofDueAt !== null && now >= instantMs(proofDueAt);
}

/** Where the request stands at `now` (epoch ms). */
export function standingOf(input: StandingInput, now: number): Standing {
  const localState = input.localState ?? null;
  if (localState !== null) return { kind: 'decision_pending', state: localState };
  if (viewOfState(input.state) === 'done') {
    const closedAt = input.closedAt ?? null;
    const closedAtMs = closedAt === null ? Number.NaN : instantMs(closedAt);
    return { kind: 'closed', state: input.state, closedAtMs: Number.isNaN(closedAtMs) ? null : closedAtMs };
  }
  if (replyStillDue(input, now)) {
    const deadlineMs = replyDeadlineMs(input);
    return { kind: 'reply_due', deadlineMs, msLeft: deadlineMs - now, proofOverdue: input.state === 'proof_requested' };
  }
  if (input.state === 'proof_requested' && input.proofDueAt !== null) {
    return { kind: 'awaiting_proof', dueMs: instantMs(input.proofDueAt) };
  }
  const deadlineMs = instantMs(input.respondBy);
  return { kind: 'awaiting', party: whoseTurn(input.state) === 'platform' ? 'platform' : 'buyer', deadlineMs, msLeft: deadlineMs - now };
}
