import { z } from 'zod';
import type { Order, OrderLine } from '../domain/order';
import type { CancelRequest } from '../domain/request';
import { missingCase } from '../domain/views';
import {
  MoneySchema,
  add,
  allocateByKey,
  compare,
  minMoney,
  money,
  multiplyByRatio,
  subtract,
  sum,
  zero,
  type Money,
} from '../money';
import { checkOrder, checkRequest, RulesInputError, zodIssues } from './input';
import { rulesPhaseOf, type RulesPhase } from './phase';
import { DEFAULT_POLICY, parsePolicy, refundsShippingAfterShipment, type Policy } from './policy';
import { buyerReasonInfo } from './reasons';
import { amountText, untrustedText } from './text';
import { fail, ok, violation, type RuleResult, type RuleViolation } from './violations';

/**
 * What to refund:
 * - `full`: everything refundable in this phase;
 * - `requested`: what the buyer asked for (after shipment; before it, a cancel is refunded in full);
 * - `amount`: a partial amount, spread over the lines for the explanation;
 * - `lines`: chosen quantities of chosen lines, with or without shipping.
 */
export type RefundSelection =
  | { readonly kind: 'full' }
  | { readonly kind: 'requested' }
  | { readonly kind: 'amount'; readonly amount: Money }
  | {
      readonly kind: 'lines';
      readonly lines: readonly { readonly lineId: string; readonly qty: number }[];
      /** Defaults to: shipping is refundable here and every unit of every line is selected. */
      readonly includeShipping?: boolean;
    };

export const RefundSelectionSchema: z.ZodType<RefundSelection> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('full') }),
  z.object({ kind: z.literal('requested') }),
  z.object({ kind: z.literal('amount'), amount: MoneySchema }),
  z.object({
    kind: z.literal('lines'),
    lines: z.array(z.object({ lineId: z.string().max(64), qty: z.number().int() })).max(500),
    includeShipping: z.boolean().optional(),
  }),
]);

/** The most that can be refunded now: the smaller of the marketplace's limit and paid minus refunded. */
export interface RefundCap {
  readonly amount: Money;
  readonly refundMax: Money;
  /** Paid minus already refunded. */
  readonly remaining: Money;
  readonly limitedBy: 'refund_max' | 'remaining_paid';
}

export interface RefundComponent {
  readonly kind: 'line' | 'shipping' | 'adjustment';
  readonly lineId: string | null;
  readonly qty: number | null;
  /** Before the order discount. */
  readonly gross: Money;
  /** This component's share of the order-level discount. */
  readonly discount: Money;
  /** What is refunded for it; the amounts of a quote's components sum to its total exactly. */
  readonly amount: Money;
  readonly explanation: string;
}

export interface RefundQuote {
  readonly selection: RefundSelection;
  readonly phase: RulesPhase;
  readonly total: Money;
  readonly components: readonly RefundComponent[];
  readonly cap: RefundCap;
  /** The full refund in this phase: no selection can go above it. */
  readonly maxRefund: Money;
  readonly shippingRefundable: boolean;
  /** The quote refunds everything that can be refunded (total = maxRefund). */
  readonly full: boolean;
  /** The cap cut the total below what the selection comes to. */
  readonly capped: boolean;
  /** Sentences that explain the total. */
  readonly notes: readonly string[];
}

/** The refund cap of a request, from already validated input. */
export function computeRefundCap(order: Order, request: CancelRequest): RefundCap {
  const remaining = subtract(order.paid, order.refunded);
  const limitedBy = compare(request.refundMax, remaining) < 0 ? 'refund_max' : 'remaining_paid';
  return { amount: minMoney(request.refundMax, remaining), refundMax: request.refundMax, remaining, limitedBy };
}

/** The most that can still be refunded on a request: min(refundMax, paid − refunded). */
export function refundCap(order: Order, request: CancelRequest): RefundCap {
  const checkedOrder = checkOrder(order);
  return computeRefundCap(checkedOrder, checkRequest(request, checkedOrder));
}

interface LineShare {
  readonly line: OrderLine;
  readonly gross: Money;
  readonly discount: Money;
}

