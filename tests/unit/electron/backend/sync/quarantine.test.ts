import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheDb } from '../../../../../electron/backend/cache/db';
import { openDurableCache } from '../../../../../electron/backend/cache/durable';
import { CACHE_SCHEMA } from '../../../../../electron/backend/cache/schema';
import { silentLogger } from '../../../../../electron/backend/log';
import type { QuarantinedRecord } from '../../../../../electron/backend/marketplace/listing';
import { SET_ASIDE_CSV_HEADER, SetAsideBook } from '../../../../../electron/backend/sync/quarantine';
import { createManualClock } from '../../../../../electron/simulator/clock';
import { generateDataset } from '../../../../../electron/simulator/data';
import type { Order } from '../../../../../shared/domain/order';
import type { CancelRequest } from '../../../../../shared/domain/request';
import { toInstant } from '../../../../../shared/domain/time';
import { TEST_START_MS, startDesk, type Desk } from '../../../../support/desk';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openDesk(): Promise<Desk> {
  const desk = await startDesk({ seed: 8, orders: 300 });
  cleanups.push(() => desk.close());
  return desk;
}

/** An order with an open request, as the demo marketplace holds it now. */
function orderWithOpenRequest(desk: Desk): { order: Order; request: CancelRequest } {
  const state = desk.simulator.state;
  for (const request of state.requests.list()) {
    const order = state.orders.get(request.orderId);
    if (order !== undefined && request.state === 'requested') return { order, request };
  }
  throw new Error('no open request in the demo data');
}

/** The marketplace changes the order and now sends it with a 10,000-character buyer name. */
function malform(desk: Desk, orderId: string): void {
  const state = desk.simulator.state;
  const order = state.orders.get(orderId);
  if (order === undefined) throw new Error(`no order ${orderId}`);
  state.putOrder({ ...order, buyer: { ...order.buyer, name: 'x'.repeat(10_000) }, version: order.version + 1, updatedAt: state.stamp() });
}

/** The marketplace changes the order again, valid this time. */
function repair(desk: Desk, orderId: string, name: string): void {
  const state = desk.simulator.state;
  const order = state.orders.get(orderId);
  if (order === undefined) throw new Error(`no order ${orderId}`);
  state.putOrder({ ...order, buyer: { ...order.buyer, name }, version: order.version + 1, updatedAt: state.stamp() });
}

describe('records set aside at sync', () => {
  it('keep one entry per record however often the marketplace sends it, and the status counts entries', async () => {
    const desk = await openDesk();
    const { backend, clock } = desk;
    const { order } = orderWithOpenRequest(desk);
    malform(desk, order.id);
    clock.advance(60_000);
    expect((await backend.handle('sync.now', { full: false })).quarantined).toBe(1);
    // Seen again: by a full resync, and after another malformed change.
    expect((await backend.handle('sync.now', { full: true })).quarantined).toBe(1);
    malform(desk, order.id);
    clock.advance(60_000);
    expect((await backend.handle('sync.now', { full: false })).quarantined).toBe(1);
    expect(await backend.db.quarantine.count()).toBe(1);

    const list = await backend.handle('quarantine.list', { limit: 200 });
    expect(list.total).toBe(1);
    const [record] = list.records;
    expect(record).toMatchObject({ resource: 'orders', recordId: order.id, receivedAt: toInstant(clock.now()) });
    // The reason names the field; the excerpt is the start of the record as received.
    expect(record?.reason).toContain('buyer.name');
    expect(record?.excerpt.startsWith('{')).toBe(true);
    expect(record?.excerpt.length).toBeLessThanOrEqual(500);
    const held = (await backend.db.requests.where('orderId').equals(order.id).primaryKeys()).sort();
    expect(held.length).toBeGreaterThan(0);
    expect(record?.requestIds).toEqual(held);
  });

  it('leave the list, and the count, once a valid copy arrives', async () => {
    const desk = await openDesk();
    const { backend, clock } = desk;
    const { order, request } = orderWithOpenRequest(desk);
    const statuses: number[] = [];
    backend.subscribe((event, payload) => {
      if (event === 'sync.status') statuses.push((payload as { quarantined: number }).quarantined);
    });
    malform(desk, order.id);
    clock.advance(60_000);
    await backend.handle('sync.now', { full: false });
    expect((await backend.handle('quarantine.list', { limit: 10 })).total).toBe(1);

    repair(desk, order.id, 'Ada Lovelace');
    clock.advance(60_000);
    const status = await backend.handle('sync.now', { full: false });
    expect(status.quarantined).toBe(0);
    expect(statuses.at(-1)).toBe(0);
    expect(await backend.handle('quarantine.list', { limit: 10 })).toEqual({ total: 0, records: [] });
    expect((await backend.db.orders.get(order.id))?.buyer.name).toBe('Ada Lovelace');
    // And its request is decided with the order again.
    const detail = await backend.handle('requests.get', { requestId: request.id });
    expect(detail.orderSetAside ?? null).toBeNull();
    expect(detail.rules.available).toBe(true);
  });

  it('are still known after a restart: the count, the list, and a valid copy taking one off', async () => {
    const desk = await openDesk();
    const { order } = orderWithOpenRequest(desk);
    malform(desk, order.id);
    desk.clock.advance(60_000);
    await desk.backend.handle('sync.now', { full: false });
    await desk.backend.close();

    const again = desk.openBackend();
    await again.start();
    await again.whenFullyLoaded();
    expect((await again.handle('quarantine.list', { limit: 10 })).records.map((record) => record.recordId)).toEqual([order.id]);
    repair(desk, order.id, 'Grace Hopper');
    desk.clock.advance(60_000);
    expect((await again.handle('sync.now', { full: false })).quarantined).toBe(0);
    expect((await again.handle('quarantine.list', { limit: 10 })).total).toBe(0);
  });

  it('export as CSV a spreadsheet opens safely: BOM, RFC 4180 quoting, formulas and NUL neutralised', async () => {
    const desk = await openDesk();
    const { backend, clock, simulator } = desk;
    const { order } = orderWithOpenRequest(desk);
    malform(desk, order.id);
    // New orders (malformed too) whose ids a spreadsheet would run as a formula, or cut at a NUL.
    for (const id of ['=HYPERLINK("http://x","y")', 'o-\u0000-nul']) {
      simulator.state.putOrder({ ...order, id, buyer: { ...order.buyer, name: 'y'.repeat(300) }, version: 1, updatedAt: simulator.state.stamp() });
    }
    clock.advance(60_000);
    await backend.handle('sync.now', { full: false });

    const file = await backend.handle('quarantine.exportCsv', {});
    expect(file.rows).toBe(3);
    expect(file.fileName).toBe(`cancel-desk-set-aside-${toInstant(clock.now()).slice(0, 19).replaceAll(':', '-')}.csv`);
    expect(file.csv.startsWith(`\uFEFF${SET_ASIDE_CSV_HEADER.join(',')}\r\n`)).toBe(true);
    expect(file.csv.endsWith('\r\n')).toBe(true);
    expect(file.csv).not.toContain('\u0000');
    const lines = file.csv.slice(1).split('\r\n');
    // Newest first, like the list; the formula kept as text; the NUL shown as a replacement character.
    expect(lines[1]?.startsWith('order,o-\uFFFD-nul,buyer.name:')).toBe(true);
    expect(lines[2]?.startsWith('order,"\'=HYPERLINK(""http://x"",""y"")",buyer.name:')).toBe(true);
    expect(lines[3]?.startsWith(`order,${order.id},buyer.name:`)).toBe(true);
    // The excerpt (raw JSON, commas and quotes) is one quoted cell, its quotes doubled.
    expect(lines[3]).toContain(',"{""id"":""');
  });
});

