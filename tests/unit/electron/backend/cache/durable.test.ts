import { stat } from 'node:fs/promises';
import type { IndexableType } from 'dexie';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../../../../shared/errors';
import {
  closeOpenCaches,
  copyDir,
  dump,
  item,
  journalFiles,
  openTestCache,
  removeTempDirs,
  snapshotFiles,
  tempDir,
  testClock,
  type Item,
} from './helpers';

afterEach(async () => {
  await closeOpenCaches();
  await removeTempDirs();
});

describe('durable cache: round trip', () => {
  it('brings back every kind of write after a clean close, from the journal alone', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const { db } = cache;
    expect(cache.report.fresh).toBe(true);

    await db.table('items').bulkPut([item('a', 1), item('b', 2), item('c', 3, 'g2'), item('d', 4, 'g2')]);
    await db.table('items').where('group').equals('g2').modify({ note: 'moved' });
    await db
      .table('items')
      .filter((row: Item) => row.n > 3)
      .modify((row: Item) => {
        row.n *= 10;
      });
    await db.table('items').update('a', { note: 'first' });
    await db.table('items').bulkDelete(['b']);
    await db.table('events').bulkAdd([{ kind: 'x' }, { kind: 'y' }, { kind: 'z' }]);
    await db.table('events').where('seq').above(2).delete();
    await db.table('blobs').put({ bytes: 3 }, 'k1');
    await db.table('blobs').put({ bytes: 4 }, ['compound', 2]);
    await db.transaction('rw', ['items', 'blobs'], async () => {
      await db.table('items').put(item('e', 5));
      await db.table('blobs').clear();
      await db.table('blobs').put({ bytes: 5 }, 'k2');
    });
    const before = await dump(db);
    await cache.close();

    const reopened = await openTestCache({ dir });
    await reopened.fullyLoaded;
    expect(reopened.report.recordsReplayed).toBe(10);
    expect(reopened.report.snapshotUsed).toBeNull();
    expect(await dump(reopened.db)).toEqual(before);
    // The auto-increment key generator goes on where it was.
    expect(await reopened.db.table('events').add({ kind: 'w' })).toBe(4);
  });

  it('brings back the same cache from a snapshot plus the journal after it, over several chunks', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir, snapshotChunkRows: 7, loadChunkRows: 5 });
    const rows = Array.from({ length: 40 }, (_, index) => item(`i${String(index).padStart(3, '0')}`, index));
    await cache.db.table('items').bulkPut(rows);
    await cache.db.table('events').bulkAdd(Array.from({ length: 12 }, (_, index) => ({ kind: `k${index}` })));
    // Keys outside the rows, simple and compound.
    await cache.db.transaction('rw', 'blobs', async () => {
      for (let index = 0; index < 9; index += 1) {
        const key: IndexableType = index % 2 === 0 ? `b${index}` : ['pair', index];
        await cache.db.table('blobs').put({ bytes: index }, key);
      }
    });
    const written = await cache.compact();
    expect(written?.rows).toEqual({ items: 40, events: 12, blobs: 9 });
    await cache.db.table('items').delete('i003');
    await cache.db.table('items').put({ ...item('i004', 400), note: 'after the snapshot' });
    const before = await dump(cache.db);
    await cache.close();

    const reopened = await openTestCache({ dir, loadChunkRows: 5 });
    await reopened.fullyLoaded;
    expect(reopened.report.snapshotUsed?.seq).toBe(written?.seq);
    expect(reopened.report.recordsReplayed).toBe(2);
    expect(await dump(reopened.db)).toEqual(before);
  });

  it('journals only the rows that were written when a bulk add partly fails and the transaction goes on', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    await cache.db.table('items').put(item('taken', 1));
    await cache.db.transaction('rw', 'items', async () => {
      const failed: unknown = await cache.db
        .table('items')
        .bulkAdd([item('new-1', 2), item('taken', 3), item('new-2', 4)])
        .catch((error: unknown) => error);
      expect(failed).toMatchObject({ name: 'BulkError' });
    });
    const before = await dump(cache.db);
    expect(before.items?.map(([key]) => key)).toEqual(['new-1', 'new-2', 'taken']);
    await cache.close();
    const reopened = await openTestCache({ dir });
    expect(await dump(reopened.db)).toEqual(before);
  });

  it('does not journal a transaction that aborts', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    await cache.db.table('items').put(item('kept', 1));
    await expect(
      cache.db.transaction('rw', 'items', async () => {
        await cache.db.table('items').put(item('rolled-back', 2));
        throw new DeskError('invalid_input', 'changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await cache.close();
    const reopened = await openTestCache({ dir });
    expect(await reopened.db.table('items').toCollection().primaryKeys()).toEqual(['kept']);
    expect(reopened.report.recordsReplayed).toBe(1);
  });

  it('refuses a key it cannot write down, before writing anything', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const error: unknown = await cache.db
      .table('blobs')
      .put({ bytes: 1 }, new Date(START))
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DeskError);
    expect(error).toMatchObject({ code: 'cache_unsupported_key' });
    expect(await cache.db.table('blobs').count()).toBe(0);
  });
});

const START = Date.UTC(2026, 0, 1);

