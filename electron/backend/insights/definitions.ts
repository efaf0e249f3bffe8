import type { Order } from '../../../shared/domain/order';
import { BUYER_REASONS, type BuyerReason, type CancelRequest, type RequestState } from '../../../shared/domain/request';
import { instantMs } from '../../../shared/domain/time';
import { INSIGHT_OUTCOMES } from '../../../shared/ipc/contract';
import type { Money } from '../../../shared/money';

/**
 * What one request adds to the Insights figures, and the definitions behind every figure. Both
 * the kept aggregate (aggregate.ts) and the full pass used as the benchmark's baseline (scan.ts)
 * read requests only through `contributionOf`, so the two cannot disagree on a definition.
 *
 * - A request counts on the UTC day of its `requestedAt` (per day, outcomes, response time,
 *   platform decisions, SKUs and repeat cancellers all take the requests opened in the range).
 * - Outcome: see `outcomeOf`. It reads the marketplace's record: a decision of ours still waiting
 *   in the outbox (it can be undone) counts once the marketplace has applied it.
 * - Response time: see `firstAnswerAt`; the share of the deadline is the response time divided
 *   by `respondBy − requestedAt` as the cache holds them (the marketplace extends `respondBy`
 *   after a proof request or an offer, so those shares are against the extended deadline).
 * - Decided by the platform: the platform resolved it because nobody answered in time, i.e.
 *   `resolution.by === 'platform'` except after an escalation (`closed_by_platform`: the seller
 *   did answer, by escalating, and the platform ruled). Its cost is the resolution's amount.
 * - Refunds per week: resolutions that paid a refund (`outcome === 'refunded'`: the seller
 *   accepted, or the buyer took the seller's offer), on the Monday (UTC) of `resolution.decidedAt`
 *   — a refund counts in the range by the day it was decided, not by the day it was asked.
 *   Refunds the platform decided are in the platform figure, not here; failed payouts nowhere.
 * - SKUs: each distinct SKU among the order's lines counts the request once.
 * - Repeat cancellers: the order's buyer (id and name).
 */

export type InsightOutcome = (typeof INSIGHT_OUTCOMES)[number];

/** The reasons and outcomes as array positions (tallies are arrays of counts in these orders). */
export const REASON_INDEX: ReadonlyMap<BuyerReason, number> = new Map(BUYER_REASONS.map((reason, index) => [reason, index]));
export const OUTCOME_INDEX: ReadonlyMap<InsightOutcome, number> = new Map(INSIGHT_OUTCOMES.map((outcome, index) => [outcome, index]));

/** The states only a seller's answer leads to from `requested` (the seller answered by then). */
const SELLER_ANSWER_STATES: ReadonlySet<RequestState> = new Set(['accepted', 'refunded', 'refused', 'proof_requested', 'offer_made', 'escalated']);

/** What the Insights need from a request's order: read once, when the request is first seen. */
export interface OrderFacts {
  /** Null when the order is not in the cache (the request then counts in no SKU and no buyer). */
  buyerId: string | null;
  buyerName: string;
  /** Distinct SKUs of the order's lines, each with the title of its first line. */
  skus: ReadonlyArray<{ sku: string; title: string }>;
}

export function factsOf(order: Order | undefined, fallbackBuyerName = ''): OrderFacts {
  if (order === undefined) return { buyerId: null, buyerName: fallbackBuyerName, skus: [] };
  const skus = new Map<string, string>();
  for (const line of order.lines) if (!skus.has(line.sku)) skus.set(line.sku, line.title);
  return { buyerId: order.buyer.id, buyerName: order.buyer.name, skus: [...skus].map(([sku, title]) => ({ sku, title })) };
}

/** One request's part in the figures: added when it is seen, taken out before it changes. */
export interface Contribution {
  readonly requestId: string;
  readonly storeId: string;
  /** UTC day of requestedAt, YYYY-MM-DD. */
  readonly day: string;
  readonly requestedAt: string;
  /** Position in BUYER_REASONS. */
  readonly reason: number;
  /** Position in INSIGHT_OUTCOMES. */
  readonly outcome: number;
  /** From the request to the seller's first answer, when the data tells it; else null. */
  readonly responseMs: number | null;
  /** responseMs / (respondBy − requestedAt); null with responseMs or when that span is not positive. */
  readonly deadlineShare: number | null;
  readonly decidedByPlatform: boolean;
  /** What the platform's decision refunded (null when it refunded nothing, or it was not the platform's). */
  readonly platformCost: Money | null;
  /** A refund paid: counted on the UTC day it was decided. */
  readonly refund: { readonly day: string; readonly amount: Money } | null;
  readonly skus: readonly string[];
  readonly buyerId: string | null;
}

/** YYYY-MM-DD of an ISO instant (the cache holds UTC instants, `...Z`). */
export function dayOf(instant: string): string {
  return instant.slice(0, 10);
}

const DAY_MS = 86_400_000;

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(from), end = Date.parse(to); ms <= end; ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

