/**
 * `npm run bench` (not part of npm test): the data layer's figures at 10k and 100k orders, each
 * beside a baseline measured in the same run, printed as a table and written to
 * bench-results.json (design.md §11). BENCH_ORDERS="10000,100000" and BENCH_RUNS=3 by default.
 * The renderer's figures (renderer.ts, in Chromium) follow each size's; BENCH_RENDERER=0 leaves
 * them out, BENCH_RENDERER=only measures nothing else.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../electron/backend';
import { openCacheDb } from '../../electron/backend/cache/db';
import { amountSortKey, toCachedRequest, type CachedRequest } from '../../electron/backend/cache/records';
import { insightsByScan } from '../../electron/backend/insights/scan';
import { silentLogger } from '../../electron/backend/log';
import { systemClock } from '../../electron/backend/system-clock';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import { VIEW_IDS, type StateViewId } from '../../shared/domain/views';
import { InsightsInputSchema, type QueuePage, type QueueSort } from '../../shared/ipc/contract';
import { fetchAllFromMarketplace } from '../support/marketplace';
import { figure, median, printTable, writeResults, type Figure } from './harness';
import { startMarketplaceProcess, type MarketplaceProcess } from './marketplace-process';
import { measureRenderer } from './renderer';

const SIZES = (process.env.BENCH_ORDERS ?? '10000,100000').split(',').map((size) => Number.parseInt(size, 10));
const RUNS = Number.parseInt(process.env.BENCH_RUNS ?? '3', 10);
const RENDERER = process.env.BENCH_RENDERER ?? '1';
const PAGE = 50;
const SORTS: QueueSort[] = ['time_left', 'amount', 'requested_at'];
const QUEUE_VIEWS = VIEW_IDS.filter((view) => view !== 'conflicts');

function label(size: number): string {
  return size >= 1000 ? `${size / 1000}k` : String(size);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function newBackend(marketplace: MarketplaceProcess, dataDir: string): Backend {
  return createBackend({
    dataDir,
    marketplace: { baseUrl: marketplace.url, token: marketplace.token },
    clock: systemClock,
    log: silentLogger,
    syncIntervalMs: 24 * 3_600_000,
  });
}

/** Baseline: the bare Dexie write rate for the same orders, in chunks, no network, no checks. */
async function bareDexieRate(orders: readonly Order[]): Promise<number> {
  const db = openCacheDb(`bench-bare-${orders.length}`);
  await db.open();
  const started = performance.now();
  for (let start = 0; start < orders.length; start += 1000) await db.orders.bulkPut(orders.slice(start, start + 1000));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return orders.length / seconds;
}

/** Baseline for a queue page: the same view and sort done by filter + sort over plain objects. */
function plainQueuePage(rows: readonly CachedRequest[], view: string, sort: QueueSort): number {
  const started = performance.now();
  const field = sort === 'time_left' ? 'respondBy' : sort === 'amount' ? 'amountKey' : 'requestedAt';
  const page = rows
    .filter((row) => view === 'all' || row.view === view)
    .sort((a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.id < b.id ? -1 : 1))
    .slice(0, PAGE);
  if (page.length > PAGE) throw new Error('unreachable');
  return performance.now() - started;
}

/** Baseline for a decision: the bare Dexie write of as many rows in one transaction. */
async function bareDecisionWrite(rows: readonly CachedRequest[]): Promise<number> {
  const db = openCacheDb(`bench-decide-${rows.length}`);
  await db.open();
  const started = performance.now();
  await db.transaction('rw', [db.requests, db.outbox, db.audit], async () => {
    await db.requests.bulkPut(rows.map((row) => ({ ...row, version: row.version + 1 })));
    await db.audit.bulkAdd(rows.map((row) => ({ at: row.updatedAt, actor: 'seller' as const, action: 'accept', requestId: row.id, orderId: row.orderId, batchId: 'b', params: {}, amount: null, rulesVersion: null, stateBefore: null, stateAfter: null, message: '' })));
  });
  const elapsed = performance.now() - started;
  db.close();
  return elapsed;
}