describe('durable cache: durability levels', () => {
  it('keeps committed transactions in memory until the group commit, then writes them in one go', async () => {
    const dir = await tempDir();
    const clock = testClock();
    const cache = await openTestCache({ dir, clock, groupCommitMs: 50 });
    await cache.db.table('items').put(item('a', 1));
    await cache.db.table('items').put(item('b', 2));
    // Nothing reached the disk yet: a crash now would lose both (sync writes may group-commit).
    expect(await journalFiles(dir)).toEqual([]);
    expect(cache.stats()).toMatchObject({ lastSeq: 2, flushedSeq: 0 });
    const crashedNow = await copyDir(dir);
    const lost = await openTestCache({ dir: crashedNow });
    expect(await lost.db.table('items').count()).toBe(0);

    await cache.flush();
    expect(cache.stats()).toMatchObject({ lastSeq: 2, flushedSeq: 2 });
    const crashedAfterFlush = await copyDir(dir);
    const kept = await openTestCache({ dir: crashedAfterFlush });
    expect(await dump(kept.db)).toEqual(await dump(cache.db));
  });

  it('flush() covers every transaction committed before it, even while another write is in flight', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    for (let round = 0; round < 5; round += 1) {
      await cache.db.table('items').bulkPut([item(`r${round}a`, round), item(`r${round}b`, round)]);
      const first = cache.flush();
      await cache.db.table('events').add({ kind: `round ${round}` });
      const second = cache.flush();
      await Promise.all([first, second]);
      const crashed = await copyDir(dir);
      const recovered = await openTestCache({ dir: crashed });
      await recovered.fullyLoaded;
      expect(await dump(recovered.db)).toEqual(await dump(cache.db));
      await recovered.close();
    }
  });

  it('flush() with nothing pending resolves at once and touches no file', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    await cache.db.table('items').put(item('a', 1));
    await cache.flush();
    const [segment] = await journalFiles(dir);
    const before = await stat(join(dir, segment ?? ''));
    let resolved = false;
    const flushed = cache.flush().then(() => {
      resolved = true;
    });
    await Promise.resolve();
    expect(resolved).toBe(true);
    await flushed;
    expect((await stat(join(dir, segment ?? ''))).size).toBe(before.size);
  });

  it('close() writes what is pending', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir, groupCommitMs: 60_000 });
    await cache.db.table('items').put(item('a', 1));
    await cache.close();
    const reopened = await openTestCache({ dir });
    expect(await reopened.db.table('items').get('a')).toEqual(item('a', 1));
  });
});

describe('durable cache: compaction', () => {
  it('keeps the newest two snapshots and the journal since the older one', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const snapshotsSeen: string[][] = [];
    for (let round = 1; round <= 4; round += 1) {
      await cache.db.table('items').put(item(`round${round}`, round));
      await cache.compact();
      snapshotsSeen.push(await snapshotFiles(dir));
    }
    expect(snapshotsSeen.map((names) => names.length)).toEqual([1, 2, 2, 2]);
    const [older, newer] = await snapshotFiles(dir);
    expect(older).toMatch(/^snapshot-000000000003-v1\.snap$/);
    expect(newer).toMatch(/^snapshot-000000000004-v1\.snap$/);
    // Segments: the one since the older snapshot, and the (empty) one after the newest.
    const segments = cache.stats().segments;
    expect(segments).toBe((await journalFiles(dir)).length);
    expect(segments).toBeLessThanOrEqual(3);
    expect(await cache.compact()).toBeNull();
  });

  it('compacts on its own once the journal is past the threshold and writes pause', async () => {
    const dir = await tempDir();
    const clock = testClock();
    const cache = await openTestCache({ dir, clock, compactAfterBytes: 2_000, compactWhenIdleMs: 500 });
    await cache.fullyLoaded;
    for (let index = 0; index < 30; index += 1) await cache.db.table('items').put({ ...item(`i${index}`, index), note: 'x'.repeat(100) });
    expect(cache.stats().compacting).toBe(false);
    clock.advance(499);
    expect(cache.stats().compacting).toBe(false);
    clock.advance(1);
    expect(cache.stats().compacting).toBe(true);
    const written = await cache.compact();
    expect(written?.seq).toBe(30);
    expect(cache.stats().journalBytesSinceSnapshot).toBe(0);
  });

  it('compacts at once, writes or not, once the journal is four times past the threshold', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir, compactAfterBytes: 1_000, compactWhenIdleMs: 60_000 });
    await cache.fullyLoaded;
    let index = 0;
    while (!cache.stats().compacting) {
      await cache.db.table('items').put({ ...item(`i${index}`, index), note: 'x'.repeat(100) });
      index += 1;
    }
    // Well past the threshold, and the idle timer never fired (this clock does not move).
    expect(index).toBeGreaterThan(10);
    await cache.compact();
    expect(await snapshotFiles(dir)).toHaveLength(1);
  });

  it('writes that happen during a compaction are all kept', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir, snapshotChunkRows: 3 });
    await cache.db.table('items').bulkPut(Array.from({ length: 30 }, (_, index) => item(`i${String(index).padStart(2, '0')}`, index)));
    const compaction = cache.compact();
    // Writes interleave with the snapshot's chunked reads: some land before, some after.
    for (let index = 0; index < 30; index += 3) {
      await cache.db.table('items').put(item(`i${String(index).padStart(2, '0')}`, 1000 + index));
      await cache.db.table('items').delete(`i${String(index + 1).padStart(2, '0')}`);
    }
    await compaction;
    const before = await dump(cache.db);
    await cache.close();
    const reopened = await openTestCache({ dir });
    await reopened.fullyLoaded;
    expect(await dump(reopened.db)).toEqual(before);
  });
});

describe('durable cache: errors', () => {
  it('rejects a call after close with a clear error', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    await cache.close();
    await expect(cache.compact()).rejects.toMatchObject({ code: 'cache_closed' });
  });
});
