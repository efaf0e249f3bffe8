import { BUYER_REASONS, type BuyerReason } from '../../../shared/domain/request';
import { INSIGHT_OUTCOMES, type Insights } from '../../../shared/ipc/contract';
import { add, money, subtract, type Money } from '../../../shared/money';
import { daysBetween, medianOf, p90Of, weekStartOf, type Contribution } from './definitions';

/** How many SKUs and how many of each SKU's reasons the figures list. */
export const TOP_SKUS = 10;
export const TOP_REASONS_PER_SKU = 3;
/** Repeat cancellers listed at most (most requests first). */
export const MAX_REPEAT_CANCELLERS = 100;

/** A sum of money in one currency and how many amounts went into it. */
export interface CurrencyTotal {
  amount: Money;
  count: number;
}

function moveTotal(totals: Map<string, CurrencyTotal>, amount: Money, sign: 1 | -1): void {
  const current = totals.get(amount.currency);
  if (current === undefined) {
    if (sign === 1) totals.set(amount.currency, { amount, count: 1 });
    return;
  }
  const count = current.count + sign;
  if (count === 0) totals.delete(amount.currency);
  else totals.set(amount.currency, { amount: sign === 1 ? add(current.amount, amount) : subtract(current.amount, amount), count });
}

function removeValue(values: number[], value: number): void {
  const at = values.indexOf(value);
  if (at < 0) return;
  values[at] = values[values.length - 1] as number;
  values.pop();
}

/**
 * The figures of the requests opened on one day in one store; contributions go in and come out
 * exactly. Buyers are not tallied per day: see `RepeatBuyer` (only buyers with enough requests
 * overall can be repeat cancellers in a range, so they are counted from their own requests).
 */
export class DayTally {
  requests = 0;
  readonly byReason: number[] = BUYER_REASONS.map(() => 0);
  readonly outcomes: number[] = INSIGHT_OUTCOMES.map(() => 0);
  /** Unsorted: sorted once per query, over the whole range. */
  readonly responseMs: number[] = [];
  readonly deadlineShares: number[] = [];
  decidedByPlatform = 0;
  readonly platformCost = new Map<string, CurrencyTotal>();
  /** SKU -> requests per reason (positions of BUYER_REASONS). */
  readonly skus = new Map<string, number[]>();

  get empty(): boolean {
    return this.requests === 0;
  }

  add(contribution: Contribution): void {
    this.move(contribution, 1);
  }

  remove(contribution: Contribution): void {
    this.move(contribution, -1);
  }

  private move(c: Contribution, sign: 1 | -1): void {
    this.requests += sign;
    this.byReason[c.reason] = (this.byReason[c.reason] ?? 0) + sign;
    this.outcomes[c.outcome] = (this.outcomes[c.outcome] ?? 0) + sign;
    if (c.responseMs !== null) {
      if (sign === 1) this.responseMs.push(c.responseMs);
      else removeValue(this.responseMs, c.responseMs);
    }
    if (c.deadlineShare !== null) {
      if (sign === 1) this.deadlineShares.push(c.deadlineShare);
      else removeValue(this.deadlineShares, c.deadlineShare);
    }
    if (c.decidedByPlatform) this.decidedByPlatform += sign;
    if (c.platformCost !== null) moveTotal(this.platformCost, c.platformCost, sign);
    for (const sku of c.skus) {
      let reasons = this.skus.get(sku);
      if (reasons === undefined) {
        reasons = BUYER_REASONS.map(() => 0);
        this.skus.set(sku, reasons);
      }
      reasons[c.reason] = (reasons[c.reason] ?? 0) + sign;
      if (sign === -1 && reasons.every((count) => count === 0)) this.skus.delete(sku);
    }
  }
}

/** Refunds decided on one day in one store, per currency. */
export class RefundTally {
  readonly totals = new Map<string, CurrencyTotal>();

  add(amount: Money): void {
    moveTotal(this.totals, amount, 1);
  }

  remove(amount: Money): void {
    moveTotal(this.totals, amount, -1);
  }
}

/** Names the summary needs that the tallies keep by id. */
export interface Names {
  skuTitle(sku: string): string;
  buyerName(buyerId: string): string;
}

/** A buyer's requests in the range (already over the threshold). */
export interface RepeatBuyer {
  buyerId: string;
  requests: number;
  /** The latest requestedAt among them. */
  last: string;
}

export interface SummaryInput {
  from: string;
  to: string;
  storeId: string | null;
  repeatMoreThan: number;
  stores: string[];
}

function totalsList(totals: ReadonlyMap<string, CurrencyTotal>): Insights['responseTime']['decidedByPlatformCost'] {
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, total]) => ({ currency, amount: money(total.amount.amountMinor, currency), count: total.count }));
}

function mergeTotals(into: Map<string, CurrencyTotal>, from: ReadonlyMap<string, CurrencyTotal>): void {
  for (const [currency, total] of from) {
    const current = into.get(currency);
    into.set(currency, current === undefined ? total : { amount: add(current.amount, total.amount), count: current.count + total.count });
  }
}

/**
 * The figures for a range from the tallies of its days (one list per day: a tally per store), the
 * refund tallies of its days and the buyers' counts in the range. The only place figures are
 * shaped, for the kept aggregate and for the full pass alike.
 */
