import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheDb } from '../../../../../electron/backend/cache/db';
import { openDurableCache } from '../../../../../electron/backend/cache/durable';
import { CACHE_SCHEMA } from '../../../../../electron/backend/cache/schema';
import { silentLogger } from '../../../../../electron/backend/log';
import type { MarketplaceListing } from '../../../../../electron/backend/marketplace/listing';
import { SyncEngine } from '../../../../../electron/backend/sync/engine';
import { createManualClock, type ManualClock } from '../../../../../electron/simulator/clock';
import { DeskError } from '../../../../../shared/errors';
import { mulberry32, type Random } from '../../../../../shared/domain/random';
import { instantMs } from '../../../../../shared/domain/time';
import { testSeed } from '../../../../support/seed';

/** This run's seed for the jitter draws (SEED overrides it; printed once). */
const SEED = testSeed('sync-engine', 20261126);
/** The seed whose delays are written out below: fixed, so a change to the jitter shows as a diff of numbers. */
const PINNED_SEED = 20261126;
const START_MS = Date.UTC(2026, 10, 26, 9);
/** A failed pass waits this long at least before the next, on top of the jitter. */
const FLOOR_MS = 1_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A marketplace nobody answers for: every pass fails. */
const unreachable: MarketplaceListing = {
  endpoint: 'http://marketplace.invalid',
  listOrders: () => Promise.reject(new DeskError('marketplace_unreachable', 'The marketplace did not answer (ECONNREFUSED).')),
  listRequests: () => Promise.reject(new DeskError('marketplace_unreachable', 'The marketplace did not answer (ECONNREFUSED).')),
};

async function engineAgainstAnUnreachableMarketplace(random: Random, retry: { baseMs: number; capMs: number }): Promise<{ clock: ManualClock; engine: SyncEngine }> {
  const clock = createManualClock(START_MS);
  const dir = await mkdtemp(join(tmpdir(), 'desk-sync-engine-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const cache = await openDurableCache<CacheDb>({ dir, schema: CACHE_SCHEMA, clock, log: silentLogger });
  cleanups.push(() => cache.close());
  await cache.fullyLoaded;
  const engine = new SyncEngine({
    db: cache.db,
    listing: unreachable,
    clock,
    log: silentLogger,
    onStatus: () => undefined,
    onRequestsChanged: () => undefined,
    intervalMs: 3_600_000,
    retryBaseMs: retry.baseMs,
    retryCapMs: retry.capMs,
    random,
  });
  cleanups.push(() => engine.stop());
  await engine.start();
  return { clock, engine };
}

/** Lets the scheduled pass run and fail; answers how long the engine then waits before the next one. */
async function waitAfterNextFailure(clock: ManualClock, engine: SyncEngine, sinceLast: number): Promise<number> {
  clock.advance(sinceLast);
  await engine.idle();
  const status = engine.getStatus();
  if (status.state !== 'unreachable' || status.nextAttemptAt === null) throw new Error(`expected a failed pass, found ${JSON.stringify(status)}`);
  return instantMs(status.nextAttemptAt) - clock.now();
}

describe('sync retry backoff after a failed pass', () => {
  it('waits exactly these delays between failed passes for the pinned seed', async () => {
    const { clock, engine } = await engineAgainstAnUnreachableMarketplace(mulberry32(PINNED_SEED), { baseMs: 2_000, capMs: 60_000 });
    const delays: number[] = [];
    for (let pass = 0; pass < 7; pass += 1) delays.push(await waitAfterNextFailure(clock, engine, delays.at(-1) ?? 0));
    // 1 s, plus a draw of mulberry32(20261126) under the ceiling: 4 s, 8 s, 16 s, 32 s, then the 60 s cap.
    expect(delays).toEqual([4_587, 6_485, 3_642, 26_405, 47_247, 20_022, 45_297]);
  });

  it("draws once per failed pass from the run's seed, and each wait is 1 s plus full jitter within [0, cap]", async () => {
    const [baseMs, capMs] = [500, 8_000];
    const { clock, engine } = await engineAgainstAnUnreachableMarketplace(mulberry32(SEED), { baseMs, capMs });
    const reference = mulberry32(SEED);
    let delay = 0;
    for (let failures = 1; failures <= 12; failures += 1) {
      delay = await waitAfterNextFailure(clock, engine, delay);
      const ceiling = Math.min(capMs, baseMs * 2 ** failures);
      expect(delay).toBe(FLOOR_MS + Math.floor(reference() * ceiling));
      expect(delay - FLOOR_MS).toBeGreaterThanOrEqual(0);
      expect(delay - FLOOR_MS).toBeLessThan(ceiling);
    }
  });
});
