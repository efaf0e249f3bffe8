import type { Random } from '../../shared/domain/random';
import type { Clock } from '../../shared/domain/time';
import { toInstant } from '../../shared/domain/time';
import { DeskError, errorDetail, toErrorShape } from '../../shared/errors';
import type { MarketplaceKind } from '../../shared/domain/marketplace';
import type { ChannelOutput, ChannelParsedInput, EventName, EventPayload } from '../../shared/ipc/contract';
import { BulkActionSchema } from '../../shared/rules/bulk';
import type { BackendChannel } from './channels';
import { decide, plan, undo, type DecisionDeps } from './actions/decide';
import { decideRecommended, planRecommended } from './actions/recommended';
import { Dispatcher } from './actions/dispatcher';
import { auditCsv, listAudit, outboxSummary, requestDetail } from './actions/records';
import { resolveUnknown } from './actions/resolve';
import { retryRefund } from './actions/refunds';
import { listThread, sendMessage } from './actions/messages';
import { join } from 'node:path';
import type { CacheDb } from './cache/db';
import { openDurableCache, type DurableCache, type RecoveryReport } from './cache/durable';
import { CACHE_SCHEMA, QUEUE_TABLES } from './cache/schema';
import { escapingLogger, type Logger } from './log';
import { createAdapter, type MarketplaceAdapter } from './marketplace';
import { memoryVault, type CredentialVault } from './stores/credentials';
import { StoreRegistry, type EmbeddedMarketplace, type StoreSeed } from './stores/registry';
import { removeStoreRecords } from './stores/removal';
import { aliExpressStoreHandlers, refuseBareToken, type StoreFacts } from './stores/aliexpress/channels';
import { readAliExpressCredentials, signedInOnly } from './stores/aliexpress/credentials';
import { AliExpressTokens } from './stores/aliexpress/tokens';
import { AliExpressSignIn } from './stores/aliexpress/sign-in';
import { iopTokenCall } from './stores/aliexpress/token-call';
import { MAIN_STORE_ID } from './sync/engine';
import type { HttpClientOptions } from './marketplace/http-client';
import { ViewCounter, type ViewMove } from './queue/counts';
import { QueueIndex } from './queue/memory-index';
import { listQueueIds } from './queue/ids';
import { listQueue } from './queue/queries';
import { queueCsv } from './queue/export';
import { storeCounts } from './queue/store-counts';
import { InsightsIndex, type InsightsSource } from './insights/aggregate';
import type { Policy } from '../../shared/rules/policy';
import { SettingsStore } from './settings';
import { listSetAside, setAsideCsv } from './sync/quarantine';
import { systemRandom } from './system-random';
import { EvidenceStore } from './evidence/files';
import { SellerEvidenceStore } from './evidence/seller';

export { isBackendChannel, type BackendChannel } from './channels';

export interface BackendOptions {
  /** Where the cache lives on disk. */
  dataDir: string;
  /** One marketplace, as one store ('main'): tests, tools and benchmarks. */
  marketplace?: { baseUrl: string; token: string };
  /** That store's adapter, when the caller builds it (tests); otherwise the demo's, from `marketplace`. */
  adapter?: MarketplaceAdapter;
  /** The stores the app offers out of the box (added on the first start; the seller may remove them). */
  stores?: readonly StoreSeed[];
  /** The demo marketplaces the shell runs itself this time, by the name an embedded store gives. */
  embedded?: Readonly<Record<string, EmbeddedMarketplace>>;
  /** Where the stores' credentials are kept (default: in memory, for this session). */
  credentials?: CredentialVault;
  /** Adapters built by the caller, by store id (tests). */
  adapters?: Readonly<Record<string, MarketplaceAdapter>>;
  /** Stores syncing at once (default 3). */
  syncConcurrency?: number;
  clock: Clock;
  log: Logger;
  appVersion?: string;
  /** Overrides the seller's sync interval setting (tests, benchmarks). */
  syncIntervalMs?: number;
  /** Tuning of the marketplace client (tests make retries fast); its randomness is `random`. */
  http?: Partial<Omit<HttpClientOptions, 'baseUrl' | 'token' | 'clock' | 'random'>>;
  /** Tuning of the pass-level retry after a failed sync, and of the dispatcher's retries. */
  syncRetry?: { baseMs: number; capMs: number };
  dispatchRetry?: { baseMs: number; capMs: number };
  /** Randomness for every retry jitter (client, sync, dispatcher); the real one when absent, a seeded one in tests. */
  random?: Random;
}

