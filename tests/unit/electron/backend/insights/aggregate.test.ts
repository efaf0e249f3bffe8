import { beforeEach, describe, expect, it } from 'vitest';
import { InsightsIndex, deskAnswersFromAudit, type InsightsSource } from '../../../../../electron/backend/insights/aggregate';
import { insightsByScan } from '../../../../../electron/backend/insights/scan';
import type { AuditEntry } from '../../../../../electron/backend/cache/db';
import { toCachedRequest, type CachedRequest } from '../../../../../electron/backend/cache/records';
import type { Order } from '../../../../../shared/domain/order';
import type { CancelRequest, Resolution } from '../../../../../shared/domain/request';
import { toInstant } from '../../../../../shared/domain/time';
import { InsightsInputSchema, type Insights } from '../../../../../shared/ipc/contract';
import { describeIssues } from '../../../../../shared/ipc/dispatch';
import { money } from '../../../../../shared/money';
import { makeLine, makeOrder, makeRequest } from '../../../shared/factories';

/*
 * The fixture, every figure worked out by hand below (range 2026-03-04 Wed .. 2026-03-10 Tue;
 * 2026-03-02 and 2026-03-09 are Mondays). Stores S1 and S2. Buyers B1 Ann, B2 Bob, B3 Cy, B4 Dee.
 *
 * req  order  store buyer requestedAt (UTC)      reason          record                                   outcome    answer
 * R1   O1     S1    B1    03-04 00:00 (1st edge) changed_mind    refunded by seller 03-04 06:00, 10.00 USD accepted   6 h of 48 h
 * R2   O2     S1    B1    03-04 10:00            changed_mind    auto_accepted, platform 25.50 USD        platform   —
 * R3   O3     S1    B2    03-06 12:00            damaged         proof_requested v2 at 03-07 00:00        proof      12 h of 48 h
 * R4   O4     S1    B1    03-06 20:00            wrong_item      refused by seller 03-07 20:00            refused    24 h of 48 h
 * R5   O5     S1    B3    03-10 23:59:59.999     changed_mind    auto_accepted, platform ¥1500 JPY        platform   —
 * R6   O6     S1    B2    03-09 08:00            damaged         refunded, buyer took offer 12.345 KWD    offer      — (v3, the buyer's)
 * R7   O7     S2    B1    03-05 00:00            found_cheaper   requested                                open       —
 * R8   O8     S1    B3    03-03 23:59:59.999     changed_mind    refunded by seller 03-05, 5.00 USD       (outside)  —
 * R10  O9     S1    B4    03-08 00:00            not_received    escalated v2 at 03-08 02:00, 8 h allowed escalated 2 h of 8 h
 *
 * SKUs: O1 A+B, O2 A+A, O3 C, O4 B, O5 A, O6 C, O7 A, O8 D, O9 E.
 */

const HOUR = 3_600_000;
const iso = (text: string): string => `${text}.000Z`.replace('.999.000Z', '.999Z');
const plus = (instant: string, ms: number): string => toInstant(Date.parse(instant) + ms);

const TITLES: Record<string, string> = { A: 'Mug', B: 'Tee', C: 'Lamp', D: 'Sock', E: 'Kettle' };
const BUYERS: Record<string, string> = { B1: 'Ann', B2: 'Bob', B3: 'Cy', B4: 'Dee' };

function order(id: string, storeId: string, buyer: string, skus: string[], currency = 'USD'): Order {
  return makeOrder({
    id,
    storeId,
    currency,
    buyer: { id: buyer, name: BUYERS[buyer] ?? '', country: 'DE' },
    lines: skus.map((sku, index) => makeLine({ lineId: `l${index}`, sku, title: TITLES[sku] ?? sku, currency })),
  });
}

const ORDERS: Order[] = [
  order('O1', 'S1', 'B1', ['A', 'B']),
  order('O2', 'S1', 'B1', ['A', 'A']),
  order('O3', 'S1', 'B2', ['C']),
  order('O4', 'S1', 'B1', ['B']),
  order('O5', 'S1', 'B3', ['A'], 'JPY'),
  order('O6', 'S1', 'B2', ['C'], 'KWD'),
  order('O7', 'S2', 'B1', ['A']),
  order('O8', 'S1', 'B3', ['D']),
  order('O9', 'S1', 'B4', ['E']),
];
const ORDER_BY_ID = new Map(ORDERS.map((item) => [item.id, item]));

