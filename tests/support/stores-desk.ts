import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../electron/backend';
import { silentLogger } from '../../electron/backend/log';
import { createManualClock, type ManualClock } from '../../electron/simulator/clock';
import type { FaultConfigInput } from '../../electron/simulator/faults';
import { createSimulator, type Simulator } from '../../electron/simulator/server';
import { mulberry32 } from '../../shared/domain/random';
import { TEST_START_MS } from './start';

export interface StoreSpec {
  readonly id: string;
  readonly name: string;
  readonly seed: number;
  readonly orders: number;
  /** Before every id of this store's marketplace (two marketplaces never share an id). */
  readonly idPrefix: string;
  readonly faults?: FaultConfigInput;
}

/** Several demo marketplaces, one per store, and one backend over all of them, on ONE manual clock. */
export interface StoresDesk {
  readonly clock: ManualClock;
  readonly backend: Backend;
  readonly dataDir: string;
  /** Each store's marketplace, by store id. */
  readonly marketplaces: Readonly<Record<string, Simulator>>;
  /** Another backend on the same clock, stores and data folder (after close: a restart). */
  openBackend(overrides?: Partial<BackendOptions>): Backend;
  /** Lets `ms` pass and waits until the outbox delivered what is due. */
  deliver(ms?: number): Promise<void>;
  close(): Promise<void>;
}

const DAY_MS = 24 * 3_600_000;

export async function startStoresDesk(options: { stores: readonly StoreSpec[]; seed: number; backend?: Partial<BackendOptions> }): Promise<StoresDesk> {
  const clock = createManualClock(TEST_START_MS);
  const marketplaces: Record<string, Simulator> = {};
  for (const store of options.stores) {
    marketplaces[store.id] = await createSimulator({
      seed: store.seed,
      orders: store.orders,
      clock,
      startMs: TEST_START_MS,
      buyers: { active: false },
      idPrefix: store.idPrefix,
      // The marketplace's own shop id is not the desk's: the desk stamps its store's id.
      storeIds: ['shop-1'],
      ...(store.faults === undefined ? {} : { faults: store.faults }),
    });
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'desk-stores-'));
  const backends: Backend[] = [];
  const openBackend = (overrides: Partial<BackendOptions> = {}): Backend => {
    const backend = createBackend({
      log: silentLogger,
      syncIntervalMs: DAY_MS,
      dispatchRetry: { baseMs: 1, capMs: 2 },
      syncRetry: { baseMs: 1, capMs: 2 },
      // One attempt per call: a retry inside the client would wait on the manual clock; the next pass retries.
      http: { maxAttempts: 1 },
      random: mulberry32(options.seed),
      ...options.backend,
      ...overrides,
      dataDir,
      clock,
      stores: options.stores.map((store) => ({ id: store.id, name: store.name, kind: 'demo' as const, endpoint: { embedded: store.id } })),
      embedded: Object.fromEntries(Object.entries(marketplaces).map(([id, simulator]) => [id, { baseUrl: simulator.url, token: simulator.token }])),
    });
    backends.push(backend);
    return backend;
  };
  const backend = openBackend();
  await backend.start();
  await backend.whenFullyLoaded();
  return {
    clock,
    backend,
    dataDir,
    marketplaces,
    openBackend,
    async deliver(ms = 60_000) {
      clock.advance(ms);
      await backend.dispatchIdle();
    },
    async close() {
      for (const open of backends.splice(0)) await open.close();
      for (const simulator of Object.values(marketplaces)) await simulator.close();
    },
  };
}
