import { BUYER_REASONS, type BuyerReason } from '../../../../shared/domain/request';
import type { Insights } from '../../../../shared/ipc/contract';

/** Every reason's count for a day (the contract lists them all), zero unless given. */
function byReason(counts: Partial<Record<BuyerReason, number>>): Record<BuyerReason, number> {
  return Object.fromEntries(BUYER_REASONS.map((reason) => [reason, counts[reason] ?? 0])) as Record<BuyerReason, number>;
}

/** A small week of figures, written by hand: JPY (no decimals) and KWD (three) refunds, a formula in a buyer's name. */
export function makeInsights(overrides: Partial<Insights> = {}): Insights {
  return {
    from: '2026-03-02',
    to: '2026-03-04',
    storeId: null,
    stores: ['store-eu', 'store-jp'],
    perDay: [
      { day: '2026-03-02', total: 3, byReason: byReason({ damaged: 2, changed_mind: 1 }) },
      { day: '2026-03-03', total: 0, byReason: byReason({}) },
      { day: '2026-03-04', total: 4, byReason: byReason({ changed_mind: 1, wrong_item: 3 }) },
    ],
    outcomes: [
      { outcome: 'accepted', count: 4 },
      { outcome: 'refused', count: 2 },
      { outcome: 'decided_by_platform', count: 1 },
      { outcome: 'open', count: 1 },
    ],
    responseTime: {
      answered: 6,
      medianMs: 3 * 3_600_000 + 12 * 60_000,
      p90Ms: 26 * 3_600_000,
      medianOfDeadline: 0.125,
      p90OfDeadline: 0.5417,
      decidedByPlatform: 1,
      decidedByPlatformCost: [{ currency: 'KWD', amount: { amountMinor: 12_345, currency: 'KWD' }, count: 1 }],
    },
    refundsPerWeek: [
      {
        weekStart: '2026-03-02',
        totals: [
          { currency: 'JPY', amount: { amountMinor: 15_000, currency: 'JPY' }, count: 2 },
          { currency: 'KWD', amount: { amountMinor: 1_005, currency: 'KWD' }, count: 1 },
        ],
      },
    ],
    topSkus: [
      { sku: 'SKU-1', title: 'Mug, "large"', requests: 3, topReasons: [{ reason: 'damaged', count: 2 }, { reason: 'changed_mind', count: 1 }] },
      { sku: 'SKU-2', title: 'Teapot', requests: 2, topReasons: [{ reason: 'wrong_item', count: 2 }] },
    ],
    repeatCancellers: [{ buyerId: 'b-9', buyerName: '=HYPERLINK("http://x")', requests: 3, lastRequestedAt: '2026-03-04T09:30:00.000Z' }],
    ...overrides,
  };
}

/** The same figures with no request at all in the range. */
export function emptyInsights(): Insights {
  return makeInsights({
    perDay: [{ day: '2026-03-02', total: 0, byReason: byReason({}) }],
    outcomes: [],
    responseTime: { answered: 0, medianMs: null, p90Ms: null, medianOfDeadline: null, p90OfDeadline: null, decidedByPlatform: 0, decidedByPlatformCost: [] },
    refundsPerWeek: [],
    topSkus: [],
    repeatCancellers: [],
  });
}
