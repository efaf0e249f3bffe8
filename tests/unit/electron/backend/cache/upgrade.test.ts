import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transaction } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { DurableSchemaVersion } from '../../../../../electron/backend/cache/durable';
import { closeOpenCaches, openTestCache, removeTempDirs, snapshotFiles, tempDir } from './helpers';

afterEach(async () => {
  await closeOpenCaches();
  await removeTempDirs();
});

/** Version 1 keeps prices as text; version 2 keeps integer cents, indexed, and adds a table. */
interface ProductV1 {
  sku: string;
  price: string;
}
interface ProductV2 {
  sku: string;
  priceMinor: number;
}

const V1: DurableSchemaVersion = { version: 1, stores: { products: 'sku', marks: 'name' } };
const V2: DurableSchemaVersion = {
  version: 2,
  stores: { products: 'sku, priceMinor', tags: '++id, sku' },
  async upgrade(tx: Transaction) {
    await tx
      .table('products')
      .toCollection()
      .modify((product: Record<string, unknown>) => {
        product.priceMinor = Math.round(Number.parseFloat(String(product.price)) * 100);
        delete product.price;
      });
  },
};

function productV1(index: number): ProductV1 {
  return { sku: `sku-${String(index).padStart(5, '0')}`, price: `${index}.${String(index % 100).padStart(2, '0')}` };
}

function expectedV2(index: number): ProductV2 {
  return { sku: `sku-${String(index).padStart(5, '0')}`, priceMinor: index * 100 + (index % 100) };
}

async function writeV1(dir: string, from: number, to: number, compactAfter: number | null): Promise<void> {
  const cache = await openTestCache({ dir, schema: [V1], snapshotChunkRows: 300, loadChunkRows: 250 });
  for (let start = from; start < to; start += 200) {
    const products = Array.from({ length: Math.min(200, to - start) }, (_, offset) => productV1(start + offset));
    await cache.db.table('products').bulkPut(products);
    if (compactAfter !== null && start + 200 >= compactAfter && start < compactAfter) await cache.compact();
  }
  await cache.db.table('marks').put({ name: 'written at', version: 1 });
  await cache.close();
}

describe('schema upgrades', () => {
  it('upgrades version-1 data (snapshot and journal) with the version-2 upgrade, keeping every record', async () => {
    const dir = await tempDir();
    await writeV1(dir, 0, 1_000, 600);
    const cache = await openTestCache({ dir, schema: [V1, V2], loadChunkRows: 250 });
    expect(cache.report.upgradedFrom).toBe(1);
    expect(cache.report.schemaVersion).toBe(2);
    expect(cache.report.snapshotUsed?.schemaVersion).toBe(1);
    expect(cache.report.recordsReplayed).toBeGreaterThan(0);
    expect(cache.report.messages).toContain('The cache was upgraded from schema version 1 to 2.');

    const products = (await cache.db.table('products').toArray()) as ProductV2[];
    expect(products).toHaveLength(1_000);
    expect(products).toEqual(Array.from({ length: 1_000 }, (_, index) => expectedV2(index)));
    // The new index works, and so does the new table.
    expect(await cache.db.table('products').where('priceMinor').between(10_000, 10_200).count()).toBe(2);
    expect(await cache.db.table('tags').add({ sku: 'sku-00001' })).toBe(1);
    expect(await cache.db.table('marks').get('written at')).toEqual({ name: 'written at', version: 1 });
  });

  it('upgrades version-1 data kept only in the journal', async () => {
    const dir = await tempDir();
    await writeV1(dir, 0, 500, null);
    expect(await snapshotFiles(dir)).toEqual([]);
    const cache = await openTestCache({ dir, schema: [V1, V2] });
    expect(cache.report.upgradedFrom).toBe(1);
    expect(cache.report.snapshotUsed).toBeNull();
    expect(await cache.db.table('products').toArray()).toEqual(Array.from({ length: 500 }, (_, index) => expectedV2(index)));
  });

  it('writes a snapshot at the new version once upgraded, and the next start needs no upgrade', async () => {
    const dir = await tempDir();
    await writeV1(dir, 0, 400, 200);
    const cache = await openTestCache({ dir, schema: [V1, V2] });
    expect(cache.stats().compacting).toBe(true);
    const written = await cache.compact();
    expect(written?.schemaVersion).toBe(2);
    await cache.db.table('products').put({ sku: 'sku-new', priceMinor: 1 });
    await cache.close();

    const again = await openTestCache({ dir, schema: [V1, V2] });
    expect(again.report.upgradedFrom).toBeNull();
    expect(again.report.snapshotUsed?.schemaVersion).toBe(2);
    expect(await again.db.table('products').count()).toBe(401);
  });

  it('rebuilds across the upgrade from the older snapshot when the newest is damaged', async () => {
    const dir = await tempDir();
    await writeV1(dir, 0, 400, 200);
    const upgraded = await openTestCache({ dir, schema: [V1, V2] });
    await upgraded.compact();
    // Written at version 2, after the version-2 snapshot.
    await upgraded.db.table('products').put({ sku: 'sku-00007', priceMinor: 99_999 });
    await upgraded.db.table('tags').add({ sku: 'sku-00007' });
    await upgraded.close();
    const names = await snapshotFiles(dir);
    expect(names.map((name) => name.replace(/^snapshot-\d+-/, ''))).toEqual(['v1.snap', 'v2.snap']);
    await writeFile(join(dir, names[1] ?? ''), 'damaged\n');

    const cache = await openTestCache({ dir, schema: [V1, V2] });
    expect(cache.report.fellBackToPreviousSnapshot).toBe(true);
    expect(cache.report.upgradedFrom).toBe(1);
    const products = (await cache.db.table('products').toArray()) as ProductV2[];
    expect(products).toHaveLength(400);
    expect(products.find((product) => product.sku === 'sku-00007')).toEqual({ sku: 'sku-00007', priceMinor: 99_999 });
    expect(products.filter((product) => product.sku !== 'sku-00007')).toEqual(
      Array.from({ length: 400 }, (_, index) => expectedV2(index)).filter((product) => product.sku !== 'sku-00007'),
    );
    expect(await cache.db.table('tags').toArray()).toEqual([{ id: 1, sku: 'sku-00007' }]);
  });

  it('refuses data at a version the schema no longer declares', async () => {
    const dir = await tempDir();
    await writeV1(dir, 0, 10, null);
    await expect(openTestCache({ dir, schema: [{ ...V2, upgrade: undefined }] })).rejects.toMatchObject({ code: 'cache_unknown_schema_version' });
  });
});
