import { DEMO_CAPABILITIES, type MarketplaceCapabilities, type MarketplaceKind } from '../../../shared/domain/marketplace';
import { toInstant, type Clock } from '../../../shared/domain/time';
import { DeskError, toErrorShape } from '../../../shared/errors';
import type { StoreHealth, StoreView, SyncStatus } from '../../../shared/ipc/contract';
import { MessageTemplatesSchema, type MessageTemplate } from '../../../shared/messages/templates';
import { PolicySchema, type Policy } from '../../../shared/rules/policy';
import type { CacheDb, StoreRow } from '../cache/db';
import type { Logger } from '../log';
import type { MarketplaceAdapter } from '../marketplace/adapter';
import { Semaphore } from '../marketplace/http-client';
import { SyncEngine, type SyncEngineDeps } from '../sync/engine';
import type { CredentialVault } from './credentials';

/** A store the app offers out of the box: added on the first start, then the seller's to keep or remove. */
export interface StoreSeed {
  id: string;
  name: string;
  kind: MarketplaceKind;
  endpoint: StoreRow['endpoint'];
}

/** A marketplace the shell runs itself for an embedded store, this run. */
export interface EmbeddedMarketplace {
  baseUrl: string;
  token: string;
}

/** Everything an engine needs besides its store and its marketplace. */
export type EngineTemplate = Omit<SyncEngineDeps, 'listing' | 'store' | 'otherStores' | 'pool' | 'onStatus' | 'onPassComplete'> & {
  /** After a store's pass that ended well (fetching its evidence files). */
  onPassComplete: (storeId: string) => Promise<void>;
};

export interface StoreRegistryOptions {
  db: CacheDb;
  clock: Clock;
  log: Logger;
  seeds: readonly StoreSeed[];
  embedded: Readonly<Record<string, EmbeddedMarketplace>>;
  credentials: CredentialVault;
  /** Builds a store's adapter (the registry in marketplace/index.ts); tests may hand some in. */
  /** `token`: the store's credentials as the vault keeps them (a token; AliExpress's app and sign-in as JSON). */
  createAdapter: (connection: { storeId: string; kind: MarketplaceKind; baseUrl: string; token: string }) => MarketplaceAdapter;
  adapters?: Readonly<Record<string, MarketplaceAdapter>>;
  engine: EngineTemplate;
  /** Stores syncing at once (one bounded pool; each store's failures its own). */
  concurrency?: number;
  onStatus: (status: SyncStatus) => void;
  onStoresChanged: () => void;
}

interface Runtime {
  row: StoreRow;
  adapter: MarketplaceAdapter | null;
  /** Why there is no adapter (null when there is one). */
  unavailable: string | null;
  engine: SyncEngine | null;
  /** The row's own policy and templates, read once (null: the seller's). */
  policy: Policy | null;
  messageTemplates: MessageTemplate[] | null;
}

/**
 * The seller's stores: their rows in the cache, and for each one in use its adapter and its sync
 * engine. Sync of several stores runs concurrently through one bounded pool; one store's failure
 * (its marketplace down, its credentials rejected, an adapter that throws) is that store's alone.
 */
export class StoreRegistry {
  private readonly runtimes = new Map<string, Runtime>();
  private readonly pool: Semaphore;
  private intervalMs: number | null = null;
  private started = false;

  constructor(private readonly options: StoreRegistryOptions) {
    this.pool = new Semaphore(options.concurrency ?? 3);
  }

  /** Reads the stores from the cache, adds the seeds never added before, and builds each store's adapter. */
  async load(): Promise<void> {
    const { db, clock } = this.options;
    const known = new Map((await db.stores.toArray()).map((row) => [row.id, row]));
    const added: StoreRow[] = [];
    for (const seed of this.options.seeds) {
      const stored = known.get(seed.id);
      if (stored !== undefined) {
        // The shell's word wins on where a seeded store is (e.g. --marketplace-url changed); a
        // removed one stays removed, and its name and pause are the seller's.
        if (stored.removedAt === null && JSON.stringify(stored.endpoint) !== JSON.stringify(seed.endpoint)) {
          const moved = { ...stored, kind: seed.kind, endpoint: seed.endpoint };
          added.push(moved);
          known.set(seed.id, moved);
        }
        continue;
      }
      const row: StoreRow = { ...seed, paused: false, policy: null, createdAt: toInstant(clock.now()), removedAt: null };
      added.push(row);
      known.set(row.id, row);
    }
    if (added.length > 0) await db.stores.bulkPut(added);
    for (const row of known.values()) if (row.removedAt === null) this.runtimes.set(row.id, this.build(row));
  }

