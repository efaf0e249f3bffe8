import type { MarketplaceCapabilities } from '../domain/marketplace';
import type { CancelRequest } from '../domain/request';
import { instantMs } from '../domain/time';
import { missingCase } from '../domain/views';
import { compare } from '../money';
import {
  RULES_TIME_ZONE,
  defaultProofDueAt,
  notADispute,
  type AcceptOption,
  type ActionOption,
  type ActionPlan,
  type EscalateOption,
  type OfferOption,
  type RefusalOption,
  type RefuseOption,
  type RequestProofOption,
} from './actions';
import type { BulkAction } from './bulk';
import { capabilityBlock, checkCapabilities, textLimitBlock } from './capabilities';
import { attachmentsBlock } from './attachments';
import { checkNow, checkRequest } from './input';
import { slaStatus, timeLeftMs } from './phase';
import { highValueThreshold, parsePolicy, proofThreshold, type Policy } from './policy';
import { REFUSAL_REASON_CATALOGUE, SELLER_REFUSAL_REASONS, buyerReasonInfo } from './reasons';
import type { Recommendation, RecommendationReason, RiskSignal, Urgency } from './recommend';
import {
  SELLER_ACTION_TYPES,
  TRANSITIONS,
  cannot,
  checkActionParams,
  checkRefusalReason,
  checkState,
  checkTime,
  stateExplanation,
  whoseTurn,
  type SellerAction,
  type SellerActionType,
} from './states';
import { durationText, instantText } from './text';
import { RULES_VERSION } from './version';
import { fail, ok, violation, type RuleResult, type RuleViolation } from './violations';

/**
 * The rules for a request whose order the app cannot use: the marketplace sent the order
 * malformed and it was set aside at sync (or only an older copy of it is cached, which may be
 * out of date). Nothing here guesses the order:
 * - accepting and offers need its amounts (what was paid, what was already refunded, shipping),
 *   so they stay blocked and say exactly that;
 * - what the request alone decides is checked from the request, its kind standing in for the
 *   order's phase (a `dispute` comes after shipment, a `cancel` before): asking for proof,
 *   escalating, and refusing with a reason that needs no order data (the carrier and tracking
 *   number of a shipment are typed by the seller, not prefilled from the order);
 * - no action is recommended: the recommendation says why, and how urgent the reply is.
 */

/** What is known of the set-aside order, for the sentences. */
export interface SetAsideOrder {
  /** Why it was set aside, naming the field ("buyer.name: Too big: ..."). */
  readonly reason: string;
  /** The version of the older copy still cached (shown, but not used by the rules); null when there is none. */
  readonly cachedVersion: number | null;
}

interface RequestOnlyContext {
  readonly request: CancelRequest;
  readonly policy: Policy;
  readonly now: number;
  readonly capabilities: MarketplaceCapabilities | null;
}

function setAsideWhy(request: CancelRequest): string {
  return `order ${request.orderId} was set aside because the marketplace sent it malformed; this becomes possible once a valid copy of the order arrives`;
}

function blockedBy(found: RuleViolation): { allowed: false; code: RuleViolation['code']; message: string } {
  return { allowed: false, code: found.code, message: found.message };
}

function allowedWith(message: string): { allowed: true; code: null; message: string } {
  return { allowed: true, code: null, message };
}

/** The marketplace has it, state and deadline: what every seller action checks first, order or not. */
function gate(context: RequestOnlyContext, type: SellerActionType): RuleViolation | null {
  return capabilityBlock(context.capabilities, context.request, type) ?? checkState(context.request, type) ?? checkTime(context.request, type, context.now);
}

function acceptWithoutOrder(context: RequestOnlyContext): AcceptOption {
  const found =
    gate(context, 'accept') ??
    violation(
      'order_set_aside',
      cannot('accept', `the refund is worked out from the order's amounts (what was paid, what was already refunded, shipping), and ${setAsideWhy(context.request)}`),
    );
  return { action: 'accept', refund: null, ...blockedBy(found) };
}

function offerWithoutOrder(context: RequestOnlyContext): OfferOption {
  const found =
    gate(context, 'offer') ??
    (context.request.kind === 'cancel' ? notADispute('offer') : null) ??
    violation(
      'order_set_aside',
      cannot('offer', `the most an offer may be depends on the order's amounts (what was paid and what was already refunded), and ${setAsideWhy(context.request)}`),
    );
  return { action: 'offer', range: null, ...blockedBy(found) };
}

