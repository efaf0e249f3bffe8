import type { MarketplaceCapabilities } from '../domain/marketplace';
import type { Order } from '../domain/order';
import type { CancelRequest, RequestState } from '../domain/request';
import { instantMs, type IsoInstant } from '../domain/time';
import { missingCase } from '../domain/views';
import { compare, money, subtract, type Money } from '../money';
import { capabilityBlock, checkCapabilities, textLimitBlock } from './capabilities';
import { attachmentsBlock } from './attachments';
import { RulesInputError, checkNow, checkOrder, checkRequest, zodIssues } from './input';
import { type RulesPhase } from './phase';
import { parsePolicy, proofThreshold, type Policy } from './policy';
import {
  REFUSAL_REASON_CATALOGUE,
  SELLER_REFUSAL_REASONS,
  buyerReasonInfo,
  type RefusalField,
  type SellerRefusalReason,
} from './reasons';
import { fullQuote, quoteContext, requestedQuote, shippingPolicyText, type RefundQuote } from './refund';
import {
  SELLER_ACTION_TYPES,
  SellerActionSchema,
  TRANSITIONS,
  cannot,
  checkActionParams,
  checkRefusalReason,
  checkState,
  checkTime,
  type SellerAction,
  type SellerActionType,
} from './states';
import { amountText, instantText, untrustedText } from './text';
import { proofDueAt } from './proof-due';
import { RULES_VERSION } from './version';
import { fail, ok, violation, type RuleResult, type RuleViolation, type RuleViolationCode } from './violations';

/** Everything the seller-side rules look at, validated once. */
export interface SellerContext {
  readonly order: Order;
  readonly request: CancelRequest;
  readonly policy: Policy;
  readonly now: number;
  /** What the store's marketplace can do; null: every action exists (no marketplace named). */
  readonly capabilities: MarketplaceCapabilities | null;
  readonly phase: RulesPhase;
  /** The full refund of the phase (null when the order is cancelled). */
  readonly full: RefundQuote | null;
  /** What accepting refunds, or why accepting cannot refund it. */
  readonly accept: RuleResult<RefundQuote> | null;
}

/** Builds the context from already validated input. */
export function sellerContext(
  order: Order,
  request: CancelRequest,
  policy: Policy,
  now: number,
  capabilities: MarketplaceCapabilities | null = null,
): SellerContext {
  const quoting = quoteContext(order, request, policy);
  const full = quoting.phase === 'closed' ? null : fullQuote(quoting);
  return {
    order,
    request,
    policy,
    now,
    capabilities,
    phase: quoting.phase,
    full,
    accept: full === null ? null : requestedQuote(quoting, full),
  };
}

/** Allowed: what it does. Blocked: the code and the sentence why not. */
type Verdict<Allowed, Blocked> =
  | ({ readonly allowed: true; readonly code: null; readonly message: string } & Allowed)
  | ({ readonly allowed: false; readonly code: RuleViolationCode; readonly message: string } & Blocked);

export interface RefusalOption {
  readonly reason: SellerRefusalReason;
  readonly label: string;
  readonly allowed: boolean;
  readonly code: RuleViolationCode | null;
  readonly message: string;
  readonly requires: readonly RefusalField[];
  /** What the form starts with: the order's tracking, the policy's template note. */
  readonly prefill: { readonly carrier: string | null; readonly trackingNumber: string | null; readonly note: string };
}

export interface OfferRange {
  readonly min: Money;
  readonly max: Money;
}

export type AcceptOption = { readonly action: 'accept' } & Verdict<{ readonly refund: RefundQuote }, { readonly refund: null }>;
export type RefuseOption = { readonly action: 'refuse'; readonly reasons: readonly RefusalOption[] } & Verdict<object, object>;
/**
 * `dueDays`: the policy's days for proof; a screen shows the default due time as
 * `proofDueAt(now, dueDays, sellerTimeZone)`. `defaultDueAt` is that instant in the rules' own
 * zone (UTC): what `planAction` sends when an action names no due date.
 */
