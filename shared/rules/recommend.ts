import { z } from 'zod';
import type { MarketplaceCapabilities } from '../domain/marketplace';
import type { Order } from '../domain/order';
import { CancelRequestSchema, type CancelRequest } from '../domain/request';
import { instantMs } from '../domain/time';
import { missingCase } from '../domain/views';
import { compare } from '../money';
import { acceptOption, actionOption, checkSellerInput, offerOption, type SellerContext } from './actions';
import { capabilityBlock } from './capabilities';
import { RulesInputError, zodIssues } from './input';
import { replyDeadlineMs, slaStatus, timeLeftMs } from './phase';
import { highValueThreshold, proofThreshold, type Policy } from './policy';
import { buyerReasonInfo } from './reasons';
import { stateExplanation, whoseTurn, type SellerAction } from './states';
import { replyStillDue } from './standing';
import { amountText, durationText, instantText, untrustedText } from './text';
import { RULES_VERSION } from './version';

/** An earlier request of the same buyer (a CancelRequest fits). */
export const HistoryEntrySchema = CancelRequestSchema.pick({
  id: true,
  orderId: true,
  kind: true,
  reason: true,
  requestedAt: true,
  state: true,
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const RISK_SIGNALS = [
  'repeat_canceller',
  'high_value',
  'needs_proof',
  'proof_required_by_policy',
  'tracking_shows_delivered',
  'deadline_close',
] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

export const RECOMMENDATION_REASON_CODES = [
  'not_paid',
  'full_refund_due',
  'tracking_on_file',
  'tracking_shows_delivered',
  'no_risk',
  'repeat_canceller',
  'high_value',
  'proof_required_by_policy',
  'evidence_in',
  'proof_overdue',
  'buyer_refused_offer',
  'shipping_policy',
  'waiting_for_buyer',
  'deadline_close',
  'deadline_passed',
  'nothing_to_do',
  'order_set_aside',
  'not_supported_by_marketplace',
] as const;
export type RecommendationReasonCode = (typeof RECOMMENDATION_REASON_CODES)[number];

export interface RecommendationReason {
  readonly code: RecommendationReasonCode;
  readonly message: string;
}

export type Urgency = 'overdue' | 'act_now' | 'normal' | 'none';

export interface Recommendation {
  /** The action to take, ready for `planAction`; null when there is nothing to do now. */
  readonly action: SellerAction | null;
  readonly reasons: readonly RecommendationReason[];
  readonly signals: readonly RiskSignal[];
  readonly urgency: Urgency;
  readonly timeLeftMs: number;
  readonly rulesVersion: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Validates a buyer's history for the rules; `rules.invalid_history` names the bad fields. */
export function parseHistory(history: readonly HistoryEntry[]): HistoryEntry[] {
  const parsed = z.array(HistoryEntrySchema).safeParse(history);
  if (!parsed.success) throw new RulesInputError('rules.invalid_history', 'history', zodIssues('history', parsed.error));
  return parsed.data;
}

/** The buyer's requests within the policy window, this one included. */
function recentRequestCount(context: SellerContext, history: readonly HistoryEntry[]): number {
  const since = context.now - context.policy.repeatCanceller.windowDays * DAY_MS;
  const earlier = history.filter((entry) => {
    const at = instantMs(entry.requestedAt);
    return entry.id !== context.request.id && at >= since && at <= context.now;
  });
  return earlier.length + 1;
}

function riskSignals(context: SellerContext, requestCount: number): RiskSignal[] {
  const { order, request, policy } = context;
  const signals: RiskSignal[] = [];
  const afterShipment = context.phase === 'after_shipment';
  if (requestCount >= policy.repeatCanceller.minRequests) signals.push('repeat_canceller');
  const highValue = highValueThreshold(policy, request.requestedAmount.currency);
  if (highValue !== null && compare(request.requestedAmount, highValue) >= 0) signals.push('high_value');
  const noEvidence = request.evidence.length === 0;
  if (afterShipment && noEvidence && buyerReasonInfo(request.reason).proofUseful) signals.push('needs_proof');
  const threshold = proofThreshold(policy, request.reason, request.requestedAmount.currency);
  if (afterShipment && noEvidence && threshold !== null && compare(request.requestedAmount, threshold) >= 0) {
    signals.push('proof_required_by_policy');
  }
  if (afterShipment && request.reason === 'not_received' && order.tracking !== null && (order.status === 'delivered' || order.status === 'completed')) {
    signals.push('tracking_shows_delivered');
  }
  // Only a reply still owed can be late: once accepted, refused or handed to the buyer, the
  // marketplace's deadline is no longer the seller's to meet.
  const replyOwed = replyStillDue({ state: request.state, proofDueAt: request.proofRequest?.dueAt ?? null }, context.now);
  if (replyOwed && slaStatus(request, policy, context.now) === 'warning') signals.push('deadline_close');
  return signals;
}

interface Choice {
  readonly action: SellerAction | null;
  readonly reasons: RecommendationReason[];
}

function allowed(context: SellerContext, type: SellerAction['type']): boolean {
  return actionOption(context, type).allowed;
}

function riskReasons(context: SellerContext, signals: readonly RiskSignal[], requestCount: number): RecommendationReason[] {
  const { request, policy } = context;
  const label = buyerReasonInfo(request.reason).label;
  const reasons: RecommendationReason[] = [];
  if (signals.includes('proof_required_by_policy')) {
    reasons.push({ code: 'proof_required_by_policy', message: `Your policy asks for photos or video before refunding "${label}" claims like this one.` });
  }
  if (signals.includes('high_value')) {
    reasons.push({ code: 'high_value', message: `High value: the buyer asks for ${amountText(request.requestedAmount)}.` });
  }
  if (signals.includes('repeat_canceller')) {
    reasons.push({
      code: 'repeat_canceller',
      message: `Repeat canceller: ${requestCount} requests from this buyer in the last ${policy.repeatCanceller.windowDays} days.`,
    });
  }
  return reasons;
}

function afterShipmentChoice(context: SellerContext, signals: readonly RiskSignal[], requestCount: number): Choice {
  const { request } = context;
  const label = buyerReasonInfo(request.reason).label;
  if (request.state === 'refused_by_buyer' && allowed(context, 'escalate')) {
    return { action: { type: 'escalate' }, reasons: [{ code: 'buyer_refused_offer', message: 'The buyer refused your offer: let the marketplace mediate.' }] };
  }
  if (request.state === 'requested') {
    if (signals.includes('tracking_shows_delivered') && allowed(context, 'refuse')) {
      return {
        action: { type: 'refuse', reason: 'already_shipped' },
        reasons: [{ code: 'tracking_shows_delivered', message: 'The buyer says the item did not arrive, but the tracking on file shows it was delivered.' }],
      };
    }
    const risks = riskReasons(context, signals, requestCount);
    if (signals.includes('needs_proof') && risks.length > 0 && allowed(context, 'request_proof')) {
      return { action: { type: 'request_proof' }, reasons: risks };
    }
    if (signals.includes('repeat_canceller') && !buyerReasonInfo(request.reason).proofUseful && allowed(context, 'escalate')) {
      return { action: { type: 'escalate' }, reasons: [...risks, { code: 'repeat_canceller', message: `Photos cannot show "${label}", so let the marketplace look at this buyer's claims.` }] };
    }
  }
  const accept = acceptOption(context);
  if (accept.allowed) {
    const reasons: RecommendationReason[] =
      request.state === 'proof_submitted'
        ? [{ code: 'evidence_in', message: `The buyer sent ${request.evidence.length} file${request.evidence.length === 1 ? '' : 's'} as proof.` }]
        : [{ code: 'no_risk', message: `Nothing here calls for more than refunding ${amountText(accept.refund.total)}.` }];
    return { action: { type: 'accept' }, reasons };
  }
  const offer = offerOption(context);
  if (accept.code === 'shipping_not_refundable' && offer.allowed) {
    return {
      action: { type: 'offer', amount: offer.range.max },
      reasons: [{ code: 'shipping_policy', message: `Offer ${amountText(offer.range.max)}: everything but shipping, which your policy does not refund here.` }],
    };
  }
  // Escalating is open in every state that reaches here; the check keeps the promise that the
  // suggestion is always allowed.
  const escalate = allowed(context, 'escalate');
  return {
    action: escalate ? { type: 'escalate' } : null,
    reasons: [{ code: 'nothing_to_do', message: escalate ? `${accept.message} Let the marketplace mediate instead.` : accept.message }],
  };
}

function choose(context: SellerContext, signals: readonly RiskSignal[], requestCount: number): Choice {
  const { request, order } = context;
  if (timeLeftMs(request, context.now) <= 0 && whoseTurn(request.state) === 'seller') {
    return { action: null, reasons: [{ code: 'deadline_passed', message: `The reply deadline passed at ${instantText(replyDeadlineMs(request))}; the marketplace decides now.` }] };
  }
  if (request.state === 'proof_requested') {
    if (allowed(context, 'refuse')) {
      return {
        action: { type: 'refuse', reason: 'no_evidence_provided' },
        reasons: [{ code: 'proof_overdue', message: 'The proof due date has passed and the buyer sent nothing.' }],
      };
    }
    return { action: null, reasons: [{ code: 'waiting_for_buyer', message: `Wait: ${stateExplanation(request)}.` }] };
  }
  if (whoseTurn(request.state) !== 'seller' || context.phase === 'closed') {
    const why = context.phase === 'closed' ? 'the order is already cancelled' : stateExplanation(request);
    const code: RecommendationReasonCode = whoseTurn(request.state) === 'buyer' ? 'waiting_for_buyer' : 'nothing_to_do';
    return { action: null, reasons: [{ code, message: `Nothing to do: ${why}.` }] };
  }
  switch (context.phase) {
    case 'before_payment':
      return { action: { type: 'accept' }, reasons: [{ code: 'not_paid', message: 'The buyer has not paid: accepting just cancels the order.' }] };
    case 'before_shipment': {
      if (order.tracking !== null && allowed(context, 'refuse')) {
        return {
          action: { type: 'refuse', reason: 'already_shipped' },
          reasons: [{ code: 'tracking_on_file', message: `The order already has tracking (${untrustedText(`${order.tracking.carrier} ${order.tracking.number}`)}): refuse with proof of shipment.` }],
        };
      }
      const reasons: RecommendationReason[] = [{ code: 'full_refund_due', message: 'Before shipment a cancel is refunded in full; it can only be refused with proof of shipment.' }];
      if (signals.includes('repeat_canceller')) {
        reasons.push({ code: 'repeat_canceller', message: `Repeat canceller: ${requestCount} requests from this buyer in the last ${context.policy.repeatCanceller.windowDays} days, but that alone is no ground to refuse.` });
      }
      return { action: { type: 'accept' }, reasons };
    }
    case 'after_shipment':
      return afterShipmentChoice(context, signals, requestCount);
    default:
      return missingCase(context.phase);
  }
}

/**
 * What the marketplace lacks is never suggested: the steps that check `allowed` move on to the
 * next choice; one chosen without a check (accepting before payment or shipment) becomes "nothing
 * to suggest", with the marketplace's sentence.
 */
function withinCapabilities(context: SellerContext, choice: Choice): Choice {
  if (choice.action === null) return choice;
  const unsupported = capabilityBlock(context.capabilities, context.request, choice.action.type);
  if (unsupported === null) return choice;
  return { action: null, reasons: [{ code: 'not_supported_by_marketplace', message: unsupported.message }] };
}

/**
 * A suggested next step for the seller, with its reasons: accept a pre-shipment cancel with no
 * risk, ask for proof of a costly or policy-bound damage claim without photos, escalate a repeat
 * canceller's unprovable claim, refuse for missing proof once it is overdue... and how urgent it
 * is. The suggested action is always one `planAction` accepts as it is (with the same
 * `capabilities`: what the store's marketplace lacks is never suggested).
 */
export function recommend(
  order: Order,
  request: CancelRequest,
  history: readonly HistoryEntry[],
  policy: Policy,
  now: number,
  capabilities?: MarketplaceCapabilities | null,
): Recommendation {
  return recommendFromContext(checkSellerInput(order, request, policy, now, capabilities), parseHistory(history));
}

/** `recommend` from validated input (the buyer's history included): what the recommended bulk plan builds on. */
export function recommendFromContext(context: SellerContext, history: readonly HistoryEntry[]): Recommendation {
  const requestCount = recentRequestCount(context, history);
  const signals = riskSignals(context, requestCount);
  const choice = withinCapabilities(context, choose(context, signals, requestCount));
  const left = timeLeftMs(context.request, context.now);
  let urgency: Urgency = 'none';
  const reasons = [...choice.reasons];
  if (choice.action !== null) {
    urgency = signals.includes('deadline_close') ? 'act_now' : 'normal';
    if (urgency === 'act_now') {
      reasons.push({
        code: 'deadline_close',
        message: `Act now: ${durationText(left)} left before the marketplace decides at ${instantText(context.now + left)}.`,
      });
    }
  } else if (left <= 0 && whoseTurn(context.request.state) === 'seller') {
    urgency = 'overdue';
  }
  return { action: choice.action, reasons, signals, urgency, timeLeftMs: left, rulesVersion: RULES_VERSION };
}