/** Each line's subtotal and its share of the order discount, prorated by subtotal, largest remainder. */
function lineShares(order: Order): LineShare[] {
  const grosses = order.lines.map((line) => money(BigInt(line.unitPrice.amountMinor) * BigInt(line.qty), order.currency));
  const discounts = allocateByKey(
    order.discount,
    order.lines.map((line, index) => ({ key: line.lineId, weight: grosses[index]?.amountMinor ?? 0 })),
  );
  return order.lines.map((line, index) => ({
    line,
    gross: grosses[index] ?? zero(order.currency),
    discount: discounts[index] ?? zero(order.currency),
  }));
}

function shippingRefundableIn(phase: RulesPhase, policy: Policy, request: CancelRequest): boolean {
  switch (phase) {
    case 'before_shipment':
      return true;
    case 'after_shipment':
      return refundsShippingAfterShipment(policy, request.reason);
    case 'before_payment':
    case 'closed':
      return false;
    default:
      return missingCase(phase);
  }
}

/** Why shipping is not refunded after shipment under this policy, as the end of a sentence. */
export function shippingPolicyText(policy: Policy, request: CancelRequest): string {
  return policy.shippingAfterShipment === 'keep'
    ? 'your policy does not refund shipping after shipment'
    : `your policy refunds shipping after shipment only when the seller is at fault, which "${buyerReasonInfo(request.reason).label}" does not claim`;
}

/** A product title for a sentence: at most 60 characters, isolated when it could reorder the sentence. */
function shortTitle(title: string): string {
  const trimmed = title.trim() === '' ? 'item' : title.trim();
  return untrustedText(trimmed.length > 60 ? `${trimmed.slice(0, 59)}…` : trimmed);
}

/** A component before the cap: what it would refund on its own. */
interface Draft {
  readonly key: string;
  readonly kind: RefundComponent['kind'];
  readonly lineId: string | null;
  readonly qty: number | null;
  readonly title: string;
  readonly gross: Money;
  readonly discount: Money;
  /** What it contributes before any cap (0 for shipping that is not refunded). */
  readonly weight: Money;
  readonly excludedBecause: string | null;
}

function explain(draft: Draft, amount: Money): string {
  switch (draft.kind) {
    case 'line': {
      const discount = draft.discount.amountMinor > 0 ? ` less ${amountText(draft.discount)} of the order discount` : '';
      return `${String(draft.qty)} × ${shortTitle(draft.title)}: ${amountText(draft.gross)}${discount}; refund ${amountText(amount)}.`;
    }
    case 'shipping':
      return draft.excludedBecause === null
        ? `Shipping: ${amountText(draft.gross)}; refund ${amountText(amount)}.`
        : `Shipping: ${amountText(draft.gross)}; not refunded: ${draft.excludedBecause}.`;
    case 'adjustment':
      return `Paid beyond what the lines and shipping come to: refund ${amountText(amount)}.`;
    default:
      return missingCase(draft.kind);
  }
}

/** Spreads `total` over the drafts in proportion to their weights; exact to the minor unit. */
function spread(total: Money, drafts: readonly Draft[]): RefundComponent[] {
  const weights = drafts.map((draft) => ({ key: draft.key, weight: draft.weight.amountMinor }));
  const weightSum = weights.reduce((accumulator, entry) => accumulator + entry.weight, 0);
  let parts: Money[];
  let adjustment: Money | null = null;
  if (weightSum === 0) {
    // Nothing to weigh by (free items, nothing refundable): any amount is an adjustment.
    parts = drafts.map(() => zero(total.currency));
    if (total.amountMinor > 0) adjustment = total;
  } else {
    parts = allocateByKey(total, weights);
  }
  const components: RefundComponent[] = drafts.map((draft, index) => {
    const amount = parts[index] ?? zero(total.currency);
    return {
      kind: draft.kind,
      lineId: draft.lineId,
      qty: draft.qty,
      gross: draft.gross,
      discount: draft.discount,
      amount,
      explanation: explain(draft, amount),
    };
  });
  if (adjustment !== null) {
    const draft: Draft = {
      key: 'adjustment',
      kind: 'adjustment',
      lineId: null,
      qty: null,
      title: '',
      gross: adjustment,
      discount: zero(total.currency),
      weight: adjustment,
      excludedBecause: null,
    };
    components.push({ kind: 'adjustment', lineId: null, qty: null, gross: adjustment, discount: zero(total.currency), amount: adjustment, explanation: explain(draft, adjustment) });
  }
  return components;
}