/** The Monday (UTC) of the week a day is in. */
export function weekStartOf(day: string): string {
  const ms = Date.parse(day);
  const sinceMonday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Where a request stands or ended, from the marketplace's record:
 * - accepted: the seller accepted (a refund paid, settling, or failed to pay out);
 * - refused: the seller refused;
 * - proof_requested: the seller asked for proof (asked, or the buyer sent it: waiting for the seller);
 * - offer: the seller offered a partial refund (open, refused by the buyer, or taken by the buyer);
 * - escalated: escalated to the platform (open, or closed by the platform's ruling);
 * - decided_by_platform: the platform decided because nobody answered in time (auto-accepted);
 * - withdrawn: the buyer withdrew it;
 * - open: nobody has answered yet.
 */
export function outcomeOf(request: Pick<CancelRequest, 'state' | 'resolution'>): InsightOutcome {
  const { state, resolution } = request;
  if (state === 'closed_by_platform') return 'escalated';
  if (resolution !== null) {
    switch (resolution.outcome) {
      case 'decided_by_platform':
        return 'decided_by_platform';
      case 'withdrawn':
        return 'withdrawn';
      case 'refused':
        return 'refused';
      case 'refunded':
      case 'refund_failed':
        if (resolution.by === 'platform') return 'decided_by_platform';
        // The buyer's own "yes" to a refund is a taken offer; the seller's is an acceptance.
        return resolution.by === 'buyer' ? 'offer' : 'accepted';
    }
  }
  switch (state) {
    case 'requested':
      return 'open';
    case 'accepted':
    case 'refunded':
      return 'accepted';
    case 'refused':
      return 'refused';
    case 'proof_requested':
    case 'proof_submitted':
      return 'proof_requested';
    case 'offer_made':
    case 'refused_by_buyer':
      return 'offer';
    case 'escalated':
      return 'escalated';
    case 'withdrawn':
      return 'withdrawn';
    case 'auto_accepted':
      return 'decided_by_platform';
  }
}

/** Whether the platform decided because nobody answered (not a ruling after an escalation). */
export function isDecidedByPlatform(request: Pick<CancelRequest, 'state' | 'resolution'>): boolean {
  if (request.state === 'closed_by_platform') return false;
  return request.state === 'auto_accepted' || request.resolution?.by === 'platform';
}

/**
 * When the seller first answered, if the data tells; the earliest of:
 * 1. `deskAnswerAt`: a decision made in this desk that the marketplace applied (the audit log's
 *    seller entry, at the moment the seller decided; kept by the aggregate);
 * 2. `resolution.decidedAt` when the seller resolved it (accepted or refused);
 * 3. `updatedAt` when the marketplace's record changed exactly once (version 2) and that change
 *    was the seller's (a state only a seller's answer leads to: proof asked, offer, escalation...).
 * Otherwise null: the request is answered at an unknown time (e.g. a proof request followed by
 * later changes, decided elsewhere) or not answered. Such requests count in every other figure
 * but not in the response times (`answered` counts the requests with a known time). An answer
 * time before `requestedAt` (clock skew at the marketplace) is read as 0.
 */
export function firstAnswerAt(request: Pick<CancelRequest, 'state' | 'resolution' | 'version' | 'updatedAt'>, deskAnswerAt: string | undefined): string | null {
  const candidates: string[] = [];
  if (deskAnswerAt !== undefined) candidates.push(deskAnswerAt);
  if (request.resolution?.by === 'seller') candidates.push(request.resolution.decidedAt);
  if (request.version === 2 && SELLER_ANSWER_STATES.has(request.state)) candidates.push(request.updatedAt);
  if (candidates.length === 0) return null;
  return candidates.reduce((earliest, candidate) => (candidate < earliest ? candidate : earliest));
}

/** Whether the marketplace's record shows a seller's answer (a decision of ours was applied). */
export function showsSellerAnswer(state: RequestState): boolean {
  return SELLER_ANSWER_STATES.has(state);
}

/** A request's part in the figures. */
export function contributionOf(request: CancelRequest, facts: OrderFacts, deskAnswerAt: string | undefined): Contribution {
  const requestedMs = instantMs(request.requestedAt);
  const answeredAt = firstAnswerAt(request, deskAnswerAt);
  const responseMs = answeredAt === null ? null : Math.max(0, instantMs(answeredAt) - requestedMs);
  const span = instantMs(request.respondBy) - requestedMs;
  const decidedByPlatform = isDecidedByPlatform(request);
  const { resolution } = request;
  return {
    requestId: request.id,
    storeId: request.storeId,
    day: dayOf(request.requestedAt),
    requestedAt: request.requestedAt,
    reason: REASON_INDEX.get(request.reason) ?? 0,
    outcome: OUTCOME_INDEX.get(outcomeOf(request)) ?? 0,
    responseMs,
    deadlineShare: responseMs === null || span <= 0 ? null : responseMs / span,
    decidedByPlatform,
    platformCost: decidedByPlatform && resolution !== null && resolution.amount !== null && resolution.amount.amountMinor > 0 ? resolution.amount : null,
    refund:
      resolution !== null && resolution.outcome === 'refunded' && resolution.by !== 'platform' && resolution.amount !== null && resolution.amount.amountMinor > 0
        ? { day: dayOf(resolution.decidedAt), amount: resolution.amount }
        : null,
    skus: facts.skus.map((line) => line.sku),
    buyerId: facts.buyerId,
  };
}

/** The median: the middle value, or the mean of the two middle values of an even count. */
export function medianOf(sorted: ArrayLike<number>): number | null {
  const count = sorted.length;
  if (count === 0) return null;
  const middle = count >> 1;
  return count % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The 90th percentile by nearest rank: the smallest value at least 90 % of the values are at or below. */
export function p90Of(sorted: ArrayLike<number>): number | null {
  const count = sorted.length;
  if (count === 0) return null;
  return sorted[Math.ceil(0.9 * count) - 1] as number;
}
