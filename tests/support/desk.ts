import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../electron/backend';
import type { CachedRequest } from '../../electron/backend/cache/records';
import { silentLogger } from '../../electron/backend/log';
import { createManualClock, type ManualClock } from '../../electron/simulator/clock';
import type { FaultConfigInput } from '../../electron/simulator/faults';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../electron/simulator/server';
import { DEFAULT_POLICY, type Policy } from '../../shared/rules/policy';

import { TEST_START_MS } from './start';

export { TEST_START_MS };

/** What a backend of the fixture may tune; the data folder, marketplace and clock are the fixture's. */
export type DeskBackendOptions = Partial<Omit<BackendOptions, 'dataDir' | 'marketplace' | 'clock'>>;

export interface DeskOptions {
  readonly seed: number;
  readonly orders: number;
  /** Buyers stay still unless a test wants them (they act as the clock moves). */
  readonly buyers?: SimulatorOptions['buyers'];
  readonly faults?: FaultConfigInput;
  readonly startMs?: number;
  /** Start the first backend (default true); when false it is created but not started. */
  readonly start?: boolean;
  /** Run one sync pass before handing the desk over (default true; needs `start`). */
  readonly sync?: boolean;
  /** Store policy set after the first pass (merged over the default policy). */
  readonly policy?: Partial<Policy>;
  readonly backend?: DeskBackendOptions;
}

/**
 * The demo marketplace and the backend on ONE manual clock: nothing moves unless the test moves
 * it, so the generated deadlines are as far away on any date as on the day the test was written.
 */
export interface Desk {
  readonly clock: ManualClock;
  readonly simulator: Simulator;
  /** The first backend (opened and started by the fixture). */
  readonly backend: Backend;
  readonly dataDir: string;
  /** Another backend on the same clock (same data folder unless told), closed with the desk. */
  openBackend(overrides?: DeskBackendOptions & { dataDir?: string; marketplace?: BackendOptions['marketplace'] }): Backend;
  /** Lets `ms` pass (the undo window by default) and waits until the outbox delivered what is due. */
  deliver(ms?: number): Promise<void>;
  /** The first cached request that fits, or a clear failure (never a silent pass on no data). */
  find(predicate: (row: CachedRequest) => boolean): Promise<CachedRequest>;
  /** The seller's entries in the marketplace's ledger for one request. */
  sellerLedger(requestId: string): Simulator['state']['ledger'];
  /** Closes every backend of the desk, then the marketplace. */
  close(): Promise<void>;
}

const DAY_MS = 24 * 3_600_000;

export async function startDesk(options: DeskOptions): Promise<Desk> {
  const startMs = options.startMs ?? TEST_START_MS;
  const clock = createManualClock(startMs);
  const simulator = await createSimulator({
    seed: options.seed,
    orders: options.orders,
    clock,
    startMs,
    buyers: options.buyers ?? { active: false },
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'desk-test-'));
  const backends: Backend[] = [];

  const openBackend: Desk['openBackend'] = (overrides = {}) => {
    const { dataDir: dir, marketplace, ...tuning } = overrides;
    const backend = createBackend({
      log: silentLogger,
      // Syncs only when the test asks (or moves the clock a day).
      syncIntervalMs: DAY_MS,
      dispatchRetry: { baseMs: 1, capMs: 2 },
      ...options.backend,
      ...tuning,
      dataDir: dir ?? dataDir,
      marketplace: marketplace ?? { baseUrl: simulator.url, token: simulator.token },
      clock,
    });
    backends.push(backend);
    return backend;
  };

  const backend = openBackend();
  const desk: Desk = {
    clock,
    simulator,
    backend,
    dataDir,
    openBackend,
    async deliver(ms = 60_000) {
      clock.advance(ms);
      await backend.dispatchIdle();
    },
    async find(predicate) {
      const row = (await backend.db.requests.toArray()).find(predicate);
      if (row === undefined) throw new Error('no request in the demo data fits this test');
      return row;
    },
    sellerLedger: (requestId) => simulator.state.ledger.filter((entry) => entry.requestId === requestId && entry.actor === 'seller'),
    async close() {
      for (const open of backends.splice(0)) await open.close();
      await simulator.close();
    },
  };
  if (options.start === false) return desk;
  try {
    await backend.start();
    if (options.sync !== false) await backend.handle('sync.now', { full: false });
    if (options.policy !== undefined) await backend.handle('settings.update', { policy: { ...DEFAULT_POLICY, ...options.policy } });
  } catch (error) {
    await desk.close().catch(() => undefined);
    throw error;
  }
  return desk;
}
