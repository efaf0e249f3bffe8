import type { MarketplaceCapabilities } from '../domain/marketplace';
import { DeskError } from '../errors';
import { add, type Money } from '../money';
import { planFromContext, sellerContext, type ActionPlan, type SellerContext } from './actions';
import type { BulkItem, BulkSkipGroup, BulkTotal } from './bulk';
import { capabilitiesChecker } from './capabilities';
import { checkNow, checkOrder, checkRequest, RulesInputError } from './input';
import { policyChecker, type Policy } from './policy';
import { parseHistory, recommendFromContext, type HistoryEntry, type Recommendation, type RecommendationReason, type Urgency } from './recommend';
import { SELLER_ACTION_TYPES, type SellerAction, type SellerActionType } from './states';
import { amountText } from './text';
import { RULES_VERSION } from './version';
import { violation, type RuleViolation, type RuleViolationCode } from './violations';

/**
 * "Do what is recommended" over one request or many (design.md §3, `recommend`, used for "accept
 * all recommended"): each request's own recommended action, with the parameters the rules can
 * give it (the policy's refusal template as the note and the order's tracking for a refusal, the
 * policy's message and due date for proof, the offer's amount), planned like any decision, then
 * grouped by action with counts and totals per currency. A request with nothing recommended, or
 * whose recommended action needs what the rules cannot fill in (a tracking number the order does
 * not have, say), is skipped with the sentence why: nothing is ever sent half-filled.
 */

/** One request to follow: its order and request (as for `planBulk`) and the buyer's other requests. */
export interface RecommendedItem extends BulkItem {
  /** The buyer's other requests (repeat-canceller signal); none when absent. */
  readonly history?: readonly HistoryEntry[];
}

export type RecommendedPlanItem =
  | {
      readonly index: number;
      readonly requestId: string | null;
      readonly orderId: string | null;
      readonly status: 'will_do';
      /** The recommended action, filled in and planned: what will be sent. */
      readonly plan: ActionPlan;
      /** The refund (accept) or the offer (offer); null for the other actions. */
      readonly amount: Money | null;
      /** Why it is recommended (the recommendation's reasons, the first is the main one). */
      readonly reasons: readonly RecommendationReason[];
      readonly urgency: Urgency;
    }
  | {
      readonly index: number;
      readonly requestId: string | null;
      readonly orderId: string | null;
      readonly status: 'skipped';
      readonly code: RuleViolationCode;
      readonly message: string;
      readonly field?: string;
    };

/** The requests one action will be done on, with its totals per currency (refunds for accept, offers for offer). */
export interface RecommendedGroup {
  readonly action: SellerActionType;
  readonly count: number;
  /** Sorted by currency code; empty for actions that move no money. */
  readonly totals: readonly BulkTotal[];
}

export interface RecommendedPlan {
  readonly items: readonly RecommendedPlanItem[];
  readonly counts: { readonly total: number; readonly willDo: number; readonly skipped: number };
  /** One group per action that will be done, in the rules' action order (accept, refuse, request_proof, offer, escalate). */
  readonly groups: readonly RecommendedGroup[];
  /** Skipped items grouped by code, most frequent first. */
  readonly skipped: readonly BulkSkipGroup[];
  readonly summary: string;
  readonly rulesVersion: string;
}

const NOTHING_RECOMMENDED = 'Nothing is recommended for this request now.';

/** The recommended action with what the rules can add to it; `planFromContext` adds the rest (tracking, due date, message). */
function withParameters(context: SellerContext, action: SellerAction): SellerAction {
  if (action.type !== 'refuse' || action.note !== undefined) return action;
  const template = context.policy.refusalTemplates[action.reason].trim();
  return template === '' ? action : { ...action, note: template };
}

/** Why a filled-in recommendation still cannot go: a field only the seller can give says so. */
function notFillable(found: RuleViolation): RuleViolation {
  if (found.code !== 'missing_field') return found;
  return violation(found.code, `${found.message} The recommendation cannot fill that in: decide this request yourself.`, found.field);
}

/** The skip for a request with nothing to do now, with the recommendation's own sentence. */
function noRecommendation(recommendation: Recommendation): RuleViolation {
  const [first] = recommendation.reasons;
  if (first?.code === 'not_supported_by_marketplace') return violation('not_supported_by_marketplace', first.message);
  return violation('no_recommendation', first?.message ?? NOTHING_RECOMMENDED);
}

function idOf(value: unknown, key: 'id' | 'orderId'): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)[key];
  return typeof id === 'string' ? id : null;
}

const GROUP_VERBS: Readonly<Record<SellerActionType, string>> = {
  accept: 'accept',
  refuse: 'refuse',
  request_proof: 'ask for proof on',
  offer: 'offer on',
  escalate: 'escalate',
};