/** Decisions at this size: a durable bulk decision on 1,000 requests, and delivery throughput. */
async function measureDecisions(marketplace: MarketplaceProcess, dataDir: string, tag: string, figures: Figure[]): Promise<void> {
  const decideMs: number[] = [];
  const bare: number[] = [];
  const dispatchRate: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    // Each run starts from a copy of the synced data, but the marketplace keeps the decisions of
    // the runs before (the copy syncs them back): so each run takes 1,000 requests that the rules
    // will accept now (by the plan), and every run does the same work.
    const runDir = await mkdtemp(join(tmpdir(), 'desk-bench-decide-'));
    await cp(dataDir, runDir, { recursive: true });
    const backend = newBackend(marketplace, runDir);
    await backend.start();
    await backend.whenFullyLoaded();
    await backend.syncIdle();
    // One more pass, so what the runs before did on the marketplace is all in (orders included).
    await backend.handle('sync.now', { full: false });
    const settings = await backend.handle('settings.get', {});
    await backend.handle('settings.update', { policy: { ...settings.policy, undoWindowSeconds: 0 } });
    const candidates = (await backend.db.requests.toArray())
      .filter((row) => row.view === 'needs_reply' && row.kind === 'cancel' && row.local === null)
      .sort((a, b) => (a.respondBy < b.respondBy ? -1 : a.respondBy > b.respondBy ? 1 : a.id < b.id ? -1 : 1))
      .slice(0, 5_000);
    const plan = await backend.handle('decisions.plan', { requestIds: candidates.map((row) => row.id), action: { type: 'accept' } });
    const acceptable = new Set(plan.items.flatMap((item) => (item.status === 'will_do' ? [item.requestId] : [])));
    const open = candidates.filter((row) => acceptable.has(row.id)).slice(0, 1_000);
    if (run > 0 && open.length < 1_000) {
      // A small dataset runs out of requests to accept: a run on fewer would not be the same work.
      console.log(`decision run ${run + 1} at ${tag} skipped: only ${open.length} requests left to accept`);
      await backend.close();
      await rm(runDir, { recursive: true, force: true });
      continue;
    }
    bare.push(await bareDecisionWrite(open));
    gc();
    const started = performance.now();
    const result = await backend.handle('decisions.decide', { requestIds: open.map((row) => row.id), action: { type: 'accept' } });
    decideMs.push(performance.now() - started);
    const sendStarted = performance.now();
    await backend.dispatchIdle();
    dispatchRate.push(result.done / ((performance.now() - sendStarted) / 1000));
    console.log(`decided ${result.done} of ${open.length} (${result.skipped} skipped) and delivered them`);
    await backend.close();
    await rm(runDir, { recursive: true, force: true });
  }
  const baseline = figure(`dexie_write_1000_decisions_ms@${tag}`, 'ms', bare);
  figures.push(baseline, figure(`bulk_decide_1000_ms@${tag}`, 'ms', decideMs, baseline), figure(tag === '100k' ? 'dispatch_per_s' : `dispatch_per_s@${tag}`, 'entries/s', dispatchRate));
}