function resolution(outcome: Resolution['outcome'], amount: [number, string] | null, decidedAt: string, by: Resolution['by']): Resolution {
  return { outcome, amount: amount === null ? null : money(amount[0], amount[1]), decidedAt, by };
}

function request(id: string, orderId: string, requestedAt: string, overrides: Partial<CancelRequest>): CancelRequest {
  const source = ORDER_BY_ID.get(orderId);
  if (source === undefined) throw new Error(`no order ${orderId}`);
  return makeRequest({ id, requestedAt, respondBy: plus(requestedAt, 48 * HOUR), updatedAt: requestedAt, ...overrides }, source);
}

function fixtureRequests(): CancelRequest[] {
  return [
    request('R1', 'O1', iso('2026-03-04T00:00:00'), {
      reason: 'changed_mind', state: 'refunded', version: 3, resolution: resolution('refunded', [1000, 'USD'], iso('2026-03-04T06:00:00'), 'seller'),
    }),
    request('R2', 'O2', iso('2026-03-04T10:00:00'), {
      reason: 'changed_mind', state: 'auto_accepted', version: 2, resolution: resolution('decided_by_platform', [2550, 'USD'], iso('2026-03-06T10:00:00'), 'platform'),
    }),
    request('R3', 'O3', iso('2026-03-06T12:00:00'), { reason: 'damaged', state: 'proof_requested', version: 2, updatedAt: iso('2026-03-07T00:00:00') }),
    request('R4', 'O4', iso('2026-03-06T20:00:00'), {
      reason: 'wrong_item', state: 'refused', version: 2, updatedAt: iso('2026-03-07T20:00:00'), resolution: resolution('refused', null, iso('2026-03-07T20:00:00'), 'seller'),
    }),
    request('R5', 'O5', iso('2026-03-10T23:59:59.999'), {
      reason: 'changed_mind', state: 'auto_accepted', version: 2, resolution: resolution('decided_by_platform', [1500, 'JPY'], iso('2026-03-12T23:59:59.999'), 'platform'),
    }),
    request('R6', 'O6', iso('2026-03-09T08:00:00'), {
      reason: 'damaged', state: 'accepted', version: 3, resolution: resolution('refunded', [12345, 'KWD'], iso('2026-03-09T10:00:00'), 'buyer'),
    }),
    request('R7', 'O7', iso('2026-03-05T00:00:00'), { reason: 'found_cheaper', state: 'requested', version: 1 }),
    request('R8', 'O8', iso('2026-03-03T23:59:59.999'), {
      reason: 'changed_mind', state: 'refunded', version: 3, resolution: resolution('refunded', [500, 'USD'], iso('2026-03-05T00:00:00'), 'seller'),
    }),
    request('R10', 'O9', iso('2026-03-08T00:00:00'), {
      reason: 'not_received', state: 'escalated', version: 2, updatedAt: iso('2026-03-08T02:00:00'), respondBy: iso('2026-03-08T08:00:00'),
    }),
  ];
}

const rowsOf = (requests: CancelRequest[]): CachedRequest[] => requests.map((item) => toCachedRequest(item, ORDER_BY_ID.get(item.orderId)));

function sourceOf(rows: CachedRequest[], audit: AuditEntry[] = []): InsightsSource & { orderReads: number } {
  const source = {
    orderReads: 0,
    requests: () => Promise.resolve(rows),
    orders: (ids: string[]) => {
      source.orderReads += ids.length;
      return Promise.resolve(ids.map((id) => ORDER_BY_ID.get(id)));
    },
    audit: () => Promise.resolve(audit),
  };
  return source;
}

const input = (overrides: Partial<{ from: string; to: string; storeId: string | null; repeatMoreThan: number }> = {}) =>
  InsightsInputSchema.parse({ from: '2026-03-04', to: '2026-03-10', ...overrides });

const ZERO_REASONS = {
  changed_mind: 0, ordered_by_mistake: 0, found_cheaper: 0, shipping_too_slow: 0, wrong_address: 0, payment_issue: 0,
  not_received: 0, not_as_described: 0, damaged: 0, wrong_item: 0, missing_parts: 0, counterfeit: 0,
};

let index: InsightsIndex;
let source: ReturnType<typeof sourceOf>;

async function figures(overrides: Parameters<typeof input>[0] = {}): Promise<Insights> {
  await index.ready(source);
  const kept = index.query(input(overrides));
  // The full pass over plain objects gives the very same figures.
  expect(insightsByScan(fixtureRequests(), ORDER_BY_ID, new Map(), input(overrides))).toEqual(kept);
  return kept;
}

