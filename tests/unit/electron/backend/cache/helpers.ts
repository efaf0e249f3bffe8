import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dexie from 'dexie';
import { openDurableCache, type DurableCache, type DurableCacheOptions, type DurableSchemaVersion } from '../../../../../electron/backend/cache/durable';
import { scanFrames } from '../../../../../electron/backend/cache/frame';
import { createManualClock, type ManualClock } from '../../../../../electron/simulator/clock';

export const START_MS = Date.UTC(2026, 10, 26, 9, 0, 0);

/** A small schema with each kind of primary key: inbound, auto-increment, outbound. */
export const TEST_SCHEMA: readonly DurableSchemaVersion[] = [
  {
    version: 1,
    stores: { items: 'id, group, [group+id]', events: '++seq, kind', blobs: '' },
  },
];

export interface Item {
  id: string;
  group: string;
  n: number;
  note?: string;
}

const dirs: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'desk-cache-test-'));
  dirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** A copy of a cache directory as it is on disk right now (what a crash would leave). */
export async function copyDir(dir: string): Promise<string> {
  const copy = await tempDir();
  await cp(dir, copy, { recursive: true });
  return copy;
}

export function testClock(): ManualClock {
  return createManualClock(START_MS);
}

export type TestOptions = Partial<DurableCacheOptions> & { dir: string };

const open: DurableCache[] = [];

/** Opens a cache on the test schema; unless priority tables are named, waits until all is loaded. */
export async function openTestCache(options: TestOptions): Promise<DurableCache> {
  const cache = await openDurableCache({ schema: TEST_SCHEMA, clock: testClock(), groupCommitMs: 50, ...options });
  open.push(cache);
  if (options.priorityTables === undefined) await cache.fullyLoaded;
  return cache;
}

/** Closes every cache a test opened (closing twice is harmless). */
export async function closeOpenCaches(): Promise<void> {
  for (const cache of open.splice(0)) await cache.close().catch(() => undefined);
}

export function item(id: string, n: number, group = 'g1'): Item {
  return { id, group, n };
}

/** Every table's rows with their keys, in key order: what "the same cache" means. */
export async function dump(db: Dexie): Promise<Record<string, [unknown, unknown][]>> {
  const result: Record<string, [unknown, unknown][]> = {};
  for (const table of db.tables) {
    const keys = await table.toCollection().primaryKeys();
    const values = await table.toArray();
    result[table.name] = keys.map((key, index) => [key, values[index]]);
  }
  return result;
}

export async function journalFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /^journal-\d{8}\.log$/.test(name)).sort();
}

export async function snapshotFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.snap')).sort();
}

/** Byte offsets where each record (after the segment header) starts and ends. */
export async function recordBounds(file: string): Promise<{ start: number; end: number }[]> {
  const buffer = await readFile(file);
  return scanFrames(buffer)
    .frames.slice(1)
    .map((frame) => ({ start: frame.offset, end: frame.offset + 12 + frame.payload.length }));
}