/** Earlier refunds, attributed to lines and shipping where known; the rest is unattributed. */
interface RefundedSoFar {
  readonly lines: ReadonlyMap<string, Money>;
  readonly shipping: Money;
  /** Refunded with no known part: counted against whatever is refunded next. */
  readonly unattributed: Money;
}

interface QuoteContext {
  readonly order: Order;
  readonly request: CancelRequest;
  readonly policy: Policy;
  readonly phase: RulesPhase;
  readonly cap: RefundCap;
  readonly shares: readonly LineShare[];
  readonly shippingRefundable: boolean;
  readonly refundedSoFar: RefundedSoFar;
}

/** The order's earlier refunds by part; parts beyond what was refunded in all are not trusted. */
function refundedSoFar(order: Order): RefundedSoFar {
  const nothing = zero(order.currency);
  const parts = order.refundedParts ?? null;
  const lines = new Map<string, Money>();
  let shipping = nothing;
  if (parts !== null) {
    for (const part of parts.lines) {
      if (part.amount.currency === order.currency) lines.set(part.lineId, add(lines.get(part.lineId) ?? nothing, part.amount));
    }
    if (parts.shipping.currency === order.currency) shipping = parts.shipping;
  }
  const attributed = add(sum([...lines.values()], order.currency), shipping);
  if (compare(attributed, order.refunded) > 0) {
    // A breakdown that adds up to more than was refunded cannot be right: treat it all as unknown.
    return { lines: new Map(), shipping: nothing, unattributed: order.refunded };
  }
  return { lines, shipping, unattributed: subtract(order.refunded, attributed) };
}

export function quoteContext(order: Order, request: CancelRequest, policy: Policy): QuoteContext {
  const phase = rulesPhaseOf(order);
  return {
    order,
    request,
    policy,
    phase,
    cap: computeRefundCap(order, request),
    shares: lineShares(order),
    shippingRefundable: shippingRefundableIn(phase, policy, request),
    refundedSoFar: refundedSoFar(order),
  };
}

/** What is left of `amount` after `taken`, never below zero. */
function leftOf(amount: Money, taken: Money): Money {
  return compare(taken, amount) >= 0 ? zero(amount.currency) : subtract(amount, taken);
}

function shippingDraft(context: QuoteContext, included: boolean): Draft {
  const { order, policy, request } = context;
  let excludedBecause: string | null = null;
  if (!context.shippingRefundable) {
    excludedBecause = context.phase === 'after_shipment' ? shippingPolicyText(policy, request) : 'nothing was paid';
  } else if (!included) {
    excludedBecause = 'not part of this selection';
  }
  return {
    key: 'shipping',
    kind: 'shipping',
    lineId: null,
    qty: null,
    title: 'Shipping',
    gross: order.shipping,
    discount: zero(order.currency),
    // Shipping already refunded is not refunded again.
    weight: excludedBecause === null ? leftOf(order.shipping, context.refundedSoFar.shipping) : zero(order.currency),
    excludedBecause,
  };
}

function fullLineDrafts(context: QuoteContext): Draft[] {
  return context.shares.map((share) => ({
    key: `line:${share.line.lineId}`,
    kind: 'line',
    lineId: share.line.lineId,
    qty: share.line.qty,
    title: share.line.title,
    gross: share.gross,
    discount: share.discount,
    // What is left of the line after what was already refunded on it.
    weight:
      context.phase === 'before_payment'
        ? zero(context.order.currency)
        : leftOf(subtract(share.gross, share.discount), context.refundedSoFar.lines.get(share.line.lineId) ?? zero(context.order.currency)),
    excludedBecause: null,
  }));
}