describe('the set-aside book', () => {
  async function openBook(): Promise<{ db: CacheDb; book: SetAsideBook }> {
    const clock = createManualClock(TEST_START_MS);
    const dir = await mkdtemp(join(tmpdir(), 'desk-set-aside-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const cache = await openDurableCache<CacheDb>({ dir, schema: CACHE_SCHEMA, clock, log: silentLogger });
    cleanups.push(() => cache.close());
    await cache.fullyLoaded;
    const book = new SetAsideBook(cache.db);
    await book.load();
    return { db: cache.db, book };
  }

  const malformed = (id: string | null, version: number | null, reason = 'buyer.name: Too big'): QuarantinedRecord => ({
    resource: 'orders',
    id,
    version,
    reason,
    excerpt: `{"id":${JSON.stringify(id)},"version":${version}}`,
  });

  /** One page: settled in a transaction, committed to the book's memory like the engine does. */
  async function page(db: CacheDb, book: SetAsideBook, valid: Array<{ id: string; version: number }>, bad: QuarantinedRecord[]): Promise<boolean> {
    const change = await db.transaction('rw', [db.quarantine, db.orders, db.requests], () => book.settle('orders', valid, bad, TEST_START_MS.toString()));
    change.commit();
    return change.changed;
  }

  it('keeps the newest malformed copy, ignores a stale one, and lets only a valid copy as new take it off', async () => {
    const { db, book } = await openBook();
    await page(db, book, [], [malformed('o-1', 3, 'first')]);
    // An older malformed copy (a replayed page) leaves the newer one's entry.
    expect(await page(db, book, [], [malformed('o-1', 2, 'older')])).toBe(false);
    await page(db, book, [], [malformed('o-1', 4, 'newer')]);
    expect((await db.quarantine.toArray()).map((row) => row.reason)).toEqual(['newer']);
    // An older valid copy does not make the record valid.
    expect(await page(db, book, [{ id: 'o-1', version: 3 }], [])).toBe(false);
    expect(await db.quarantine.count()).toBe(1);
    expect(await page(db, book, [{ id: 'o-1', version: 4 }], [])).toBe(true);
    expect(await db.quarantine.count()).toBe(0);
  });

  it('does not list a stale malformed copy of a record the cache holds valid at that version or newer', async () => {
    const { db, book } = await openBook();
    const dataset = generateDataset({ seed: 3, orderCount: 5, startMs: TEST_START_MS });
    const order = dataset.orders[0];
    if (order === undefined) throw new Error('no order generated');
    await db.orders.put({ ...order, id: 'o-2', version: 5 });
    expect(await page(db, book, [], [malformed('o-2', 5)])).toBe(false);
    expect(await page(db, book, [], [malformed('o-2', 6)])).toBe(true);
    expect(await db.quarantine.count()).toBe(1);
  });

  it('tells records without an id apart by their excerpt', async () => {
    const { db, book } = await openBook();
    await page(db, book, [], [malformed(null, null), { ...malformed(null, null), excerpt: '"just a string"' }]);
    await page(db, book, [], [malformed(null, null)]);
    expect((await db.quarantine.toArray()).map((row) => row.excerpt).sort()).toEqual(['"just a string"', '{"id":null,"version":null}']);
  });
});
