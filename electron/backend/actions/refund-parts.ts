import type { Order } from '../../../shared/domain/order';
import { add, money, zero } from '../../../shared/money';
import type { RefundQuote } from '../../../shared/rules/refund';
import type { CacheDb, RefundParts, RefundRow } from '../cache/db';

/** The parts of a planned refund, from its quote (kept with the decision, then with the refund). */
export function partsOfQuote(quote: RefundQuote): RefundParts {
  const currency = quote.total.currency;
  let shipping = zero(currency);
  const lines: RefundParts['lines'] = [];
  for (const component of quote.components) {
    if (component.amount.amountMinor === 0) continue;
    if (component.kind === 'shipping') shipping = add(shipping, component.amount);
    else if (component.kind === 'line' && component.lineId !== null) lines.push({ lineId: component.lineId, amount: component.amount });
    // An adjustment belongs to no part: it stays unattributed, which the rules count conservatively.
  }
  return { shipping, lines };
}

const COUNTED: ReadonlySet<RefundRow['status']> = new Set(['pending', 'completed']);

/**
 * The orders with their earlier refunds attributed to lines and shipping: the marketplace's own
 * breakdown where it reports one, else what this app refunded (the parts kept with each refund it
 * sent). What neither knows stays unattributed, and the rules count it against whatever is
 * refunded next, so nothing is refunded twice.
 */
export async function withRefundedParts(db: CacheDb, orders: ReadonlyArray<Order | undefined>): Promise<Array<Order | undefined>> {
  const wanted = new Set(orders.flatMap((order) => (order !== undefined && order.refundedParts == null && order.refunded.amountMinor > 0 ? [order.id] : [])));
  if (wanted.size === 0) return [...orders];
  const byOrder = new Map<string, RefundParts>();
  await db.refunds.each((refund) => {
    if (!wanted.has(refund.orderId) || !COUNTED.has(refund.status) || refund.parts == null) return;
    const known = byOrder.get(refund.orderId) ?? { shipping: zero(refund.amount.currency), lines: [] };
    const parts = refund.parts;
    byOrder.set(refund.orderId, {
      shipping: add(known.shipping, money(parts.shipping.amountMinor, parts.shipping.currency)),
      lines: [...known.lines, ...parts.lines],
    });
  });
  return orders.map((order) => {
    const parts = order === undefined ? undefined : byOrder.get(order.id);
    return order === undefined || parts === undefined ? order : { ...order, refundedParts: parts };
  });
}

/** The same for one order. */
export async function withRefundedPartsOf(db: CacheDb, order: Order | undefined): Promise<Order | undefined> {
  const [one] = await withRefundedParts(db, [order]);
  return one;
}

