import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openDurableCache } from '../../../electron/backend/cache/durable';
import { readSegment, segmentNumberOf } from '../../../electron/backend/cache/journal';
import { mulberry32 } from '../../../electron/simulator/random';
import { createManualClock } from '../../../electron/simulator/clock';
import { childEnv, createTestSteadyClock } from '../../support/child-env';
import { TEST_START_MS } from '../../support/start';
import { crashCacheOptions, FILLER_EVERY, FILLER_ROWS } from './crash-writer';

/** The writers' clock (group commit, compaction): the test's, from its fixed start. */
const clock = createTestSteadyClock();

const WRITER = join(import.meta.dirname, 'crash-writer.ts');
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

interface Generation {
  started: number;
  lastFlushed: number;
  signal: NodeJS.Signals | null;
}

/** Runs the writer until it has reported `commits` commits, then kills it with SIGKILL. */
async function runAndKill(dir: string, commits: number): Promise<Generation> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(clock, 0) });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let started = -1;
  let lastFlushed = -1;
  let seen = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ');
    const number = Number.parseInt(value ?? '', 10);
    if (word === 'STARTED') started = number;
    if (word === 'FLUSHED') lastFlushed = number;
    if (word === 'COMMITTED') {
      seen += 1;
      if (seen === commits) child.kill('SIGKILL');
    }
  }
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the writer stopped on its own: ${stderr}`);
  return { started, lastFlushed, signal };
}

/**
 * A power cut, after the kill: the disk may lose anything written after the last fsync. Cuts the
 * newest journal segment at a random byte after the end of the last flushed transaction.
 */
async function cutPower(dir: string, lastFlushed: number, random: () => number): Promise<{ file: string; at: number; torn: boolean } | null> {
  const segments = (await readdir(dir)).filter((name) => segmentNumberOf(name) !== null).sort();
  const name = segments.at(-1);
  if (name === undefined) return null;
  const file = join(dir, name);
  const read = await readSegment(file, segmentNumberOf(name) ?? 0);
  const flushedEnd = read.entries.find((entry) => entry.seq === lastFlushed)?.end ?? read.headerEnd;
  const from = read.entries.some((entry) => entry.seq > lastFlushed) || read.entries.length === 0 ? flushedEnd : read.size;
  if (from >= read.size) return null;
  const at = from + Math.floor(random() * (read.size - from));
  await truncate(file, at);
  // Cut inside a frame (not at the end of a whole one): recovery must find the torn tail.
  const torn = at !== read.headerEnd && !read.entries.some((entry) => entry.end === at);
  return { file, at, torn };
}

describe('a durable cache killed with SIGKILL at random points', () => {
  it('recovers exactly the state after one whole transaction, never less than what was flushed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-cache-crash-'));
    dirs.push(dir);
    const random = mulberry32(20261126);
    let previous = 0;
    // Four rounds at least, and more (up to 12) until two power cuts really cut a torn frame:
    // a kill that lands right after an fsync leaves nothing to cut, and such a round proves nothing.
    let tornCuts = 0;
    for (let generation = 0; generation < 12 && (generation < 4 || tornCuts < 2); generation += 1) {
      const run = await runAndKill(dir, 5 + Math.floor(random() * 100));
      // Each run goes on from what the last recovery found.
      expect(run.started).toBeGreaterThanOrEqual(previous);
      const cut = generation % 2 === 1 ? await cutPower(dir, run.lastFlushed, random) : null;

      const cache = await openDurableCache({ dir, clock: createManualClock(TEST_START_MS), ...crashCacheOptions });
      await cache.fullyLoaded;
      const { db, report } = cache;
      const pairs = (await db.table('pairs').toArray()) as { id: string; n: number }[];
      const n = pairs[0]?.n ?? 0;
      // Never half a transaction: both rows of the pair come from the same one.
      expect(pairs).toEqual([
        { id: 'a', n },
        { id: 'b', n },
      ]);
      // Everything flushed survived.
      expect(n).toBeGreaterThanOrEqual(run.lastFlushed);
      // Exactly a prefix: the rows of transactions up to n, and nothing of any later one.
      const logIds = (await db.table('log').toCollection().primaryKeys()) as number[];
      expect(logIds).toEqual(Array.from({ length: Math.min(n, 5) }, (_, index) => Math.max(1, n - 4) + index));
      const fillerTxs = new Set(((await db.table('filler').toArray()) as { tx: number }[]).map((row) => row.tx));
      expect([...fillerTxs].sort((a, b) => a - b)).toEqual(Array.from({ length: Math.floor(n / FILLER_EVERY) }, (_, index) => (index + 1) * FILLER_EVERY));
      expect(await db.table('filler').count()).toBe(fillerTxs.size * FILLER_ROWS);
      // A kill or a power cut tears at most the tail; it never damages what was already written.
      if (cut === null) expect(report.droppedTail).toBeNull();
      else if (cut.torn) {
        tornCuts += 1;
        expect(report.droppedTail).toMatchObject({ file: cut.file, bytes: expect.any(Number) as number });
      }
      expect(report.corruption).toBeNull();
      expect(report.snapshotProblems).toEqual([]);
      await cache.close();
      previous = n;
    }
    expect(tornCuts, 'power cuts that tore a frame').toBeGreaterThanOrEqual(2);
    // Damaged files would be kept aside under a .damaged- name: there are none.
    expect((await readdir(dir)).filter((name) => name.includes('.damaged-'))).toEqual([]);
  });
});
