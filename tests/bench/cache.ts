/**
 * The durable cache's own figures (electron/backend/cache/durable.ts), for `npm run bench` to call
 * (`benchDurableCache`) or to run alone: `node --expose-gc --import tsx tests/bench/cache.ts`
 * (BENCH_ORDERS="10000,100000", BENCH_RUNS=3). Each figure sits beside a same-run baseline:
 *
 * - write rate (and CPU time per row, steadier on a shared machine) with the journal (group
 *   commit, automatic compaction on) vs bare Dexie, both in transactions of 1,000 orders then
 *   1,000 requests, as a sync writes pages;
 * - restart until the queue's tables are usable, and until everything is loaded, vs loading the
 *   same rows into a bare Dexie from memory (the floor: fake-indexeddb's own insert cost);
 * - snapshot (compaction) time and size; restart replaying the whole cache from the journal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Dexie from 'dexie';
import { openDurableCache, type DurableSchemaVersion } from '../../electron/backend/cache/durable';
import { rawIndexedDb } from '../../electron/backend/cache/raw-idb';
import { toCachedRequest, type CachedRequest } from '../../electron/backend/cache/records';
import { CACHE_SCHEMA, QUEUE_TABLES } from '../../electron/backend/cache/schema';
import { silentLogger } from '../../electron/backend/log';
import { systemClock } from '../../electron/backend/system-clock';
import { generateDataset } from '../../electron/simulator/data';
import type { Order } from '../../shared/domain/order';
import { figure, printTable, type Figure } from './harness';

const CHUNK = 1000;
const START_MS = Date.UTC(2026, 10, 26, 9, 0, 0);

interface Rows {
  orders: Order[];
  requests: CachedRequest[];
}

function makeRows(orderCount: number): Rows {
  const dataset = generateDataset({ seed: 42, orderCount, startMs: START_MS });
  const byId = new Map(dataset.orders.map((order) => [order.id, order]));
  return { orders: dataset.orders, requests: dataset.requests.map((request) => toCachedRequest(request, byId.get(request.orderId))) };
}

/** CPU time (user + system, all threads) since `since`, in microseconds: steadier than wall time on a busy machine. */
function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function label(size: number): string {
  return size >= 1000 ? `${size / 1000}k` : String(size);
}

function bareDexie(schema: readonly DurableSchemaVersion[]): Dexie {
  const db = new Dexie(`bench-${Math.random()}`, { indexedDB: new rawIndexedDb.IDBFactory(), IDBKeyRange: rawIndexedDb.IDBKeyRange, cache: 'disabled' });
  for (const entry of schema) db.version(entry.version).stores(entry.stores);
  return db;
}

/** Writes orders then requests in transactions of CHUNK rows, as a sync applies pages. */
async function writeAll(db: Dexie, rows: Rows): Promise<void> {
  for (const [table, list] of [['orders', rows.orders], ['requests', rows.requests]] as const) {
    for (let start = 0; start < list.length; start += CHUNK) {
      const chunk = list.slice(start, start + CHUNK);
      await db.transaction('rw', table, () => db.table(table).bulkPut(chunk));
    }
  }
}

function rowCount(rows: Rows): number {
  return rows.orders.length + rows.requests.length;
}

interface RestartTimes {
  toPriorityMs: number;
  toFullMs: number;
  heapMb: number;
}

const RESTART_FLAG = '--restart';

/** Opens the cache as a restart does; the heap figure is what the loaded cache holds. */
async function restartHere(dir: string): Promise<RestartTimes> {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const cache = await openDurableCache({ dir, schema: CACHE_SCHEMA, clock: systemClock, log: silentLogger, priorityTables: [...QUEUE_TABLES] });
  const toPriorityMs = performance.now() - started;
  await cache.fullyLoaded;
  const toFullMs = performance.now() - started;
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  await cache.close();
  return { toPriorityMs, toFullMs, heapMb };
}

/** A restart is a new process: measured in a child, away from the bench's own heap. */
function restartInChild(dir: string): Promise<RestartTimes> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), RESTART_FLAG, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      output += text;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`the restart child exited with ${String(code)}`));
        return;
      }
      resolve(JSON.parse(output) as RestartTimes);
    });
  });
}

export interface DurableCacheBench {
  figures: Figure[];
  notes: string[];
}

