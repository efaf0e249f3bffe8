import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../../electron/backend';
import { toRemoteRequest } from '../../../electron/backend/cache/records';
import { silentLogger } from '../../../electron/backend/log';
import type { Simulator } from '../../../electron/simulator/server';
import type { Clock } from '../../../shared/domain/time';
import { mulberry32 } from '../../../shared/domain/random';
import { childEnv, startSteadyMarketplace } from '../../support/child-env';
import { asDeskStore } from '../../support/marketplace';
import { MAIN_STORE_ID } from '../../../electron/backend/sync/engine';
import { testSeed } from '../../support/seed';

/** Seeds the backend's retry jitter (SEED overrides it; printed once). */
const SEED = testSeed('crash-resume', 20261126);

interface ChildLine {
  event?: string;
  payload?: { state?: string; progress?: { resource: string; pages: number } | null };
  ready?: unknown;
}

const simulators: Simulator[] = [];
afterEach(async () => {
  for (const simulator of simulators.splice(0)) await simulator.close();
});

function startChild(dataDir: string, { clock, simulator }: { clock: Clock; simulator: Simulator }): { child: ChildProcessWithoutNullStreams; lines: AsyncIterable<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/backend-child.ts', dataDir, simulator.url, simulator.token], { stdio: 'pipe', env: childEnv(clock, SEED) });
  return { child, lines: createInterface({ input: child.stdout }) };
}

/** Reads the child's lines until `stop` says so; answers the line that stopped it. */
async function readUntil(lines: AsyncIterable<string>, stop: (line: ChildLine) => boolean): Promise<ChildLine> {
  for await (const text of lines) {
    const line = JSON.parse(text) as ChildLine;
    if (stop(line)) return line;
  }
  throw new Error('the child ended before the awaited line');
}

describe('a backend killed with SIGKILL in the middle of a sync', () => {
  it('resumes after restart without loss or duplication', async () => {
    const marketplace = await startSteadyMarketplace({ seed: 31, orders: 3_000, faults: { latencyMs: 3 } });
    const { clock, simulator } = marketplace;
    simulators.push(simulator);
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-crash-'));

    // First run: killed hard once a few pages of requests have been committed.
    const first = startChild(dataDir, marketplace);
    const firstExit = new Promise<NodeJS.Signals | null>((resolve) => first.child.once('exit', (_code, signal) => resolve(signal)));
    await readUntil(first.lines, (line) => line.payload?.progress?.resource === 'requests' && line.payload.progress.pages >= 2);
    first.child.kill('SIGKILL');
    expect(await firstExit).toBe('SIGKILL');

    // Second run on the same data folder: finishes the pass, then closes cleanly.
    const second = startChild(dataDir, marketplace);
    const secondExit = new Promise<number | null>((resolve) => second.child.once('exit', (code) => resolve(code)));
    await readUntil(second.lines, (line) => line.ready !== undefined);
    second.child.kill('SIGTERM');
    expect(await secondExit).toBe(0);

    // What is on disk now equals the marketplace, record for record, each once.
    const reopened = createBackend({ dataDir, marketplace: { baseUrl: 'http://127.0.0.1:9', token: 'x' }, clock, log: silentLogger, syncIntervalMs: 3_600_000, random: mulberry32(SEED) });
    await reopened.start();
    await reopened.whenFullyLoaded();
    try {
      // The one store of this desk stamps its id on what it syncs.
      expect(await reopened.db.orders.orderBy('id').toArray()).toEqual(asDeskStore(simulator.state.orders.list(), MAIN_STORE_ID));
      expect((await reopened.db.requests.orderBy('id').toArray()).map(toRemoteRequest)).toEqual(asDeskStore(simulator.state.requests.list(), MAIN_STORE_ID));
      expect((await reopened.handle('queue.counts', {})).all).toBe(simulator.state.requests.size);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