function capNotes(context: QuoteContext): string[] {
  const { order, cap } = context;
  const notes: string[] = [];
  if (order.refunded.amountMinor > 0) {
    notes.push(`${amountText(order.refunded)} of the ${amountText(order.paid)} paid was already refunded, so at most ${amountText(cap.remaining)} is left.`);
  }
  if (cap.limitedBy === 'refund_max') {
    notes.push(`The marketplace allows at most ${amountText(cap.refundMax)} for this request.`);
  }
  return notes;
}

function paymentDifferenceNote(context: QuoteContext): string | null {
  const { order } = context;
  const computed = subtract(add(sum(context.shares.map((share) => share.gross), order.currency), order.shipping), order.discount);
  if (compare(computed, order.paid) === 0) return null;
  return `The payment recorded (${amountText(order.paid)}) differs from the lines and shipping less the discount (${amountText(computed)}); a full refund returns what was paid.`;
}

function buildQuote(
  context: QuoteContext,
  selection: RefundSelection,
  drafts: readonly Draft[],
  total: Money,
  capped: boolean,
  maxRefund: Money,
  extraNotes: readonly string[],
): RefundQuote {
  const notes = [...extraNotes];
  const shipping = context.order.shipping;
  if (context.phase === 'after_shipment' && !context.shippingRefundable && shipping.amountMinor > 0) {
    notes.push(`Shipping (${amountText(shipping)}) is not refunded: ${shippingPolicyText(context.policy, context.request)}.`);
  }
  if (capped) notes.push(`Capped at ${amountText(context.cap.amount)}, the most that can still be refunded.`);
  notes.push(...capNotes(context));
  return {
    selection,
    phase: context.phase,
    total,
    components: spread(total, drafts),
    cap: context.cap,
    maxRefund,
    shippingRefundable: context.shippingRefundable,
    full: compare(total, maxRefund) === 0,
    capped,
    notes,
  };
}

/** The full refund of the phase, which bounds every other selection. */
export function fullQuote(context: QuoteContext): RefundQuote {
  const selection: RefundSelection = { kind: 'full' };
  const { order, cap } = context;
  if (context.phase === 'before_payment') {
    const nothing = zero(order.currency);
    return buildQuote(context, selection, [...fullLineDrafts(context), shippingDraft(context, false)], nothing, false, nothing, [
      'The buyer has not paid: accepting cancels the order and refunds nothing.',
    ]);
  }
  const drafts = [...fullLineDrafts(context), shippingDraft(context, true)];
  const base = sum(drafts.map((draft) => draft.weight), order.currency);
  const notes: string[] = [];
  let total: Money;
  let capped: boolean;
  if (context.shippingRefundable) {
    // Everything is refundable: the full refund is what was paid (within the cap), so no
    // rounding in the lines, the discount or the capture can ever block it.
    total = cap.amount;
    capped = compare(cap.amount, base) < 0 && compare(cap.amount, cap.remaining) < 0;
    const difference = order.refunded.amountMinor === 0 ? paymentDifferenceNote(context) : null;
    if (difference !== null) notes.push(difference);
  } else {
    // Shipping stays with the seller: what is left of the lines, less earlier refunds whose part
    // is unknown (they may have been for the lines; counting them here never refunds twice).
    const unattributed = context.refundedSoFar.unattributed;
    const refundable = leftOf(base, unattributed);
    if (unattributed.amountMinor > 0 && order.shipping.amountMinor > 0) {
      notes.push(`${amountText(unattributed)} already refunded is counted against the items, since it is not known what it was for.`);
    }
    total = minMoney(refundable, cap.amount);
    capped = compare(cap.amount, refundable) < 0;
  }
  return buildQuote(context, selection, drafts, total, capped, total, notes);
}

function blockedBeforePayment(context: QuoteContext): RuleViolation | null {
  if (context.phase === 'closed') return violation('order_cancelled', 'Cannot refund: the order is already cancelled.');
  return null;
}

