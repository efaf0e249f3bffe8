import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../../electron/backend/actions/dispatcher';
import type { CacheDb, OutboxEntry } from '../../../../../electron/backend/cache/db';
import { openDurableCache, type DurableCache } from '../../../../../electron/backend/cache/durable';
import { CACHE_SCHEMA } from '../../../../../electron/backend/cache/schema';
import { silentLogger } from '../../../../../electron/backend/log';
import { createDemoAdapter } from '../../../../../electron/backend/marketplace/demo';
import { MarketplaceHttpClient } from '../../../../../electron/backend/marketplace/http-client';
import { createManualClock, type ManualClock } from '../../../../../electron/simulator/clock';
import { mulberry32, type Random } from '../../../../../shared/domain/random';
import { instantMs, toInstant } from '../../../../../shared/domain/time';
import { testSeed } from '../../../../support/seed';

/** This run's seed for the jitter draws (SEED overrides it; printed once). */
const SEED = testSeed('dispatcher', 20261126);
/** The seed whose delays are written out below: fixed, so a change to the jitter shows as a diff of numbers. */
const PINNED_SEED = 20261126;
const START_MS = Date.UTC(2026, 10, 26, 9);
const ENTRY_ID = 'outbox-1';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  clock: ManualClock;
  db: CacheDb;
  dispatcher: Dispatcher;
}

/** A dispatcher with one due entry, delivering to a marketplace that answers 503 to everything. */
async function dispatcherAgainstADownMarketplace(random: Random, retry: { baseMs: number; capMs: number }): Promise<Harness> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'down', message: 'maintenance' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const clock = createManualClock(START_MS);
  const dir = await mkdtemp(join(tmpdir(), 'desk-dispatcher-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const cache: DurableCache<CacheDb> = await openDurableCache<CacheDb>({ dir, schema: CACHE_SCHEMA, clock, log: silentLogger });
  cleanups.push(() => cache.close());
  await cache.fullyLoaded;
  // One attempt per delivery: the client's own retries (and their jitter) stay out of this test.
  const http = new MarketplaceHttpClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't', clock, maxAttempts: 1, random: mulberry32(SEED) });
  const dispatcher = new Dispatcher({
    db: cache.db,
    clock,
    adapter: createDemoAdapter(http),
    flush: () => cache.flush(),
    log: silentLogger,
    onRequestsChanged: () => undefined,
    onOutboxChanged: () => undefined,
    retryBaseMs: retry.baseMs,
    retryCapMs: retry.capMs,
    random,
  });
  cleanups.push(() => dispatcher.stop());
  const entry: OutboxEntry = {
    id: ENTRY_ID,
    batchId: 'batch-1',
    requestId: 'request-1',
    orderId: 'order-1',
    endpoint: 'accept',
    // A version to compare with: every retry after the first reads the outcome before sending again.
    body: { expectedVersion: 1 },
    decision: {},
    status: 'held',
    dueAt: toInstant(START_MS),
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    answer: null,
    createdAt: toInstant(START_MS),
    settledAt: null,
  };
  await cache.db.outbox.put(entry);
  return { clock, db: cache.db, dispatcher };
}

/** Delivers what is due, then reads the entry: how many attempts so far, and the wait it chose. */
async function nextFailure(harness: Harness): Promise<{ attempts: number; delay: number }> {
  await harness.dispatcher.idle();
  const entry = await harness.db.outbox.get(ENTRY_ID);
  if (entry?.status !== 'retry' || entry.nextAttemptAt === null) throw new Error(`expected a retry, found ${JSON.stringify(entry)}`);
  const delay = instantMs(entry.nextAttemptAt) - harness.clock.now();
  // Time passes to the retry (the dispatcher's own timer may fire on the way).
  harness.clock.advanceTo(instantMs(entry.nextAttemptAt));
  return { attempts: entry.attempts, delay };
}

describe('dispatcher retry backoff', () => {
  it('waits exactly these delays between failed deliveries for the pinned seed', async () => {
    const harness = await dispatcherAgainstADownMarketplace(mulberry32(PINNED_SEED), { baseMs: 1_000, capMs: 20_000 });
    const failures: Array<{ attempts: number; delay: number }> = [];
    for (let step = 0; step < 7; step += 1) failures.push(await nextFailure(harness));
    // Ceilings 2 s, 4 s, 8 s, 16 s, then the 20 s cap; each wait one draw of mulberry32(20261126) under its ceiling.
    expect(failures).toEqual([
      { attempts: 1, delay: 1_793 },
      { attempts: 2, delay: 2_742 },
      { attempts: 3, delay: 1_321 },
      { attempts: 4, delay: 12_702 },
      { attempts: 5, delay: 15_415 },
      { attempts: 6, delay: 6_340 },
      { attempts: 7, delay: 14_765 },
    ]);
  });

  it("draws once per failed delivery from the run's seed, and each wait is full jitter within [0, cap]", async () => {
    const draws: number[] = [];
    const seeded = mulberry32(SEED);
    const recording: Random = () => {
      const draw = seeded();
      draws.push(draw);
      return draw;
    };
    const [baseMs, capMs] = [500, 8_000];
    const harness = await dispatcherAgainstADownMarketplace(recording, { baseMs, capMs });
    for (let attempts = 0; attempts < 12; ) {
      const failure = await nextFailure(harness);
      attempts = failure.attempts;
      // A zero wait is due at once and idle() delivers again: count draws by attempts, not by steps.
      expect(draws.length).toBe(attempts);
      const ceiling = Math.min(capMs, baseMs * 2 ** attempts);
      expect(failure.delay).toBe(Math.floor((draws.at(-1) ?? Number.NaN) * ceiling));
      expect(failure.delay).toBeGreaterThanOrEqual(0);
      expect(failure.delay).toBeLessThan(ceiling);
    }
  });
});