/** Runs every figure at each size; see the module comment. */
export async function benchDurableCache(sizes: readonly number[], runs: number): Promise<DurableCacheBench> {
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const size of sizes) {
    const tag = label(size);
    const rows = makeRows(size);
    const total = rowCount(rows);
    const json = rows.orders.reduce((sum, order) => sum + JSON.stringify(order).length, 0);
    notes.push(`${tag}: ${rows.orders.length} orders (${Math.round(json / rows.orders.length)} B of JSON each) and ${rows.requests.length} requests`);
    const bare: number[] = [];
    const journaled: number[] = [];
    const bareCpu: number[] = [];
    const journaledCpu: number[] = [];
    const loadFloor: number[] = [];
    const requestsFloor: number[] = [];
    const snapshotMs: number[] = [];
    const snapshotMb: number[] = [];
    const toPriority: number[] = [];
    const toFull: number[] = [];
    const heap: number[] = [];
    const replayFull: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      gc();
      const plain = bareDexie(CACHE_SCHEMA);
      await plain.open();
      let started = performance.now();
      let cpu = process.cpuUsage();
      await writeAll(plain, rows);
      bare.push(total / ((performance.now() - started) / 1000));
      bareCpu.push(cpuMicros(cpu) / total);
      plain.close();

      // The floor for a restart: the same rows into a bare Dexie, straight from memory; requests
      // first (the queue's table), as a restart loads them.
      gc();
      const floor = bareDexie(CACHE_SCHEMA);
      await floor.open();
      started = performance.now();
      for (let start = 0; start < rows.requests.length; start += CHUNK) await floor.table('requests').bulkPut(rows.requests.slice(start, start + CHUNK));
      requestsFloor.push(performance.now() - started);
      for (let start = 0; start < rows.orders.length; start += CHUNK) await floor.table('orders').bulkPut(rows.orders.slice(start, start + CHUNK));
      loadFloor.push(performance.now() - started);
      floor.close();

      const dir = await mkdtemp(join(tmpdir(), 'desk-cache-bench-'));
      try {
        gc();
        const options = { dir, schema: CACHE_SCHEMA, clock: systemClock, log: silentLogger, priorityTables: [...QUEUE_TABLES] };
        let cache = await openDurableCache(options);
        started = performance.now();
        cpu = process.cpuUsage();
        await writeAll(cache.db, rows);
        await cache.flush();
        journaled.push(total / ((performance.now() - started) / 1000));
        journaledCpu.push(cpuMicros(cpu) / total);
        // Restart from the journal alone (no snapshot yet unless compaction ran on its own).
        const hadSnapshot = cache.stats().snapshot !== null;
        await cache.close();
        gc();
        started = performance.now();
        cache = await openDurableCache(options);
        await cache.fullyLoaded;
        if (!hadSnapshot) replayFull.push(performance.now() - started);

        gc();
        started = performance.now();
        const written = await cache.compact();
        snapshotMs.push(performance.now() - started);
        snapshotMb.push((written?.bytes ?? cache.stats().snapshot?.bytes ?? 0) / 1024 / 1024);
        await cache.close();

        const restart = await restartInChild(dir);
        toPriority.push(restart.toPriorityMs);
        toFull.push(restart.toFullMs);
        heap.push(restart.heapMb);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    const bareFigure = figure(`dexie_bulk_write_rows_per_s@${tag}`, 'rows/s', bare);
    const floorFigure = figure(`dexie_load_from_memory_ms@${tag}`, 'ms', loadFloor);
    const requestsFloorFigure = figure(`dexie_load_requests_from_memory_ms@${tag}`, 'ms', requestsFloor);
    const bareCpuFigure = figure(`dexie_bulk_write_cpu_us_per_row@${tag}`, 'µs', bareCpu);
    figures.push(
      bareFigure,
      figure(`cache_journaled_write_rows_per_s@${tag}`, 'rows/s', journaled, bareFigure),
      bareCpuFigure,
      figure(`cache_journaled_write_cpu_us_per_row@${tag}`, 'µs', journaledCpu, bareCpuFigure),
      requestsFloorFigure,
      floorFigure,
      figure(`cache_restart_to_priority_ms@${tag}`, 'ms', toPriority, requestsFloorFigure),
      figure(`cache_restart_full_ms@${tag}`, 'ms', toFull, floorFigure),
      figure(`cache_heap_after_load_mb@${tag}`, 'MB', heap),
      figure(`cache_snapshot_ms@${tag}`, 'ms', snapshotMs),
      figure(`cache_snapshot_mb@${tag}`, 'MB', snapshotMb),
    );
    if (replayFull.length > 0) figures.push(figure(`cache_restart_from_journal_only_ms@${tag}`, 'ms', replayFull, floorFigure));
  }
  return { figures, notes };
}

async function main(): Promise<void> {
  const sizes = (process.env.BENCH_ORDERS ?? '10000,100000').split(',').map((size) => Number.parseInt(size, 10));
  const runs = Number.parseInt(process.env.BENCH_RUNS ?? '3', 10);
  const result = await benchDurableCache(sizes, runs);
  for (const note of result.notes) console.log(note);
  printTable(result.figures);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const restartDir = process.argv[2] === RESTART_FLAG ? process.argv[3] : undefined;
  const run = restartDir === undefined ? main() : restartHere(restartDir).then((times) => console.log(JSON.stringify(times)));
  run.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