function amountLimitViolation(context: QuoteContext, amount: Money, max: RefundQuote, verb: string): RuleViolation | null {
  if (context.cap.amount.amountMinor === 0) {
    return violation('nothing_to_refund', `Cannot ${verb}: everything paid has already been refunded.`, 'amount');
  }
  if (compare(amount, context.cap.amount) > 0) {
    const why =
      context.cap.limitedBy === 'refund_max'
        ? `the marketplace allows at most ${amountText(context.cap.amount)} for this request`
        : `at most ${amountText(context.cap.amount)} can still be refunded on this order`;
    return violation('amount_above_cap', `Cannot ${verb} ${amountText(amount)}: ${why}.`, 'amount');
  }
  if (compare(amount, max.maxRefund) > 0) {
    return violation(
      'shipping_not_refundable',
      `Cannot ${verb} ${amountText(amount)}: that includes shipping, and ${shippingPolicyText(context.policy, context.request)}; at most ${amountText(max.maxRefund)} can be refunded.`,
      'amount',
    );
  }
  return null;
}

/** What the buyer asked for, within the cap and the policy. */
export function requestedQuote(context: QuoteContext, full: RefundQuote): RuleResult<RefundQuote> {
  const selection: RefundSelection = { kind: 'requested' };
  if (context.phase !== 'after_shipment') return ok({ ...full, selection });
  const asked = context.request.requestedAmount;
  const notes: string[] = [];
  // A dispute without an amount (zero) asks for the full refund.
  let wanted = asked.amountMinor > 0 ? asked : full.maxRefund;
  const capped = compare(wanted, context.cap.amount) > 0;
  if (capped) {
    notes.push(`The buyer asked for ${amountText(asked)}; at most ${amountText(context.cap.amount)} can be refunded.`);
    wanted = context.cap.amount;
  }
  if (compare(wanted, full.maxRefund) > 0) {
    return fail(
      violation(
        'shipping_not_refundable',
        `Cannot accept: the buyer asks for ${amountText(wanted)}, which includes shipping, and ${shippingPolicyText(context.policy, context.request)}; offer up to ${amountText(full.maxRefund)} instead, or change the policy.`,
      ),
    );
  }
  const drafts = [...fullLineDrafts(context), shippingDraft(context, true)];
  return ok(buildQuote(context, selection, drafts, wanted, capped, full.maxRefund, notes));
}

function amountQuote(context: QuoteContext, full: RefundQuote, amount: Money): RuleResult<RefundQuote> {
  const selection: RefundSelection = { kind: 'amount', amount };
  if (amount.currency !== context.order.currency) {
    return fail(violation('currency_mismatch', `Cannot refund: the amount is in ${amount.currency} but the order is in ${context.order.currency}.`, 'amount'));
  }
  if (context.phase === 'before_payment') {
    return fail(violation('not_paid', 'Cannot refund: the buyer has not paid, so there is nothing to refund.', 'amount'));
  }
  if (amount.amountMinor <= 0) {
    return fail(violation('amount_not_positive', 'Cannot refund: enter an amount above zero.', 'amount'));
  }
  const limit = amountLimitViolation(context, amount, full, 'refund');
  if (limit !== null) return fail(limit);
  const drafts = [...fullLineDrafts(context), shippingDraft(context, true)];
  return ok(buildQuote(context, selection, drafts, amount, false, full.maxRefund, []));
}

