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

/** The figures of the requests opened on one day in one store; contributions go in and come out exactly. */
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
  /** Buyer id -> the requestedAt of each of their requests that day. */
  readonly buyers = new Map<string, string[]>();

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
    if (c.buyerId !== null) {
      const times = this.buyers.get(c.buyerId);
      if (sign === 1) {
        if (times === undefined) this.buyers.set(c.buyerId, [c.requestedAt]);
        else times.push(c.requestedAt);
      } else if (times !== undefined) {
        const at = times.indexOf(c.requestedAt);
        if (at >= 0) times.splice(at, 1);
        if (times.length === 0) this.buyers.delete(c.buyerId);
      }
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
 * The figures for a range from the tallies of its days (one list per day: a tally per store) and
 * the refund tallies of its days. The only place figures are shaped, for the kept aggregate and
 * for the full pass alike.
 */
export function summarise(
  input: SummaryInput,
  dayTallies: (day: string) => readonly DayTally[],
  refundTallies: (day: string) => readonly RefundTally[],
  names: Names,
): Insights {
  const days = daysBetween(input.from, input.to);
  const outcomes = INSIGHT_OUTCOMES.map(() => 0);
  const responseMs: number[] = [];
  const shares: number[] = [];
  let decidedByPlatform = 0;
  const platformCost = new Map<string, CurrencyTotal>();
  const skus = new Map<string, number[]>();
  const buyers = new Map<string, { count: number; last: string }>();
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
      for (const [buyerId, times] of tally.buyers) {
        let last = times[0] ?? '';
        for (const time of times) if (time > last) last = time;
        const merged = buyers.get(buyerId);
        if (merged === undefined) buyers.set(buyerId, { count: times.length, last });
        else buyers.set(buyerId, { count: merged.count + times.length, last: last > merged.last ? last : merged.last });
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
  const topSkus = [...skus.entries()]
    .map(([sku, reasons]) => ({ sku, reasons, requests: skuRequests(reasons) }))
    .sort((a, b) => b.requests - a.requests || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .slice(0, TOP_SKUS)
    .map(({ sku, reasons, requests }) => ({
      sku,
      title: names.skuTitle(sku),
      requests,
      topReasons: BUYER_REASONS.map((reason, index) => ({ reason, count: reasons[index] ?? 0 }))
        .filter((entry) => entry.count > 0)
        // Stable sort: ties keep the catalogue's order.
        .sort((a, b) => b.count - a.count)
        .slice(0, TOP_REASONS_PER_SKU),
    }));
  const repeatCancellers = [...buyers.entries()]
    .filter(([, buyer]) => buyer.count > input.repeatMoreThan)
    .sort(([aId, a], [bId, b]) => b.count - a.count || (a.last > b.last ? -1 : a.last < b.last ? 1 : 0) || (aId < bId ? -1 : aId > bId ? 1 : 0))
    .slice(0, MAX_REPEAT_CANCELLERS)
    .map(([buyerId, buyer]) => ({ buyerId, buyerName: names.buyerName(buyerId), requests: buyer.count, lastRequestedAt: buyer.last }));

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

/** A request counts once per SKU, and has one reason: the SKU's requests are its reason counts' sum. */
function skuRequests(reasons: readonly number[]): number {
  let total = 0;
  for (const count of reasons) total += count;
  return total;
}
