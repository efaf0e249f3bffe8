import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money } from '../../../../shared/money';
import {
  DEFAULT_POLICY,
  RULES_VERSION,
  allowedActions,
  parsePolicy,
  planAction,
  planBulk,
  type BulkItem,
  type SellerActionType,
} from '../../../../shared/rules';
import { nowArb, pairArb, policyArb } from '../arbitraries';
import { NOW, makeEvidence, makeLine, makeOrder, makeRequest, usd } from '../factories';

function item(id: string, orderOverrides: Parameters<typeof makeOrder>[0] = {}, requestOverrides: Parameters<typeof makeRequest>[0] = {}): BulkItem {
  const order = makeOrder({ id: `order-${id}`, ...orderOverrides });
  return { order, request: makeRequest({ id: `req-${id}`, ...requestOverrides }, order) };
}

const jpyOrder = {
  currency: 'JPY',
  lines: [makeLine({ currency: 'JPY', unitPrice: money(1500, 'JPY') })],
  shipping: money(0, 'JPY'),
  discount: money(0, 'JPY'),
};

describe('planBulk', () => {
  it('plans what can be done, skips the rest with the sentence allowedActions gives, totals per currency', () => {
    const items = [
      item('a'),
      item('b', jpyOrder),
      item('c', { status: 'awaiting_payment' }),
      item('d', {}, { state: 'withdrawn' }),
      item('e', { currency: 'KWD', lines: [makeLine({ currency: 'KWD', unitPrice: money(1250, 'KWD') })], shipping: money(500, 'KWD'), discount: money(0, 'KWD') }),
      item('f', { status: 'delivered' }, { reason: 'damaged' }),
    ];
    const plan = planBulk(items, 'accept', {}, DEFAULT_POLICY, NOW);
    expect(plan.rulesVersion).toBe(RULES_VERSION);
    expect(plan.counts).toEqual({ total: 6, willDo: 4, skipped: 2 });
    expect(plan.items.map((entry) => entry.status)).toEqual(['will_do', 'will_do', 'will_do', 'skipped', 'will_do', 'skipped']);
    expect(plan.totals).toEqual([
      { currency: 'JPY', amount: money(1500, 'JPY'), count: 1 },
      { currency: 'KWD', amount: money(1750, 'KWD'), count: 1 },
      { currency: 'USD', amount: usd(6000), count: 2 },
    ]);
    const withdrawn = plan.items[3];
    expect(withdrawn).toMatchObject({ status: 'skipped', requestId: 'req-d', orderId: 'order-d', code: 'wrong_state' });
    expect(withdrawn?.status === 'skipped' ? withdrawn.message : '').toBe(allowedActions(items[3]!.order, items[3]!.request, DEFAULT_POLICY, NOW)[0]?.message);
    expect(plan.skipped.map((group) => [group.code, group.count])).toEqual([
      ['proof_required', 1],
      ['wrong_state', 1],
    ]);
    expect(plan.skipped[0]?.example).toMatch(/^Cannot accept: your policy asks for photos/);
    expect(plan.skipped[1]?.example).toBe('Cannot accept: the buyer withdrew the request.');
    expect(plan.summary).toBe('Accept 4 of 6: refund ¥1,500 and KWD\u00a01.750 and $60.00; 2 skipped.');
  });

  it("plans each item with its own store's policy when it carries one, the plan's otherwise", () => {
    // A damaged item after delivery: the default policy wants proof before refunding it.
    const strict = item('strict', { status: 'delivered' }, { reason: 'damaged' });
    const lenient = { ...item('lenient', { status: 'delivered' }, { reason: 'damaged' }), policy: parsePolicy({ proofRequired: { reasons: [] } }) };
    const plan = planBulk([strict, lenient], 'accept', {}, DEFAULT_POLICY, NOW);
    expect(plan.items.map((planned) => [planned.requestId, planned.status === 'skipped' ? planned.code : planned.status])).toEqual([
      ['req-strict', 'proof_required'],
      ['req-lenient', 'will_do'],
    ]);
    // A policy that does not read skips its item with why, never the batch.
    const broken = { ...item('broken'), policy: { proofDueDays: 'three' } as never };
    const mixed = planBulk([item('fine'), broken], 'accept', {}, DEFAULT_POLICY, NOW);
    expect(mixed.items.map((planned) => planned.status)).toEqual(['will_do', 'skipped']);
    expect(mixed.items[1]).toMatchObject({ code: 'invalid_input' });
  });

  it('never plans the same request twice', () => {
    const one = item('a');
    const plan = planBulk([one, one], 'accept', {}, DEFAULT_POLICY, NOW);
    expect(plan.items[1]).toMatchObject({ status: 'skipped', code: 'duplicate_item', message: 'Skipped: this request is already in the batch, and a decision is never applied twice.' });
    expect(plan.totals).toEqual([{ currency: 'USD', amount: usd(6000), count: 1 }]);
  });

  it('skips a malformed item with the field at fault, and keeps going', () => {
    const good = item('a');
    const bad = { order: { ...good.order, id: 'order-x', paid: { amountMinor: 1.5, currency: 'USD' } }, request: { ...good.request, id: 'req-x', orderId: 'order-x' } };
    const plan = planBulk([bad as BulkItem, good, { order: null, request: 7 } as unknown as BulkItem, null as unknown as BulkItem], 'accept', {}, DEFAULT_POLICY, NOW);
    expect(plan.items[0]).toMatchObject({ status: 'skipped', code: 'invalid_input', field: 'order.paid.amountMinor', requestId: 'req-x', orderId: 'order-x' });
    expect(plan.items[1]).toMatchObject({ status: 'will_do' });
    expect(plan.items[2]).toMatchObject({ status: 'skipped', code: 'invalid_input', requestId: null, orderId: null });
    expect(plan.items[3]).toMatchObject({ status: 'skipped', code: 'invalid_input' });
  });

  it('refuses in bulk with each order\'s own tracking', () => {
    const items = [
      item('a', { tracking: { carrier: 'DHL', number: 'A1' } }),
      item('b', { tracking: { carrier: 'UPS', number: 'B2' } }),
      item('c'),
    ];
    const plan = planBulk(items, 'refuse', { reason: 'already_shipped' }, DEFAULT_POLICY, NOW);
    expect(plan.items.map((entry) => (entry.status === 'will_do' ? entry.plan.action : entry.code))).toEqual([
      { type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'A1' },
      { type: 'refuse', reason: 'already_shipped', carrier: 'UPS', trackingNumber: 'B2' },
      'missing_field',
    ]);
    expect(plan.totals).toEqual([]);
    expect(plan.summary).toBe('Refuse 2 of 3; 1 skipped.');
  });

  it('offers a percentage of what each buyer asks, rounded down, or one amount in one currency', () => {
    const policy = parsePolicy({ proofRequired: { reasons: [] } });
    const items = [
      item('a', { status: 'delivered' }, { reason: 'damaged', requestedAmount: usd(3333) }),
      item('b', { ...jpyOrder, status: 'delivered' }, { reason: 'damaged', evidence: makeEvidence(1) }),
      item('c', { status: 'awaiting_shipment' }),
    ];
    const byPercent = planBulk(items, 'offer', { percent: 50 }, policy, NOW);
    expect(byPercent.items.map((entry) => (entry.status === 'will_do' ? entry.amount : entry.code))).toEqual([usd(1666), money(750, 'JPY'), 'not_a_dispute']);
    expect(byPercent.summary).toBe('Offer on 2 of 3: offer ¥750 and $16.66; 1 skipped.');
    const byAmount = planBulk(items, 'offer', { amount: usd(1000) }, policy, NOW);
    expect(byAmount.items.map((entry) => (entry.status === 'will_do' ? entry.amount : entry.code))).toEqual([usd(1000), 'currency_mismatch', 'not_a_dispute']);
  });

  it('asks for proof and escalates in bulk', () => {
    const items = [item('a', { status: 'delivered' }, { reason: 'damaged' }), item('b', { status: 'delivered' }, { reason: 'not_received' })];
    const proof = planBulk(items, 'request_proof', {}, DEFAULT_POLICY, NOW);
    expect(proof.items.map((entry) => (entry.status === 'will_do' ? entry.plan.action : entry.code))).toEqual([
      // Left out, the due date is the end of the day (UTC, the rules' zone) the policy's days later.
      { type: 'request_proof', message: DEFAULT_POLICY.proofRequestTemplate, dueAt: '2026-11-29T23:59:59.999Z' },
      'proof_not_useful',
    ]);
    const escalate = planBulk(items, 'escalate', { note: 'Pattern of claims.' }, DEFAULT_POLICY, NOW);
    expect(escalate.counts.willDo).toBe(2);
    expect(escalate.summary).toBe('Escalate 2 of 2.');
    expect(proof.summary).toBe('Ask for proof on 1 of 2; 1 skipped.');
  });

  it('lets a programming error through instead of disguising it as bad data', () => {
    const good = item('a');
    const hostile = { order: { ...good.order, get status(): never { throw new TypeError('boom'); } }, request: good.request };
    expect(() => planBulk([hostile as BulkItem], 'accept', {}, DEFAULT_POLICY, NOW)).toThrow(TypeError);
  });

  it('plans an empty batch', () => {
    expect(planBulk([], 'accept', {}, DEFAULT_POLICY, NOW)).toMatchObject({ counts: { total: 0, willDo: 0, skipped: 0 }, totals: [], skipped: [], summary: 'Accept 0 of 0.' });
  });
});

