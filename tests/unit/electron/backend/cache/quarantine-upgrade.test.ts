import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { declareSchema, indexedDbEngine, type CacheDb, type QuarantinedRow } from '../../../../../electron/backend/cache/db';
import { CACHE_SCHEMA_VERSION } from '../../../../../electron/backend/cache/schema';

const row = (recordId: string, receivedAt: string, excerpt = `{"id":"${recordId}"}`): QuarantinedRow => ({
  resource: 'orders',
  recordId,
  reason: `buyer.name: Too big (seen ${receivedAt})`,
  excerpt,
  receivedAt,
});

describe('cache schema v7: records set aside', () => {
  it('keeps the latest row of each record that was set aside again on every pass, and finds rows by resource and id', async () => {
    const factory = new indexedDbEngine.IDBFactory();
    const v6 = new Dexie('quarantine-upgrade', { indexedDB: factory, IDBKeyRange: indexedDbEngine.IDBKeyRange });
    declareSchema(v6, undefined, 6);
    await v6.open();
    await v6.table('quarantine').bulkAdd([
      row('o-1', '2026-11-26T09:00:00.000Z'),
      row('o-2', '2026-11-26T09:00:00.000Z'),
      row('o-1', '2026-11-26T10:00:00.000Z'),
      { ...row('r-1', '2026-11-26T10:00:00.000Z'), resource: 'requests' },
      row('', '2026-11-26T10:00:00.000Z', '"just a string"'),
      row('', '2026-11-26T10:00:00.000Z', '42'),
      row('o-1', '2026-11-26T11:00:00.000Z'),
      row('', '2026-11-26T11:00:00.000Z', '"just a string"'),
    ]);
    v6.close();

    const latest = new Dexie('quarantine-upgrade', { indexedDB: factory, IDBKeyRange: indexedDbEngine.IDBKeyRange }) as CacheDb;
    declareSchema(latest);
    await latest.open();
    expect(latest.verno).toBe(CACHE_SCHEMA_VERSION);
    const rows = await latest.quarantine.toArray();
    expect(rows.map((kept) => [kept.resource, kept.recordId, kept.excerpt, kept.receivedAt])).toEqual([
      ['orders', 'o-2', '{"id":"o-2"}', '2026-11-26T09:00:00.000Z'],
      ['requests', 'r-1', '{"id":"r-1"}', '2026-11-26T10:00:00.000Z'],
      ['orders', '', '42', '2026-11-26T10:00:00.000Z'],
      ['orders', 'o-1', '{"id":"o-1"}', '2026-11-26T11:00:00.000Z'],
      ['orders', '', '"just a string"', '2026-11-26T11:00:00.000Z'],
    ]);
    expect(await latest.quarantine.where('[resource+recordId]').equals(['orders', 'o-1']).count()).toBe(1);
    latest.close();
  });
});
