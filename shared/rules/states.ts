import { z } from 'zod';
import { EvidenceSchema, REQUEST_STATES, type CancelRequest, type RequestState } from '../domain/request';
import { IsoInstantSchema, instantMs } from '../domain/time';
import { missingCase } from '../domain/views';
import { MoneySchema } from '../money';
import { checkNow, checkRequest, RulesInputError, zodIssues } from './input';
import { replyDeadlineMs } from './phase';
import { REFUSAL_FIELD_LABELS, SellerRefusalReasonSchema, refusalReasonInfo, type SellerRefusalReason } from './reasons';
import { amountText, instantText } from './text';
import { fail, ok, violation, type RuleResult, type RuleViolation } from './violations';

const Note = z.string().max(2000);

/** The most photos one decision may carry, whatever the marketplace (its capabilities say its own limit). */
export const MAX_ATTACHMENTS = 100;
/**
 * The seller's photos that go with a refusal or an offer: ids from `evidence.attach` (plain ids,
 * each once). How many the store's marketplace takes is the rules' check (attachments.ts).
 */
export const AttachmentIdsSchema = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/u, 'must be an attachment id from evidence.attach'))
  .max(MAX_ATTACHMENTS)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'names a photo twice' });

/** What the seller can do. Carrier and tracking number may be left out when the order has them. */
export const SellerActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accept') }),
  z.object({
    type: z.literal('refuse'),
    reason: SellerRefusalReasonSchema,
    note: Note.optional(),
    carrier: z.string().max(100).optional(),
    trackingNumber: z.string().max(100).optional(),
    attachments: AttachmentIdsSchema.optional(),
  }),
  z.object({ type: z.literal('request_proof'), message: Note.optional(), dueAt: IsoInstantSchema.optional() }),
  z.object({ type: z.literal('offer'), amount: MoneySchema, attachments: AttachmentIdsSchema.optional() }),
  z.object({ type: z.literal('escalate'), note: Note.optional() }),
]);
export type SellerAction = z.infer<typeof SellerActionSchema>;
export type SellerActionType = SellerAction['type'];
export const SELLER_ACTION_TYPES = ['accept', 'refuse', 'request_proof', 'offer', 'escalate'] as const satisfies readonly SellerActionType[];

/** What the buyer can do. */
export const BuyerActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('withdraw') }),
  z.object({ type: z.literal('submit_proof'), evidence: z.array(EvidenceSchema).max(50).optional() }),
  z.object({ type: z.literal('accept_offer') }),
  z.object({ type: z.literal('refuse_offer') }),
  z.object({ type: z.literal('buyer_escalate') }),
]);
export type BuyerAction = z.infer<typeof BuyerActionSchema>;

/** What the marketplace does on its own. */
export const PlatformActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto_accept') }),
  z.object({ type: z.literal('platform_close') }),
  z.object({ type: z.literal('refund_completed') }),
]);
export type PlatformAction = z.infer<typeof PlatformActionSchema>;

export const RequestActionSchema = z.discriminatedUnion('type', [
  ...SellerActionSchema.options,
  ...BuyerActionSchema.options,
  ...PlatformActionSchema.options,
]);
export type RequestAction = SellerAction | BuyerAction | PlatformAction;
export type RequestActionType = RequestAction['type'];

export type Actor = 'seller' | 'buyer' | 'platform';

export interface TransitionRule {
  readonly actor: Actor;
  readonly from: readonly RequestState[];
  readonly to: RequestState;
  /** "Cannot <verb>: ..." */
  readonly verb: string;
}

/**
 * The request state machine (design.md §2). Beyond the arrows drawn there, the seller may also
 * accept while waiting for proof (giving up on it), make an offer or escalate straight from a
 * dispute (a dispute is refused by counter-offer or evidence), and answer a buyer who refused an
 * offer by accepting or offering again; every state reached is still one of the diagram's.
 */
