import { z } from 'zod';
import type { MarketplaceCapabilities } from '../domain/marketplace';
import type { Order } from '../domain/order';
import type { CancelRequest } from '../domain/request';
import { IsoInstantSchema } from '../domain/time';
import { missingCase } from '../domain/views';
import { DeskError } from '../errors';
import { MoneySchema, add, money, multiplyByRatio, type Money } from '../money';
import { actionOption, planFromContext, sellerContext, type ActionPlan, type SellerContext } from './actions';
import { capabilitiesChecker } from './capabilities';
import { checkNow, checkOrder, checkRequest, RulesInputError, zodIssues } from './input';
import { policyChecker, type Policy } from './policy';
import { SellerRefusalReasonSchema } from './reasons';
import { AttachmentIdsSchema, type SellerAction, type SellerActionType } from './states';
import { amountText } from './text';
import { RULES_VERSION } from './version';
import { violation, type RuleViolation, type RuleViolationCode } from './violations';

const Note = z.string().max(2000);

/**
 * The parameters of a bulk action, shared by every item. An offer is either one amount (items in
 * other currencies are skipped) or a percentage of what each buyer asks, rounded down.
 */
export const BulkActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('accept') }),
  z.strictObject({
    type: z.literal('refuse'),
    reason: SellerRefusalReasonSchema,
    note: Note.optional(),
    carrier: z.string().max(100).optional(),
    trackingNumber: z.string().max(100).optional(),
    /** Photos for one request's refusal (a decision on several carries none: DecideInputSchema). */
    attachments: AttachmentIdsSchema.optional(),
  }),
  z.strictObject({ type: z.literal('request_proof'), message: Note.optional(), dueAt: IsoInstantSchema.optional() }),
  z
    .strictObject({
      type: z.literal('offer'),
      amount: MoneySchema.optional(),
      percent: z.number().int().min(1).max(99).optional(),
      attachments: AttachmentIdsSchema.optional(),
    })
    .refine((offer) => (offer.amount === undefined) !== (offer.percent === undefined), {
      message: 'give either an amount or a percent, not both or neither',
      path: ['amount'],
    }),
  z.strictObject({ type: z.literal('escalate'), note: Note.optional() }),
]);
export type BulkAction = z.infer<typeof BulkActionSchema>;
/** The parameters for a bulk `T`: the bulk action without its `type`. */
export type BulkParams<T extends SellerActionType> = T extends BulkAction['type']
  ? Extract<BulkAction, { type: T }> extends infer Action
    ? Action extends BulkAction
      ? Omit<Action, 'type'>
      : never
    : never
  : never;

export interface BulkItem {
  readonly order: Order;
  readonly request: CancelRequest;
  /** What this item's store's marketplace can do, when it differs from the plan's (a queue spanning stores). */
  readonly capabilities?: MarketplaceCapabilities | null;
  /** This item's store's policy, when it has its own (a queue spanning stores); the plan's otherwise. */
  readonly policy?: Policy;
}

export type BulkPlanItem =
  | {
      readonly index: number;
      readonly requestId: string | null;
      readonly orderId: string | null;
      readonly status: 'will_do';
      readonly plan: ActionPlan;
      /** The refund (accept) or the offer (offer); null for the other actions. */
      readonly amount: Money | null;
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

export interface BulkTotal {
  readonly currency: string;
  readonly amount: Money;
  /** Items planned in this currency. */
  readonly count: number;
}

export interface BulkSkipGroup {
  readonly code: RuleViolationCode;
  readonly count: number;
  /** The sentence of the first item skipped for this reason. */
  readonly example: string;
}

export interface BulkPlan {
  readonly action: SellerActionType;
  readonly items: readonly BulkPlanItem[];
  readonly counts: { readonly total: number; readonly willDo: number; readonly skipped: number };
  /** Sum of the planned amounts per currency, sorted by currency code. */
  readonly totals: readonly BulkTotal[];
  /** Skipped items grouped by code, most frequent first. */
  readonly skipped: readonly BulkSkipGroup[];
  readonly summary: string;
  readonly rulesVersion: string;
}

/** Array.isArray without narrowing a typed list to any[] (the check guards callers outside TypeScript). */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

function idOf(value: unknown, key: 'id' | 'orderId'): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>)[key];
  return typeof id === 'string' ? id : null;
}

/** The concrete action for one item (a percentage offer becomes this buyer's amount). */
function actionForItem(bulk: BulkAction, context: SellerContext): SellerAction {
  switch (bulk.type) {
    case 'accept':
    case 'refuse':
    case 'request_proof':
    case 'escalate':
      return bulk;
    case 'offer': {
      const attachments = bulk.attachments === undefined ? {} : { attachments: bulk.attachments };
      if (bulk.amount !== undefined) return { type: 'offer', amount: bulk.amount, ...attachments };
      const accepted = context.accept;
      const base = accepted !== null && accepted.ok ? accepted.value.total : (context.full?.maxRefund ?? money(0, context.order.currency));
      // The schema guarantees a percent when there is no amount.
      return { type: 'offer', amount: multiplyByRatio(base, bulk.percent ?? 0, 100, 'floor'), ...attachments };
    }
    default:
      return missingCase(bulk);
  }
}