function byCurrency(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Plans "do what is recommended" on each item at one `now`: per item, will-do (the recommended
 * action as it will be sent, its amount and why) or skipped with the sentence why not; will-do
 * items grouped by action with counts and totals per currency. `capabilities` as in `planBulk`
 * (an item may carry its own store's): what the marketplace lacks is never recommended.
 */
export function planRecommended(
  items: readonly RecommendedItem[],
  policy: Policy,
  now: number,
  capabilities?: MarketplaceCapabilities | null,
): RecommendedPlan {
  if (!Array.isArray(items)) {
    throw new RulesInputError('rules.invalid_items', 'recommended selection', [{ field: 'items', message: 'must be a list of { order, request, history? }' }]);
  }
  const checkPolicy = policyChecker();
  const checkedPolicy = checkPolicy(policy);
  const at = checkNow(now);
  const checkItemCapabilities = capabilitiesChecker();
  const planCapabilities = checkItemCapabilities(capabilities);
  const seen = new Set<string>();
  const planned = (items as readonly unknown[]).map((raw, index): RecommendedPlanItem => {
    const item = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const requestId = idOf(item.request, 'id');
    const orderId = idOf(item.order, 'id') ?? idOf(item.request, 'orderId');
    const skip = (found: RuleViolation): RecommendedPlanItem => ({
      index,
      requestId,
      orderId,
      status: 'skipped',
      code: found.code,
      message: found.message,
      ...(found.field === undefined ? {} : { field: found.field }),
    });
    let context: SellerContext;
    let history: HistoryEntry[];
    try {
      const order = checkOrder(item.order);
      const itemCapabilities = item.capabilities === undefined ? planCapabilities : checkItemCapabilities(item.capabilities);
      const itemPolicy = item.policy === undefined ? checkedPolicy : checkPolicy(item.policy);
      context = sellerContext(order, checkRequest(item.request, order), itemPolicy, at, itemCapabilities);
      history = parseHistory((item.history ?? []) as HistoryEntry[]);
    } catch (error) {
      if (error instanceof DeskError) {
        return skip(violation('invalid_input', error.message, error instanceof RulesInputError ? error.field : undefined));
      }
      throw error;
    }
    if (seen.has(context.request.id)) {
      return skip(violation('duplicate_item', 'Skipped: this request is already in the batch, and a decision is never applied twice.'));
    }
    seen.add(context.request.id);
    const recommendation = recommendFromContext(context, history);
    if (recommendation.action === null) return skip(noRecommendation(recommendation));
    const result = planFromContext(context, withParameters(context, recommendation.action));
    if (!result.ok) return skip(notFillable(result.error));
    const plan = result.value;
    return {
      index,
      requestId,
      orderId,
      status: 'will_do',
      plan,
      amount: plan.refund ?? plan.offer,
      reasons: recommendation.reasons,
      urgency: recommendation.urgency,
    };
  });
  return summarise(planned);
}

function summarise(planned: RecommendedPlanItem[]): RecommendedPlan {
  const groups = new Map<SellerActionType, { count: number; totals: Map<string, { amount: Money; count: number }> }>();
  const skips = new Map<RuleViolationCode, { count: number; example: string }>();
  for (const item of planned) {
    if (item.status === 'skipped') {
      const skip = skips.get(item.code);
      skips.set(item.code, { count: (skip?.count ?? 0) + 1, example: skip?.example ?? item.message });
      continue;
    }
    const type = item.plan.action.type;
    const group = groups.get(type) ?? { count: 0, totals: new Map<string, { amount: Money; count: number }>() };
    group.count += 1;
    if (item.amount !== null) {
      const total = group.totals.get(item.amount.currency);
      group.totals.set(item.amount.currency, { amount: total === undefined ? item.amount : add(total.amount, item.amount), count: (total?.count ?? 0) + 1 });
    }
    groups.set(type, group);
  }
  const groupList: RecommendedGroup[] = SELLER_ACTION_TYPES.flatMap((action) => {
    const group = groups.get(action);
    if (group === undefined) return [];
    const totals = [...group.totals.entries()].sort(([a], [b]) => byCurrency(a, b)).map(([currency, total]) => ({ currency, amount: total.amount, count: total.count }));
    return [{ action, count: group.count, totals }];
  });
  const skippedList = [...skips.entries()]
    .map(([code, skip]) => ({ code, count: skip.count, example: skip.example }))
    .sort((a, b) => b.count - a.count || byCurrency(a.code, b.code));
  const willDo = planned.length - skippedList.reduce((sum, skip) => sum + skip.count, 0);
  const skippedCount = planned.length - willDo;
  const parts = groupList.map((group) => {
    const money = group.totals.length > 0 ? ` (${group.totals.map((total) => amountText(total.amount)).join(' and ')})` : '';
    return `${GROUP_VERBS[group.action]} ${group.count}${money}`;
  });
  const what = parts.length > 0 ? `: ${parts.join(', ')}` : '';
  const summary = `Follow ${willDo} of ${planned.length} recommendation${planned.length === 1 ? '' : 's'}${what}${skippedCount > 0 ? `; ${skippedCount} skipped` : ''}.`;
  return {
    items: planned,
    counts: { total: planned.length, willDo, skipped: skippedCount },
    groups: groupList,
    skipped: skippedList,
    summary,
    rulesVersion: RULES_VERSION,
  };
}