export type RequestProofOption = { readonly action: 'request_proof'; readonly defaultMessage: string } & Verdict<
  { readonly defaultDueAt: IsoInstant; readonly dueDays: number },
  { readonly defaultDueAt: null; readonly dueDays: null }
>;
export type OfferOption = { readonly action: 'offer' } & Verdict<{ readonly range: OfferRange }, { readonly range: null }>;
export type EscalateOption = { readonly action: 'escalate' } & Verdict<object, object>;
export type ActionOption = AcceptOption | RefuseOption | RequestProofOption | OfferOption | EscalateOption;

function blockedBy(found: RuleViolation): { allowed: false; code: RuleViolationCode; message: string } {
  return { allowed: false, code: found.code, message: found.message };
}

function allowedWith(message: string): { allowed: true; code: null; message: string } {
  return { allowed: true, code: null, message };
}

/**
 * The checks every seller action starts with: whether the marketplace has it at all (first: no
 * other sentence helps when it does not), state, a cancelled order, the deadline.
 */
function commonGate(context: SellerContext, type: SellerActionType): RuleViolation | null {
  const unsupported = capabilityBlock(context.capabilities, context.request, type);
  if (unsupported !== null) return unsupported;
  const stateBlock = checkState(context.request, type);
  if (stateBlock !== null) return stateBlock;
  if (context.phase === 'closed') {
    return violation('order_cancelled', cannot(type, 'the order is already cancelled, so there is nothing left to decide'));
  }
  return checkTime(context.request, type, context.now);
}

function notPaid(type: SellerActionType): RuleViolation {
  const why =
    type === 'refuse'
      ? 'the buyer has not paid yet; accept to cancel the order'
      : 'the buyer has not paid, so there is nothing to refund or mediate';
  return violation('not_paid', cannot(type, why));
}

/** Proof, offers and mediation are for disputes after shipment. */
export function notADispute(type: SellerActionType): RuleViolation {
  const why: Record<Exclude<SellerActionType, 'accept' | 'refuse'>, string> = {
    request_proof: 'the order has not shipped, so there is nothing for the buyer to photograph',
    offer: 'before shipment a cancel is refunded in full; partial offers are for disputes after shipment',
    escalate: 'before shipment a cancel is accepted, or refused with proof of shipment; mediation is for disputes after shipment',
  };
  return violation('not_a_dispute', cannot(type, why[type as keyof typeof why]));
}

function nothingToRefund(type: SellerActionType, context: SellerContext): RuleViolation {
  return violation('nothing_to_refund', cannot(type, `everything paid (${amountText(context.order.paid)}) has already been refunded`));
}

/** Proof the policy wants before accepting, if any is missing. */
function proofRequiredBlock(context: SellerContext): RuleViolation | null {
  const { request, policy } = context;
  if (request.evidence.length > 0) return null;
  const threshold = proofThreshold(policy, request.reason, request.requestedAmount.currency);
  if (threshold === null || compare(request.requestedAmount, threshold) < 0) return null;
  const from = threshold.amountMinor > 0 ? ` of ${amountText(threshold)} or more` : '';
  return violation(
    'proof_required',
    cannot('accept', `your policy asks for photos or video before refunding "${buyerReasonInfo(request.reason).label}" claims${from}; ask the buyer for proof first`),
  );
}

export function acceptOption(context: SellerContext): AcceptOption {
  const gate = commonGate(context, 'accept');
  if (gate !== null || context.full === null || context.accept === null) {
    return { action: 'accept', refund: null, ...blockedBy(gate ?? violation('order_cancelled', cannot('accept', 'the order is already cancelled'))) };
  }
  const full = context.full;
  if (context.phase === 'before_payment') {
    return { action: 'accept', refund: full, ...allowedWith('Accept: the order is cancelled; the buyer has not paid, so nothing is refunded.') };
  }
  if (context.phase === 'before_shipment') {
    const message =
      full.total.amountMinor === 0
        ? 'Accept: the order is cancelled; everything paid was already refunded.'
        : `Accept and refund ${amountText(full.total)} in full, shipping included; the order is cancelled.`;
    return { action: 'accept', refund: full, ...allowedWith(message) };
  }
  const block = (full.cap.amount.amountMinor === 0 ? nothingToRefund('accept', context) : null) ?? proofRequiredBlock(context);
  if (block !== null) return { action: 'accept', refund: null, ...blockedBy(block) };
  if (!context.accept.ok) return { action: 'accept', refund: null, ...blockedBy(context.accept.error) };
  const quote = context.accept.value;
  const fullText = quote.full ? ', a full refund' : '';
  return { action: 'accept', refund: quote, ...allowedWith(`Accept and refund ${amountText(quote.total)}${fullText}, as the buyer asks.`) };
}