beforeEach(() => {
  index = new InsightsIndex();
  source = sourceOf(rowsOf(fixtureRequests()));
});

describe('Insights figures on a hand-checked fixture', () => {
  it('counts requests per day by reason, every day of the range, zero days included, edges inclusive', async () => {
    const result = await figures();
    expect(result.perDay).toEqual([
      { day: '2026-03-04', total: 2, byReason: { ...ZERO_REASONS, changed_mind: 2 } },
      { day: '2026-03-05', total: 1, byReason: { ...ZERO_REASONS, found_cheaper: 1 } },
      { day: '2026-03-06', total: 2, byReason: { ...ZERO_REASONS, damaged: 1, wrong_item: 1 } },
      { day: '2026-03-07', total: 0, byReason: ZERO_REASONS },
      { day: '2026-03-08', total: 1, byReason: { ...ZERO_REASONS, not_received: 1 } },
      { day: '2026-03-09', total: 1, byReason: { ...ZERO_REASONS, damaged: 1 } },
      { day: '2026-03-10', total: 1, byReason: { ...ZERO_REASONS, changed_mind: 1 } },
    ]);
    expect(result.stores).toEqual(['S1', 'S2']);
  });

  it('mixes outcomes: accepted, refused, proof, offer taken, escalated, platform, open', async () => {
    const result = await figures();
    expect(result.outcomes).toEqual([
      { outcome: 'accepted', count: 1 },
      { outcome: 'refused', count: 1 },
      { outcome: 'proof_requested', count: 1 },
      { outcome: 'offer', count: 1 },
      { outcome: 'escalated', count: 1 },
      { outcome: 'decided_by_platform', count: 2 },
      { outcome: 'withdrawn', count: 0 },
      { outcome: 'open', count: 1 },
    ]);
  });

  it('gives the median and p90 of the time to answer, and as a share of the deadline (even count)', async () => {
    const { responseTime } = await figures();
    // 2 h (R10), 6 h (R1), 12 h (R3), 24 h (R4): median (6 + 12) / 2 = 9 h; p90 = 4th of 4 (nearest rank).
    expect(responseTime.answered).toBe(4);
    expect(responseTime.medianMs).toBe(9 * HOUR);
    expect(responseTime.p90Ms).toBe(24 * HOUR);
    // Shares 2/8, 6/48, 12/48, 24/48 = 0.25, 0.125, 0.25, 0.5: median (0.25 + 0.25) / 2; p90 0.5.
    expect(responseTime.medianOfDeadline).toBe(0.25);
    expect(responseTime.p90OfDeadline).toBe(0.5);
  });

  it('gives the median and p90 of an odd count', async () => {
    const { responseTime } = await figures({ to: '2026-03-07' });
    // 6 h, 12 h, 24 h: median 12 h; p90 = ceil(0.9 × 3) = 3rd = 24 h. Shares 0.125, 0.25, 0.5.
    expect(responseTime).toMatchObject({ answered: 3, medianMs: 12 * HOUR, p90Ms: 24 * HOUR, medianOfDeadline: 0.25, p90OfDeadline: 0.5 });
  });

  it('counts the requests the platform decided and their cost per currency, JPY with no decimals', async () => {
    const { responseTime } = await figures();
    expect(responseTime.decidedByPlatform).toBe(2);
    expect(responseTime.decidedByPlatformCost).toEqual([
      { currency: 'JPY', amount: { amountMinor: 1500, currency: 'JPY' }, count: 1 },
      { currency: 'USD', amount: { amountMinor: 2550, currency: 'USD' }, count: 1 },
    ]);
    // Empty range: nothing, and no answer times.
    const none = await figures({ from: '2026-03-07', to: '2026-03-07' });
    expect(none.responseTime).toEqual({ answered: 0, medianMs: null, p90Ms: null, medianOfDeadline: null, p90OfDeadline: null, decidedByPlatform: 0, decidedByPlatformCost: [] });
  });

  it('sums refunds per week starting Monday, per currency, by the day they were decided (KWD with 3 decimals)', async () => {
    const { refundsPerWeek } = await figures();
    expect(refundsPerWeek).toEqual([
      // R1 10.00 on Wed 03-04 and R8 5.00 on Thu 03-05 (R8 was asked before the range, decided in it).
      { weekStart: '2026-03-02', totals: [{ currency: 'USD', amount: { amountMinor: 1500, currency: 'USD' }, count: 2 }] },
      // R6: the buyer took the offer of 12.345 KWD on Mon 03-09.
      { weekStart: '2026-03-09', totals: [{ currency: 'KWD', amount: { amountMinor: 12345, currency: 'KWD' }, count: 1 }] },
    ]);
    // Platform decisions are not in the refunds (R2, R5); a week with none shows empty.
    const later = await figures({ from: '2026-03-16', to: '2026-03-17' });
    expect(later.refundsPerWeek).toEqual([{ weekStart: '2026-03-16', totals: [] }]);
  });

  it('lists the SKUs in most requests with their top reasons (a SKU on two lines counts once)', async () => {
    const { topSkus } = await figures();
    expect(topSkus).toEqual([
      { sku: 'A', title: 'Mug', requests: 4, topReasons: [{ reason: 'changed_mind', count: 3 }, { reason: 'found_cheaper', count: 1 }] },
      // B and C tie at 2: by SKU. B's reasons tie at 1: in the catalogue's order.
      { sku: 'B', title: 'Tee', requests: 2, topReasons: [{ reason: 'changed_mind', count: 1 }, { reason: 'wrong_item', count: 1 }] },
      { sku: 'C', title: 'Lamp', requests: 2, topReasons: [{ reason: 'damaged', count: 2 }] },
      { sku: 'E', title: 'Kettle', requests: 1, topReasons: [{ reason: 'not_received', count: 1 }] },
    ]);
  });

  it('lists buyers with more than N requests in the range', async () => {
    expect((await figures()).repeatCancellers).toEqual([
      { buyerId: 'B1', buyerName: 'Ann', requests: 4, lastRequestedAt: iso('2026-03-06T20:00:00') },
    ]);
    // B2 has exactly 2: in only from "more than 1".
    expect((await figures({ repeatMoreThan: 1 })).repeatCancellers).toEqual([
      { buyerId: 'B1', buyerName: 'Ann', requests: 4, lastRequestedAt: iso('2026-03-06T20:00:00') },
      { buyerId: 'B2', buyerName: 'Bob', requests: 2, lastRequestedAt: iso('2026-03-09T08:00:00') },
    ]);
    expect((await figures({ repeatMoreThan: 4 })).repeatCancellers).toEqual([]);
  });

  it('filters by store', async () => {
    const s1 = await figures({ storeId: 'S1' });
    expect(s1.storeId).toBe('S1');
    expect(s1.stores).toEqual(['S1', 'S2']);
    expect(s1.perDay.map((day) => day.total)).toEqual([2, 0, 2, 0, 1, 1, 1]);
    expect(s1.outcomes.find((item) => item.outcome === 'open')?.count).toBe(0);
    expect(s1.topSkus[0]).toMatchObject({ sku: 'A', requests: 3 });
    expect(s1.repeatCancellers).toEqual([{ buyerId: 'B1', buyerName: 'Ann', requests: 3, lastRequestedAt: iso('2026-03-06T20:00:00') }]);
    const s2 = await figures({ storeId: 'S2' });
    expect(s2.perDay.map((day) => day.total)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(s2.refundsPerWeek.flatMap((week) => week.totals)).toEqual([]);
    const unknown = await figures({ storeId: 'S9' });
    expect(unknown.perDay.every((day) => day.total === 0)).toBe(true);
  });

  it('includes both edges of the range to the millisecond', async () => {
    // R8 at 03-03 23:59:59.999 is in a range ending 03-03; R5 at 03-10 23:59:59.999 in one starting 03-10.
    expect((await figures({ from: '2026-03-03', to: '2026-03-03' })).perDay).toEqual([{ day: '2026-03-03', total: 1, byReason: { ...ZERO_REASONS, changed_mind: 1 } }]);
    expect((await figures({ from: '2026-03-10', to: '2026-03-11' })).perDay.map((day) => day.total)).toEqual([1, 0]);
  });
});

describe('Insights kept up to date', () => {
  it('moves a request that changes state between buckets (takes its old part out, puts the new one in)', async () => {
    await index.ready(source);
    const before = index.query(input());
    // R7 (S2, open) gets a decision from this desk, which the marketplace applies: refused, by the seller.
    const r7 = rowsOf(fixtureRequests()).find((row) => row.id === 'R7');
    if (r7 === undefined) throw new Error('no R7');
    index.apply([{ ...r7, local: { state: 'refused', batchId: 'b1', outboxId: 'o1', decidedAt: iso('2026-03-05T01:00:00'), baseVersion: 1 }, view: 'done' }]);
    const refused = toCachedRequest(
      { ...r7, state: 'refused', version: 2, updatedAt: iso('2026-03-05T01:00:10'), resolution: resolution('refused', null, iso('2026-03-05T01:00:10'), 'seller') },
      ORDER_BY_ID.get('O7'),
    );
    index.apply([refused]);
    await index.ready(source);
    const after = index.query(input());
    const count = (result: Insights, outcome: string): number | undefined => result.outcomes.find((item) => item.outcome === outcome)?.count;
    expect([count(before, 'open'), count(before, 'refused')]).toEqual([1, 1]);
    expect([count(after, 'open'), count(after, 'refused')]).toEqual([0, 2]);
    // Answered 1 h after the request (when the seller decided, not when it was delivered):
    // 1 h, 2 h, 6 h, 12 h, 24 h -> median 6 h, p90 = 5th = 24 h.
    expect(after.responseTime).toMatchObject({ answered: 5, medianMs: 6 * HOUR, p90Ms: 24 * HOUR });
    // Same day, same reason, same SKU: those do not move.
    expect(after.perDay).toEqual(before.perDay);
    expect(after.topSkus).toEqual(before.topSkus);

    // R2 was open before the platform decided it: its cost and outcome come with the change.
    const r2 = rowsOf(fixtureRequests()).find((row) => row.id === 'R2');
    if (r2 === undefined) throw new Error('no R2');
    index.apply([{ ...r2, state: 'requested', version: 1, resolution: null }]);
    const open = index.query(input());
    expect(count(open, 'decided_by_platform')).toBe(1);
    expect(open.responseTime.decidedByPlatformCost).toEqual([{ currency: 'JPY', amount: { amountMinor: 1500, currency: 'JPY' }, count: 1 }]);
    index.apply([r2]);
    expect(index.query(input()).responseTime.decidedByPlatformCost).toEqual(after.responseTime.decidedByPlatformCost);

    // A refund moves weeks when its decision moves (R1 refunded again on the next Monday).
    const r1 = rowsOf(fixtureRequests()).find((row) => row.id === 'R1');
    if (r1 === undefined) throw new Error('no R1');
    index.apply([{ ...r1, version: 4, resolution: resolution('refunded', [1000, 'USD'], iso('2026-03-09T00:00:00'), 'seller') }]);
    expect(index.query(input()).refundsPerWeek).toEqual([
      { weekStart: '2026-03-02', totals: [{ currency: 'USD', amount: { amountMinor: 500, currency: 'USD' }, count: 1 }] },
      {
        weekStart: '2026-03-09',
        totals: [
          { currency: 'KWD', amount: { amountMinor: 12345, currency: 'KWD' }, count: 1 },
          { currency: 'USD', amount: { amountMinor: 1000, currency: 'USD' }, count: 1 },
        ],
      },
    ]);
  });

  it('leaves no answer for a decision that was undone, and reads the orders of new requests once', async () => {
    await index.ready(source);
    const reads = source.orderReads;
    const r7 = rowsOf(fixtureRequests()).find((row) => row.id === 'R7');
    if (r7 === undefined) throw new Error('no R7');
    index.apply([{ ...r7, local: { state: 'refused', batchId: 'b1', outboxId: 'o1', decidedAt: iso('2026-03-05T01:00:00'), baseVersion: 1 }, view: 'done' }]);
    index.apply([r7]);
    await index.ready(source);
    expect(index.query(input()).responseTime.answered).toBe(4);
    expect(source.orderReads).toBe(reads);

    // A new request of a new order: its order is read when the figures are next asked for.
    ORDER_BY_ID.set('O10', order('O10', 'S2', 'B4', ['Z']));
    const fresh = toCachedRequest(makeRequest({ id: 'R11', requestedAt: iso('2026-03-07T05:00:00'), reason: 'payment_issue' }, ORDER_BY_ID.get('O10')), ORDER_BY_ID.get('O10'));
    index.apply([fresh]);
    await index.ready(source);
    expect(source.orderReads).toBe(reads + 1);
    const result = index.query(input());
    expect(result.perDay[3]).toEqual({ day: '2026-03-07', total: 1, byReason: { ...ZERO_REASONS, payment_issue: 1 } });
    expect(result.topSkus.find((sku) => sku.sku === 'Z')).toEqual({ sku: 'Z', title: 'Z', requests: 1, topReasons: [{ reason: 'payment_issue', count: 1 }] });
    ORDER_BY_ID.delete('O10');
  });

  it('takes the desk answers from the audit log: a seller decision the marketplace delivered', () => {
    const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
      at: iso('2026-03-05T01:00:00'), actor: 'seller', action: 'refuse', requestId: 'R7', orderId: 'O7', batchId: 'b1', params: {}, amount: null,
      rulesVersion: null, stateBefore: null, stateAfter: null, message: '', ...overrides,
    });
    const answers = deskAnswersFromAudit([
      entry({}),
      entry({ actor: 'marketplace', action: 'delivered', at: iso('2026-03-05T01:00:15') }),
      // Undone: no delivery, no answer.
      entry({ requestId: 'R3', orderId: 'O3', batchId: 'b2' }),
      entry({ requestId: 'R3', orderId: 'O3', batchId: 'b2', action: 'undo' }),
      // A later decision delivered does not replace an earlier one.
      entry({ batchId: 'b3', at: iso('2026-03-06T00:00:00') }),
      entry({ batchId: 'b3', actor: 'marketplace', action: 'delivered', at: iso('2026-03-06T00:00:15') }),
      entry({ batchId: null, action: 'note' }),
    ]);
    expect([...answers]).toEqual([['R7', iso('2026-03-05T01:00:00')]]);
  });

  it('counts a request whose order is not in the cache in no SKU and no buyer', async () => {
    const orphan = toCachedRequest(makeRequest({ id: 'R12', orderId: 'O-missing', requestedAt: iso('2026-03-07T05:00:00') }), undefined);
    index.apply([orphan]);
    await index.ready(source);
    const kept = index.query(input());
    expect(kept.perDay[3]?.total).toBe(1);
    expect(kept.topSkus.map((sku) => sku.requests)).toEqual([4, 2, 2, 1]);
  });
});

