import type { Order } from '../../../shared/domain/order';
import type { Random } from '../../../shared/domain/random';
import type { CancelRequest } from '../../../shared/domain/request';
import { instantMs, toInstant, type Clock } from '../../../shared/domain/time';
import { errorDetail, toErrorShape } from '../../../shared/errors';
import type { SyncProgress, SyncStatus } from '../../../shared/ipc/contract';
import { checkPendingDecision } from '../actions/conflicts';
import type { CacheDb, ConflictRow, OutboxEntry, RefundRow, SyncMark } from '../cache/db';
import { putRequests, searchTerms, toCachedRequest, type CachedRequest } from '../cache/records';
import type { Logger } from '../log';
import type { ListPage, ListParams, MarketplaceListing } from '../marketplace/listing';
import { backoffDelay, type Semaphore } from '../marketplace/http-client';
import type { ViewMove } from '../queue/counts';
import { phaseOf } from '../../../shared/domain/order';
import { SetAsideBook } from './quarantine';
import { applyMessagePage, type ConversationListing } from './messages';
import type { BuyerMessage } from '../../../shared/domain/message';

export type Resource = 'orders' | 'requests' | 'messages';

/** The store of a desk built for one marketplace (createBackend's `marketplace` option). */
export const MAIN_STORE_ID = 'main';

/** The desk store a sync engine fills: its records are stamped with its id, its marks are its own. */
export interface SyncStore {
  readonly id: string;
  readonly name: string;
}

export interface SyncEngineDeps {
  db: CacheDb;
  /** With the conversations' feed when the marketplace has one (an adapter: listMessages, capabilities.messages). */
  listing: MarketplaceListing & ConversationListing;
  /** The store this engine syncs; absent: the one store of a single-marketplace desk (id 'main'). */
  store?: SyncStore;
  /** Other stores' ids: a record whose id one of them holds is set aside, never taken over. */
  otherStores?: () => ReadonlySet<string>;
  /** Bounds how many stores sync at once (shared by every store's engine). */
  pool?: Semaphore;
  clock: Clock;
  log: Logger;
  /** Called on every status change (progress included). */
  onStatus: (status: SyncStatus) => void;
  /** Called after each committed page that changed requests, with how their views moved. */
  onRequestsChanged: (moves: ViewMove[]) => void;
  /** Called when the marketplace moved a request under a pending local decision. */
  onConflicts?: (count: number) => void;
  /** Called inside each page's transaction with the request rows written (evidence metadata). */
  onRequestsWritten?: (rows: CachedRequest[]) => Promise<void>;
  /** Called after each pass that ended well (fetching evidence files, outside any transaction). */
  onPassComplete?: () => Promise<void>;
  /** Minutes between scheduled passes. */
  intervalMs?: number;
  pageSize?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Randomness for the retry jitter: the real one at the edges, a seeded one in tests. */
  random: Random;
}

interface VersionedRecord {
  id: string;
  version: number;
  updatedAt: string;
}

/** Newer remote version wins; an older or equal one is ignored. */
export function isNewer(incoming: VersionedRecord, cached: VersionedRecord | undefined): boolean {
  if (cached === undefined) return true;
  if (incoming.version !== cached.version) return incoming.version > cached.version;
  return incoming.updatedAt > cached.updatedAt;
}

/** The largest (updatedAt, id) of a page: pages may arrive shuffled. */
export function highWaterMark(items: readonly VersionedRecord[]): VersionedRecord | undefined {
  let best: VersionedRecord | undefined;
  for (const item of items) {
    if (best === undefined || item.updatedAt > best.updatedAt || (item.updatedAt === best.updatedAt && item.id > best.id)) best = item;
  }
  return best;
}

/**
 * Pulls orders and requests from the marketplace into the cache, incrementally by the
 * (updatedAt, id) high-water mark, committing the mark with each page so a pass resumes where it
 * stopped. Retries a failed pass with backoff; runs on a schedule and on demand.
 */
