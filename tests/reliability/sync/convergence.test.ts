import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../electron/backend';
import { toRemoteRequest } from '../../../electron/backend/cache/records';
import { silentLogger } from '../../../electron/backend/log';
import type { Simulator } from '../../../electron/simulator/server';
import type { Clock } from '../../../shared/domain/time';
import type { SyncStatus } from '../../../shared/ipc/contract';
import { mulberry32 } from '../../../shared/domain/random';
import { startSteadyMarketplace } from '../../support/child-env';
import { asDeskStore } from '../../support/marketplace';
import { MAIN_STORE_ID } from '../../../electron/backend/sync/engine';
import { testSeed } from '../../support/seed';

/** Seeds the backend's retry jitter (SEED overrides it; printed once). */
const SEED = testSeed('convergence', 20261126);

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

/** A backend on the marketplace's own clock (from the test's fixed start, at real speed: retries wait for real). */
async function backendFor({ clock, simulator }: { clock: Clock; simulator: Simulator }): Promise<Backend> {
  const backend = createBackend({
    dataDir: await mkdtemp(join(tmpdir(), 'desk-sync-')),
    marketplace: { baseUrl: simulator.url, token: simulator.token },
    clock,
    log: silentLogger,
    syncIntervalMs: 3_600_000,
    http: { retryBaseMs: 2, retryCapMs: 20, maxAttempts: 12, requestsPerSecond: 10_000, burst: 10_000 },
    syncRetry: { baseMs: 1, capMs: 5 },
    random: mulberry32(SEED),
  });
  opened.push(backend);
  await backend.start();
  return backend;
}

/** Sync until a pass ends idle (a pass may still fail now and then under heavy faults). */
async function syncUntilIdle(backend: Backend, full = false): Promise<SyncStatus> {
  let status = await backend.handle('sync.now', { full });
  for (let attempt = 0; attempt < 20 && status.state !== 'idle'; attempt += 1) {
    status = await backend.handle('sync.now', { full: false });
  }
  return status;
}

/** The cache and the marketplace, record for record. */
async function expectSameState(backend: Backend, simulator: Simulator): Promise<void> {
  const cachedOrders = await backend.db.orders.orderBy('id').toArray();
  const cachedRequests = (await backend.db.requests.orderBy('id').toArray()).map(toRemoteRequest);
  // The one store of this desk stamps its id on what it syncs.
  expect(cachedOrders).toEqual(asDeskStore(simulator.state.orders.list(), MAIN_STORE_ID));
  expect(cachedRequests).toEqual(asDeskStore(simulator.state.requests.list(), MAIN_STORE_ID));
}

describe('sync under a hostile network', () => {
  it('converges to the marketplace exactly under 20% errors, 429s, drops, latency, duplicated and shuffled pages', async () => {
    const marketplace = await startSteadyMarketplace({
      seed: 21,
      orders: 1_500,
      faults: { errorRate: 0.2, rate429: 0.1, retryAfterSeconds: 0, dropRate: 0.05, latencyMs: 1, duplicateRate: 0.2, reorderRate: 0.2 },
    });
    const { simulator } = marketplace;
    opened.push(simulator);
    const backend = await backendFor(marketplace);

    expect((await syncUntilIdle(backend)).state).toBe('idle');
    await expectSameState(backend, simulator);
    const counts = await backend.handle('queue.counts', {});
    expect(counts.all).toBe(simulator.state.requests.size);

    // Time passes at the marketplace: deadlines fall, buyers act. An incremental pass catches up.
    simulator.marketplace.advance(30 * 3_600_000);
    expect((await syncUntilIdle(backend)).state).toBe('idle');
    await expectSameState(backend, simulator);
    expect((await backend.handle('queue.counts', {})).all).toBe(simulator.state.requests.size);
  }, 120_000);

  it('a full resync on demand re-reads everything and ends in the same state', async () => {
    const marketplace = await startSteadyMarketplace({ seed: 22, orders: 300 });
    const { simulator } = marketplace;
    opened.push(simulator);
    const backend = await backendFor(marketplace);
    await syncUntilIdle(backend);
    const progressSeen: number[] = [];
    backend.subscribe((event, payload) => {
      if (event === 'sync.status') {
        const status = payload as SyncStatus;
        if (status.progress !== null) progressSeen.push(status.progress.items);
      }
    });
    await syncUntilIdle(backend, true);
    await expectSameState(backend, simulator);
    // A full pass walks every order and request again, reporting progress page by page.
    expect(Math.max(...progressSeen)).toBeGreaterThanOrEqual(simulator.state.requests.size);
  });
});
