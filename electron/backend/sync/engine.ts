import type { Order } from '../../../shared/domain/order';
import type { CancelRequest } from '../../../shared/domain/request';
import { toInstant, type Clock } from '../../../shared/domain/time';
import { viewOfState } from '../../../shared/domain/views';
import { toErrorShape } from '../../../shared/errors';
import type { SyncStatus } from '../../../shared/ipc/contract';
import type { CacheDb, CachedRequest, SyncMark } from '../cache/db';
import type { Logger } from '../log';
import type { ListPage, ListParams, MarketplaceConnector } from '../marketplace/connector';

export interface SyncEngineDeps {
  db: CacheDb;
  connector: MarketplaceConnector;
  clock: Clock;
  log: Logger;
  /** Called on every status change. */
  onStatus: (status: SyncStatus) => void;
  /** Called when cached records changed (after each batch of pages and at the end of a pass). */
  onChanged: () => void;
  intervalMs?: number;
  pageSize?: number;
}

const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 60_000;
const PAGES_PER_CHANGE_EVENT = 10;

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

/**
 * Pulls orders and requests from the marketplace into the cache, incrementally by the
 * (updatedAt, id) high-water mark, committing the mark with each page so a pass resumes.
 */
export class SyncEngine {
  private status: SyncStatus;
  private running: Promise<SyncStatus> | null = null;
  private cancelTimer: (() => void) | null = null;
  private failures = 0;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly pageSize: number;

  constructor(private readonly deps: SyncEngineDeps) {
    this.intervalMs = deps.intervalMs ?? 5 * 60_000;
    this.pageSize = deps.pageSize ?? 200;
    this.status = {
      state: 'idle',
      marketplaceUrl: deps.connector.baseUrl,
      lastSyncAt: null,
      nextAttemptAt: null,
      message: null,
    };
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  /** Restores the last sync time from the cache and starts the first pass. */
  async start(): Promise<void> {
    const marks = await this.deps.db.syncMarks.toArray();
    const lastSyncAt = marks.map((mark) => mark.lastSyncAt).filter((at) => at !== null).sort().at(0) ?? null;
    this.setStatus({ lastSyncAt });
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Runs a pass now (or joins the one running) and answers the status after it. */
  syncNow(): Promise<SyncStatus> {
    this.cancelTimer?.();
    this.cancelTimer = null;
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
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async pass(): Promise<SyncStatus> {
    this.setStatus({ state: 'syncing', nextAttemptAt: null });
    try {
      // Orders first, so a request's order is there when the request shows in the queue.
      await this.pull('orders', (params) => this.deps.connector.listOrders(params), (items) => this.applyOrders(items));
      await this.pull('requests', (params) => this.deps.connector.listRequests(params), (items) => this.applyRequests(items));
      this.failures = 0;
      const lastSyncAt = toInstant(this.deps.clock.now());
      await this.deps.db.syncMarks.toCollection().modify({ lastSyncAt });
      this.setStatus({ state: 'idle', lastSyncAt, message: null, nextAttemptAt: this.nextAt(this.intervalMs) });
      this.schedule(this.intervalMs);
    } catch (error) {
      this.failures += 1;
      const shape = toErrorShape(error);
      // Full jitter: spread retries so many clients do not hammer the marketplace together.
      const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(this.failures, 16));
      const delay = Math.round(Math.random() * ceiling) + RETRY_BASE_MS;
      this.deps.log.warn(`sync failed (${shape.code}): ${shape.message}; retrying in ${delay} ms`);
      this.setStatus({
        state: shape.code === 'marketplace_unreachable' ? 'unreachable' : 'error',
        message: shape.message,
        nextAttemptAt: this.nextAt(delay),
      });
      this.schedule(delay);
    }
    return this.status;
  }

  private async pull<T extends VersionedRecord>(
    resource: 'orders' | 'requests',
    fetchPage: (params: ListParams) => Promise<ListPage<T>>,
    apply: (items: T[]) => Promise<number>,
  ): Promise<void> {
    const { db } = this.deps;
    let mark: SyncMark = (await db.syncMarks.get(resource)) ?? { resource, since: null, cursor: null, lastSyncAt: null };
    let pages = 0;
    let changedSinceEvent = 0;
    for (;;) {
      if (this.stopped) return;
      const page = await fetchPage({ updatedSince: mark.since, cursor: mark.cursor, limit: this.pageSize });
      for (const record of page.quarantined) {
        this.deps.log.warn(`quarantined ${record.resource} ${record.id ?? '(no id)'}: ${record.reason}`);
      }
      const last = page.items.at(-1);
      const nextMark: SyncMark = {
        ...mark,
        cursor: page.nextCursor,
        since: page.nextCursor === null && last !== undefined ? last.updatedAt : mark.since,
      };
      // The page and the mark commit together: a crash resumes at the first page not applied.
      const changed = await db.transaction('rw', [db.orders, db.requests, db.syncMarks], async () => {
        const count = await apply(page.items);
        await db.syncMarks.put(nextMark);
        return count;
      });
      mark = nextMark;
      pages += 1;
      changedSinceEvent += changed;
      if (changedSinceEvent > 0 && (page.nextCursor === null || pages % PAGES_PER_CHANGE_EVENT === 0)) {
        changedSinceEvent = 0;
        this.deps.onChanged();
      }
      if (page.nextCursor === null) return;
    }
  }

  private async applyOrders(items: Order[]): Promise<number> {
    const { db } = this.deps;
    const cached = await db.orders.bulkGet(items.map((order) => order.id));
    const newer = items.filter((order, index) => isNewer(order, cached[index]));
    await db.orders.bulkPut(newer);
    return newer.length;
  }

  private async applyRequests(items: CancelRequest[]): Promise<number> {
    const { db } = this.deps;
    const cached = await db.requests.bulkGet(items.map((request) => request.id));
    const newer: CachedRequest[] = items
      .filter((request, index) => isNewer(request, cached[index]))
      .map((request) => ({ ...request, view: viewOfState(request.state) }));
    await db.requests.bulkPut(newer);
    return newer.length;
  }

  private nextAt(delayMs: number): string {
    return toInstant(this.deps.clock.now() + delayMs);
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.onStatus(this.status);
  }
}