function refusalOptions(context: SellerContext): RefusalOption[] {
  const tracking = context.order.tracking;
  return SELLER_REFUSAL_REASONS.map((reason) => {
    const info = REFUSAL_REASON_CATALOGUE[reason];
    const prefill = {
      carrier: reason === 'already_shipped' ? (tracking?.carrier ?? null) : null,
      trackingNumber: reason === 'already_shipped' ? (tracking?.number ?? null) : null,
      note: context.policy.refusalTemplates[reason],
    };
    const base = { reason, label: info.label, requires: info.requires, prefill };
    const blocked =
      context.phase === 'before_shipment' && reason !== 'already_shipped'
        ? violation('not_shipped', cannot('refuse', 'the order has not shipped, and a pre-shipment cancel can only be refused with proof that it has'), 'reason')
        : checkRefusalReason(context.request, reason, context.now);
    if (blocked !== null) return { ...base, allowed: false, code: blocked.code, message: blocked.message };
    const message =
      reason === 'already_shipped' && tracking !== null
        ? `${info.meaning} The order's tracking (${untrustedText(`${tracking.carrier} ${tracking.number}`)}) is filled in.`
        : info.meaning;
    return { ...base, allowed: true, code: null, message };
  });
}

export function refuseOption(context: SellerContext): RefuseOption {
  const gate = commonGate(context, 'refuse') ?? (context.phase === 'before_payment' ? notPaid('refuse') : null);
  if (gate !== null) return { action: 'refuse', reasons: [], ...blockedBy(gate) };
  const reasons = refusalOptions(context);
  const usable = reasons.filter((option) => option.allowed);
  if (usable.length === 0) {
    // Only one reason can apply while proof is awaited: its "why not" is the answer.
    const first = reasons.find((option) => option.reason === 'no_evidence_provided');
    return {
      action: 'refuse',
      reasons,
      allowed: false,
      code: first?.code ?? 'refusal_reason_not_allowed',
      message: first?.message ?? cannot('refuse', 'no refusal reason applies'),
    };
  }
  const message =
    context.phase === 'before_shipment'
      ? 'Refuse only with proof of shipment: the carrier and tracking number.'
      : 'Refuse with a reason; the buyer may then escalate to the marketplace.';
  return { action: 'refuse', reasons, ...allowedWith(message) };
}

/** The zone the rules speak in, as their sentences do (text.ts): the same input, the same answer. */
export const RULES_TIME_ZONE = 'UTC';

/**
 * When proof asked for at `now` is due by default: the end of the day the policy's proof due
 * days later, in `timeZone` (the seller's, for what a screen proposes).
 */
export function defaultProofDueAt(policy: Pick<Policy, 'proofDueDays'>, now: number, timeZone: string): IsoInstant {
  return proofDueAt(now, policy.proofDueDays, timeZone);
}