export const TRANSITIONS: Readonly<Record<RequestActionType, TransitionRule>> = Object.freeze({
  accept: { actor: 'seller', from: ['requested', 'proof_requested', 'proof_submitted', 'refused_by_buyer'], to: 'accepted', verb: 'accept' },
  refuse: { actor: 'seller', from: ['requested', 'proof_requested', 'proof_submitted'], to: 'refused', verb: 'refuse' },
  request_proof: { actor: 'seller', from: ['requested'], to: 'proof_requested', verb: 'ask for proof' },
  offer: { actor: 'seller', from: ['requested', 'proof_submitted', 'refused_by_buyer'], to: 'offer_made', verb: 'make an offer' },
  escalate: { actor: 'seller', from: ['requested', 'proof_submitted', 'refused_by_buyer'], to: 'escalated', verb: 'escalate' },
  withdraw: {
    actor: 'buyer',
    from: ['requested', 'proof_requested', 'proof_submitted', 'offer_made', 'refused_by_buyer', 'refused', 'escalated'],
    to: 'withdrawn',
    verb: 'withdraw',
  },
  submit_proof: { actor: 'buyer', from: ['proof_requested'], to: 'proof_submitted', verb: 'submit proof' },
  accept_offer: { actor: 'buyer', from: ['offer_made'], to: 'accepted', verb: 'accept the offer' },
  refuse_offer: { actor: 'buyer', from: ['offer_made'], to: 'refused_by_buyer', verb: 'refuse the offer' },
  buyer_escalate: { actor: 'buyer', from: ['refused', 'refused_by_buyer'], to: 'escalated', verb: 'escalate' },
  auto_accept: { actor: 'platform', from: ['requested'], to: 'auto_accepted', verb: 'auto-accept' },
  platform_close: { actor: 'platform', from: ['escalated'], to: 'closed_by_platform', verb: 'close' },
  refund_completed: { actor: 'platform', from: ['accepted'], to: 'refunded', verb: 'complete the refund' },
});

export const REQUEST_ACTION_TYPES = Object.freeze(Object.keys(TRANSITIONS)) as readonly RequestActionType[];

/** Every arrow of the state machine as "from->to". */
export const STATE_EDGES: ReadonlySet<string> = new Set(
  Object.values(TRANSITIONS).flatMap((rule) => rule.from.map((from) => `${from}->${rule.to}`)),
);

/** States nothing leaves. */
export const TERMINAL_STATES: readonly RequestState[] = Object.freeze(
  REQUEST_STATES.filter((state) => !Object.values(TRANSITIONS).some((rule) => rule.from.includes(state))),
);

