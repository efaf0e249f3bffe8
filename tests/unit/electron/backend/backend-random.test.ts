import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../../electron/backend';
import type { OutboxEntry } from '../../../../electron/backend/cache/db';
import { silentLogger } from '../../../../electron/backend/log';
import { createManualClock } from '../../../../electron/simulator/clock';
import type { Random } from '../../../../shared/domain/random';
import { instantMs, toInstant } from '../../../../shared/domain/time';

const START_MS = Date.UTC(2026, 10, 26, 9);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("createBackend's random option", () => {
  it('is the one source of every retry jitter: the HTTP client, the sync engine and the dispatcher all draw from it', async () => {
    let calls = 0;
    const server: Server = createServer((_request, response) => {
      calls += 1;
      response.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'down', message: 'maintenance' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-random-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    let draws = 0;
    const half: Random = () => {
      draws += 1;
      return 0.5;
    };
    const clock = createManualClock(START_MS);
    const backend: Backend = createBackend({
      dataDir,
      marketplace: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' },
      clock,
      log: silentLogger,
      syncIntervalMs: 24 * 3_600_000,
      // The client's ceiling is 1 ms, so its draws (0.5) wait 0 ms: no timer on the manual clock.
      http: { maxAttempts: 3, retryBaseMs: 1, retryCapMs: 1 },
      syncRetry: { baseMs: 1_000, capMs: 1_000 },
      dispatchRetry: { baseMs: 1_000, capMs: 1_000 },
      random: half,
    });
    cleanups.push(() => backend.close());
    await backend.start();
    await backend.whenFullyLoaded();

    // A pass: three attempts at the first page (two client draws), then the pass's own retry (one draw).
    const status = await backend.handle('sync.now', { full: false });
    expect(status.state).toBe('error');
    expect(calls).toBe(3);
    expect(draws).toBe(3);
    expect(instantMs(status.nextAttemptAt ?? '') - clock.now()).toBe(1_000 + 500);

    // A delivery: one attempt (an action is never repeated inside the client: its outcome is read
    // first), then the dispatcher's retry (one draw).
    const entry: OutboxEntry = {
      id: 'outbox-1', batchId: 'batch-1', requestId: 'request-1', orderId: 'order-1', endpoint: 'accept', body: { expectedVersion: 1 }, decision: {},
      status: 'held', dueAt: toInstant(clock.now()), attempts: 0, nextAttemptAt: null, lastError: null, answer: null,
      createdAt: toInstant(clock.now()), settledAt: null,
    };
    await backend.db.outbox.put(entry);
    await backend.dispatchIdle();
    const retried = await backend.db.outbox.get(entry.id);
    expect(retried?.status).toBe('retry');
    expect(calls).toBe(4);
    expect(draws).toBe(4);
    expect(instantMs(retried?.nextAttemptAt ?? '') - clock.now()).toBe(500);
  });
});