function linesQuote(
  context: QuoteContext,
  full: RefundQuote,
  selection: Extract<RefundSelection, { kind: 'lines' }>,
): RuleResult<RefundQuote> {
  const { order } = context;
  if (context.phase === 'before_payment') {
    return fail(violation('not_paid', 'Cannot refund: the buyer has not paid, so there is nothing to refund.', 'lines'));
  }
  if (selection.lines.length === 0) {
    return fail(violation('empty_selection', 'Cannot refund: choose at least one line.', 'lines'));
  }
  const byId = new Map(context.shares.map((share) => [share.line.lineId, share]));
  const seen = new Set<string>();
  const drafts: Draft[] = [];
  let allUnits = selection.lines.length === order.lines.length;
  for (const [index, chosen] of selection.lines.entries()) {
    const share = byId.get(chosen.lineId);
    const field = `lines[${index}]`;
    if (share === undefined) {
      return fail(violation('unknown_line', `Cannot refund: the order has no line "${chosen.lineId}".`, `${field}.lineId`));
    }
    if (seen.has(chosen.lineId)) {
      return fail(violation('duplicate_line', `Cannot refund: the line "${shortTitle(share.line.title)}" is chosen twice.`, `${field}.lineId`));
    }
    seen.add(chosen.lineId);
    if (chosen.qty < 1 || chosen.qty > share.line.qty) {
      return fail(
        violation('invalid_quantity', `Cannot refund ${chosen.qty} × "${shortTitle(share.line.title)}": choose between 1 and ${share.line.qty}.`, `${field}.qty`),
      );
    }
    if (chosen.qty < share.line.qty) allUnits = false;
    const gross = money(BigInt(share.line.unitPrice.amountMinor) * BigInt(chosen.qty), order.currency);
    // For part of a line the discount share is rounded up, so a partial refund never gives back
    // more than the buyer paid for those units; for the whole line it is the line's share.
    const discount = multiplyByRatio(share.discount, chosen.qty, share.line.qty, 'ceil');
    // Never more than is left of the whole line after what was already refunded on it.
    const lineLeft = leftOf(subtract(share.gross, share.discount), context.refundedSoFar.lines.get(share.line.lineId) ?? zero(order.currency));
    drafts.push({
      key: `line:${share.line.lineId}`,
      kind: 'line',
      lineId: share.line.lineId,
      qty: chosen.qty,
      title: share.line.title,
      gross,
      discount,
      weight: minMoney(subtract(gross, discount), lineLeft),
      excludedBecause: null,
    });
  }
  const includeShipping = selection.includeShipping ?? (context.shippingRefundable && allUnits);
  if (includeShipping && !context.shippingRefundable) {
    return fail(
      violation('shipping_not_refundable', `Cannot refund shipping: ${shippingPolicyText(context.policy, context.request)}.`, 'includeShipping'),
    );
  }
  drafts.push(shippingDraft(context, includeShipping));
  const base = sum(drafts.map((draft) => draft.weight), order.currency);
  if (context.cap.amount.amountMinor === 0) {
    return fail(violation('nothing_to_refund', 'Cannot refund: everything paid has already been refunded.', 'lines'));
  }
  if (allUnits && includeShipping) {
    // Every line in full with shipping: the same as the full refund, never blocked by rounding.
    return ok({ ...full, selection });
  }
  if (base.amountMinor === 0) {
    return fail(violation('nothing_to_refund', 'Cannot refund: what was chosen has already been refunded.', 'lines'));
  }
  // Within the cap, and never above the full refund the policy allows (which counts earlier refunds).
  const total = minMoney(minMoney(base, context.cap.amount), full.maxRefund);
  return ok(buildQuote(context, selection, drafts, total, compare(total, base) < 0, full.maxRefund, []));
}

/** A quote from validated input: the same as `quoteRefund` without the input checks. */
export function quoteFromContext(context: QuoteContext, selection: RefundSelection): RuleResult<RefundQuote> {
  const closed = blockedBeforePayment(context);
  if (closed !== null) return fail(closed);
  const full = fullQuote(context);
  switch (selection.kind) {
    case 'full':
      return ok(full);
    case 'requested':
      return requestedQuote(context, full);
    case 'amount':
      return amountQuote(context, full, selection.amount);
    case 'lines':
      return linesQuote(context, full, selection);
    default:
      return missingCase(selection);
  }
}

/**
 * A refund quote: per line and for shipping, what is refunded and why, summing exactly to the
 * total. The order discount is prorated over the lines by subtotal (largest remainder);
 * shipping is refunded before shipment, and after it only as the policy says; the total never
 * goes above the cap. Malformed input throws a RulesInputError; a selection the rules refuse
 * returns its violation.
 */
export function quoteRefund(
  order: Order,
  request: CancelRequest,
  selection: RefundSelection,
  policy: Policy = DEFAULT_POLICY,
): RuleResult<RefundQuote> {
  const checkedOrder = checkOrder(order);
  const checkedRequest = checkRequest(request, checkedOrder);
  const parsed = RefundSelectionSchema.safeParse(selection);
  if (!parsed.success) throw new RulesInputError('rules.invalid_action', 'refund selection', zodIssues('selection', parsed.error));
  return quoteFromContext(quoteContext(checkedOrder, checkedRequest, parsePolicy(policy)), parsed.data);
}