  /** Starts every store's sync that is not paused. */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.runtimes.values()].map((runtime) => this.startEngine(runtime)));
  }

  stop(): void {
    this.started = false;
    for (const runtime of this.runtimes.values()) runtime.engine?.stop();
  }

  async idle(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((runtime) => runtime.engine?.idle() ?? Promise.resolve()));
  }

  setInterval(intervalMs: number): void {
    this.intervalMs = intervalMs;
    for (const runtime of this.runtimes.values()) runtime.engine?.setInterval(intervalMs);
  }

  /** A pass of every store in use now (through the pool), then the sum of their statuses. */
  async syncNow(options: { full?: boolean } = {}): Promise<SyncStatus> {
    await Promise.all([...this.runtimes.values()].map((runtime) => (runtime.row.paused || runtime.engine === null ? Promise.resolve() : runtime.engine.syncNow(options))));
    return this.status();
  }

  /** The ids of the stores in use. */
  ids(): ReadonlySet<string> {
    return new Set(this.runtimes.keys());
  }

  name(storeId: string): string {
    return this.runtimes.get(storeId)?.row.name ?? storeId;
  }

  capabilities(storeId: string | undefined): MarketplaceCapabilities {
    return (storeId === undefined ? undefined : this.runtimes.get(storeId)?.adapter?.capabilities) ?? DEMO_CAPABILITIES;
  }

  /** The adapter that acts for this store, or why none can now. */
  adapterFor(storeId: string | undefined): MarketplaceAdapter | { unavailable: string } {
    // No store known (a request not in the cache): a desk of one store has only one to ask.
    const only = this.runtimes.size === 1 ? [...this.runtimes.values()][0] : undefined;
    const runtime = storeId === undefined ? only : this.runtimes.get(storeId);
    if (runtime === undefined) return { unavailable: `The store ${storeId ?? '(none)'} is not in use in Cancel Desk.` };
    if (runtime.row.paused) return { unavailable: `The store ${runtime.row.name} is paused; resume it in Settings to send its decisions.` };
    if (runtime.adapter === null) return { unavailable: runtime.unavailable ?? `The store ${runtime.row.name} is not connected.` };
    if (runtime.engine?.failure().code === 'credentials_rejected') {
      return {
        unavailable:
          runtime.row.kind === 'aliexpress'
            ? `${runtime.row.name}: AliExpress asks you to sign in again (Settings → Stores).`
            : `${runtime.row.name}: the marketplace refused its credentials; enter new ones in Settings.`,
      };
    }
    return runtime.adapter;
  }

  /** The store's own policy, or null when it follows the seller's (or its stored one no longer reads). */
  policy(storeId: string): Policy | null {
    return this.runtimes.get(storeId)?.policy ?? null;
  }

  /** The store's own message templates, or null when it offers the seller's. */
  messageTemplates(storeId: string): MessageTemplate[] | null {
    return this.runtimes.get(storeId)?.messageTemplates ?? null;
  }

  /** Every store in use, as Settings shows it. */
  views(): StoreView[] {
    return [...this.runtimes.values()].map((runtime) => this.view(runtime));
  }

  view(runtime: Runtime): StoreView {
    const { row } = runtime;
    const embedded = 'embedded' in row.endpoint;
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      endpoint: runtime.adapter?.endpoint ?? ('url' in row.endpoint ? row.endpoint.url : 'embedded demo marketplace (not running)'),
      embedded,
      paused: row.paused,
      credentials: embedded ? 'not_needed' : this.options.credentials.get(row.id) === null ? 'missing' : this.options.credentials.storage,
      health: this.health(runtime),
      capabilities: this.capabilities(row.id),
      policy: runtime.policy,
      messageTemplates: runtime.messageTemplates,
    };
  }

  /** All stores' sync summed up for the status bar, naming a store that fails. */
  status(): SyncStatus {
    const runtimes = [...this.runtimes.values()];
    const statuses = runtimes.map((runtime) => ({ runtime, status: runtime.engine?.getStatus() ?? null, health: this.health(runtime) }));
    const failing = statuses.find(({ health }) => ['unreachable', 'credentials_rejected', 'error'].includes(health.state));
    const syncing = statuses.find(({ health }) => health.state === 'syncing');
    const times = (pick: (status: SyncStatus) => string | null): string | null =>
      statuses.map(({ status }) => (status === null ? null : pick(status))).filter((at): at is string => at !== null).sort()[0] ?? null;
    return {
      state: syncing !== undefined ? 'syncing' : failing === undefined ? 'idle' : failing.health.state === 'unreachable' ? 'unreachable' : 'error',
      marketplaceUrl: runtimes.length === 1 ? (runtimes[0]?.adapter?.endpoint ?? '') : `${runtimes.length} stores`,
      lastSyncAt: times((status) => status.lastSyncAt),
      nextAttemptAt: times((status) => status.nextAttemptAt),
      message: failing === undefined ? null : runtimes.length === 1 ? failing.health.message : `${failing.runtime.row.name}: ${failing.health.message ?? failing.health.state}`,
      progress: syncing?.status?.progress ?? null,
      quarantined: Math.max(0, ...statuses.map(({ status }) => status?.quarantined ?? 0)),
      stores: statuses.map(({ runtime, health }) => ({ id: runtime.row.id, name: runtime.row.name, health })),
    };
  }

  private health(runtime: Runtime): StoreHealth {
    const status = runtime.engine?.getStatus() ?? null;
    const lastSyncAt = status?.lastSyncAt ?? null;
    if (runtime.row.paused) return { state: 'paused', since: null, message: null, lastSyncAt };
    if (runtime.adapter === null) return { state: 'error', since: null, message: runtime.unavailable, lastSyncAt };
    if (status === null) return { state: 'never_synced', since: null, message: null, lastSyncAt };
    const failure = runtime.engine?.failure() ?? { code: null, since: null };
    if (status.state === 'syncing') return { state: 'syncing', since: null, message: null, lastSyncAt };
    if (failure.code === 'credentials_rejected') return { state: 'credentials_rejected', since: failure.since, message: status.message, lastSyncAt };
    if (status.state === 'unreachable') return { state: 'unreachable', since: failure.since, message: status.message, lastSyncAt };
    if (status.state === 'error') return { state: 'error', since: failure.since, message: status.message, lastSyncAt };
    return { state: lastSyncAt === null ? 'never_synced' : 'up_to_date', since: null, message: null, lastSyncAt };
  }

  /** A store on a marketplace the seller names, with its credentials. */
  async add(input: { name: string; kind: MarketplaceKind; url: string; token: string }): Promise<StoreView> {
    const id = this.freeId(input.name);
    const row: StoreRow = { id, name: input.name, kind: input.kind, endpoint: { url: input.url }, paused: false, policy: null, createdAt: toInstant(this.options.clock.now()), removedAt: null };
    // The adapter first: a marketplace kind this version cannot speak is refused before anything is kept.
    this.options.createAdapter({ storeId: id, kind: input.kind, baseUrl: input.url, token: input.token });
    await this.options.credentials.set(id, input.token);
    await this.options.db.stores.put(row);
    const runtime = this.build(row);
    this.runtimes.set(id, runtime);
    await this.startEngine(runtime);
    this.changed();
    return this.view(runtime);
  }

  async update(input: {
    storeId: string;
    name?: string;
    paused?: boolean;
    token?: string;
    policy?: Policy | null;
    messageTemplates?: MessageTemplate[] | null;
  }): Promise<StoreView> {
    const runtime = this.runtimes.get(input.storeId);
    if (runtime === undefined) throw new DeskError('not_found', `There is no store ${input.storeId}.`);
    if (input.token !== undefined && 'embedded' in runtime.row.endpoint) {
      throw new DeskError('invalid_input', `${runtime.row.name} is a demo store the app runs itself: it takes no credentials.`);
    }
    const row: StoreRow = {
      ...runtime.row,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.paused === undefined ? {} : { paused: input.paused }),
      ...(input.policy === undefined ? {} : { policy: input.policy }),
      ...(input.messageTemplates === undefined ? {} : { messageTemplates: input.messageTemplates }),
    };
    if (input.token !== undefined) await this.options.credentials.set(row.id, input.token);
    await this.options.db.stores.put(row);
    // New credentials or a resumed store: a fresh adapter and engine (an engine stopped once stays stopped).
    const rebuild = input.token !== undefined || input.name !== undefined || (runtime.row.paused && !row.paused);
    if (rebuild || row.paused) runtime.engine?.stop();
    const next = rebuild ? this.build(row) : { ...runtime, row, ...this.overrides(row) };
    this.runtimes.set(row.id, next);
    if (rebuild && !row.paused) await this.startEngine(next);
    this.changed();
    return this.view(next);
  }

  /**
   * Takes a store out of the desk. Refused while any of its decisions still waits to be sent (the
   * seller would lose track of them); its requests leave the queue, its audit log stays.
   */
  async remove(storeId: string, removeRecords: (storeId: string) => Promise<{ requestsRemoved: number; auditEntriesKept: number }>): Promise<{ storeId: string; requestsRemoved: number; auditEntriesKept: number }> {
    const runtime = this.runtimes.get(storeId);
    if (runtime === undefined) throw new DeskError('not_found', `There is no store ${storeId}.`);
    runtime.engine?.stop();
    await runtime.engine?.idle();
    let counts: { requestsRemoved: number; auditEntriesKept: number };
    try {
      counts = await removeRecords(storeId);
    } catch (error) {
      // Refused (decisions still waiting): the store goes on as it was.
      const next = this.build(runtime.row);
      this.runtimes.set(storeId, next);
      await this.startEngine(next);
      throw error;
    }
    await this.options.db.stores.put({ ...runtime.row, removedAt: toInstant(this.options.clock.now()) });
    if (!('embedded' in runtime.row.endpoint)) await this.options.credentials.delete(storeId);
    this.runtimes.delete(storeId);
    this.changed();
    return { storeId, ...counts };
  }

  private freeId(name: string): string {
    const base = name.toLowerCase().normalize('NFKD').replaceAll(/[^a-z0-9]+/g, '-').replaceAll(/^-+|-+$/g, '').slice(0, 32) || 'store';
    const taken = new Set(this.runtimes.keys());
    for (let n = 1; ; n += 1) {
      const id = n === 1 ? base : `${base}-${n}`;
      if (!taken.has(id)) return id;
    }
  }

  private build(row: StoreRow): Runtime {
    let adapter: MarketplaceAdapter | null = this.options.adapters?.[row.id] ?? null;
    let unavailable: string | null = null;
    if (adapter === null) {
      const connection = 'embedded' in row.endpoint ? this.options.embedded[row.endpoint.embedded] : null;
      const token = 'url' in row.endpoint ? this.options.credentials.get(row.id) : (connection?.token ?? null);
      const baseUrl = 'url' in row.endpoint ? row.endpoint.url : (connection?.baseUrl ?? null);
      if (baseUrl === null) unavailable = `The demo marketplace of ${row.name} is not running in this session.`;
      else if (token === null) unavailable = row.kind === 'aliexpress' ? `Sign in with AliExpress for ${row.name} in Settings → Stores.` : `Enter the credentials of ${row.name} in Settings.`;
      else {
        try {
          adapter = this.options.createAdapter({ storeId: row.id, kind: row.kind, baseUrl, token });
        } catch (error) {
          unavailable = toErrorShape(error).message;
        }
      }
    }
    const engine =
      adapter === null
        ? null
        : new SyncEngine({
            ...this.options.engine,
            ...(this.intervalMs === null ? {} : { intervalMs: this.intervalMs }),
            listing: adapter,
            store: { id: row.id, name: row.name },
            otherStores: () => new Set([...this.runtimes.keys()].filter((id) => id !== row.id)),
            pool: this.pool,
            onStatus: () => {
              this.options.onStatus(this.status());
            },
            onPassComplete: () => this.options.engine.onPassComplete(row.id),
          });
    return { row, adapter, unavailable, engine, ...this.overrides(row) };
  }

  /**
   * The row's own policy and templates, validated again as they are read: one that no longer
   * reads (an older version's) is logged and the store follows the seller's until it is saved again.
   */
  private overrides(row: StoreRow): Pick<Runtime, 'policy' | 'messageTemplates'> {
    const read = <T>(what: string, value: unknown, schema: { safeParse: (input: unknown) => { success: true; data: T } | { success: false } }): T | null => {
      if (value === null || value === undefined) return null;
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      this.options.log.warn(`The store ${row.id}'s own ${what} no longer reads; it follows the seller's until they are saved again.`);
      return null;
    };
    return { policy: read('policy', row.policy, PolicySchema), messageTemplates: read('message templates', row.messageTemplates, MessageTemplatesSchema) };
  }

  private async startEngine(runtime: Runtime): Promise<void> {
    if (!this.started || runtime.row.paused || runtime.engine === null) return;
    await runtime.engine.start();
  }

  private changed(): void {
    this.options.onStoresChanged();
    this.options.onStatus(this.status());
  }
}
