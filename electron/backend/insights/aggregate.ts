import type { Order } from '../../../shared/domain/order';
import type { ChannelParsedInput, Insights } from '../../../shared/ipc/contract';
import type { AuditEntry } from '../cache/db';
import { toRemoteRequest, type CachedRequest } from '../cache/records';
import { contributionOf, factsOf, showsSellerAnswer, type Contribution, type OrderFacts } from './definitions';
import { DayTally, RefundTally, summarise, type RepeatBuyer } from './tally';

/** What the aggregate reads from the cache: requests, their orders, the audit log. */
export interface InsightsSource {
  requests(): Promise<CachedRequest[]>;
  orders(ids: string[]): Promise<Array<Order | undefined>>;
  audit(): Promise<AuditEntry[]>;
}

const ORDER_READ_CHUNK = 2_000;

/**
 * The decisions made in this desk that the marketplace applied, from the audit log: the seller's
 * entry (when the seller decided) for which a `delivered` entry of the same batch and request
 * exists. Undone and refused decisions have none. Earliest per request.
 */
export function deskAnswersFromAudit(entries: Iterable<AuditEntry>): Map<string, string> {
  const decided = new Map<string, string>();
  const delivered = new Set<string>();
  for (const entry of entries) {
    if (entry.batchId === null) continue;
    const key = `${entry.requestId}|${entry.batchId}`;
    if (entry.actor === 'seller' && entry.action !== 'undo' && entry.action !== 'retry_refund') {
      const known = decided.get(key);
      if (known === undefined || entry.at < known) decided.set(key, entry.at);
    } else if (entry.actor === 'marketplace' && entry.action === 'delivered') {
      delivered.add(key);
    }
  }
  const answers = new Map<string, string>();
  for (const [key, at] of decided) {
    if (!delivered.has(key)) continue;
    const requestId = key.slice(0, key.lastIndexOf('|'));
    const known = answers.get(requestId);
    if (known === undefined || at < known) answers.set(requestId, at);
  }
  return answers;
}

/**
 * The Insights figures kept in memory, like the queue's orders (queue/memory-index.ts): per
 * store and UTC day, a tally of the requests opened that day (DayTally) and of the refunds decided
 * that day (RefundTally). Built once when the cache has loaded, moved with every committed write
 * of requests (`apply`, beside the queue's index): a changed request takes its old contribution
 * out and puts its new one in. A query reads the tallies of the range's days only (at most 367
 * per store), never the cache.
 *
 * A request's order (buyer, SKUs) is read once, when the request is first seen: `apply` is
 * synchronous, so rows whose order is not known yet wait in `awaitingFacts` until `ready()` reads
 * their orders (in chunks, equality reads). Orders do not change buyer or lines once a request is
 * open; a changed buyer name shows once the request itself changes again.
 */
export class InsightsIndex {
  private readonly contributions = new Map<string, Contribution>();
  private readonly days = new Map<string, Map<string, DayTally>>();
  private readonly refunds = new Map<string, Map<string, RefundTally>>();
  private readonly facts = new Map<string, OrderFacts>();
  private readonly awaitingFacts = new Map<string, CachedRequest>();
  private readonly skuTitles = new Map<string, string>();
  private readonly buyerNames = new Map<string, string>();
  private readonly stores = new Set<string>();
  /** Buyer id -> their requests' parts (all stores, all time): repeat cancellers are found among those with enough. */
  private readonly buyerRequests = new Map<string, Set<Contribution>>();
  /** Earliest applied desk decision per request (see deskAnswersFromAudit). */
  private readonly deskAnswers = new Map<string, string>();
  /** Decisions waiting in the outbox: when decided, and against which marketplace version. */
  private readonly pendingDecisions = new Map<string, { decidedAt: string; version: number }>();
  private building: Promise<void> | null = null;
  private catchingUp: Promise<void> = Promise.resolve();

  /** Reads the cache once (requests, the audit log, the requests' orders). Idempotent. */
  build(source: InsightsSource): Promise<void> {
    this.building ??= (async () => {
      const [rows, audit] = await Promise.all([source.requests(), source.audit()]);
      for (const [requestId, at] of deskAnswersFromAudit(audit)) this.noteDeskAnswer(requestId, at);
      for (const row of rows) {
        // A row moved since the read was started is already waiting, newer.
        if (this.awaitingFacts.has(row.id) || this.contributions.has(row.id)) continue;
        this.trackDecision(row);
        this.awaitingFacts.set(row.id, row);
      }
      await this.readFacts(source);
    })();
    return this.building;
  }

  /** Moves these rows' contributions (call after their transaction committed, like the queue's index). */
  apply(rows: readonly CachedRequest[]): void {
    for (const row of rows) {
      this.trackDecision(row);
      const facts = this.facts.get(row.orderId);
      if (facts === undefined || this.awaitingFacts.has(row.id)) {
        this.awaitingFacts.set(row.id, row);
        continue;
      }
      this.put(row, facts);
    }
  }

  /** Resolves when the figures include every row applied so far (reads the orders of new requests). */
  async ready(source: InsightsSource): Promise<void> {
    await this.build(source);
    if (this.awaitingFacts.size > 0) await this.readFacts(source);
  }

