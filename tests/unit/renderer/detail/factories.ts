/**
 * Deterministic builders for the detail pane tests (a copy of tests/unit/shared/factories.ts: the web
 * tsconfig project cannot import files outside its include list): `makeOrder(overrides)`, `makeRequest(overrides,
 * order)`. No randomness, no clock: everything is relative to NOW.
 */
import type { Order, OrderLine } from '../../../../shared/domain/order';
import type { CancelRequest, Evidence } from '../../../../shared/domain/request';
import { toInstant } from '../../../../shared/domain/time';
import { money, type Money } from '../../../../shared/money';

export const NOW = Date.parse('2026-11-26T09:30:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The instant `offsetMs` from NOW. */
export function at(offsetMs: number): string {
  return toInstant(NOW + offsetMs);
}

export function makeLine(overrides: Partial<OrderLine> & { currency?: string } = {}): OrderLine {
  const { currency = 'USD', ...rest } = overrides;
  return {
    lineId: 'line-1',
    sku: 'SKU-1',
    title: 'Enamel mug',
    qty: 1,
    unitPrice: money(1000, currency),
    ...rest,
  };
}

function subtotal(lines: readonly OrderLine[]): number {
  return lines.reduce((total, line) => total + line.unitPrice.amountMinor * line.qty, 0);
}

/**
 * An order in `currency` (USD by default), awaiting shipment, two lines (2 × 12.50 and 1 ×
 * 30.00), 5.00 shipping, no discount; `paid` is computed from lines + shipping − discount
 * unless given (0 before payment). Shipped statuses get a DHL tracking number by default.
 */
export function makeOrder(overrides: Partial<Order> = {}): Order {
  const currency = overrides.currency ?? 'USD';
  const status = overrides.status ?? 'awaiting_shipment';
  const lines = overrides.lines ?? [
    makeLine({ lineId: 'line-1', sku: 'MUG-BLUE', title: 'Enamel mug, blue', qty: 2, unitPrice: money(1250, currency) }),
    makeLine({ lineId: 'line-2', sku: 'TEE-M', title: 'T-shirt, size M', qty: 1, unitPrice: money(3000, currency) }),
  ];
  const shipping = overrides.shipping ?? money(500, currency);
  const discount = overrides.discount ?? money(0, currency);
  const shipped = status === 'shipped' || status === 'delivered' || status === 'completed';
  const computedPaid = status === 'awaiting_payment' ? 0 : subtotal(lines) + shipping.amountMinor - discount.amountMinor;
  return {
    id: 'order-1',
    storeId: 'store-1',
    status,
    currency,
    buyer: { id: 'buyer-1', name: 'Ada Buyer', country: 'DE' },
    lines,
    shipping,
    discount,
    paid: money(computedPaid, currency),
    refunded: money(0, currency),
    placedAt: at(-5 * DAY),
    paidAt: status === 'awaiting_payment' ? null : at(-5 * DAY + HOUR),
    shippedAt: shipped ? at(-3 * DAY) : null,
    deliveredAt: status === 'delivered' || status === 'completed' ? at(-1 * DAY) : null,
    updatedAt: at(-1 * DAY),
    tracking: shipped ? { carrier: 'DHL', number: 'JD014600006281230704' } : null,
    version: 1,
    ...overrides,
  };
}

/**
 * A request on `order`: a cancel before shipment (reason changed_mind, 48 h to answer), a
 * dispute after it (reason damaged, respondBy in 5 days); asking for and capped at what is left
 * to refund; state `requested`, no evidence.
 */
export function makeRequest(overrides: Partial<CancelRequest> = {}, order: Order = makeOrder()): CancelRequest {
  const shipped = order.status === 'shipped' || order.status === 'delivered' || order.status === 'completed';
  const kind = overrides.kind ?? (shipped ? 'dispute' : 'cancel');
  const requestedAt = overrides.requestedAt ?? at(-2 * HOUR);
  const remaining = money(order.paid.amountMinor - order.refunded.amountMinor, order.currency);
  return {
    id: 'req-1',
    orderId: order.id,
    storeId: order.storeId,
    kind,
    reason: kind === 'cancel' ? 'changed_mind' : 'damaged',
    buyerMessage: 'Please cancel.',
    requestedAt,
    respondBy: kind === 'cancel' ? toInstant(Date.parse(requestedAt) + 48 * HOUR) : at(5 * DAY),
    requestedAmount: remaining,
    refundMax: remaining,
    state: 'requested',
    evidence: [],
    proofRequest: null,
    offer: null,
    resolution: null,
    updatedAt: requestedAt,
    version: 1,
    ...overrides,
  };
}

export function makeEvidence(count: number): Evidence[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `ev-${index + 1}`,
    kind: 'photo',
    fileName: `photo-${index + 1}.jpg`,
    contentType: 'image/jpeg',
    bytes: 120_000 + index,
    submittedAt: at(-HOUR),
  }));
}

export function usd(amountMinor: number): Money {
  return money(amountMinor, 'USD');
}