export function isTerminal(state: RequestState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** Who is expected to move next, or null when nobody is (a terminal state). */
export function whoseTurn(state: RequestState): Actor | null {
  switch (state) {
    case 'requested':
    case 'proof_submitted':
    case 'refused_by_buyer':
      return 'seller';
    case 'proof_requested':
    case 'offer_made':
    case 'refused':
      return 'buyer';
    case 'accepted':
    case 'escalated':
      return 'platform';
    case 'refunded':
    case 'withdrawn':
    case 'auto_accepted':
    case 'closed_by_platform':
      return null;
    default:
      return missingCase(state);
  }
}

/** Why nothing (or not this) can be done in a state, as the end of a "Cannot ..." sentence. */
export function stateExplanation(request: CancelRequest): string {
  const state = request.state;
  switch (state) {
    case 'requested':
      return 'the request has not been answered yet';
    case 'accepted':
      return 'it is already accepted and the refund is on its way';
    case 'refunded':
      return 'it is already refunded';
    case 'refused':
      return 'it is already refused; only the buyer can take it further now';
    case 'escalated':
      return 'it is escalated and the marketplace is deciding';
    case 'proof_requested':
      return request.proofRequest === null
        ? 'proof was requested and the buyer has not sent it yet'
        : `proof was requested and the buyer has until ${instantText(instantMs(request.proofRequest.dueAt))} to send it`;
    case 'proof_submitted':
      return 'the buyer has sent proof, which is waiting for your answer';
    case 'offer_made':
      return request.offer === null
        ? 'an offer is waiting for the buyer\'s answer'
        : `your offer of ${amountText(request.offer)} is waiting for the buyer's answer`;
    case 'refused_by_buyer':
      return 'the buyer refused your offer; you can accept, make a new offer, or escalate';
    case 'withdrawn':
      return 'the buyer withdrew the request';
    case 'auto_accepted':
      return 'the marketplace accepted it automatically when the reply deadline passed';
    case 'closed_by_platform':
      return 'the marketplace closed it after mediation';
    default:
      return missingCase(state);
  }
}

export function cannot(type: RequestActionType, why: string): string {
  return `Cannot ${TRANSITIONS[type].verb}: ${why}.`;
}

/** Whether an action applies in the request's current state. */
export function checkState(request: CancelRequest, type: RequestActionType): RuleViolation | null {
  if (TRANSITIONS[type].from.includes(request.state)) return null;
  return violation('wrong_state', cannot(type, stateExplanation(request)));
}

/** For the seller, the reply deadline must not have passed; for the platform's auto-accept, it must. */
export function checkTime(request: CancelRequest, type: RequestActionType, now: number): RuleViolation | null {
  const deadline = replyDeadlineMs(request);
  if (TRANSITIONS[type].actor === 'seller' && now >= deadline) {
    return violation(
      'deadline_passed',
      cannot(type, `the reply deadline passed at ${instantText(deadline)}, so the marketplace decides now`),
    );
  }
  if (type === 'auto_accept' && now < deadline) {
    return violation('deadline_not_reached', cannot(type, `the seller has until ${instantText(deadline)} to answer`));
  }
  return null;
}

/**
 * Whether a refusal reason applies to the request now, before looking at the fields it needs:
 * "no evidence provided" only once proof was asked for, its due date passed and nothing came;
 * while proof is awaited, no other reason.
 */
export function checkRefusalReason(request: CancelRequest, reason: SellerRefusalReason, now: number): RuleViolation | null {
  const info = refusalReasonInfo(reason);
  if (info.onlyAfterProofDue) {
    if (request.evidence.length > 0) {
      const files = `${request.evidence.length} file${request.evidence.length === 1 ? '' : 's'}`;
      return violation('evidence_provided', cannot('refuse', `the buyer sent ${files} as evidence, so "${info.label}" does not apply`), 'reason');
    }
    if (request.state !== 'proof_requested' || request.proofRequest === null) {
      return violation(
        'refusal_reason_not_allowed',
        cannot('refuse', `"${info.label}" applies only after you ask for proof and none comes by the due date`),
        'reason',
      );
    }
    const dueAt = instantMs(request.proofRequest.dueAt);
    if (now < dueAt) {
      return violation('proof_not_due', cannot('refuse', `the buyer has until ${instantText(dueAt)} to send proof`), 'reason');
    }
    return null;
  }
  if (request.state === 'proof_requested') {
    return violation(
      'refusal_reason_not_allowed',
      cannot('refuse', 'you asked the buyer for proof; wait for it, or refuse for missing evidence once the due date has passed'),
      'reason',
    );
  }
  return null;
}

/** The fields a refusal reason needs, filled in. */
export function checkRefusalFields(action: Extract<SellerAction, { type: 'refuse' }>): RuleViolation | null {
  const info = refusalReasonInfo(action.reason);
  for (const field of info.requires) {
    if (blank(action[field])) {
      return violation('missing_field', cannot('refuse', `"${info.label}" needs ${REFUSAL_FIELD_LABELS[field]}`), field);
    }
  }
  return null;
}

function blank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** The checks of an action's own parameters that need only the request (no order, no policy). */
export function checkActionParams(request: CancelRequest, action: RequestAction, now: number): RuleViolation | null {
  switch (action.type) {
    case 'refuse':
      return checkRefusalReason(request, action.reason, now) ?? checkRefusalFields(action);
    case 'request_proof':
      if (action.dueAt !== undefined && instantMs(action.dueAt) <= now) {
        return violation('invalid_due_date', cannot('request_proof', 'the due date must be in the future'), 'dueAt');
      }
      return null;
    case 'offer':
      if (action.amount.currency !== request.refundMax.currency) {
        return violation(
          'currency_mismatch',
          cannot('offer', `the offer is in ${action.amount.currency} but the order is in ${request.refundMax.currency}`),
          'amount',
        );
      }
      if (action.amount.amountMinor <= 0) {
        return violation('amount_not_positive', cannot('offer', 'an offer must be more than zero'), 'amount');
      }
      if (action.amount.amountMinor > request.refundMax.amountMinor) {
        return violation(
          'amount_above_cap',
          cannot('offer', `${amountText(action.amount)} is above the ${amountText(request.refundMax)} the marketplace allows for this request`),
          'amount',
        );
      }
      return null;
    case 'accept':
    case 'escalate':
    case 'withdraw':
    case 'submit_proof':
    case 'accept_offer':
    case 'refuse_offer':
    case 'buyer_escalate':
    case 'auto_accept':
    case 'platform_close':
    case 'refund_completed':
      return null;
    default:
      return missingCase(action);
  }
}

/** Validates an action from outside; `rules.invalid_action` names the bad fields. */
export function parseAction(input: unknown): RequestAction {
  const parsed = RequestActionSchema.safeParse(input);
  if (!parsed.success) throw new RulesInputError('rules.invalid_action', 'action', zodIssues('action', parsed.error));
  return parsed.data;
}

export interface Transition {
  readonly from: RequestState;
  readonly to: RequestState;
  readonly actor: Actor;
  readonly action: RequestAction;
}

/**
 * The state a request moves to when `action` happens at `now`, or the violation that forbids it.
 * Checks what the request alone can tell (state, deadline, the action's own fields); the order's
 * phase, the refund cap and the policy are checked by `planAction`, which calls this too.
 * Malformed input throws a RulesInputError.
 */
export function transition(request: CancelRequest, action: RequestAction, now: number): RuleResult<Transition> {
  const checkedRequest = checkRequest(request);
  const checkedAction = parseAction(action);
  const at = checkNow(now);
  const blocked =
    checkState(checkedRequest, checkedAction.type) ??
    checkTime(checkedRequest, checkedAction.type, at) ??
    checkActionParams(checkedRequest, checkedAction, at);
  if (blocked !== null) return fail(blocked);
  const rule = TRANSITIONS[checkedAction.type];
  return ok({ from: checkedRequest.state, to: rule.to, actor: rule.actor, action: checkedAction });
}