function daysText(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

export function requestProofOption(context: SellerContext): RequestProofOption {
  const defaultMessage = context.policy.proofRequestTemplate;
  const gate =
    commonGate(context, 'request_proof') ??
    (context.phase !== 'after_shipment' ? notADispute('request_proof') : null) ??
    (!buyerReasonInfo(context.request.reason).proofUseful
      ? violation('proof_not_useful', cannot('request_proof', `photos or video cannot show "${buyerReasonInfo(context.request.reason).label}"`))
      : null);
  if (gate !== null) return { action: 'request_proof', defaultDueAt: null, dueDays: null, defaultMessage, ...blockedBy(gate) };
  const dueDays = context.policy.proofDueDays;
  return {
    action: 'request_proof',
    defaultDueAt: defaultProofDueAt(context.policy, context.now, RULES_TIME_ZONE),
    dueDays,
    defaultMessage,
    // No instant here: the screen shows the due time in the seller's zone, beside this sentence.
    ...allowedWith(`Ask the buyer for photos or video; by default it is due at the end of the day ${daysText(dueDays)} from today.`),
  };
}

/**
 * The amounts an offer may take: at least one minor unit, below what the buyer asks (the demo
 * marketplace's rule too), and no more than accepting would refund (the cap, the shipping policy).
 * When the cap or the policy keeps an accept below the ask, an offer of that much is allowed.
 */
function offerRange(context: SellerContext, full: RefundQuote): RuleResult<OfferRange> {
  const unit = money(1, context.order.currency);
  const accepted = context.accept;
  const asked = context.request.requestedAmount;
  const belowAsk = compare(asked, unit) > 0 ? subtract(asked, unit) : money(0, context.order.currency);
  // When accepting is blocked by the shipping policy, the most the policy allows is the ceiling.
  const refundable = accepted !== null && accepted.ok ? accepted.value.total : full.maxRefund;
  const ceiling = compare(refundable, belowAsk) < 0 ? refundable : belowAsk;
  if (compare(ceiling, unit) < 0) {
    return fail(violation('amount_not_below_request', cannot('offer', `the buyer asks for only ${amountText(asked)}; accept instead`)));
  }
  return ok({ min: unit, max: ceiling });
}

export function offerOption(context: SellerContext): OfferOption {
  const full = context.full;
  const gate =
    commonGate(context, 'offer') ??
    (context.phase === 'before_payment' ? notPaid('offer') : null) ??
    (context.phase === 'before_shipment' ? notADispute('offer') : null);
  if (gate !== null || full === null) return { action: 'offer', range: null, ...blockedBy(gate ?? notPaid('offer')) };
  if (full.cap.amount.amountMinor === 0) return { action: 'offer', range: null, ...blockedBy(nothingToRefund('offer', context)) };
  const range = offerRange(context, full);
  if (!range.ok) return { action: 'offer', range: null, ...blockedBy(range.error) };
  const { min, max } = range.value;
  return { action: 'offer', range: range.value, ...allowedWith(`Offer a partial refund between ${amountText(min)} and ${amountText(max)}.`) };
}

export function escalateOption(context: SellerContext): EscalateOption {
  const gate = commonGate(context, 'escalate') ?? (context.phase !== 'after_shipment' ? notADispute('escalate') : null);
  if (gate !== null) return { action: 'escalate', ...blockedBy(gate) };
  return { action: 'escalate', ...allowedWith('Ask the marketplace to mediate; it then decides.') };
}

/** The option for one seller action, from validated input; `allowedActions` and `planAction` both use it. */
export function actionOption(context: SellerContext, type: SellerActionType): ActionOption {
  switch (type) {
    case 'accept':
      return acceptOption(context);
    case 'refuse':
      return refuseOption(context);
    case 'request_proof':
      return requestProofOption(context);
    case 'offer':
      return offerOption(context);
    case 'escalate':
      return escalateOption(context);
    default:
      return missingCase(type);
  }
}

/** Validates the inputs every seller-side rule takes (capabilities are optional: none, everything exists). */
export function checkSellerInput(order: Order, request: CancelRequest, policy: Policy, now: number, capabilities?: MarketplaceCapabilities | null): SellerContext {
  const checkedOrder = checkOrder(order);
  const checkedRequest = checkRequest(request, checkedOrder);
  return sellerContext(checkedOrder, checkedRequest, parsePolicy(policy), checkNow(now), checkCapabilities(capabilities));
}

/**
 * Every seller action (accept, refuse, request_proof, offer, escalate), in that order, each
 * allowed or blocked with a sentence that says what it does or why not; with the refund quote,
 * the refusal reasons, the proof due date or the offer range that goes with it. With the store
 * marketplace's `capabilities`, an action it lacks for the request's kind is blocked
 * (`not_supported_by_marketplace`, naming the marketplace); without them every action exists.
 */
export function allowedActions(order: Order, request: CancelRequest, policy: Policy, now: number, capabilities?: MarketplaceCapabilities | null): ActionOption[] {
  const context = checkSellerInput(order, request, policy, now, capabilities);
  return SELLER_ACTION_TYPES.map((type) => actionOption(context, type));
}

/** A decision the rules agree to, ready to record and send. */
export interface ActionPlan {
  /** The action as it will be sent: tracking, due date and message filled in. */
  readonly action: SellerAction;
  readonly from: RequestState;
  readonly to: RequestState;
  /** What accepting refunds (zero before payment); null for other actions. */
  readonly refund: Money | null;
  readonly quote: RefundQuote | null;
  /** The partial refund offered; null for other actions. */
  readonly offer: Money | null;
  /** One sentence for the seller: what will happen. */
  readonly summary: string;
  readonly rulesVersion: string;
}

function plan(context: SellerContext, action: SellerAction, summary: string, extra: { refund?: Money; quote?: RefundQuote; offer?: Money } = {}): ActionPlan {
  return {
    action,
    from: context.request.state,
    to: TRANSITIONS[action.type].to,
    refund: extra.refund ?? null,
    quote: extra.quote ?? null,
    offer: extra.offer ?? null,
    summary,
    rulesVersion: RULES_VERSION,
  };
}

function blankToUndefined(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function refusePlan(context: SellerContext, action: Extract<SellerAction, { type: 'refuse' }>): RuleResult<ActionPlan> {
  const option = refuseOption(context);
  if (!option.allowed) return fail(violation(option.code, option.message));
  const chosen = option.reasons.find((reason) => reason.reason === action.reason);
  if (chosen !== undefined && !chosen.allowed) {
    return fail(violation(chosen.code ?? 'refusal_reason_not_allowed', chosen.message, 'reason'));
  }
  const note = blankToUndefined(action.note);
  const carrier = blankToUndefined(action.carrier) ?? chosen?.prefill.carrier ?? undefined;
  const trackingNumber = blankToUndefined(action.trackingNumber) ?? chosen?.prefill.trackingNumber ?? undefined;
  const effective: Extract<SellerAction, { type: 'refuse' }> = {
    type: 'refuse',
    reason: action.reason,
    ...(note === undefined ? {} : { note }),
    ...(action.reason === 'already_shipped' && carrier !== undefined ? { carrier } : {}),
    ...(action.reason === 'already_shipped' && trackingNumber !== undefined ? { trackingNumber } : {}),
    ...(action.attachments !== undefined && action.attachments.length > 0 ? { attachments: action.attachments } : {}),
  };
  const problem =
    checkActionParams(context.request, effective, context.now) ??
    textLimitBlock(context.capabilities, 'refusalNote', note) ??
    attachmentsBlock(context.capabilities, 'refuse', effective.attachments);
  if (problem !== null) return fail(problem);
  const label = REFUSAL_REASON_CATALOGUE[action.reason].label;
  const proof = carrier !== undefined && action.reason === 'already_shipped' ? ` (${untrustedText(`${carrier} ${trackingNumber ?? ''}`)})` : '';
  return ok(plan(context, effective, `Refuse: ${label}${proof}.`));
}

function offerPlan(context: SellerContext, action: Extract<SellerAction, { type: 'offer' }>): RuleResult<ActionPlan> {
  const option = offerOption(context);
  if (!option.allowed) return fail(violation(option.code, option.message));
  const amount = action.amount;
  if (amount.currency !== context.order.currency) {
    return fail(violation('currency_mismatch', cannot('offer', `the offer is in ${amount.currency} but the order is in ${context.order.currency}`), 'amount'));
  }
  if (amount.amountMinor <= 0) return fail(violation('amount_not_positive', cannot('offer', 'an offer must be more than zero'), 'amount'));
  const cap = context.full?.cap;
  if (cap !== undefined && compare(amount, cap.amount) > 0) {
    const why =
      cap.limitedBy === 'refund_max'
        ? `the marketplace allows at most ${amountText(cap.amount)} for this request`
        : `at most ${amountText(cap.amount)} can still be refunded on this order`;
    return fail(violation('amount_above_cap', cannot('offer', `${amountText(amount)} is too much: ${why}`), 'amount'));
  }
  if (compare(amount, option.range.max) > 0) {
    const asked = context.request.requestedAmount;
    if (compare(amount, asked) >= 0) {
      return fail(
        violation(
          'amount_not_below_request',
          cannot('offer', `${amountText(amount)} is not below the ${amountText(asked)} the buyer asks for; accept instead`),
          'amount',
        ),
      );
    }
    return fail(
      violation(
        'shipping_not_refundable',
        cannot('offer', `${amountText(amount)} would refund shipping, and ${shippingPolicyText(context.policy, context.request)}; offer up to ${amountText(option.range.max)}`),
        'amount',
      ),
    );
  }
  const problem = checkActionParams(context.request, action, context.now) ?? attachmentsBlock(context.capabilities, 'offer', action.attachments);
  if (problem !== null) return fail(problem);
  return ok(plan(context, action, `Offer a partial refund of ${amountText(amount)}.`, { offer: amount }));
}

/** Plans an action from validated input; blocked exactly when the action's option is. */
export function planFromContext(context: SellerContext, action: SellerAction): RuleResult<ActionPlan> {
  switch (action.type) {
    case 'accept': {
      const option = acceptOption(context);
      if (!option.allowed) return fail(violation(option.code, option.message));
      return ok(plan(context, action, option.message, { refund: option.refund.total, quote: option.refund }));
    }
    case 'refuse':
      return refusePlan(context, action);
    case 'request_proof': {
      const option = requestProofOption(context);
      if (!option.allowed) return fail(violation(option.code, option.message));
      const dueAt = action.dueAt ?? option.defaultDueAt;
      const message = blankToUndefined(action.message) ?? option.defaultMessage;
      const effective: SellerAction = { type: 'request_proof', message, dueAt };
      const problem = checkActionParams(context.request, effective, context.now) ?? textLimitBlock(context.capabilities, 'proofMessage', message);
      if (problem !== null) return fail(problem);
      return ok(plan(context, effective, `Ask the buyer for photos or video by ${instantText(instantMs(dueAt))}.`));
    }
    case 'offer':
      return offerPlan(context, action);
    case 'escalate': {
      const option = escalateOption(context);
      if (!option.allowed) return fail(violation(option.code, option.message));
      const note = blankToUndefined(action.note);
      return ok(plan(context, note === undefined ? { type: 'escalate' } : { type: 'escalate', note }, option.message));
    }
    default:
      return missingCase(action);
  }
}

/** Validates a seller action from outside; `rules.invalid_action` names the bad fields. */
export function parseSellerAction(input: unknown): SellerAction {
  const parsed = SellerActionSchema.safeParse(input);
  if (!parsed.success) throw new RulesInputError('rules.invalid_action', 'action', zodIssues('action', parsed.error));
  return parsed.data;
}

/**
 * Checks one concrete seller decision against everything (state, deadline, phase, cap, policy,
 * the marketplace's capabilities, the action's fields) and plans it: the target state, the
 * refund, the effective action. It is blocked exactly when `allowedActions` blocks the action,
 * plus what only the parameters can break (an offer too high, a missing tracking number, a
 * refusal note longer than the marketplace takes...).
 */
export function planAction(
  order: Order,
  request: CancelRequest,
  action: SellerAction,
  policy: Policy,
  now: number,
  capabilities?: MarketplaceCapabilities | null,
): RuleResult<ActionPlan> {
  const context = checkSellerInput(order, request, policy, now, capabilities);
  return planFromContext(context, parseSellerAction(action));
}