export class SyncEngine {
  private status: SyncStatus;
  private running: Promise<SyncStatus> | null = null;
  private fullRequested = false;
  private cancelTimer: (() => void) | null = null;
  private failures = 0;
  private stopped = false;
  private intervalMs: number;
  private readonly pageSize: number;
  private readonly setAside: SetAsideBook;
  private readonly store: SyncStore;
  /** The code of the last pass's failure (null after a pass that ended well). */
  private lastErrorCode: string | null = null;
  /** Since when passes fail (the first failure of the current run of failures). */
  private failingSince: string | null = null;

  constructor(private readonly deps: SyncEngineDeps) {
    this.store = deps.store ?? { id: MAIN_STORE_ID, name: 'Store' };
    this.setAside = new SetAsideBook(deps.db);
    this.intervalMs = deps.intervalMs ?? 5 * 60_000;
    this.pageSize = deps.pageSize ?? 200;
    this.status = {
      state: 'idle',
      marketplaceUrl: deps.listing.endpoint,
      lastSyncAt: null,
      nextAttemptAt: null,
      message: null,
      progress: null,
      quarantined: 0,
      stores: [],
    };
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  /** Why the last pass failed (its error code) and since when passes fail; nulls when it ended well. */
  failure(): { code: string | null; since: string | null } {
    return { code: this.lastErrorCode, since: this.failingSince };
  }

  /** Whether a pass runs now. */
  isRunning(): boolean {
    return this.running !== null;
  }

  /** The sync marks of this store: the legacy single store kept the bare resource names. */
  private markKey(resource: Resource): string {
    return this.store.id === MAIN_STORE_ID ? resource : `${this.store.id}:${resource}`;
  }

  private async ownMarks(): Promise<SyncMark[]> {
    const keys = (['orders', 'requests', 'messages'] as const).map((resource) => this.markKey(resource));
    return (await this.deps.db.syncMarks.bulkGet(keys)).filter((mark): mark is SyncMark => mark !== undefined);
  }

  /** Restores the last sync time from the cache and starts the first pass. */
  async start(): Promise<void> {
    const marks = await this.ownMarks();
    const times = marks.map((mark) => mark.lastSyncAt).filter((at): at is string => at !== null).sort();
    this.setStatus({ lastSyncAt: times[0] ?? null, quarantined: await this.deps.db.quarantine.count() });
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Changes the schedule; the next pass moves accordingly. */
  setInterval(intervalMs: number): void {
    this.intervalMs = intervalMs;
    if (this.running === null && this.status.state === 'idle') this.schedule(intervalMs);
  }

  /**
   * Runs a pass now (or joins the one running) and answers the status after it. `full` starts
   * over from the beginning of the marketplace's feed, re-reading everything.
   */
  async syncNow(options: { full?: boolean } = {}): Promise<SyncStatus> {
    if (options.full) this.fullRequested = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    // A full resync asked for during a pass runs right after it.
    if (this.running !== null && options.full) await this.running;
    return this.runPass();
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = this.deps.clock.setTimer(delayMs, () => {
      this.cancelTimer = null;
      void this.runPass();
    });
  }

  private runPass(): Promise<SyncStatus> {
    if (this.running === null) {
      const pass = (): Promise<SyncStatus> => this.pass();
      this.running = (this.deps.pool === undefined ? pass() : this.deps.pool.run(pass)).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async pass(): Promise<SyncStatus> {
    const { db } = this.deps;
    this.setStatus({ state: 'syncing', nextAttemptAt: null, progress: null });
    try {
      await this.setAside.load();
      if (this.fullRequested) {
        this.fullRequested = false;
        const marks = await this.ownMarks();
        await db.syncMarks.bulkPut(marks.map((mark) => ({ ...mark, since: null, cursor: null })));
      }
      // Orders first, so a request's buyer and phase are there when the request arrives.
      await this.pull('orders', (params) => this.deps.listing.listOrders(params), (items) => this.applyOrders(items));
      await this.pull('requests', (params) => this.deps.listing.listRequests(params), (items) => this.applyRequests(items));
      // Messages after requests: a buyer's message raises a request the cache already has.
      const listMessages = this.deps.listing.capabilities?.messages === true ? this.deps.listing.listMessages?.bind(this.deps.listing) : undefined;
      if (listMessages !== undefined) await this.pull('messages', listMessages, (items) => this.applyMessages(items));
      this.failures = 0;
      this.lastErrorCode = null;
      this.failingSince = null;
      const lastSyncAt = toInstant(this.deps.clock.now());
      const marks = await this.ownMarks();
      await db.syncMarks.bulkPut(marks.map((mark) => ({ ...mark, lastSyncAt })));
      this.setStatus({ state: 'idle', lastSyncAt, message: null, progress: null, nextAttemptAt: this.at(this.intervalMs) });
      this.schedule(this.intervalMs);
      await this.deps.onPassComplete?.();
    } catch (error) {
      this.failures += 1;
      const shape = toErrorShape(error);
      this.lastErrorCode = shape.code;
      this.failingSince ??= toInstant(this.deps.clock.now());
      if (shape.code === 'credentials_rejected') {
        // Retrying cannot help: the store waits for new credentials (the seller, in Settings).
        this.deps.log.warn(`sync of ${this.store.name} stopped: ${errorDetail(error)}`);
        this.setStatus({ state: 'error', message: shape.message, progress: null, nextAttemptAt: null });
        return this.status;
      }
      const delay = 1_000 + backoffDelay(this.failures, this.deps.retryBaseMs ?? 2_000, this.deps.retryCapMs ?? 5 * 60_000, this.deps.random);
      this.deps.log.warn(`sync of ${this.store.name} failed (${shape.code}): ${errorDetail(error)}; retrying in ${Math.round(delay / 1000)} s`);
      this.setStatus({
        state: shape.code === 'marketplace_unreachable' ? 'unreachable' : 'error',
        message: shape.message,
        progress: null,
        nextAttemptAt: this.at(delay),
      });
      this.schedule(delay);
    }
    return this.status;
  }

  private async pull<T extends VersionedRecord>(
    resource: Resource,
    fetchPage: (params: ListParams) => Promise<ListPage<T>>,
    apply: (items: T[]) => Promise<ViewMove[]>,
  ): Promise<void> {
    const { db, clock } = this.deps;
    const key = this.markKey(resource);
    let mark: SyncMark = (await db.syncMarks.get(key)) ?? { resource: key, since: null, cursor: null, lastSyncAt: null };
    const startedAt = clock.now();
    const progress: SyncProgress = { resource, pages: 0, items: 0, itemsPerSecond: 0, etaSeconds: null };
    let feedStart: number | null = null;
    let highest: VersionedRecord | undefined;
    // The next page is fetched while this one is written: the network and the cache overlap.
    let pending: Promise<ListPage<T>> | null = fetchPage({ updatedSince: mark.since, cursor: mark.cursor, limit: this.pageSize });
    // Stopped before it is awaited (the backend closing), its failure must not surface as unhandled.
    pending.catch(() => undefined);
    for (;;) {
      if (this.stopped || pending === null) return;
      const page: ListPage<T> = this.stamped(resource, await pending);
      pending = page.nextCursor === null ? null : fetchPage({ updatedSince: mark.since, cursor: page.nextCursor, limit: this.pageSize });
      // If this page fails to apply, the prefetched one is dropped (its failure is not ours to report).
      pending?.catch(() => undefined);
      const top = highWaterMark(page.items);
      if (top !== undefined && (highest === undefined || highWaterMark([highest, top]) === top)) highest = top;
      const nextMark: SyncMark = {
        ...mark,
        cursor: page.nextCursor,
        since: page.nextCursor === null && highest !== undefined ? highest.updatedAt : mark.since,
      };
      // The page and the mark commit together: a crash resumes at the first page not applied.
      const receivedAt = toInstant(clock.now());
      const { applied: moves, setAside } = await db.transaction('rw', [db.orders, db.requests, db.syncMarks, db.quarantine, db.conflicts, db.outbox, db.evidence, db.refunds, db.searchTerms, db.messages], async () => {
        // Inside the transaction: two stores' engines writing the same id are serialised here.
        const own = await this.withoutForeign(resource, page);
        const applied = await apply(own.items);
        // After the valid records are written: a malformed copy older than what is cached is not listed.
        const change = await this.setAside.settle(resource, own.items, own.quarantined, receivedAt);
        for (const record of own.quarantined) {
          this.deps.log.warn(`quarantined ${record.resource} ${record.id ?? '(no id)'}: ${record.reason.slice(0, 200)}`);
        }
        await db.syncMarks.put(nextMark);
        return { applied, setAside: change };
      });
      setAside.commit();
      mark = nextMark;
      if (moves.length > 0) this.deps.onRequestsChanged(moves);

      progress.pages += 1;
      progress.items += page.items.length;
      const elapsed = (clock.now() - startedAt) / 1000;
      progress.itemsPerSecond = elapsed > 0 ? Math.round(progress.items / elapsed) : 0;
      if (top !== undefined) {
        feedStart ??= instantMs(page.items.reduce((min, item) => (item.updatedAt < min ? item.updatedAt : min), top.updatedAt));
        const span = clock.now() - feedStart;
        const done = instantMs(highest?.updatedAt ?? top.updatedAt) - feedStart;
        progress.etaSeconds = span > 0 && done > 0 && elapsed > 0 ? Math.max(0, Math.round((elapsed * (span - done)) / done)) : null;
      }
      // Counted, not added up: a record seen again, or arriving valid at last, moves the count right.
      this.setStatus({
        progress: { ...progress },
        ...(setAside.changed ? { quarantined: await db.quarantine.count() } : {}),
      });
      if (page.nextCursor === null) return;
    }
  }

  /** The page as this store's: its orders and requests stamped with the store's id. */
  private stamped<T extends VersionedRecord>(resource: Resource, page: ListPage<T>): ListPage<T> {
    if (resource === 'messages') return page;
    const storeId = this.store.id;
    return { ...page, items: page.items.map((item) => ({ ...item, storeId })) };
  }

  /**
   * A record whose id another store holds is set aside with the reason: two stores never overwrite
   * each other (a record of a store no longer in the desk is taken over).
   */
  private async withoutForeign<T extends VersionedRecord>(resource: Resource, page: ListPage<T>): Promise<ListPage<T>> {
    if (resource === 'messages') return page;
    const storeId = this.store.id;
    const others = this.deps.otherStores?.() ?? new Set<string>();
    const stamped = page.items;
    if (others.size === 0 || stamped.length === 0) return page;
    const table = resource === 'orders' ? this.deps.db.orders : this.deps.db.requests;
    const cached = await table.bulkGet(stamped.map((item) => item.id));
    const items: T[] = [];
    const quarantined = [...page.quarantined];
    stamped.forEach((item, index) => {
      const owner = cached[index]?.storeId;
      if (owner !== undefined && owner !== storeId && others.has(owner)) {
        quarantined.push({
          resource,
          id: item.id,
          // No version: the row must stay whatever the other store's copy is at.
          version: null,
          reason: `Store "${this.store.name}" sent ${resource === 'orders' ? 'order' : 'request'} ${item.id}, which store ${owner} already has: two stores never share a record, so this copy was set aside.`,
          excerpt: JSON.stringify(item).slice(0, 500),
        });
      } else {
        items.push(item);
      }
    });
    return { ...page, items, quarantined };
  }

  /** Messages never change: new ones are stored, the seller's matched with what this desk sent, replies flagged. */
  private applyMessages(items: BuyerMessage[]): Promise<ViewMove[]> {
    return applyMessagePage(this.deps.db, items);
  }

  /** Newer orders win; their requests take the buyer, phase and SKUs they show. */
  private async applyOrders(items: Order[]): Promise<ViewMove[]> {
    const { db } = this.deps;
    const cached = await db.orders.bulkGet(items.map((order) => order.id));
    const newer = new Map<string, Order>();
    items.forEach((order, index) => {
      const known = newer.get(order.id) ?? cached[index];
      if (isNewer(order, known)) newer.set(order.id, order);
    });
    if (newer.size === 0) return [];
    await db.orders.bulkPut([...newer.values()]);
    // One equality read per order (getAll), not anyOf: fake-indexeddb walks cursors slowly.
    const affected = (await Promise.all([...newer.keys()].map((orderId) => db.requests.where('orderId').equals(orderId).toArray()))).flat();
    if (affected.length > 0) {
      await putRequests(
        db,
        affected.map((request): CachedRequest => {
          const order = newer.get(request.orderId);
          if (order === undefined) return request;
          return { ...request, buyerName: order.buyer.name, buyerCountry: order.buyer.country, phase: phaseOf(order), terms: searchTerms(request, order) };
        }),
        affected,
      );
    }
    return [];
  }

  private async applyRequests(items: CancelRequest[]): Promise<ViewMove[]> {
    const { db } = this.deps;
    const cached = await db.requests.bulkGet(items.map((request) => request.id));
    const newer = new Map<string, { request: CancelRequest; before: CachedRequest | undefined }>();
    items.forEach((request, index) => {
      const seen = newer.get(request.id);
      const known = seen?.request ?? cached[index];
      if (isNewer(request, known)) newer.set(request.id, { request, before: seen?.before ?? cached[index] });
    });
    if (newer.size === 0) return [];
    const entries = [...newer.values()];
    const orders = await db.orders.bulkGet(entries.map(({ request }) => request.orderId));
    const detectedAt = toInstant(this.deps.clock.now());
    const conflicts: ConflictRow[] = [];
    const rows = entries.map(({ request, before }, index) => {
      const check = checkPendingDecision(before, request, detectedAt);
      switch (check.kind) {
        case 'none':
          return toCachedRequest(request, orders[index], before);
        case 'confirmed':
          // Our decision shows at the marketplace: the local copy has nothing more to say.
          return toCachedRequest(request, orders[index], before === undefined ? undefined : { ...before, local: null });
        case 'conflict':
          conflicts.push(check.row);
          return toCachedRequest(request, orders[index], before === undefined ? undefined : { ...before, local: null });
      }
    });
    await putRequests(db, rows, entries.map(({ before }) => before));
    await this.settleRefunds(rows);
    await this.deps.onRequestsWritten?.(rows);
    if (conflicts.length > 0) {
      await db.conflicts.bulkPut(conflicts);
      // A decision still held in the undo window is not sent against a state it was not made for.
      const held = (await db.outbox.bulkGet(conflicts.map((row) => row.outboxId ?? ''))).filter(
        (entry): entry is OutboxEntry => entry !== undefined && (entry.status === 'held' || entry.status === 'retry'),
      );
      await db.outbox.bulkPut(held.map((entry) => ({ ...entry, status: 'conflict' as const, settledAt: detectedAt })));
      this.deps.onConflicts?.(conflicts.length);
    }
    return rows.map((row, index) => ({ before: entries[index]?.before?.view, after: row.view, row }));
  }

  /**
   * Refund reconciliation: a pending refund is completed once the marketplace shows the request
   * refunded, and failed when it reports the payout failed (the seller may then retry it).
   */
  private async settleRefunds(rows: readonly CachedRequest[]): Promise<void> {
    const settled = rows.filter((row) => row.state === 'refunded' || (row.state === 'accepted' && row.resolution?.outcome === 'refund_failed'));
    if (settled.length === 0) return;
    const { db } = this.deps;
    const updatedAt = toInstant(this.deps.clock.now());
    const known = await Promise.all(settled.map((row) => db.refunds.where('requestId').equals(row.id).toArray()));
    const writes: RefundRow[] = [];
    settled.forEach((row, index) => {
      const pending = (known[index] ?? []).filter((refund) => refund.status === 'pending');
      if (row.state === 'refunded') {
        for (const refund of pending) writes.push({ ...refund, status: 'completed', updatedAt });
        return;
      }
      const failure = 'The marketplace could not pay this refund out.';
      if (pending.length > 0) {
        for (const refund of pending) writes.push({ ...refund, status: 'failed', failure, updatedAt });
      } else if (!(known[index] ?? []).some((refund) => refund.status === 'failed') && row.resolution?.amount) {
        // A refund decided elsewhere (or before this cache existed) that failed: track it too.
        writes.push({ id: `refund-${row.id}-${row.version}`, requestId: row.id, orderId: row.orderId, outboxId: null, amount: row.resolution.amount, status: 'failed', failure, updatedAt });
      }
    });
    if (writes.length > 0) await db.refunds.bulkPut(writes);
  }

  private at(delayMs: number): string {
    return toInstant(this.deps.clock.now() + delayMs);
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.onStatus(this.status);
  }
}
