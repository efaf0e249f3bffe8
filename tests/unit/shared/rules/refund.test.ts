import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDecimal, money, parseMoney, sum, type Money } from '../../../../shared/money';
import {
  DEFAULT_POLICY,
  allowedActions,
  parsePolicy,
  planAction,
  quoteRefund,
  refundCap,
  type RefundQuote,
  type RefundSelection,
  type RuleResult,
} from '../../../../shared/rules';
import { pairArb, policyArb, selectionArb } from '../arbitraries';
import { NOW, makeLine, makeOrder, makeRequest, usd } from '../factories';

function quoted(result: RuleResult<RefundQuote>): RefundQuote {
  if (!result.ok) throw new Error(`expected a quote, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function amountsOf(quote: RefundQuote): number[] {
  return quote.components.map((component) => component.amount.amountMinor);
}

function expectExact(quote: RefundQuote): void {
  expect(sum(quote.components.map((component) => component.amount), quote.total.currency)).toEqual(quote.total);
}

describe('field case: 87.96 paid, capture recorded with more decimals', () => {
  // The marketplace reported the capture as 87.9599999 and the lines, rounded one by one, come
  // to 87.95: a full refund must still be exactly 87.96, never blocked by the cent.
  const paid = fromDecimal('87.9599999', 'USD', 'halfEven');
  const order = makeOrder({
    lines: [
      makeLine({ lineId: 'line-1', qty: 1, unitPrice: fromDecimal('43.974', 'USD', 'halfEven') }),
      makeLine({ lineId: 'line-2', qty: 1, unitPrice: fromDecimal('43.9759', 'USD', 'halfEven') }),
    ],
    shipping: usd(0),
    paid,
  });
  const request = makeRequest({ refundMax: fromDecimal(87.96, 'USD', 'trunc'), requestedAmount: fromDecimal('87.96000', 'USD', 'halfEven') }, order);

  it('reads the amounts to the cent', () => {
    expect(paid).toEqual(usd(8796));
    expect(order.lines.map((line) => line.unitPrice.amountMinor)).toEqual([4397, 4398]);
  });

  it('quotes a full refund of exactly 87.96, parts summing exactly, and says why it differs from the lines', () => {
    const quote = quoted(quoteRefund(order, request, { kind: 'full' }));
    expect(quote.total).toEqual(usd(8796));
    expect(quote.full).toBe(true);
    expectExact(quote);
    expect(quote.notes).toContain('The payment recorded ($87.96) differs from the lines and shipping less the discount ($87.95); a full refund returns what was paid.');
  });

  it('lets the seller accept it and refunds 87.96', () => {
    const accept = allowedActions(order, request, DEFAULT_POLICY, NOW)[0];
    expect(accept).toMatchObject({ action: 'accept', allowed: true, message: 'Accept and refund $87.96 in full, shipping included; the order is cancelled.' });
    const plan = planAction(order, request, { type: 'accept' }, DEFAULT_POLICY, NOW);
    expect(plan).toMatchObject({ ok: true, value: { refund: usd(8796), to: 'accepted' } });
  });

  it('accepts a typed 87.96 as a partial amount (equal to the cap is not above it)', () => {
    const typed = parseMoney('87.96', 'USD', 'en-US');
    expect(typed.ok).toBe(true);
    if (typed.ok) expect(quoted(quoteRefund(order, request, { kind: 'amount', amount: typed.value })).total).toEqual(usd(8796));
  });

  it('does the same after shipment, for a claim that refunds shipping', () => {
    const shipped = { ...order, status: 'delivered' as const, tracking: { carrier: 'DHL', number: 'X1' } };
    const dispute = makeRequest({ kind: 'dispute', reason: 'damaged', requestedAmount: usd(8796), refundMax: usd(8796), evidence: [] }, shipped);
    const plan = planAction(shipped, dispute, { type: 'accept' }, parsePolicy({ proofRequired: { reasons: [] } }), NOW);
    expect(plan).toMatchObject({ ok: true, value: { refund: usd(8796) } });
  });
});

describe('field case: three lines with a one-third order discount', () => {
  it('prorates 10.00 over three 10.00 lines as 3.34, 3.33, 3.33', () => {
    const order = makeOrder({
      lines: ['line-1', 'line-2', 'line-3'].map((lineId) => makeLine({ lineId, qty: 1, unitPrice: usd(1000) })),
      shipping: usd(0),
      discount: usd(1000),
    });
    const quote = quoted(quoteRefund(order, makeRequest({}, order), { kind: 'full' }));
    expect(quote.components.map((component) => component.discount.amountMinor)).toEqual([334, 333, 333, 0]);
    expect(amountsOf(quote)).toEqual([666, 667, 667, 0]);
    expect(quote.total).toEqual(usd(2000));
    const one = quoted(quoteRefund(order, makeRequest({}, order), { kind: 'lines', lines: [{ lineId: 'line-2', qty: 1 }] }));
    expect(one.total).toEqual(usd(667));
    expect(one.components[0]?.explanation).toBe('1 × Enamel mug: $10.00 less $3.33 of the order discount; refund $6.67.');
  });

  it('prorates a third off 10 + 20 + 30 by subtotal, summing exactly', () => {
    const order = makeOrder({
      lines: [makeLine({ lineId: 'a', unitPrice: usd(1000) }), makeLine({ lineId: 'b', unitPrice: usd(2000) }), makeLine({ lineId: 'c', unitPrice: usd(3000) })],
      discount: usd(2000),
    });
    const quote = quoted(quoteRefund(order, makeRequest({}, order), { kind: 'full' }));
    expect(quote.components.map((component) => component.discount.amountMinor)).toEqual([333, 667, 1000, 0]);
    expect(quote.total).toEqual(usd(4500));
    expectExact(quote);
  });
});

describe('field case: JPY with an odd discount', () => {
  const jpy = (amount: number) => money(amount, 'JPY');
  const order = makeOrder({
    currency: 'JPY',
    lines: [makeLine({ lineId: 'l1', currency: 'JPY', unitPrice: jpy(1000) }), makeLine({ lineId: 'l2', currency: 'JPY', unitPrice: jpy(2000) }), makeLine({ lineId: 'l3', currency: 'JPY', unitPrice: jpy(1500) })],
    shipping: jpy(350),
    discount: jpy(1001),
  });
  const request = makeRequest({}, order);

  it('splits ¥1,001 to the yen by largest remainder', () => {
    const quote = quoted(quoteRefund(order, request, { kind: 'full' }));
    expect(quote.components.map((component) => component.discount.amountMinor)).toEqual([222, 445, 334, 0]);
    expect(quote.total).toEqual(jpy(3849));
    expectExact(quote);
    expect(quote.components[1]?.explanation).toBe('1 × Enamel mug: ¥2,000 less ¥445 of the order discount; refund ¥1,555.');
  });

  it('refuses a partial amount with decimals at parse time, and quotes a whole one', () => {
    expect(parseMoney('100.5', 'JPY', 'ja-JP').ok).toBe(false);
    const quote = quoted(quoteRefund(order, request, { kind: 'amount', amount: jpy(1001) }));
    expect(quote.total).toEqual(jpy(1001));
    expectExact(quote);
  });
});

describe('field case: KWD with three decimals', () => {
  const kwd = (amount: number) => money(amount, 'KWD');
  const order = makeOrder({
    currency: 'KWD',
    status: 'delivered',
    lines: [makeLine({ currency: 'KWD', qty: 3, unitPrice: kwd(1250) })],
    shipping: kwd(500),
    discount: kwd(100),
  });
  const request = makeRequest({ reason: 'damaged', evidence: [] }, order);

  it('refunds to the fils', () => {
    const quote = quoted(quoteRefund(order, request, { kind: 'full' }));
    expect(quote.total).toEqual(kwd(4150));
    expect(amountsOf(quote)).toEqual([3650, 500]);
    const partial = quoted(quoteRefund(order, request, { kind: 'amount', amount: kwd(1005) }));
    expect(partial.total).toEqual(kwd(1005));
    expectExact(partial);
    expect(partial.components[0]?.explanation).toMatch(/KWD\u00a01\.250|KWD\u00a03\.750/);
  });

  it('quotes a unit of a line with the discount share rounded up, never refunding more than paid for it', () => {
    const quote = quoted(quoteRefund(order, request, { kind: 'lines', lines: [{ lineId: 'line-1', qty: 1 }] }));
    // 0.100 discount over 3 units: 0.034 for one unit (rounded up).
    expect(quote.components[0]).toMatchObject({ gross: kwd(1250), discount: kwd(34), amount: kwd(1216) });
    expect(quote.total).toEqual(kwd(1216));
  });
});

describe('field case: a partial refund after an earlier partial refund', () => {
  const order = makeOrder({ status: 'delivered', refunded: usd(2000) }); // paid 60.00
  const request = makeRequest({ reason: 'damaged', refundMax: usd(4000), requestedAmount: usd(1500) }, order);

  it('caps at what is left and says why', () => {
    expect(refundCap(order, request)).toEqual({ amount: usd(4000), refundMax: usd(4000), remaining: usd(4000), limitedBy: 'remaining_paid' });
    const full = quoted(quoteRefund(order, request, { kind: 'full' }));
    expect(full.total).toEqual(usd(4000));
    expect(full.notes).toContain('$20.00 of the $60.00 paid was already refunded, so at most $40.00 is left.');
    expectExact(full);
  });

  it('refuses an amount of zero or in another currency', () => {
    expect(quoteRefund(order, request, { kind: 'amount', amount: usd(0) })).toMatchObject({ ok: false, error: { code: 'amount_not_positive', message: 'Cannot refund: enter an amount above zero.' } });
    expect(quoteRefund(order, request, { kind: 'amount', amount: money(100, 'EUR') })).toMatchObject({
      ok: false,
      error: { code: 'currency_mismatch', message: 'Cannot refund: the amount is in EUR but the order is in USD.' },
    });
  });

  it('refuses more than is left, with the sentence', () => {
    expect(quoteRefund(order, request, { kind: 'amount', amount: usd(4001) })).toEqual({
      ok: false,
      error: { code: 'amount_above_cap', message: 'Cannot refund $40.01: at most $40.00 can still be refunded on this order.', field: 'amount' },
    });
  });

  it('quotes what the buyer asks', () => {
    const asked = quoted(quoteRefund(order, request, { kind: 'requested' }));
    expect(asked.total).toEqual(usd(1500));
    expect(asked.full).toBe(false);
    expectExact(asked);
  });
});

describe('the cap', () => {
  it('is the marketplace limit when it is lower, and says so', () => {
    const order = makeOrder();
    const request = makeRequest({ refundMax: usd(3000) }, order);
    const quote = quoted(quoteRefund(order, request, { kind: 'full' }));
    expect(quote.total).toEqual(usd(3000));
    expect(quote.capped).toBe(true);
    expect(quote.notes).toContain('The marketplace allows at most $30.00 for this request.');
    expect(quoteRefund(order, request, { kind: 'amount', amount: usd(3001) })).toMatchObject({
      ok: false,
      error: { code: 'amount_above_cap', message: 'Cannot refund $30.01: the marketplace allows at most $30.00 for this request.' },
    });
  });

  it('leaves nothing to refund once everything was refunded', () => {
    const order = makeOrder({ status: 'delivered', refunded: usd(6000) });
    const request = makeRequest({ reason: 'damaged' }, order);
    expect(quoted(quoteRefund(order, request, { kind: 'full' })).total).toEqual(usd(0));
    expect(quoteRefund(order, request, { kind: 'amount', amount: usd(1) })).toMatchObject({ ok: false, error: { code: 'nothing_to_refund' } });
    expect(quoteRefund(order, request, { kind: 'lines', lines: [{ lineId: 'line-1', qty: 1 }] })).toMatchObject({ ok: false, error: { code: 'nothing_to_refund' } });
  });
});

describe('phases', () => {
  it('refunds nothing before payment', () => {
    const order = makeOrder({ status: 'awaiting_payment' });
    const request = makeRequest({}, order);
    const quote = quoted(quoteRefund(order, request, { kind: 'full' }));
    expect(quote.total).toEqual(usd(0));
    expect(quote.notes[0]).toBe('The buyer has not paid: accepting cancels the order and refunds nothing.');
    expect(quoted(quoteRefund(order, request, { kind: 'requested' })).total).toEqual(usd(0));
    expect(quoteRefund(order, request, { kind: 'amount', amount: usd(1) })).toMatchObject({ ok: false, error: { code: 'not_paid' } });
    expect(quoteRefund(order, request, { kind: 'lines', lines: [{ lineId: 'line-1', qty: 1 }] })).toMatchObject({ ok: false, error: { code: 'not_paid' } });
  });

  it('refunds shipping before shipment, and after it as the policy says', () => {
    const before = makeOrder();
    expect(quoted(quoteRefund(before, makeRequest({}, before), { kind: 'full' })).total).toEqual(usd(6000));
    const after = makeOrder({ status: 'shipped' });
    const changedMind = makeRequest({ reason: 'changed_mind' }, after);
    const damaged = makeRequest({ reason: 'damaged' }, after);
    const keep = parsePolicy({ shippingAfterShipment: 'keep' });
    const refund = parsePolicy({ shippingAfterShipment: 'refund' });
    expect(quoted(quoteRefund(after, damaged, { kind: 'full' })).total).toEqual(usd(6000));
    const kept = quoted(quoteRefund(after, changedMind, { kind: 'full' }));
    expect(kept.total).toEqual(usd(5500));
    expect(kept.components[2]?.explanation).toBe('Shipping: $5.00; not refunded: your policy refunds shipping after shipment only when the seller is at fault, which "Changed their mind" does not claim.');
    expect(quoted(quoteRefund(after, damaged, { kind: 'full' }, keep)).notes).toContain('Shipping ($5.00) is not refunded: your policy does not refund shipping after shipment.');
    expect(quoted(quoteRefund(after, changedMind, { kind: 'full' }, refund)).total).toEqual(usd(6000));
    expect(quoteRefund(after, changedMind, { kind: 'amount', amount: usd(5600) })).toMatchObject({ ok: false, error: { code: 'shipping_not_refundable' } });
    expect(quoteRefund(after, changedMind, { kind: 'requested' })).toMatchObject({ ok: false, error: { code: 'shipping_not_refundable' } });
    expect(quoteRefund(after, changedMind, { kind: 'lines', lines: [{ lineId: 'line-1', qty: 1 }], includeShipping: true })).toMatchObject({
      ok: false,
      error: { code: 'shipping_not_refundable', field: 'includeShipping' },
    });
  });

  it('refuses to quote for a cancelled order', () => {
    const order = makeOrder({ status: 'cancelled' });
    expect(quoteRefund(order, makeRequest({}, order), { kind: 'full' })).toMatchObject({ ok: false, error: { code: 'order_cancelled' } });
  });
});

describe('line selections', () => {
  const order = makeOrder({ status: 'delivered' });
  const request = makeRequest({ reason: 'damaged' }, order);

  const refusedSelections: [RefundSelection, string, string][] = [
    [{ kind: 'lines', lines: [] }, 'empty_selection', 'lines'],
    [{ kind: 'lines', lines: [{ lineId: 'line-9', qty: 1 }] }, 'unknown_line', 'lines[0].lineId'],
    [{ kind: 'lines', lines: [{ lineId: 'line-1', qty: 1 }, { lineId: 'line-1', qty: 1 }] }, 'duplicate_line', 'lines[1].lineId'],
    [{ kind: 'lines', lines: [{ lineId: 'line-1', qty: 3 }] }, 'invalid_quantity', 'lines[0].qty'],
    [{ kind: 'lines', lines: [{ lineId: 'line-1', qty: 0 }] }, 'invalid_quantity', 'lines[0].qty'],
  ];
  it.each(refusedSelections)('%j is refused with %s', (selection, code, field) => {
    expect(quoteRefund(order, request, selection)).toMatchObject({ ok: false, error: { code, field } });
  });

  it('quotes some units without shipping, and every unit with shipping as the full refund', () => {
    const some = quoted(quoteRefund(order, request, { kind: 'lines', lines: [{ lineId: 'line-1', qty: 1 }] }));
    expect(some.total).toEqual(usd(1250));
    expect(some.components.find((component) => component.kind === 'shipping')?.explanation).toBe('Shipping: $5.00; not refunded: not part of this selection.');
    const all = quoted(quoteRefund(order, request, { kind: 'lines', lines: [{ lineId: 'line-2', qty: 1 }, { lineId: 'line-1', qty: 2 }] }));
    expect(all.total).toEqual(usd(6000));
    expect(all.full).toBe(true);
    const noShipping = quoted(quoteRefund(order, request, { kind: 'lines', lines: [{ lineId: 'line-2', qty: 1 }, { lineId: 'line-1', qty: 2 }], includeShipping: false }));
    expect(noShipping.total).toEqual(usd(5500));
    const withShipping = quoted(quoteRefund(order, request, { kind: 'lines', lines: [{ lineId: 'line-2', qty: 1 }], includeShipping: true }));
    expect(withShipping.total).toEqual(usd(3500));
  });

  it('caps a line selection and spreads the cap exactly', () => {
    const capped = makeRequest({ reason: 'damaged', refundMax: usd(1001) }, order);
    const quote = quoted(quoteRefund(order, capped, { kind: 'lines', lines: [{ lineId: 'line-1', qty: 2 }, { lineId: 'line-2', qty: 1 }], includeShipping: false }));
    expect(quote.total).toEqual(usd(1001));
    expect(quote.capped).toBe(true);
    expectExact(quote);
  });
});

describe('odd data', () => {
  it('puts a payment beyond free lines into an adjustment', () => {
    const order = makeOrder({ lines: [makeLine({ unitPrice: usd(0) })], shipping: usd(0), paid: usd(500) });
    const quote = quoted(quoteRefund(order, makeRequest({}, order), { kind: 'full' }));
    expect(quote.total).toEqual(usd(500));
    expect(quote.components.at(-1)).toMatchObject({ kind: 'adjustment', amount: usd(500), explanation: 'Paid beyond what the lines and shipping come to: refund $5.00.' });
    expectExact(quote);
  });

  it('isolates a title that could reorder the explanation around it (RLO, LRO, RLI, Arabic); plain titles read as they are', () => {
    for (const title of ['Mug \u202Egum', 'Mug \u202Dgum', 'Mug \u2067gum', 'كوب أزرق']) {
      const order = makeOrder({ lines: [makeLine({ lineId: 'a', title })] });
      const explanation = quoted(quoteRefund(order, makeRequest({}, order), { kind: 'full' })).components[0]?.explanation ?? '';
      // The title sits between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE; the amounts after it are outside.
      expect(explanation).toMatch(new RegExp(`^1 × \u2068${title}\u2069: \\$`, 'u'));
    }
    const plain = makeOrder({ lines: [makeLine({ lineId: 'a', title: 'Enamel mug' })] });
    expect(quoted(quoteRefund(plain, makeRequest({}, plain), { kind: 'full' })).components[0]?.explanation).toMatch(/^1 × Enamel mug: \$/);
  });

  it('shortens long titles in explanations, and names untitled items', () => {
    const order = makeOrder({ lines: [makeLine({ lineId: 'a', title: 'x'.repeat(200) }), makeLine({ lineId: 'b', title: '  ' })] });
    const quote = quoted(quoteRefund(order, makeRequest({}, order), { kind: 'full' }));
    expect(quote.components[0]?.explanation).toMatch(/^1 × x{59}…: /);
    expect(quote.components[1]?.explanation).toMatch(/^1 × item: /);
  });

  it('uses the default policy when none is given', () => {
    const order = makeOrder({ status: 'delivered' });
    const request = makeRequest({ reason: 'changed_mind' }, order);
    expect(quoteRefund(order, request, { kind: 'full' })).toEqual(quoteRefund(order, request, { kind: 'full' }, DEFAULT_POLICY));
  });
});

describe('quotes (property)', () => {
  it('never go above the cap or below zero, and their parts sum to the total exactly, in every currency', () => {
    fc.assert(
      fc.property(
        pairArb.chain(({ order, request }) => selectionArb(order).map((selection) => ({ order, request, selection }))),
        policyArb,
        ({ order, request, selection }, policy) => {
          const result = quoteRefund(order, request, selection, policy);
          if (!result.ok) {
            expect(result.error.message).toMatch(/^Cannot .+\.$/);
            return;
          }
          const quote = result.value;
          const zero: Money = money(0, order.currency);
          expect(quote.total.currency).toBe(order.currency);
          expect(quote.total.amountMinor).toBeGreaterThanOrEqual(zero.amountMinor);
          expect(quote.total.amountMinor).toBeLessThanOrEqual(quote.cap.amount.amountMinor);
          expect(quote.total.amountMinor).toBeLessThanOrEqual(Math.min(request.refundMax.amountMinor, order.paid.amountMinor - order.refunded.amountMinor));
          expect(quote.total.amountMinor).toBeLessThanOrEqual(quote.maxRefund.amountMinor);
          for (const component of quote.components) expect(component.amount.amountMinor).toBeGreaterThanOrEqual(0);
          expectExact(quote);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a full refund where everything is refundable is the cap exactly: rounding never blocks it', () => {
    fc.assert(
      fc.property(pairArb, ({ order, request }) => {
        const result = quoteRefund(order, request, { kind: 'full' }, parsePolicy({ shippingAfterShipment: 'refund' }));
        if (order.status === 'cancelled') return;
        const quote = quoted(result);
        if (order.status === 'awaiting_payment') expect(quote.total.amountMinor).toBe(0);
        else expect(quote.total).toEqual(quote.cap.amount);
      }),
      { numRuns: 300 },
    );
  });

  it('are deterministic', () => {
    fc.assert(
      fc.property(pairArb.chain(({ order, request }) => selectionArb(order).map((selection) => ({ order, request, selection }))), ({ order, request, selection }) => {
        expect(quoteRefund(order, request, selection)).toEqual(quoteRefund(order, request, selection));
      }),
      { numRuns: 100 },
    );
  });
});