function refusalOptionsWithoutOrder(context: RequestOnlyContext): RefusalOption[] {
  const { request, policy, now } = context;
  return SELLER_REFUSAL_REASONS.map((reason) => {
    const info = REFUSAL_REASON_CATALOGUE[reason];
    // Nothing comes from the order: the seller types the carrier and tracking number.
    const base = { reason, label: info.label, requires: info.requires, prefill: { carrier: null, trackingNumber: null, note: policy.refusalTemplates[reason] } };
    const blocked =
      request.kind === 'cancel' && reason !== 'already_shipped'
        ? violation('not_shipped', cannot('refuse', 'a cancel before shipment can only be refused with proof that the order has shipped'), 'reason')
        : checkRefusalReason(request, reason, now);
    if (blocked !== null) return { ...base, allowed: false, code: blocked.code, message: blocked.message };
    const message = reason === 'already_shipped' ? `${info.meaning} The order was set aside, so enter them yourself.` : info.meaning;
    return { ...base, allowed: true, code: null, message };
  });
}

function refuseWithoutOrder(context: RequestOnlyContext): RefuseOption {
  const found = gate(context, 'refuse');
  if (found !== null) return { action: 'refuse', reasons: [], ...blockedBy(found) };
  const reasons = refusalOptionsWithoutOrder(context);
  if (!reasons.some((option) => option.allowed)) {
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
    context.request.kind === 'cancel'
      ? 'Refuse only with proof of shipment: the carrier and tracking number, which you enter (the order was set aside).'
      : 'Refuse with a reason; the buyer may then escalate to the marketplace.';
  return { action: 'refuse', reasons, ...allowedWith(message) };
}

function requestProofWithoutOrder(context: RequestOnlyContext): RequestProofOption {
  const { request, policy, now } = context;
  const defaultMessage = policy.proofRequestTemplate;
  const info = buyerReasonInfo(request.reason);
  const found =
    gate(context, 'request_proof') ??
    (request.kind === 'cancel' ? notADispute('request_proof') : null) ??
    (!info.proofUseful ? violation('proof_not_useful', cannot('request_proof', `photos or video cannot show "${info.label}"`)) : null);
  if (found !== null) return { action: 'request_proof', defaultDueAt: null, dueDays: null, defaultMessage, ...blockedBy(found) };
  const dueDays = policy.proofDueDays;
  return {
    action: 'request_proof',
    defaultDueAt: defaultProofDueAt(policy, now, RULES_TIME_ZONE),
    dueDays,
    defaultMessage,
    // As `allowedActions` words it: the screen shows the due time in the seller's zone.
    ...allowedWith(`Ask the buyer for photos or video; by default it is due at the end of the day ${dueDays} day${dueDays === 1 ? '' : 's'} from today.`),
  };
}

function escalateWithoutOrder(context: RequestOnlyContext): EscalateOption {
  const found = gate(context, 'escalate') ?? (context.request.kind === 'cancel' ? notADispute('escalate') : null);
  if (found !== null) return { action: 'escalate', ...blockedBy(found) };
  return { action: 'escalate', ...allowedWith('Ask the marketplace to mediate; it then decides.') };
}

function optionWithoutOrder(context: RequestOnlyContext, type: SellerActionType): ActionOption {
  switch (type) {
    case 'accept':
      return acceptWithoutOrder(context);
    case 'refuse':
      return refuseWithoutOrder(context);
    case 'request_proof':
      return requestProofWithoutOrder(context);
    case 'offer':
      return offerWithoutOrder(context);
    case 'escalate':
      return escalateWithoutOrder(context);
    default:
      return missingCase(type);
  }
}

function checkedContext(request: CancelRequest, policy: Policy, now: number, capabilities?: MarketplaceCapabilities | null): RequestOnlyContext {
  return { request: checkRequest(request), policy: parsePolicy(policy), now: checkNow(now), capabilities: checkCapabilities(capabilities) };
}

/**
 * Every seller action for a request whose order was set aside, in the order `allowedActions`
 * gives them, each allowed or blocked with its sentence (and, as there, what the marketplace's
 * `capabilities` lack is blocked).
 */
export function allowedActionsWithoutOrder(request: CancelRequest, policy: Policy, now: number, capabilities?: MarketplaceCapabilities | null): ActionOption[] {
  const context = checkedContext(request, policy, now, capabilities);
  return SELLER_ACTION_TYPES.map((type) => optionWithoutOrder(context, type));
}

function blankToUndefined(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function planned(context: RequestOnlyContext, action: SellerAction, summary: string): ActionPlan {
  return {
    action,
    from: context.request.state,
    to: TRANSITIONS[action.type].to,
    refund: null,
    quote: null,
    offer: null,
    summary,
    rulesVersion: RULES_VERSION,
  };
}

/**
 * Plans one decision (a bulk action's parameters) on a request whose order was set aside: blocked
 * exactly when `allowedActionsWithoutOrder` blocks it, plus what only the parameters can break (a
 * refusal without its tracking number or note, a due date in the past).
 */
export function planWithoutOrder(
  request: CancelRequest,
  action: BulkAction,
  policy: Policy,
  now: number,
  capabilities?: MarketplaceCapabilities | null,
): RuleResult<ActionPlan> {
  const context = checkedContext(request, policy, now, capabilities);
  const option = optionWithoutOrder(context, action.type);
  if (!option.allowed) return fail(violation(option.code, option.message));
  switch (action.type) {
    case 'accept':
    case 'offer':
      // Never reached: both need the order's amounts and are blocked above.
      return fail(violation('order_set_aside', option.message));
    case 'refuse': {
      const chosen = option.action === 'refuse' ? option.reasons.find((reason) => reason.reason === action.reason) : undefined;
      if (chosen !== undefined && !chosen.allowed) return fail(violation(chosen.code ?? 'refusal_reason_not_allowed', chosen.message, 'reason'));
      const note = blankToUndefined(action.note);
      const carrier = blankToUndefined(action.carrier);
      const trackingNumber = blankToUndefined(action.trackingNumber);
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
      const proof = action.reason === 'already_shipped' && carrier !== undefined ? ` (${carrier} ${trackingNumber ?? ''})` : '';
      return ok(planned(context, effective, `Refuse: ${REFUSAL_REASON_CATALOGUE[action.reason].label}${proof}.`));
    }
    case 'request_proof': {
      const dueAt = action.dueAt ?? (option.action === 'request_proof' ? option.defaultDueAt : null) ?? defaultProofDueAt(context.policy, context.now, RULES_TIME_ZONE);
      const message = blankToUndefined(action.message) ?? context.policy.proofRequestTemplate;
      const effective: SellerAction = { type: 'request_proof', message, dueAt };
      const problem = checkActionParams(context.request, effective, context.now) ?? textLimitBlock(context.capabilities, 'proofMessage', message);
      if (problem !== null) return fail(problem);
      return ok(planned(context, effective, `Ask the buyer for photos or video by ${instantText(instantMs(dueAt))}.`));
    }
    case 'escalate': {
      const note = blankToUndefined(action.note);
      return ok(planned(context, note === undefined ? { type: 'escalate' } : { type: 'escalate', note }, option.message));
    }
    default:
      return missingCase(action);
  }
}

/** The risk signals the request alone shows (the buyer's history and the tracking need the order). */
function requestOnlySignals(context: RequestOnlyContext): RiskSignal[] {
  const { request, policy, now } = context;
  const signals: RiskSignal[] = [];
  const highValue = highValueThreshold(policy, request.requestedAmount.currency);
  if (highValue !== null && compare(request.requestedAmount, highValue) >= 0) signals.push('high_value');
  const dispute = request.kind === 'dispute' && request.evidence.length === 0;
  if (dispute && buyerReasonInfo(request.reason).proofUseful) signals.push('needs_proof');
  const threshold = proofThreshold(policy, request.reason, request.requestedAmount.currency);
  if (dispute && threshold !== null && compare(request.requestedAmount, threshold) >= 0) signals.push('proof_required_by_policy');
  if (slaStatus(request, policy, now) === 'warning') signals.push('deadline_close');
  return signals;
}

/**
 * No suggestion without the order, and the reason why, first: which order, why it was set aside
 * (the field at fault), what that blocks. Then how urgent a reply is, from the deadline.
 */
export function recommendWithoutOrder(request: CancelRequest, policy: Policy, now: number, setAside: SetAsideOrder): Recommendation {
  const context = checkedContext(request, policy, now);
  const left = timeLeftMs(context.request, context.now);
  const older = setAside.cachedVersion === null ? '' : ` The order shown is an older copy (version ${setAside.cachedVersion}) and may be out of date.`;
  const reasons: RecommendationReason[] = [
    {
      code: 'order_set_aside',
      message:
        `Order ${context.request.orderId} was set aside at sync because the marketplace sent it malformed (${setAside.reason}). ` +
        `Without it nothing is suggested: accepting and offers need its amounts and wait for a valid copy; the other actions below are checked from the request alone.${older}`,
    },
  ];
  const turn = whoseTurn(context.request.state);
  let urgency: Urgency = 'none';
  if (turn === 'seller') {
    const signals = requestOnlySignals(context);
    if (left <= 0) {
      urgency = 'overdue';
      reasons.push({ code: 'deadline_passed', message: `The reply deadline passed at ${instantText(context.now + left)}; the marketplace decides now.` });
    } else if (signals.includes('deadline_close')) {
      urgency = 'act_now';
      reasons.push({ code: 'deadline_close', message: `Act now: ${durationText(left)} left before the marketplace decides at ${instantText(context.now + left)}.` });
    } else {
      urgency = 'normal';
    }
    return { action: null, reasons, signals, urgency, timeLeftMs: left, rulesVersion: RULES_VERSION };
  }
  reasons.push({ code: turn === 'buyer' ? 'waiting_for_buyer' : 'nothing_to_do', message: `Nothing to do now: ${stateExplanation(context.request)}.` });
  return { action: null, reasons, signals: requestOnlySignals(context), urgency, timeLeftMs: left, rulesVersion: RULES_VERSION };
}