async function measureSize(size: number, figures: Figure[]): Promise<void> {
  const tag = label(size);
  const marketplace = await startMarketplaceProcess(size);
  try {
    const orders = await fetchAllFromMarketplace<Order>(marketplace, 'orders');
    const requests = await fetchAllFromMarketplace<CancelRequest>(marketplace, 'requests');
    const ordersById = new Map(orders.map((order) => [order.id, order]));
    const plainRows = requests.map((request) => toCachedRequest(request, ordersById.get(request.orderId)));

    // Ingest: a full first sync into an empty cache, against the bare Dexie write rate.
    const bare: number[] = [];
    const ingest: number[] = [];
    let dataDir = '';
    let backend: Backend | null = null;
    for (let run = 0; run < RUNS; run += 1) {
      gc();
      bare.push(await bareDexieRate(orders));
      await backend?.close();
      if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
      dataDir = await mkdtemp(join(tmpdir(), 'desk-bench-'));
      gc();
      backend = newBackend(marketplace, dataDir);
      await backend.start();
      await backend.syncIdle();
      const started = performance.now();
      const status = await backend.handle('sync.now', { full: true });
      if (status.state !== 'idle') throw new Error(`sync failed: ${status.message ?? status.state}`);
      ingest.push(size / ((performance.now() - started) / 1000));
    }
    if (backend === null) throw new Error('no runs');
    const bareFigure = figure(`dexie_bulk_write_orders_per_s@${tag}`, 'orders/s', bare);
    figures.push(bareFigure, figure(`ingest_orders_per_s@${tag}`, 'orders/s', ingest, bareFigure));

    // Queue pages: every view x sort, first page and 20 pages deep, against filter + sort in memory.
    let worst: { name: string; samples: number[]; baseline: number[] } | null = null;
    for (const view of QUEUE_VIEWS) {
      for (const sort of SORTS) {
        const samples: number[] = [];
        const baseline: number[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          let cursor: string | null = null;
          for (let page = 0; page < 20; page += 1) {
            const started = performance.now();
            const result: QueuePage = await backend.handle('queue.list', { view, sort, limit: PAGE, cursor, search: '', storeId: null });
            samples.push(performance.now() - started);
            cursor = result.nextCursor;
            if (cursor === null) break;
          }
          baseline.push(plainQueuePage(plainRows, view, sort));
        }
        if (worst === null || percentile(samples, 95) > percentile(worst.samples, 95)) worst = { name: `${view}/${sort}`, samples, baseline };
      }
    }
    if (worst !== null) {
      const baseline = figure(`plain_filter_sort_page_ms@${tag}`, 'ms', worst.baseline);
      figures.push(baseline, {
        ...figure(`queue_page_p95_ms@${tag}`, 'ms', [percentile(worst.samples, 95)], baseline),
        min: Math.round(Math.min(...worst.samples) * 100) / 100,
        max: Math.round(Math.max(...worst.samples) * 100) / 100,
        runs: worst.samples.length,
      });
      console.log(`worst view/sort at ${tag}: ${worst.name}`);
    }

    // View counts: kept in memory, against counting each view on its index.
    const counts: number[] = [];
    const indexCounts: number[] = [];
    for (let run = 0; run < 50; run += 1) {
      let started = performance.now();
      await backend.handle('queue.counts', {});
      counts.push(performance.now() - started);
      if (run < RUNS) {
        started = performance.now();
        // Baseline: counting each view by reading the table (what a count without kept counters costs).
        const rows = await backend.db.requests.toArray();
        const scanned = QUEUE_VIEWS.filter((item): item is StateViewId => item !== 'all').map((view) => rows.filter((row) => row.view === view).length);
        if (scanned.length === 0) throw new Error('no views');
        indexCounts.push(performance.now() - started);
      }
    }
    const countBaseline = figure(`scan_count_views_ms@${tag}`, 'ms', indexCounts);
    figures.push(countBaseline, figure(`view_counts_ms@${tag}`, 'ms', counts, countBaseline));

    // Insights: every figure for the last 90 days, all stores, from the kept aggregate, against
    // the same figures by one full pass over plain objects (requests and their orders).
    const today = Date.now();
    const insightsRange = InsightsInputSchema.parse({ from: new Date(today - 89 * 86_400_000).toISOString().slice(0, 10), to: new Date(today).toISOString().slice(0, 10) });
    await backend.handle('insights.get', insightsRange); // the first call waits for the aggregate's build
    const insightsMs: number[] = [];
    const insightsScanMs: number[] = [];
    for (let run = 0; run < Math.max(RUNS, 5); run += 1) {
      let started = performance.now();
      await backend.handle('insights.get', insightsRange);
      insightsMs.push(performance.now() - started);
      started = performance.now();
      insightsByScan(requests, ordersById, new Map(), insightsRange);
      insightsScanMs.push(performance.now() - started);
    }
    const insightsBaseline = figure(`insights_full_pass_ms@${tag}`, 'ms', insightsScanMs);
    figures.push(insightsBaseline, figure(`insights_ms@${tag}`, 'ms', insightsMs, insightsBaseline));

    // Restart: from a closed backend to the first queue page, and to everything loaded.
    await backend.close();
    const toQueue: number[] = [];
    const toFull: number[] = [];
    const heap: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      gc();
      const started = performance.now();
      const restarted = newBackend(marketplace, dataDir);
      await restarted.start();
      await restarted.handle('queue.list', { view: 'needs_reply', sort: 'time_left', limit: PAGE, cursor: null, search: '', storeId: null });
      toQueue.push(performance.now() - started);
      await restarted.whenFullyLoaded();
      toFull.push(performance.now() - started);
      await restarted.syncIdle();
      // The heap after a full load, whole (design.md §11: "main-side heap after full load"). A
      // difference with the heap before the restart read negative once the previous backend's
      // memory was still waiting for collection at "before".
      gc();
      heap.push(process.memoryUsage().heapUsed / 1024 / 1024);
      await restarted.close();
    }
    figures.push(
      figure(`restart_to_queue_ms@${tag}`, 'ms', toQueue),
      figure(`restart_full_ms@${tag}`, 'ms', toFull),
      figure(`heap_mb@${tag}`, 'MB', heap),
    );

    await measureDecisions(marketplace, dataDir, tag, figures);
    await rm(dataDir, { recursive: true, force: true });
    console.log(`measured ${tag}: ${orders.length} orders, ${requests.length} requests (${plainRows.filter((row) => amountSortKey(row.requestedAmount) > 0).length} with an amount)`);
  } finally {
    await marketplace.stop();
  }
}

async function main(): Promise<void> {
  if ((globalThis as { gc?: unknown }).gc === undefined) console.log('(run with --expose-gc for steadier heap figures)');
  const figures: Figure[] = [];
  for (const size of SIZES) {
    if (RENDERER !== 'only') await measureSize(size, figures);
    if (RENDERER !== '0') await measureRenderer(size, label(size), RUNS, figures);
  }
  console.log('');
  printTable(figures);
  await writeResults(figures);
  console.log(`\nWrote bench-results.json (${figures.length} figures, medians of ${RUNS} runs; median of medians: ${median(figures.map((item) => item.runs))} samples)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