describe('planBulk agrees with allowedActions and planAction item by item (property)', () => {
  const itemsArb = fc.array(pairArb, { minLength: 1, maxLength: 8 }).map((pairs) =>
    pairs.map(({ order, request }, index): BulkItem => {
      const orderWithId = { ...order, id: `order-${index}` };
      return { order: orderWithId, request: { ...request, id: `req-${index}`, orderId: orderWithId.id } };
    }),
  );
  const actionArb = fc.constantFrom<SellerActionType>('accept', 'refuse', 'request_proof', 'offer', 'escalate');

  it('holds for every action', () => {
    fc.assert(
      fc.property(itemsArb, actionArb, policyArb, nowArb, (items, action, policy, now) => {
        const params =
          action === 'refuse' ? { reason: 'other' as const, note: 'Not as claimed.' } : action === 'offer' ? { percent: 40 } : {};
        const plan = planBulk(items, action, params as never, policy, now);
        expect(plan.items).toHaveLength(items.length);
        expect(plan.counts.willDo + plan.counts.skipped).toBe(items.length);
        const totals = new Map<string, number>();
        plan.items.forEach((entry, index) => {
          const source = items[index]!;
          const option = allowedActions(source.order, source.request, policy, now).find((candidate) => candidate.action === action)!;
          if (entry.status === 'will_do') {
            expect(option.allowed).toBe(true);
            const single = planAction(source.order, source.request, entry.plan.action, policy, now);
            expect(single).toEqual({ ok: true, value: entry.plan });
            if (entry.amount !== null) totals.set(entry.amount.currency, (totals.get(entry.amount.currency) ?? 0) + entry.amount.amountMinor);
          } else if (!option.allowed) {
            expect(entry).toMatchObject({ code: option.code, message: option.message });
          }
        });
        expect(new Map(plan.totals.map((total) => [total.currency, total.amount.amountMinor]))).toEqual(totals);
      }),
      { numRuns: 300 },
    );
  });
});
