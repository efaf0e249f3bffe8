import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { declareSchema, indexedDbEngine, type CacheDb } from '../../../../../electron/backend/cache/db';
import { CACHE_SCHEMA, CACHE_SCHEMA_VERSION } from '../../../../../electron/backend/cache/schema';
import { generateDataset } from '../../../../../electron/simulator/data';
import { viewOfState } from '../../../../../shared/domain/views';

describe('cache schema', () => {
  it('versions only grow, and each declares its tables', () => {
    const versions = CACHE_SCHEMA.map((entry) => entry.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(CACHE_SCHEMA_VERSION).toBe(versions.at(-1));
  });

  it('upgrades data written at version 1 and keeps every record', async () => {
    const factory = new indexedDbEngine.IDBFactory();
    const { orders, requests } = generateDataset({ seed: 12, orderCount: 120, startMs: Date.UTC(2026, 10, 26, 9) });
    const v1 = new Dexie('upgrade-test', { indexedDB: factory, IDBKeyRange: indexedDbEngine.IDBKeyRange });
    declareSchema(v1, CACHE_SCHEMA, 1);
    await v1.open();
    await v1.table('orders').bulkPut(orders);
    await v1.table('requests').bulkPut(requests.map((request) => ({ ...request, view: viewOfState(request.state) })));
    await v1.table('syncMarks').put({ resource: 'orders', since: '2026-11-26T09:00:00.000Z', cursor: null, lastSyncAt: null });
    v1.close();

    const latest = new Dexie('upgrade-test', { indexedDB: factory, IDBKeyRange: indexedDbEngine.IDBKeyRange }) as CacheDb;
    declareSchema(latest);
    await latest.open();
    expect(latest.verno).toBe(CACHE_SCHEMA_VERSION);
    expect(await latest.orders.count()).toBe(orders.length);
    expect(await latest.requests.count()).toBe(requests.length);
    expect(await latest.syncMarks.get('orders')).toMatchObject({ since: '2026-11-26T09:00:00.000Z' });
    const ordersById = new Map(orders.map((order) => [order.id, order]));
    for (const row of await latest.requests.toArray()) {
      const order = ordersById.get(row.orderId);
      expect(row.buyerName).toBe(order?.buyer.name);
      expect(row.terms).toContain(row.orderId.toLowerCase());
      expect(typeof row.amountKey).toBe('number');
    }
    // The new indexes answer.
    const target = requests[0];
    const term = target?.orderId.toLowerCase() ?? '';
    expect(await latest.searchTerms.where('[term+requestId]').between([term, Dexie.minKey], [`${term}\uffff`, Dexie.maxKey]).count()).toBeGreaterThan(0);
    // Amounts sort largest first by a negated key.
    for (const row of await latest.requests.toArray()) expect(row.amountKey).toBeLessThanOrEqual(0);
    latest.close();
  });
});