  /** All figures for a range and store (call after `ready`). */
  query(input: ChannelParsedInput<'insights.get'>): Insights {
    const stores = input.storeId === null ? [...this.stores] : [input.storeId];
    const tallies = <T>(byStore: Map<string, Map<string, T>>, day: string): T[] => {
      const found: T[] = [];
      for (const store of stores) {
        const tally = byStore.get(store)?.get(day);
        if (tally !== undefined) found.push(tally);
      }
      return found;
    };
    return summarise(
      { ...input, stores: [...this.stores].sort() },
      (day) => tallies(this.days, day),
      (day) => tallies(this.refunds, day),
      this.repeatBuyers(input),
      { skuTitle: (sku) => this.skuTitles.get(sku) ?? '', buyerName: (buyerId) => this.buyerNames.get(buyerId) ?? '' },
    );
  }

  /**
   * Buyers with more than `repeatMoreThan` requests in the range and store. Only a buyer with more
   * than that many requests overall can be one: their requests are looked at, nobody else's.
   */
  private repeatBuyers(input: ChannelParsedInput<'insights.get'>): RepeatBuyer[] {
    const found: RepeatBuyer[] = [];
    for (const [buyerId, contributions] of this.buyerRequests) {
      if (contributions.size <= input.repeatMoreThan) continue;
      let requests = 0;
      let last = '';
      for (const contribution of contributions) {
        if (contribution.day < input.from || contribution.day > input.to) continue;
        if (input.storeId !== null && contribution.storeId !== input.storeId) continue;
        requests += 1;
        if (contribution.requestedAt > last) last = contribution.requestedAt;
      }
      if (requests > input.repeatMoreThan) found.push({ buyerId, requests, last });
    }
    return found;
  }

  /** Reads the orders of the rows waiting for them, then counts those rows. One reader at a time. */
  private readFacts(source: InsightsSource): Promise<void> {
    this.catchingUp = this.catchingUp.then(async () => {
      while (this.awaitingFacts.size > 0) {
        const waiting = [...this.awaitingFacts.values()];
        const orderIds = [...new Set(waiting.map((row) => row.orderId).filter((orderId) => !this.facts.has(orderId)))];
        for (let start = 0; start < orderIds.length; start += ORDER_READ_CHUNK) {
          const chunk = orderIds.slice(start, start + ORDER_READ_CHUNK);
          const orders = await source.orders(chunk);
          chunk.forEach((orderId, index) => {
            const order = orders[index];
            // A missing order is not remembered: it is read again when its request next changes.
            if (order !== undefined) this.facts.set(orderId, factsOf(order));
          });
        }
        for (const row of waiting) {
          // A newer row that arrived while reading stays for the next round.
          if (this.awaitingFacts.get(row.id) !== row) continue;
          this.awaitingFacts.delete(row.id);
          this.put(row, this.facts.get(row.orderId) ?? factsOf(undefined, row.buyerName));
        }
      }
    });
    return this.catchingUp;
  }

  /**
   * Follows a decision of ours through the outbox: pending while the row carries it; once the
   * marketplace shows a newer version with a seller's answer, it was applied (the seller answered
   * when they decided); undone, refused or overtaken by the buyer, it leaves no answer.
   */
  private trackDecision(row: CachedRequest): void {
    if (row.local !== null) {
      const known = this.pendingDecisions.get(row.id);
      if (known === undefined || row.local.decidedAt < known.decidedAt) this.pendingDecisions.set(row.id, { decidedAt: row.local.decidedAt, version: row.version });
      return;
    }
    const pending = this.pendingDecisions.get(row.id);
    if (pending === undefined) return;
    this.pendingDecisions.delete(row.id);
    if (row.version > pending.version && showsSellerAnswer(row.state)) this.noteDeskAnswer(row.id, pending.decidedAt);
  }

  private noteDeskAnswer(requestId: string, at: string): void {
    const known = this.deskAnswers.get(requestId);
    if (known === undefined || at < known) this.deskAnswers.set(requestId, at);
  }

  private put(row: CachedRequest, facts: OrderFacts): void {
    const previous = this.contributions.get(row.id);
    if (previous !== undefined) this.move(previous, -1);
    const next = contributionOf(toRemoteRequest(row), facts, this.deskAnswers.get(row.id));
    this.move(next, 1);
    this.contributions.set(row.id, next);
    this.stores.add(row.storeId);
    for (const line of facts.skus) this.skuTitles.set(line.sku, line.title);
    if (facts.buyerId !== null) this.buyerNames.set(facts.buyerId, facts.buyerName);
  }

  private move(contribution: Contribution, sign: 1 | -1): void {
    if (contribution.buyerId !== null) {
      let contributions = this.buyerRequests.get(contribution.buyerId);
      if (contributions === undefined) this.buyerRequests.set(contribution.buyerId, (contributions = new Set()));
      if (sign === 1) contributions.add(contribution);
      else {
        contributions.delete(contribution);
        if (contributions.size === 0) this.buyerRequests.delete(contribution.buyerId);
      }
    }
    const dayTally = tallyFor(this.days, contribution.storeId, contribution.day, () => new DayTally());
    if (sign === 1) dayTally.add(contribution);
    else dayTally.remove(contribution);
    if (contribution.refund !== null) {
      const refundTally = tallyFor(this.refunds, contribution.storeId, contribution.refund.day, () => new RefundTally());
      if (sign === 1) refundTally.add(contribution.refund.amount);
      else refundTally.remove(contribution.refund.amount);
    }
  }
}

function tallyFor<T>(byStore: Map<string, Map<string, T>>, storeId: string, day: string, create: () => T): T {
  let byDay = byStore.get(storeId);
  if (byDay === undefined) {
    byDay = new Map();
    byStore.set(storeId, byDay);
  }
  let tally = byDay.get(day);
  if (tally === undefined) {
    tally = create();
    byDay.set(day, tally);
  }
  return tally;
}