const BULK_VERBS: Readonly<Record<SellerActionType, string>> = {
  accept: 'Accept',
  refuse: 'Refuse',
  request_proof: 'Ask for proof on',
  offer: 'Offer on',
  escalate: 'Escalate',
};

/**
 * Plans one seller action over many requests: per item, will-do (with its amount) or skipped
 * with the same code and sentence `allowedActions` gives for it (or the parameter problem, or
 * a malformed item, or a duplicate); totals per currency and counts. Nothing is sent: the plan
 * is what the seller confirms. `capabilities` (the marketplace's; an item may carry its own
 * store's) skip an action the marketplace lacks with its sentence; none: every action exists.
 */
export function planBulk<T extends SellerActionType>(
  items: readonly BulkItem[],
  action: T,
  params: BulkParams<T>,
  policy: Policy,
  now: number,
  capabilities?: MarketplaceCapabilities | null,
): BulkPlan {
  if (!isList(items)) {
    throw new RulesInputError('rules.invalid_items', 'bulk selection', [{ field: 'items', message: 'must be a list of { order, request }' }]);
  }
  const parsed = BulkActionSchema.safeParse({ ...params, type: action });
  if (!parsed.success) throw new RulesInputError('rules.invalid_action', 'bulk action', zodIssues('params', parsed.error));
  const bulk = parsed.data;
  const checkPolicy = policyChecker();
  const checkedPolicy = checkPolicy(policy);
  const at = checkNow(now);
  const checkItemCapabilities = capabilitiesChecker();
  const planCapabilities = checkItemCapabilities(capabilities);
  const seen = new Set<string>();
  const planned: BulkPlanItem[] = items.map((item, index) => {
    const rawRequest: unknown = typeof item === 'object' && item !== null ? item.request : undefined;
    const rawOrder: unknown = typeof item === 'object' && item !== null ? item.order : undefined;
    const rawCapabilities: unknown = typeof item === 'object' && item !== null ? item.capabilities : undefined;
    const rawPolicy: unknown = typeof item === 'object' && item !== null ? item.policy : undefined;
    const requestId = idOf(rawRequest, 'id');
    const orderId = idOf(rawOrder, 'id') ?? idOf(rawRequest, 'orderId');
    const skip = (found: RuleViolation): BulkPlanItem => ({
      index,
      requestId,
      orderId,
      status: 'skipped',
      code: found.code,
      message: found.message,
      ...(found.field === undefined ? {} : { field: found.field }),
    });
    let context: SellerContext;
    try {
      const order = checkOrder(rawOrder);
      const itemCapabilities = rawCapabilities === undefined ? planCapabilities : checkItemCapabilities(rawCapabilities);
      const itemPolicy = rawPolicy === undefined ? checkedPolicy : checkPolicy(rawPolicy);
      context = sellerContext(order, checkRequest(rawRequest, order), itemPolicy, at, itemCapabilities);
    } catch (error) {
      if (error instanceof DeskError) {
        const field = error instanceof RulesInputError ? error.field : undefined;
        return skip(violation('invalid_input', error.message, field));
      }
      throw error;
    }
    if (seen.has(context.request.id)) {
      return skip(violation('duplicate_item', 'Skipped: this request is already in the batch, and a decision is never applied twice.'));
    }
    seen.add(context.request.id);
    const option = actionOption(context, bulk.type);
    if (!option.allowed) return skip(violation(option.code, option.message));
    const result = planFromContext(context, actionForItem(bulk, context));
    if (!result.ok) return skip(result.error);
    const plan = result.value;
    return { index, requestId, orderId, status: 'will_do', plan, amount: plan.refund ?? plan.offer };
  });

  const totals = new Map<string, { amount: Money; count: number }>();
  const groups = new Map<RuleViolationCode, { count: number; example: string }>();
  for (const item of planned) {
    if (item.status === 'will_do') {
      if (item.amount === null) continue;
      const current = totals.get(item.amount.currency);
      totals.set(item.amount.currency, {
        amount: current === undefined ? item.amount : add(current.amount, item.amount),
        count: (current?.count ?? 0) + 1,
      });
    } else {
      const group = groups.get(item.code);
      groups.set(item.code, { count: (group?.count ?? 0) + 1, example: group?.example ?? item.message });
    }
  }
  const totalList = [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, total]) => ({ currency, amount: total.amount, count: total.count }));
  const skippedList = [...groups.entries()]
    .map(([code, group]) => ({ code, count: group.count, example: group.example }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const willDo = planned.filter((item) => item.status === 'will_do').length;
  const skippedCount = planned.length - willDo;
  const amounts = totalList.length > 0 ? `: ${bulk.type === 'offer' ? 'offer' : 'refund'} ${totalList.map((total) => amountText(total.amount)).join(' and ')}` : '';
  const summary = `${BULK_VERBS[bulk.type]} ${willDo} of ${planned.length}${amounts}${skippedCount > 0 ? `; ${skippedCount} skipped` : ''}.`;
  return {
    action: bulk.type,
    items: planned,
    counts: { total: planned.length, willDo, skipped: skippedCount },
    totals: totalList,
    skipped: skippedList,
    summary,
    rulesVersion: RULES_VERSION,
  };
}