export function summarise(
  input: SummaryInput,
  dayTallies: (day: string) => readonly DayTally[],
  refundTallies: (day: string) => readonly RefundTally[],
  repeatBuyers: readonly RepeatBuyer[],
  names: Names,
): Insights {
  const days = daysBetween(input.from, input.to);
  const outcomes = INSIGHT_OUTCOMES.map(() => 0);
  const responseMs: number[] = [];
  const shares: number[] = [];
  let decidedByPlatform = 0;
  const platformCost = new Map<string, CurrencyTotal>();
  const skus = new Map<string, number[]>();
  const weeks = new Map<string, Map<string, CurrencyTotal>>();
  const perDay: Insights['perDay'] = [];

  for (const day of days) {
    const byReason = BUYER_REASONS.map(() => 0);
    let total = 0;
    for (const tally of dayTallies(day)) {
      total += tally.requests;
      tally.byReason.forEach((count, index) => (byReason[index] = (byReason[index] ?? 0) + count));
      tally.outcomes.forEach((count, index) => (outcomes[index] = (outcomes[index] ?? 0) + count));
      for (const value of tally.responseMs) responseMs.push(value);
      for (const value of tally.deadlineShares) shares.push(value);
      decidedByPlatform += tally.decidedByPlatform;
      mergeTotals(platformCost, tally.platformCost);
      for (const [sku, reasons] of tally.skus) {
        const merged = skus.get(sku);
        if (merged === undefined) skus.set(sku, [...reasons]);
        else reasons.forEach((count, index) => (merged[index] = (merged[index] ?? 0) + count));
      }
    }
    const week = weekStartOf(day);
    let weekTotals = weeks.get(week);
    if (weekTotals === undefined) {
      weekTotals = new Map();
      weeks.set(week, weekTotals);
    }
    for (const tally of refundTallies(day)) mergeTotals(weekTotals, tally.totals);
    perDay.push({ day, total, byReason: Object.fromEntries(BUYER_REASONS.map((reason, index) => [reason, byReason[index] ?? 0])) as Record<BuyerReason, number> });
  }

  const sortedMs = Float64Array.from(responseMs).sort();
  const sortedShares = Float64Array.from(shares).sort();
  const topSkus = topEntries(skus, TOP_SKUS).map(({ sku, reasons, requests }) => ({
    sku,
    title: names.skuTitle(sku),
    requests,
    topReasons: BUYER_REASONS.map((reason, index) => ({ reason, count: reasons[index] ?? 0 }))
      .filter((entry) => entry.count > 0)
      // Stable sort: ties keep the catalogue's order.
      .sort((a, b) => b.count - a.count)
      .slice(0, TOP_REASONS_PER_SKU),
  }));
  const repeatCancellers = repeatBuyers
    .filter((buyer) => buyer.requests > input.repeatMoreThan)
    .sort((a, b) => b.requests - a.requests || (a.last > b.last ? -1 : a.last < b.last ? 1 : 0) || (a.buyerId < b.buyerId ? -1 : a.buyerId > b.buyerId ? 1 : 0))
    .slice(0, MAX_REPEAT_CANCELLERS)
    .map((buyer) => ({ buyerId: buyer.buyerId, buyerName: names.buyerName(buyer.buyerId), requests: buyer.requests, lastRequestedAt: buyer.last }));

  return {
    from: input.from,
    to: input.to,
    storeId: input.storeId,
    stores: input.stores,
    perDay,
    outcomes: INSIGHT_OUTCOMES.map((outcome, index) => ({ outcome, count: outcomes[index] ?? 0 })),
    responseTime: {
      answered: sortedMs.length,
      medianMs: medianOf(sortedMs),
      p90Ms: p90Of(sortedMs),
      medianOfDeadline: medianOf(sortedShares),
      p90OfDeadline: p90Of(sortedShares),
      decidedByPlatform,
      decidedByPlatformCost: totalsList(platformCost),
    },
    refundsPerWeek: [...weeks.entries()].map(([weekStart, totals]) => ({ weekStart, totals: totalsList(totals) })),
    topSkus,
    repeatCancellers,
  };
}

/**
 * The `limit` SKUs in most requests (ties by SKU), by one pass that keeps the best few: a range
 * can hold thousands of SKUs, and sorting them all for ten is most of a query's time.
 */
function topEntries(skus: ReadonlyMap<string, number[]>, limit: number): Array<{ sku: string; reasons: number[]; requests: number }> {
  const best: Array<{ sku: string; reasons: number[]; requests: number }> = [];
  const before = (a: { sku: string; requests: number }, b: { sku: string; requests: number }): boolean => a.requests > b.requests || (a.requests === b.requests && a.sku < b.sku);
  for (const [sku, reasons] of skus) {
    const requests = skuRequests(reasons);
    if (requests === 0) continue;
    const entry = { sku, reasons, requests };
    const worst = best[best.length - 1];
    if (best.length === limit && worst !== undefined && !before(entry, worst)) continue;
    let at = best.length;
    while (at > 0 && before(entry, best[at - 1] as typeof entry)) at -= 1;
    best.splice(at, 0, entry);
    if (best.length > limit) best.pop();
  }
  return best;
}

/** A request counts once per SKU, and has one reason: the SKU's requests are its reason counts' sum. */
function skuRequests(reasons: readonly number[]): number {
  let total = 0;
  for (const count of reasons) total += count;
  return total;
}
