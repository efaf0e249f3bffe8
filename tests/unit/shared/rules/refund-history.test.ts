import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain/order';
import { add, compare, sum, type Money } from '../../../../shared/money';
import { parsePolicy } from '../../../../shared/rules/policy';
import { quoteRefund, type RefundQuote, type RefundSelection } from '../../../../shared/rules/refund';
import { makeLine, makeOrder, makeRequest, usd } from '../factories';

const keep = parsePolicy({ shippingAfterShipment: 'keep' });
const refundShipping = parsePolicy({ shippingAfterShipment: 'refund' });

function quoted(result: ReturnType<typeof quoteRefund>): RefundQuote {
  if (!result.ok) throw new Error(`expected a quote, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The review's order: lines 85.00 (60.00 + 25.00), shipping 15.00, shipped; 25.00 already refunded. */
function reviewOrder(parts: Order['refundedParts'] = null): Order {
  return makeOrder({
    status: 'shipped',
    lines: [makeLine({ lineId: 'a', unitPrice: usd(6000) }), makeLine({ lineId: 'b', unitPrice: usd(2500) })],
    shipping: usd(1500),
    refunded: usd(2500),
    refundedParts: parts,
  });
}

describe('earlier refunds are attributed, so shipping kept is never refunded again', () => {
  it('keeping shipping after shipment, 25.00 refunded with no breakdown: a full accept refunds 60.00, not 75.00', () => {
    const order = reviewOrder();
    const request = makeRequest({ requestedAmount: usd(7500), refundMax: usd(7500) }, order);
    const full = quoted(quoteRefund(order, request, { kind: 'full' }, keep));
    // 85.00 of items less the 25.00 already refunded (it may have been for them): the buyer gets 85.00 in all.
    expect(full.total).toEqual(usd(6000));
    expect(full.notes).toContain('$25.00 already refunded is counted against the items, since it is not known what it was for.');
    expect(full.components.find((component) => component.kind === 'shipping')?.amount).toEqual(usd(0));
    // Accepting what the buyer asks for (75.00) would refund shipping: refused with the policy.
    expect(quoteRefund(order, request, { kind: 'requested' }, keep)).toMatchObject({ ok: false, error: { code: 'shipping_not_refundable' } });
  });

  it('with the breakdown reported, only what is left of each part is refundable', () => {
    // 15.00 of it was shipping and 10.00 of line a: 75.00 of items are left.
    const shippingFirst = reviewOrder({ shipping: usd(1500), lines: [{ lineId: 'a', amount: usd(1000) }] });
    const request = makeRequest({ requestedAmount: usd(7500), refundMax: usd(7500) }, shippingFirst);
    expect(quoted(quoteRefund(shippingFirst, request, { kind: 'full' }, keep)).total).toEqual(usd(7500));
    // All 25.00 on line b: line b is refunded in full already, and cannot be refunded again.
    const lineB = reviewOrder({ shipping: usd(0), lines: [{ lineId: 'b', amount: usd(2500) }] });
    const onB = makeRequest({ requestedAmount: usd(7500), refundMax: usd(7500) }, lineB);
    expect(quoted(quoteRefund(lineB, onB, { kind: 'full' }, keep)).total).toEqual(usd(6000));
    expect(quoteRefund(lineB, onB, { kind: 'lines', lines: [{ lineId: 'b', qty: 1 }] }, keep)).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_refund', message: 'Cannot refund: what was chosen has already been refunded.' },
    });
    expect(quoted(quoteRefund(lineB, onB, { kind: 'lines', lines: [{ lineId: 'a', qty: 1 }] }, keep)).total).toEqual(usd(6000));
  });

  it('a breakdown that adds up to more than was refunded is not trusted', () => {
    const order = reviewOrder({ shipping: usd(1500), lines: [{ lineId: 'a', amount: usd(6000) }] });
    const request = makeRequest({ requestedAmount: usd(7500), refundMax: usd(7500) }, order);
    expect(quoted(quoteRefund(order, request, { kind: 'full' }, keep)).total).toEqual(usd(6000));
  });

  it('property: over any sequence of partial refunds, offers and accepts, the sum never exceeds what was paid nor what the policy makes refundable', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('full' as const) }),
      fc.record({ kind: fc.constant('amount' as const), share: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ kind: fc.constant('lines' as const), line: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 3 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ unit: fc.integer({ min: 1, max: 20_000 }), qty: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(step, { minLength: 1, maxLength: 8 }),
        (lineSpecs, shippingMinor, discountWish, keepShipping, attribute, steps) => {
          const lines = lineSpecs.map((spec, index) => makeLine({ lineId: `l${index}`, qty: spec.qty, unitPrice: usd(spec.unit) }));
          const subtotal = lineSpecs.reduce((total, spec) => total + spec.unit * spec.qty, 0);
          const discount = usd(Math.min(discountWish, subtotal));
          let order = makeOrder({ status: 'shipped', lines, shipping: usd(shippingMinor), discount, refundedParts: attribute ? { shipping: usd(0), lines: [] } : null });
          const policy = keepShipping ? keep : refundShipping;
          const itemsNet = subtotal - discount.amountMinor;
          let given: Money = usd(0);
          for (const wanted of steps) {
            const request = makeRequest({}, order);
            const full = quoteRefund(order, request, { kind: 'full' }, policy);
            if (!full.ok || full.value.total.amountMinor === 0) break;
            let selection: RefundSelection;
            if (wanted.kind === 'full') selection = { kind: 'full' };
            else if (wanted.kind === 'amount') selection = { kind: 'amount', amount: usd(Math.max(1, Math.floor((full.value.total.amountMinor * wanted.share) / 100))) };
            else {
              const line = lines[wanted.line % lines.length];
              if (line === undefined) continue;
              selection = { kind: 'lines', lines: [{ lineId: line.lineId, qty: Math.min(wanted.qty, line.qty) }] };
            }
            const result = quoteRefund(order, request, selection, policy);
            if (!result.ok) continue;
            const { total, components } = result.value;
            given = add(given, total);
            // The refund happens: the order's total moves, and (when this app keeps the breakdown) its parts.
            const parts = order.refundedParts ?? null;
            order = {
              ...order,
              refunded: add(order.refunded, total),
              version: order.version + 1,
              refundedParts:
                parts === null
                  ? null
                  : {
                      shipping: add(parts.shipping, sum(components.filter((part) => part.kind === 'shipping').map((part) => part.amount), 'USD')),
                      lines: [...parts.lines, ...components.filter((part) => part.kind === 'line' && part.lineId !== null).map((part) => ({ lineId: part.lineId ?? '', amount: part.amount }))],
                    },
            };
            expect(compare(given, order.paid)).toBeLessThanOrEqual(0);
            if (keepShipping) expect(given.amountMinor).toBeLessThanOrEqual(itemsNet);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

