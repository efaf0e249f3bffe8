import type { Clock } from '../../shared/domain/time';
import type { ChannelName, ChannelOutput, ChannelParsedInput, EventName, EventPayload } from '../../shared/ipc/contract';
import { openCacheDb, type CacheDb } from './cache/db';
import { loadSnapshot, saveSnapshot, setAsideSnapshot } from './cache/snapshot';
import type { Logger } from './log';
import { createDemoConnector } from './marketplace/demo';
import type { HttpClientOptions } from './marketplace/http-client';
import { ViewCounter } from './queue/counts';
import { listQueue } from './queue/queries';
import { SettingsStore } from './settings';
import { SyncEngine } from './sync/engine';

export interface BackendOptions {
  /** Where the cache lives on disk. */
  dataDir: string;
  marketplace: { baseUrl: string; token: string };
  clock: Clock;
  log: Logger;
  appVersion?: string;
  /** Overrides the seller's sync interval setting (tests, benchmarks). */
  syncIntervalMs?: number;
  /** Tuning of the marketplace client (tests make retries fast). */
  http?: Partial<Omit<HttpClientOptions, 'baseUrl' | 'token' | 'clock'>>;
  /** Tuning of the pass-level retry after a failed sync. */
  syncRetry?: { baseMs: number; capMs: number };
}

export type BackendListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Everything the main process does, with no import of 'electron'. */
export interface Backend {
  /** Serves one validated call of the contract. */
  handle<C extends ChannelName>(channel: C, input: ChannelParsedInput<C>): Promise<ChannelOutput<C>>;
  /** Events for the renderer; returns the unsubscribe function. */
  subscribe(listener: BackendListener): () => void;
  /** Opens the cache from disk and starts syncing (in the background: the queue is usable at once). */
  start(): Promise<void>;
  /** Stops syncing, saves the cache, and releases everything. */
  close(): Promise<void>;
  /** Resolves when no sync pass is running (tests and tools). */
  syncIdle(): Promise<void>;
  /** Resolves when every table is loaded (start() resolves once the queue's tables are). */
  whenFullyLoaded(): Promise<void>;
  /** The cache itself, for tests and tools that compare it with the marketplace. */
  readonly db: CacheDb;
}

type Handlers = { [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

export function createBackend(options: BackendOptions): Backend {
  const db: CacheDb = openCacheDb();
  const counter = new ViewCounter();
  const settings = new SettingsStore(db, options.log);
  const listeners = new Set<BackendListener>();
  const emit: BackendListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  let dirty = false;
  let saving: Promise<void> = Promise.resolve();
  let changedEventPending = false;

  const persist = (): Promise<void> => {
    if (!dirty) return saving;
    dirty = false;
    saving = saving
      .then(() => saveSnapshot(db, options.dataDir))
      .catch((error: unknown) => {
        dirty = true;
        options.log.error(`could not save the cache snapshot: ${error instanceof Error ? error.message : String(error)}`);
      });
    return saving;
  };

  // One "queue changed" event per tick at most, however many pages land.
  const announceChange = (): void => {
    if (changedEventPending) return;
    changedEventPending = true;
    options.clock.setTimer(0, () => {
      changedEventPending = false;
      emit('queue.changed', { counts: counter.snapshot() });
    });
  };

  const sync = new SyncEngine({
    db,
    connector: createDemoConnector({ ...options.http, ...options.marketplace, clock: options.clock }),
    clock: options.clock,
    log: options.log,
    intervalMs: options.syncIntervalMs,
    retryBaseMs: options.syncRetry?.baseMs,
    retryCapMs: options.syncRetry?.capMs,
    onStatus: (status) => {
      emit('sync.status', status);
      if (status.state !== 'syncing') void persist();
    },
    onRequestsChanged: (moves) => {
      dirty = true;
      counter.apply(moves);
      announceChange();
    },
  });

  const handlers: Handlers = {
    'app.info': () =>
      Promise.resolve({
        version: options.appVersion ?? '0.0.0',
        dataDir: options.dataDir,
        marketplaceUrl: options.marketplace.baseUrl,
      }),
    'queue.list': (input) => listQueue(db, counter, input),
    'queue.counts': () => Promise.resolve(counter.snapshot()),
    'sync.status': () => Promise.resolve(sync.getStatus()),
    'sync.now': (input) => sync.syncNow({ full: input.full }),
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.update': async (patch) => {
      const next = await settings.update(patch);
      dirty = true;
      if (options.syncIntervalMs === undefined) sync.setInterval(next.syncIntervalMinutes * 60_000);
      emit('settings.changed', next);
      return next;
    },
  };

  return {
    db,
    handle: (channel, input) => handlers[channel](input),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      await db.open();
      try {
        if (await loadSnapshot(db, options.dataDir)) options.log.info('cache loaded from the last snapshot');
      } catch (error) {
        const aside = await setAsideSnapshot(options.dataDir, options.clock.now());
        options.log.error(`${error instanceof Error ? error.message : String(error)} It was kept as ${aside}; starting from an empty cache.`);
      }
      await counter.initialise(db);
      const loaded = await settings.load();
      if (options.syncIntervalMs === undefined) sync.setInterval(loaded.syncIntervalMinutes * 60_000);
      await sync.start();
    },
    async close() {
      sync.stop();
      await sync.idle();
      await persist();
      db.close();
    },
    syncIdle: () => sync.idle(),
    // The snapshot loads whole before start() resolves; the journal (issue 4) loads in stages.
    whenFullyLoaded: () => Promise.resolve(),
  };
}
