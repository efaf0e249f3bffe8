import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../../electron/backend/actions/dispatcher';
import type { CacheDb, OutboxEntry } from '../../../../../electron/backend/cache/db';
import { openDurableCache } from '../../../../../electron/backend/cache/durable';
import { CACHE_SCHEMA } from '../../../../../electron/backend/cache/schema';
import { silentLogger } from '../../../../../electron/backend/log';
import { createDemoAdapter } from '../../../../../electron/backend/marketplace/demo';
import { MarketplaceHttpClient } from '../../../../../electron/backend/marketplace/http-client';
import { createManualClock } from '../../../../../electron/simulator/clock';
import { mulberry32 } from '../../../../../shared/domain/random';
import { toInstant } from '../../../../../shared/domain/time';
import { TEST_START_MS } from '../../../../support/start';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

function entry(id: string): OutboxEntry {
  return {
    id,
    batchId: 'batch-1',
    requestId: `request-${id}`,
    orderId: 'order-1',
    endpoint: 'accept',
    body: {},
    decision: {},
    status: 'held',
    dueAt: toInstant(TEST_START_MS),
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    answer: null,
    createdAt: toInstant(TEST_START_MS),
    settledAt: null,
  };
}

describe('nothing leaves the machine before it is on disk', () => {
  it('a due entry committed in memory is sent only after the journal fsynced it (a slow disk holds the send)', async () => {
    // What the marketplace saw, and whether the entry was on disk at that moment.
    const seen: Array<{ path: string; durable: boolean }> = [];
    const firstRequest = deferred();
    let durableUpTo = -1;
    let entrySeq = Number.POSITIVE_INFINITY;
    const server = createServer((request, response) => {
      seen.push({ path: request.url ?? '', durable: durableUpTo >= entrySeq });
      firstRequest.resolve();
      response.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'down', message: 'later' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const clock = createManualClock(TEST_START_MS);
    const dir = await mkdtemp(join(tmpdir(), 'desk-durable-send-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // Group commit far away: only an explicit flush writes the journal.
    const cache = await openDurableCache<CacheDb>({ dir, schema: CACHE_SCHEMA, clock, log: silentLogger, groupCommitMs: 3_600_000 });
    cleanups.push(() => cache.close());
    await cache.fullyLoaded;

    // The slow disk: a flush waits until the test lets it through.
    const disk = deferred();
    const flushAsked = deferred();
    const flush = async (): Promise<void> => {
      flushAsked.resolve();
      await disk.promise;
      await cache.flush();
      durableUpTo = cache.stats().flushedSeq;
    };
    const http = new MarketplaceHttpClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't', clock, maxAttempts: 1, random: mulberry32(1) });
    const dispatcher = new Dispatcher({ db: cache.db, clock, adapter: createDemoAdapter(http), flush, log: silentLogger, onRequestsChanged: () => undefined, onOutboxChanged: () => undefined, random: mulberry32(2) });
    cleanups.push(() => dispatcher.stop());

    // A decision's outbox entry, committed in memory and due now; nothing flushed it.
    await cache.db.outbox.put(entry('outbox-1'));
    entrySeq = cache.stats().lastSeq;
    expect(cache.stats().flushedSeq).toBeLessThan(entrySeq);

    dispatcher.wake();
    // Whichever comes first: the dispatcher asks for the disk, or the marketplace hears from it.
    await Promise.race([flushAsked.promise, firstRequest.promise]);
    expect(seen, 'sent while the entry was only in memory').toEqual([]);

    disk.resolve();
    await firstRequest.promise;
    expect(seen).toEqual([{ path: '/v1/requests/request-outbox-1/accept', durable: true }]);
  });
});