export type BackendListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Everything the main process does, with no import of 'electron'. */
export interface Backend {
  /** Serves one validated call of the contract. */
  handle<C extends BackendChannel>(channel: C, input: ChannelParsedInput<C>): Promise<ChannelOutput<C>>;
  /** Events for the renderer; returns the unsubscribe function. */
  subscribe(listener: BackendListener): () => void;
  /** Opens the cache from disk and starts syncing and delivering (in the background). */
  start(): Promise<void>;
  /** Stops syncing and delivering (between requests), saves the cache, and releases everything. */
  close(): Promise<void>;
  /** Resolves when no sync pass is running (tests and tools). */
  syncIdle(): Promise<void>;
  /** Resolves when nothing due is waiting in the outbox (tests and tools). */
  dispatchIdle(): Promise<void>;
  /** Resolves when every table is loaded (start() resolves once the queue's tables are). */
  whenFullyLoaded(): Promise<void>;
  /** The cache itself, for tests and tools that compare it with the marketplace (after start). */
  readonly db: CacheDb;
  /** What opening the cache found (after start): snapshot used, records replayed, damage. */
  readonly recovery: RecoveryReport;
}

type Handlers = { [C in BackendChannel]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

const OUTBOX_EVENT_EVERY_MS = 200;

/** The cache's own folder under the data folder (its journal and snapshots; nothing else). */
export function cacheDir(dataDir: string): string {
  return join(dataDir, 'cache');
}

export function createBackend(options: BackendOptions): Backend {
  const { clock } = options;
  // Much of what the backend logs quotes the marketplace: every line is escaped on its way out.
  const log = escapingLogger(options.log);
  const random = options.random ?? systemRandom;
  let durable: DurableCache<CacheDb> | null = null;
  const cache = (): DurableCache<CacheDb> => {
    if (durable === null) throw new DeskError('not_ready', 'The cache is still opening; try again in a moment.');
    return durable;
  };
  // Every part below reaches the database through this one object, ready once start() opened it.
  const db = new Proxy({} as CacheDb, {
    get: (_target, property) => {
      const real = cache().db;
      const value: unknown = Reflect.get(real, property, real);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value;
    },
  });
  const counter = new ViewCounter();
  const queueIndex = new QueueIndex();
  let insights = new InsightsIndex();
  /** Every committed change to requests moves the counts, the queue's orders and the Insights together. */
  const requestsChanged = (moves: ViewMove[]): void => {
    counter.apply(moves);
    const rows = moves.map((move) => move.row);
    queueIndex.apply(rows);
    insights.apply(rows);
  };
  const settings = new SettingsStore(db, log);
  const listeners = new Set<BackendListener>();
  const emit: BackendListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  let changedEventPending = false;
  let outboxEventPending = false;
  let cancelOutboxEvent: (() => void) | null = null;

  // One event per tick at most, however many writes land (batching, not time: no clock here).
  const announceQueue = (): void => {
    if (changedEventPending) return;
    changedEventPending = true;
    setImmediate(() => {
      changedEventPending = false;
      if (durable === null) return;
      db.conflicts.count().then(
        (conflicts) => {
          counter.setConflicts(conflicts);
          emit('queue.changed', { counts: counter.snapshot() });
        },
        (error: unknown) => log.warn(`queue counts: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  };
  // The outbox summary reads the outbox: at most five times a second while a batch is delivered.
  const announceOutbox = (): void => {
    if (outboxEventPending) return;
    outboxEventPending = true;
    cancelOutboxEvent = clock.setTimer(OUTBOX_EVENT_EVERY_MS, () => {
      outboxEventPending = false;
      cancelOutboxEvent = null;
      if (durable === null) return;
      outboxSummary(db).then(
        (summary) => emit('outbox.changed', summary),
        (error: unknown) => log.warn(`outbox summary: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  };

  // The backend speaks to marketplaces only through their adapters (electron/backend/marketplace/),
  // one per store; a desk built for one marketplace (`marketplace`) has one store, 'main'. The
  // evidence store is declared below: the stores' callbacks only run once the backend started.
  const vault = options.credentials ?? memoryVault();
  /**
   * A store's adapter from its connection: the demo's token, or AliExpress's app and sign-in (the
   * credential JSON, stores/aliexpress/credentials.ts). An AliExpress store is built before its
   * seller signs in too (adding it checks the kind); its calls then ask the seller to sign in.
   */
  const adapterFor = (connection: { storeId: string; kind: MarketplaceKind; baseUrl: string; token: string }): MarketplaceAdapter => {
    if (connection.kind === 'demo') return createAdapter({ kind: 'demo', baseUrl: connection.baseUrl, token: connection.token }, { ...options.http, clock, random });
    const app = readAliExpressCredentials(connection.token);
    if (app === null) throw new DeskError('invalid_input', 'The AliExpress store has no readable app key and secret; add it again in Settings.');
    const { storeId } = connection;
    const tokens = new AliExpressTokens({
      storeId,
      storeName: () => stores.name(storeId),
      // The raw vault: renewed tokens are kept where the seller's sign-in was. An embedded demo
      // store (the AliExpress sandbox) was signed in by the shell for this session only.
      vault: vault.get(storeId) === null ? memoryVault({ [storeId]: connection.token }) : vault,
      clock,
      tokenCall: iopTokenCall({ gatewayUrl: connection.baseUrl, appKey: app.appKey, appSecret: app.appSecret }, { clock }),
    });
    return createAdapter(
      {
        kind: 'aliexpress',
        baseUrl: connection.baseUrl,
        storeId,
        appKey: app.appKey,
        appSecret: app.appSecret,
        tokens,
        onUnconfirmed: (fact) => log.info(`AliExpress (${stores.name(storeId)}) showed something the protocol reference leaves open: ${fact}`),
      },
      { ...options.http, clock, random },
    );
  };
  const stores = new StoreRegistry({
    db,
    clock,
    log,
    seeds: options.stores ?? [{ id: MAIN_STORE_ID, name: 'Store', kind: 'demo', endpoint: { embedded: MAIN_STORE_ID } }],
    embedded: options.embedded ?? (options.marketplace === undefined ? {} : { [MAIN_STORE_ID]: options.marketplace }),
    // An AliExpress store whose seller has not signed in yet reads as "no credentials" here.
    credentials: signedInOnly(vault),
    createAdapter: (connection) => adapterFor(connection),
    adapters: options.adapters ?? (options.adapter === undefined ? undefined : { [MAIN_STORE_ID]: options.adapter }),
    concurrency: options.syncConcurrency,
    engine: {
      db,
      clock,
      log,
      intervalMs: options.syncIntervalMs,
      retryBaseMs: options.syncRetry?.baseMs,
      retryCapMs: options.syncRetry?.capMs,
      random,
      onRequestsChanged: (moves) => {
        requestsChanged(moves);
        announceQueue();
      },
      onConflicts: () => {
        announceQueue();
        announceOutbox();
      },
      onRequestsWritten: (rows) => evidence.record(rows),
      onPassComplete: async () => {
        if ((await evidence.fetchMissing((storeId) => stores.adapterFor(storeId))) > 0) announceQueue();
      },
    },
    onStatus: (status) => emit('sync.status', status),
    onStoresChanged: () => emit('stores.changed', stores.views()),
  });
  const evidence = new EvidenceStore({ db, dataDir: options.dataDir, clock, log });

  /** A store in use, from its cache row (its kind and address). */
  const storeFacts = async (storeId: string): Promise<StoreFacts | null> => {
    if (!stores.ids().has(storeId)) return null;
    const row = await db.stores.get(storeId);
    return row === undefined ? null : { id: row.id, name: row.name, kind: row.kind, url: 'url' in row.endpoint ? row.endpoint.url : null };
  };
  // "Sign in with AliExpress": the tokens are kept through the registry, which keeps them in the
  // vault and gives the store a fresh adapter and engine that use them (and says stores.changed).
  const aliExpressSignIn = new AliExpressSignIn({
    clock,
    log,
    tokenCall: (app) => iopTokenCall(app, { clock }),
    vault: {
      storage: vault.storage,
      get: (storeId) => vault.get(storeId),
      set: async (storeId, token) => {
        await stores.update({ storeId, token });
        return vault.storage;
      },
      delete: (storeId) => vault.delete(storeId),
    },
    onSignedIn: (storeId) => log.info(`${stores.name(storeId)} is signed in to AliExpress; it syncs now`),
  });
  const aliExpressHandlers = aliExpressStoreHandlers({
    vault,
    signIn: aliExpressSignIn,
    addStore: (input) => stores.add(input),
    view: (storeId) => stores.views().find((view) => view.id === storeId),
    store: storeFacts,
  });

  // Durable before the seller is answered: the journal is fsynced (sync writes group-commit).
  const flush = (): Promise<void> => cache().flush();
  // The seller's photos for refusals and offers, uploaded by the dispatcher with their decision.
  const photos = new SellerEvidenceStore({ db, dataDir: options.dataDir, clock, log, flush, capabilities: (storeId) => stores.capabilities(storeId) });

  const dispatcher = new Dispatcher({
    db,
    clock,
    adapterFor: (storeId) => stores.adapterFor(storeId),
    flush,
    log,
    retryBaseMs: options.dispatchRetry?.baseMs,
    retryCapMs: options.dispatchRetry?.capMs,
    random,
    attachments: (entry) => photos.forEntry(entry),
    onRequestsChanged: (moves) => {
      requestsChanged(moves);
      announceQueue();
    },
    onOutboxChanged: announceOutbox,
    onConflicts: announceQueue,
  });

  /** A store's own policy (with the seller's undo window, which is one for the whole desk), or the seller's. */
  const storePolicy = (storeId: string): Policy => {
    const seller = settings.get().policy;
    const own = stores.policy(storeId);
    return own === null ? seller : { ...own, undoWindowSeconds: seller.undoWindowSeconds };
  };

  const decisions: DecisionDeps = {
    db,
    clock,
    flush,
    policy: () => settings.get().policy,
    storePolicy,
    capabilities: (storeId) => stores.capabilities(storeId),
    discardPhotos: (paths) => photos.discard(paths),
    onRequestsChanged: (moves) => {
      requestsChanged(moves);
      announceQueue();
    },
    onOutboxChanged: () => {
      announceOutbox();
      dispatcher.wake();
    },
  };

  // What the Insights read from the cache: once when it has loaded, then the orders of new requests.
  const insightsSource: InsightsSource = {
    requests: () => db.requests.toArray(),
    orders: (ids) => db.orders.bulkGet(ids),
    audit: () => db.audit.toArray(),
  };

  /** After requests left the cache (a store removed): the queue's orders, the counts and the Insights again. */
  const rebuildIndexes = async (): Promise<void> => {
    queueIndex.load(await db.requests.toArray());
    counter.initialise(queueIndex);
    counter.setConflicts(await db.conflicts.count());
    insights = new InsightsIndex();
    await insights.build(insightsSource);
  };

  /** For calls that read orders or the audit log: those tables may still be loading after a restart. */
  const loaded = async <T>(work: () => Promise<T>): Promise<T> => {
    await cache().fullyLoaded;
    return work();
  };

  const handlers: Handlers = {
    'app.info': () =>
      Promise.resolve({
        version: options.appVersion ?? '0.0.0',
        dataDir: options.dataDir,
        marketplaceUrl: stores.status().marketplaceUrl,
      }),
    // Search reads its own table, which loads after the queue's: wait for it.
    'queue.list': (input) => (input.search === '' ? listQueue(db, counter, queueIndex, input) : loaded(() => listQueue(db, counter, queueIndex, input))),
    'queue.storeCounts': () => storeCounts(db, queueIndex),
    'queue.counts': async () => {
      counter.setConflicts(await db.conflicts.count());
      return counter.snapshot();
    },
    'sync.status': () => Promise.resolve(stores.status()),
    'sync.now': (input) => loaded(() => stores.syncNow({ full: input.full })),
    'stores.list': () => Promise.resolve(stores.views()),
    'stores.add': (input) => loaded(() => stores.add(input)),
    'stores.update': (input) =>
      loaded(async () => {
        refuseBareToken(input.token === undefined ? null : await storeFacts(input.storeId), input.token);
        return stores.update(input);
      }),
    'stores.addAliExpress': (input) => loaded(() => aliExpressHandlers['stores.addAliExpress'](input)),
    'stores.signIn': (input) => loaded(() => aliExpressHandlers['stores.signIn'](input)),
    'stores.completeSignIn': (input) => loaded(() => aliExpressHandlers['stores.completeSignIn'](input)),
    'stores.remove': (input) =>
      loaded(() =>
        stores.remove(input.storeId, async (storeId) => {
          aliExpressSignIn.cancel(storeId);
          const counts = await removeStoreRecords(db, storeId, clock);
          await flush();
          await rebuildIndexes();
          announceQueue();
          return counts;
        }),
      ),
    'queue.ids': (input) => (input.search === '' ? listQueueIds(db, counter, queueIndex, input) : loaded(() => listQueueIds(db, counter, queueIndex, input))),
    'requests.get': (input) => loaded(() => requestDetail(db, input.requestId, { clock, policy: () => settings.get().policy, storePolicy, capabilities: (storeId) => stores.capabilities(storeId) })),
    'decisions.decide': (input) => loaded(() => decide(decisions, input.requestIds, input.action)),
    'decisions.plan': (input) => loaded(() => plan(decisions, input.requestIds, input.action)),
    'decisions.planRecommended': (input) => loaded(() => planRecommended(decisions, input.requestIds)),
    'decisions.decideRecommended': (input) => loaded(() => decideRecommended(decisions, input.items)),
    'decisions.undo': (input) => loaded(() => undo(decisions, input.batchId)),
    'notes.add': async (input) => {
      const row = await db.requests.get(input.requestId);
      if (row === undefined) throw new DeskError('not_found', `There is no request ${input.requestId} in the cache.`);
      const at = toInstant(clock.now());
      await db.transaction('rw', [db.notes, db.audit], async () => {
        await db.notes.add({ requestId: row.id, at, text: input.text });
        await db.audit.add({
          at, actor: 'seller', action: 'note', requestId: row.id, orderId: row.orderId, batchId: null,
          params: {}, amount: null, rulesVersion: null, stateBefore: null, stateAfter: null, message: 'Added an internal note.',
        });
      });
      await flush();
      return { at, text: input.text };
    },
    'requests.assign': async (input) => {
      const updated = await db.transaction('rw', db.requests, async () => {
        const rows = (await db.requests.bulkGet(input.requestIds)).filter((row) => row !== undefined);
        await db.requests.bulkPut(rows.map((row) => ({ ...row, assignee: input.assignee })));
        return rows.length;
      });
      await flush();
      return { updated };
    },
    'outbox.summary': () => outboxSummary(db),
    'outbox.retry': async (input) => {
      const entry = await db.outbox.get(input.outboxId);
      if (entry === undefined) throw new DeskError('not_found', `There is no outbox entry ${input.outboxId}.`);
      if (entry.status !== 'failed') {
        // Only a known failure may be decided again: anything else might still go through.
        throw new DeskError('not_failed', `This decision is ${entry.status}, not failed; only a failed decision can be retried.`);
      }
      if (entry.endpoint === 'retry-refund') {
        throw new DeskError('not_retryable', 'This was a refund retry; retry the refund itself from the failed refunds.');
      }
      if (entry.decision.type === 'message') throw new DeskError('not_retryable', 'This was a message to the buyer; write it again from the conversation.');
      const action = BulkActionSchema.parse(entry.decision);
      const result = await decide(decisions, [entry.requestId], action);
      await db.outbox.put({ ...entry, status: 'cancelled', settledAt: toInstant(clock.now()) });
      announceOutbox();
      return result;
    },
    'outbox.resolve': (input) => loaded(() => resolveUnknown(decisions, input.outboxId, input.resolution)),
    'refunds.retry': (input) => loaded(() => retryRefund(decisions, input.requestId)),
    'conflicts.dismiss': async (input) => {
      const dismissed = await db.transaction('rw', [db.conflicts, db.audit, db.requests], async () => {
        const conflict = await db.conflicts.get(input.requestId);
        if (conflict === undefined) return false;
        const row = await db.requests.get(input.requestId);
        await db.conflicts.delete(input.requestId);
        await db.audit.add({
          at: toInstant(clock.now()), actor: 'seller', action: 'dismiss_conflict', requestId: input.requestId, orderId: row?.orderId ?? '',
          batchId: null, params: {}, amount: null, rulesVersion: null, stateBefore: null, stateAfter: null, message: `Seen: ${conflict.what}`,
        });
        return true;
      });
      await flush();
      announceQueue();
      return { dismissed };
    },
    'evidence.get': (input) => loaded(() => evidence.read(input.evidenceId)),
    'evidence.attach': (input) => loaded(() => photos.attach(input)),
    'evidence.detach': (input) => loaded(() => photos.detach(input.attachmentId)),
    'audit.list': (input) => loaded(() => listAudit(db, input)),
    'audit.exportCsv': (input) => loaded(() => auditCsv(db, clock, input.requestId)),
    'insights.get': (input) =>
      loaded(async () => {
        await insights.ready(insightsSource);
        return insights.query(input);
      }),
    // Like queue.list: a view is served from the queue's tables; a search waits for its own table.
    'queue.exportCsv': (input) =>
      input.search === ''
        ? queueCsv(db, counter, queueIndex, clock, input, (id) => stores.name(id))
        : loaded(() => queueCsv(db, counter, queueIndex, clock, input, (id) => stores.name(id))),
    // The list of records set aside loads with the rest of the cache (it is not a queue table).
    'quarantine.list': (input) => loaded(() => listSetAside(db, input.limit)),
    'quarantine.exportCsv': () => loaded(() => setAsideCsv(db, clock)),
    'messages.list': (input) => loaded(() => listThread({ ...decisions, templates: (storeId) => stores.messageTemplates(storeId) ?? settings.get().messageTemplates }, input.requestId)),
    'messages.send': (input) => loaded(() => sendMessage(decisions, input.requestId, input.text)),
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.update': async (patch) => {
      const next = await settings.update(patch);
      await flush();
      if (options.syncIntervalMs === undefined) stores.setInterval(next.syncIntervalMinutes * 60_000);
      emit('settings.changed', next);
      return next;
    },
  };

  /**
   * What a failed call answers the window. A DeskError already is a sentence for the seller.
   * Anything else (an fs error naming a file in the data folder, a bug) is logged here in full,
   * with its stack, and answered as a sentence without its raw text (toErrorShape).
   */
  const answerable = (channel: string, error: unknown): DeskError => {
    if (error instanceof DeskError) return error;
    log.error(`${channel} failed: ${error instanceof Error && error.stack !== undefined ? error.stack : errorDetail(error)}`);
    const shape = toErrorShape(error);
    return new DeskError(shape.code, shape.message);
  };

  return {
    get db() {
      return cache().db;
    },
    get recovery() {
      return cache().report;
    },
    async handle(channel, input) {
      try {
        return await handlers[channel](input);
      } catch (error) {
        throw answerable(channel, error);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      // The queue's tables load first; the rest (orders, audit, ...) load in the background.
      durable = await openDurableCache<CacheDb>({ dir: cacheDir(options.dataDir), schema: CACHE_SCHEMA, clock, log, priorityTables: [...QUEUE_TABLES] });
      for (const message of durable.report.messages) log.warn(message);
      // The queue's orders live in memory, built once from the loaded table.
      queueIndex.load(await durable.db.requests.toArray());
      counter.initialise(queueIndex);
      counter.setConflicts(await db.conflicts.count());
      const loaded = await settings.load();
      await stores.load();
      if (options.syncIntervalMs === undefined) stores.setInterval(loaded.syncIntervalMinutes * 60_000);
      // Sync and delivery write orders and audit entries: they wait for the whole cache.
      void durable.fullyLoaded.then(
        async () => {
          // The Insights build in the background from the loaded cache (orders and the audit log).
          insights.build(insightsSource).catch((error: unknown) => log.error(`insights: ${error instanceof Error ? error.message : String(error)}`));
          await stores.start();
          dispatcher.wake();
        },
        (error: unknown) => log.error(`the cache did not finish loading: ${error instanceof Error ? error.message : String(error)}`),
      );
    },
    async close() {
      cancelOutboxEvent?.();
      await aliExpressSignIn.close();
      stores.stop();
      await dispatcher.stop();
      await stores.idle();
      await durable?.close();
      durable = null;
    },
    syncIdle: () => stores.idle(),
    // What is due is known only once the outbox has loaded (start() resolves before that).
    dispatchIdle: async () => {
      await cache().fullyLoaded;
      await dispatcher.idle();
    },
    whenFullyLoaded: () => cache().fullyLoaded,
  };
}
