/** fast-check generators of orders, requests, policies and selections, valid by construction. */
import fc from 'fast-check';
import { ORDER_STATUSES, type Order, type OrderLine } from '../../../shared/domain/order';
import { BUYER_REASONS, REQUEST_STATES, type CancelRequest } from '../../../shared/domain/request';
import { ACTIVE_CURRENCY_CODES, money } from '../../../shared/money';
import { PROOF_USEFUL_REASONS, SHIPPING_AFTER_SHIPMENT, parsePolicy, type Policy, type RefundSelection } from '../../../shared/rules';
import { DAY, HOUR, NOW, at, makeEvidence } from './factories';

export const currencyArb = fc.oneof(fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'BRL', 'GBP', 'CLF'), fc.constantFrom(...ACTIVE_CURRENCY_CODES));

export const orderArb: fc.Arbitrary<Order> = fc
  .record({
    currency: currencyArb,
    status: fc.constantFrom(...ORDER_STATUSES),
    lines: fc.array(fc.record({ unit: fc.integer({ min: 0, max: 10_000_000 }), qty: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 6 }),
    shipping: fc.integer({ min: 0, max: 100_000 }),
    discountShare: fc.integer({ min: 0, max: 100 }),
    // A capture recorded with more decimals: paid may differ from the computed total by a sliver.
    sliver: fc.integer({ min: -3, max: 3 }),
    refundedShare: fc.integer({ min: 0, max: 100 }),
    tracked: fc.boolean(),
  })
  .map(({ currency, status, lines, shipping, discountShare, sliver, refundedShare, tracked }) => {
    const orderLines: OrderLine[] = lines.map((line, index) => ({
      lineId: `line-${index + 1}`,
      sku: `SKU-${index + 1}`,
      title: `Item ${index + 1}`,
      qty: line.qty,
      unitPrice: money(line.unit, currency),
    }));
    const subtotal = lines.reduce((total, line) => total + line.unit * line.qty, 0);
    const discount = Math.floor((subtotal * discountShare) / 400);
    const paid = status === 'awaiting_payment' ? 0 : Math.max(0, subtotal + shipping - discount + sliver);
    const refunded = status === 'awaiting_payment' ? 0 : Math.floor((paid * refundedShare) / 100) * (refundedShare > 70 ? 0 : 1);
    const order: Order = {
      id: 'order-1',
      storeId: 'store-1',
      status,
      currency,
      buyer: { id: 'buyer-1', name: 'Ada', country: 'DE' },
      lines: orderLines,
      shipping: money(shipping, currency),
      discount: money(discount, currency),
      paid: money(paid, currency),
      refunded: money(refunded, currency),
      placedAt: at(-5 * DAY),
      paidAt: null,
      shippedAt: null,
      deliveredAt: null,
      updatedAt: at(-DAY),
      tracking: tracked ? { carrier: 'DHL', number: 'JD0001' } : null,
      version: 1,
    };
    return order;
  });

export function requestArb(order: Order): fc.Arbitrary<CancelRequest> {
  const remaining = order.paid.amountMinor - order.refunded.amountMinor;
  return fc
    .record({
      kind: fc.constantFrom('cancel' as const, 'dispute' as const),
      reason: fc.constantFrom(...BUYER_REASONS),
      state: fc.constantFrom(...REQUEST_STATES),
      requestedShare: fc.integer({ min: 0, max: 130 }),
      refundMaxShare: fc.integer({ min: 0, max: 120 }),
      evidence: fc.integer({ min: 0, max: 2 }),
      proofDueHours: fc.option(fc.integer({ min: -72, max: 72 })),
      offerShare: fc.option(fc.integer({ min: 1, max: 99 })),
      requestedHoursAgo: fc.integer({ min: 0, max: 60 }),
      respondByHours: fc.integer({ min: -24, max: 240 }),
    })
    .map((fields) => ({
      id: 'req-1',
      orderId: order.id,
      storeId: order.storeId,
      kind: fields.kind,
      reason: fields.reason,
      buyerMessage: 'Hello',
      requestedAt: at(-fields.requestedHoursAgo * HOUR),
      respondBy: at(fields.respondByHours * HOUR),
      requestedAmount: money(Math.floor((remaining * fields.requestedShare) / 100), order.currency),
      refundMax: money(Math.floor((remaining * fields.refundMaxShare) / 100), order.currency),
      state: fields.state,
      evidence: makeEvidence(fields.evidence),
      proofRequest: fields.proofDueHours === null ? null : { message: 'Photos please', dueAt: at(fields.proofDueHours * HOUR) },
      offer: fields.offerShare === null ? null : money(Math.floor((remaining * fields.offerShare) / 100), order.currency),
      resolution: null,
      updatedAt: at(-HOUR),
      version: 1,
    }));
}

export const pairArb = orderArb.chain((order) => requestArb(order).map((request) => ({ order, request })));

export const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    shippingAfterShipment: fc.constantFrom(...SHIPPING_AFTER_SHIPMENT),
    reasons: fc.subarray([...PROOF_USEFUL_REASONS]),
    minAmount: fc.integer({ min: 0, max: 100_000 }),
    currencyListed: fc.boolean(),
    minRequests: fc.integer({ min: 2, max: 5 }),
  })
  .map((fields) =>
    parsePolicy({
      shippingAfterShipment: fields.shippingAfterShipment,
      proofRequired: { reasons: fields.reasons, minAmount: fields.currencyListed ? { USD: fields.minAmount, EUR: fields.minAmount } : {} },
      repeatCanceller: { minRequests: fields.minRequests },
    }),
  );

export function selectionArb(order: Order): fc.Arbitrary<RefundSelection> {
  return fc.oneof(
    fc.constant<RefundSelection>({ kind: 'full' }),
    fc.constant<RefundSelection>({ kind: 'requested' }),
    fc.integer({ min: 0, max: order.paid.amountMinor + 100 }).map((amount): RefundSelection => ({ kind: 'amount', amount: money(amount, order.currency) })),
    fc
      .record({
        picks: fc.subarray(order.lines.map((line) => line.lineId), { minLength: 0 }),
        qtyShift: fc.integer({ min: -1, max: 1 }),
        includeShipping: fc.option(fc.boolean(), { nil: undefined }),
      })
      .map(({ picks, qtyShift, includeShipping }): RefundSelection => ({
        kind: 'lines',
        lines: picks.map((lineId) => {
          const line = order.lines.find((candidate) => candidate.lineId === lineId);
          const qty = (line?.qty ?? 1) + (qtyShift > 0 && lineId === picks[0] ? 1 : 0) - (qtyShift < 0 && (line?.qty ?? 1) > 1 ? 1 : 0);
          return { lineId, qty };
        }),
        ...(includeShipping === undefined ? {} : { includeShipping }),
      })),
  );
}

export const nowArb = fc.integer({ min: NOW - DAY, max: NOW + 8 * DAY });
