import type Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { DurableSchemaVersion } from '../../../../../electron/backend/cache/durable';
import { closeOpenCaches, openTestCache, removeTempDirs, tempDir } from './helpers';

afterEach(async () => {
  await closeOpenCaches();
  await removeTempDirs();
});

/** The queue is small and needed first; orders are big and can come later. */
const SCHEMA: readonly DurableSchemaVersion[] = [{ version: 1, stores: { queue: 'id, view', orders: 'id, storeId', notes: '' } }];

interface Row {
  id: string;
  storeId: string;
  v: string;
}

const orderId = (index: number): string => `o-${String(index).padStart(5, '0')}`;
const order = (index: number, v: string): Row => ({ id: orderId(index), storeId: 's1', v });

/** The same writes applied to a plain map: what the cache must hold in the end. */
class Model {
  readonly orders = new Map<string, Row>();
  put(row: Row): void {
    this.orders.set(row.id, row);
  }
  delete(id: string): void {
    this.orders.delete(id);
  }
  deleteBetween(lower: string, upper: string): void {
    for (const id of [...this.orders.keys()]) if (id >= lower && id <= upper) this.orders.delete(id);
  }
  sorted(): Row[] {
    return [...this.orders.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}

/** Fills a cache: a snapshot of 3,000 orders, then journal records on top of it. */
async function prepare(dir: string, model: Model): Promise<void> {
  const cache = await openTestCache({ dir, schema: SCHEMA, snapshotChunkRows: 500 });
  const db = cache.db;
  for (let start = 0; start < 3_000; start += 500) {
    const rows = Array.from({ length: 500 }, (_, offset) => order(start + offset, 'snapshot'));
    await db.table('orders').bulkPut(rows);
    rows.forEach((row) => model.put(row));
  }
  await db.table('queue').bulkPut(Array.from({ length: 40 }, (_, index) => ({ id: `q${index}`, view: index % 2 === 0 ? 'needs_reply' : 'done' })));
  await db.table('notes').bulkPut([{ text: 'one' }, { text: 'two' }], ['n1', 'n2']);
  await cache.compact();
  // After the snapshot: only in the journal.
  await db.table('orders').put(order(2_990, 'journal'));
  model.put(order(2_990, 'journal'));
  await db.table('orders').delete(orderId(2_991));
  model.delete(orderId(2_991));
  await db.table('orders').put(order(2_992, 'journal'));
  model.put(order(2_992, 'journal'));
  await db.table('orders').where('id').between(orderId(2_700), orderId(2_710), true, true).delete();
  model.deleteBetween(orderId(2_700), orderId(2_710));
  await db.table('queue').put({ id: 'q0', view: 'done' });
  await cache.close();
}

async function ordersOf(db: Dexie): Promise<Row[]> {
  return (await db.table('orders').toArray()) as Row[];
}

describe('priority tables', () => {
  it('serves the priority tables before the rest is loaded, and keeps writes made while the rest loads', async () => {
    const dir = await tempDir();
    const model = new Model();
    await prepare(dir, model);

    const cache = await openTestCache({ dir, schema: SCHEMA, priorityTables: ['queue'], loadChunkRows: 50 });
    let fullyLoaded = false;
    const loading = cache.fullyLoaded.then(() => {
      fullyLoaded = true;
    });
    const { db } = cache;
    expect(cache.report.loadedFirst).toEqual(['queue']);
    expect(cache.isLoaded('queue')).toBe(true);
    expect(cache.isLoaded('orders')).toBe(false);
    // The queue is whole already, journal replay included.
    expect(await db.table('queue').count()).toBe(40);
    expect(await db.table('queue').where('view').equals('needs_reply').count()).toBe(19);
    expect(fullyLoaded).toBe(false);

    // Writes to the table still loading: later in key order than the loader has reached, and not.
    const writes: [string, () => Promise<unknown>, () => void][] = [
      ['overwrite a snapshot row', () => db.table('orders').put(order(2_999, 'user')), () => model.put(order(2_999, 'user'))],
      ['overwrite a row the journal wrote', () => db.table('orders').put(order(2_990, 'user')), () => model.put(order(2_990, 'user'))],
      ['bring back a row the journal deleted', () => db.table('orders').put(order(2_991, 'user')), () => model.put(order(2_991, 'user'))],
      ['delete a snapshot row', () => db.table('orders').delete(orderId(2_998)), () => model.delete(orderId(2_998))],
      ['add a new row', () => db.table('orders').put(order(5_000, 'user')), () => model.put(order(5_000, 'user'))],
      ['delete an early row', () => db.table('orders').delete(orderId(10)), () => model.delete(orderId(10))],
      [
        'delete a range',
        () => db.table('orders').where('id').between(orderId(2_500), orderId(2_600), true, true).delete(),
        () => model.deleteBetween(orderId(2_500), orderId(2_600)),
      ],
      ['write inside the deleted range', () => db.table('orders').put(order(2_550, 'user')), () => model.put(order(2_550, 'user'))],
      ['write inside a range the journal deleted', () => db.table('orders').put(order(2_705, 'user')), () => model.put(order(2_705, 'user'))],
    ];
    // (Reads of a table still loading see only what is loaded so far, so a read-modify-write such
    // as modify() is not among these: it waits for fullyLoaded, as durable.ts says.)
    for (const [, write, apply] of writes) {
      await write();
      apply();
    }
    // Each write waited for at most one chunk of the loader: it is still going.
    expect(cache.isLoaded('orders')).toBe(false);
    await db.table('notes').clear();
    await db.table('notes').put({ text: 'after clear' }, 'n3');

    await loading;
    expect(cache.isLoaded('orders')).toBe(true);
    expect(await ordersOf(db)).toEqual(model.sorted());
    expect(await db.table('notes').toCollection().primaryKeys()).toEqual(['n3']);

    // And all of it was journaled.
    await cache.close();
    const again = await openTestCache({ dir, schema: SCHEMA });
    expect(await ordersOf(again.db)).toEqual(model.sorted());
    expect(await again.db.table('notes').toArray()).toEqual([{ text: 'after clear' }]);
  });

  it('applies journal records after their table’s snapshot rows', async () => {
    const dir = await tempDir();
    const model = new Model();
    await prepare(dir, model);
    const cache = await openTestCache({ dir, schema: SCHEMA, priorityTables: ['queue', 'orders'], loadChunkRows: 200 });
    expect(cache.report.loadedFirst).toEqual(['queue', 'orders']);
    expect(await ordersOf(cache.db)).toEqual(model.sorted());
    expect(await cache.db.table('queue').get('q0')).toEqual({ id: 'q0', view: 'done' });
  });

  it('stops loading when closed, and loses nothing', async () => {
    const dir = await tempDir();
    const model = new Model();
    await prepare(dir, model);
    const cache = await openTestCache({ dir, schema: SCHEMA, priorityTables: ['queue'], loadChunkRows: 50 });
    await cache.db.table('orders').put(order(7_000, 'user'));
    model.put(order(7_000, 'user'));
    await cache.close();
    await expect(cache.fullyLoaded).rejects.toMatchObject({ code: 'cache_closed' });

    const again = await openTestCache({ dir, schema: SCHEMA });
    expect(await ordersOf(again.db)).toEqual(model.sorted());
  });

  it('refuses a priority table the schema does not have', async () => {
    const dir = await tempDir();
    await expect(openTestCache({ dir, schema: SCHEMA, priorityTables: ['nope'] })).rejects.toMatchObject({ code: 'internal' });
  });
});