describe('Insights top SKUs', () => {
  it('keeps the ten SKUs in most requests out of more, ties by SKU', async () => {
    // K01 in 1 request, K02 and K03 in 3 each, K04..K12 in 4..12.
    const counts: Array<[string, number]> = [['K01', 1], ['K02', 3], ['K03', 3], ...Array.from({ length: 9 }, (_, at): [string, number] => [`K${String(at + 4).padStart(2, '0')}`, at + 4])];
    const orders = new Map<string, Order>();
    const rows: CachedRequest[] = [];
    for (const [sku, count] of counts) {
      for (let n = 0; n < count; n += 1) {
        const item = order(`${sku}-${n}`, 'S1', 'B9', [sku]);
        orders.set(item.id, item);
        rows.push(toCachedRequest(makeRequest({ id: `R-${sku}-${n}`, requestedAt: iso('2026-03-05T12:00:00') }, item), item));
      }
    }
    const many = new InsightsIndex();
    await many.ready({ requests: () => Promise.resolve(rows), orders: (ids) => Promise.resolve(ids.map((id) => orders.get(id))), audit: () => Promise.resolve([]) });
    const { topSkus } = many.query(input());
    expect(topSkus.map((sku) => [sku.sku, sku.requests])).toEqual([
      ['K12', 12], ['K11', 11], ['K10', 10], ['K09', 9], ['K08', 8], ['K07', 7], ['K06', 6], ['K05', 5], ['K04', 4], ['K02', 3],
    ]);
  });
});

describe('Insights input', () => {
  it('names the field when "from" is after "to" or the range is longer than 366 days', () => {
    const reversed = InsightsInputSchema.safeParse({ from: '2026-03-10', to: '2026-03-04' });
    expect(reversed.success).toBe(false);
    if (!reversed.success) expect(describeIssues(reversed.error)).toBe('from: must not be after "to"');
    const long = InsightsInputSchema.safeParse({ from: '2025-01-01', to: '2026-01-03' });
    expect(long.success).toBe(false);
    if (!long.success) expect(describeIssues(long.error)).toBe('to: the range is at most 366 days');
    // 366 days exactly (a leap year) is allowed.
    expect(InsightsInputSchema.safeParse({ from: '2024-01-01', to: '2025-01-01' }).success).toBe(true);
    const badDay = InsightsInputSchema.safeParse({ from: '2026-02-30', to: '2026-03-04' });
    expect(badDay.success).toBe(false);
    if (!badDay.success) expect(describeIssues(badDay.error)).toMatch(/^from: /);
  });
});
