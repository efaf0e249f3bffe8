/**
 * `npm run bench` (not part of npm test): performance figures with same-run baselines.
 * Sizes: BENCH_ORDERS (comma list, default "10000,100000"), BENCH_RUNS (default 3).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../electron/backend';
import { openCacheDb } from '../../electron/backend/cache/db';
import { silentLogger } from '../../electron/backend/log';
import { systemClock } from '../../electron/backend/system-clock';
import type { Order } from '../../shared/domain/order';
import { createSimulator } from '../../electron/simulator/server';
import { fetchAllFromMarketplace } from '../support/marketplace';
import { figure, printTable, writeResults, type Figure } from './harness';

const SIZES = (process.env.BENCH_ORDERS ?? '10000,100000').split(',').map((size) => Number.parseInt(size, 10));
const RUNS = Number.parseInt(process.env.BENCH_RUNS ?? '3', 10);

function label(size: number): string {
  return size >= 1000 ? `${size / 1000}k` : String(size);
}

/** Baseline: the bare Dexie write rate for the same orders, in chunks, no network, no checks. */
async function bareDexieRate(orders: readonly Order[]): Promise<number> {
  const db = openCacheDb(`bench-bare-${orders.length}`);
  await db.open();
  const started = performance.now();
  for (let start = 0; start < orders.length; start += 1000) {
    await db.orders.bulkPut(orders.slice(start, start + 1000));
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return orders.length / seconds;
}

/** A full first sync from the local demo marketplace into an empty cache. */
async function ingestRate(size: number): Promise<number> {
  const simulator = await createSimulator({ seed: 42, orders: size });
  const dataDir = await mkdtemp(join(tmpdir(), 'desk-bench-'));
  const backend = createBackend({
    dataDir,
    marketplace: { baseUrl: simulator.url, token: simulator.token },
    clock: systemClock,
    log: silentLogger,
    syncIntervalMs: 24 * 3_600_000,
  });
  try {
    await backend.start();
    const started = performance.now();
    await backend.handle('sync.now', { full: false });
    const seconds = (performance.now() - started) / 1000;
    return size / seconds;
  } finally {
    await backend.close();
    await simulator.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  for (const size of SIZES) {
    const reference = await createSimulator({ seed: 42, orders: size });
    const orders = await fetchAllFromMarketplace<Order>(reference, 'orders');
    await reference.close();
    const bare: number[] = [];
    const ingest: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      bare.push(await bareDexieRate(orders));
      ingest.push(await ingestRate(size));
    }
    const baseline = figure(`dexie_bulk_write_orders_per_s@${label(size)}`, 'orders/s', bare);
    figures.push(baseline, figure(`ingest_orders_per_s@${label(size)}`, 'orders/s', ingest, baseline));
  }
  printTable(figures);
  await writeResults(figures);
  console.log('\nWrote bench-results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
