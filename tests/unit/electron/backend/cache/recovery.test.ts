import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { DurableCache } from '../../../../../electron/backend/cache/durable';
import {
  closeOpenCaches,
  copyDir,
  dump,
  item,
  journalFiles,
  openTestCache,
  recordBounds,
  removeTempDirs,
  snapshotFiles,
  TEST_SCHEMA,
  tempDir,
  testClock,
} from './helpers';

afterEach(async () => {
  await closeOpenCaches();
  await removeTempDirs();
});

type Dump = Awaited<ReturnType<typeof dump>>;

/** Runs `count` transactions (the last one multi-table), answering the cache's state after each. */
async function writeTransactions(db: Dexie, count: number, from = 1): Promise<Dump[]> {
  const states: Dump[] = [];
  for (let index = from; index < from + count; index += 1) {
    await db.transaction('rw', ['items', 'events'], async () => {
      await db.table('items').bulkPut([item(`t${index}-a`, index), item(`t${index}-b`, index)]);
      if (index > 1) await db.table('items').delete(`t${index - 1}-b`);
      await db.table('events').add({ kind: `transaction ${index}` });
    });
    states.push(await dump(db));
  }
  return states;
}

function flipByte(buffer: Buffer, at: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[at] = (copy[at] ?? 0) ^ 0x5a;
  return copy;
}

async function fileMap(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = (await readFile(join(dir, name))).toString('base64');
  return files;
}

describe('recovery: torn journal tail', () => {
  it('recovers to the previous whole transaction whatever byte of the last record the journal ends at', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const states = await writeTransactions(cache.db, 4);
    await cache.close();
    const [segment] = await journalFiles(dir);
    const bounds = await recordBounds(join(dir, segment ?? ''));
    const last = bounds.at(-1);
    if (last === undefined || segment === undefined) throw new Error('the journal holds no record');
    expect(bounds).toHaveLength(4);

    for (let cut = last.start; cut < last.end; cut += 1) {
      const crashed = await copyDir(dir);
      await truncate(join(crashed, segment), cut);
      const recovered: DurableCache = await openTestCache({ dir: crashed });
      expect(await dump(recovered.db)).toEqual(states[2]);
      expect(recovered.report.lastSeq).toBe(3);
      expect(recovered.report.corruption).toBeNull();
      if (cut === last.start) {
        expect(recovered.report.droppedTail).toBeNull();
      } else {
        expect(recovered.report.droppedTail).toMatchObject({ file: join(crashed, segment), offset: last.start, bytes: cut - last.start, records: 1 });
        expect(recovered.report.messages.join(' ')).toContain('cut off');
      }
      // The journal was cut back to its last whole record.
      expect((await stat(join(crashed, segment))).size).toBe(last.start);
      await recovered.close();
    }
  });

  it('treats a last record that fails its checksum as torn, and carries on cleanly after the repair', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const states = await writeTransactions(cache.db, 3);
    await cache.close();
    const [segment = ''] = await journalFiles(dir);
    const file = join(dir, segment);
    const bytes = await readFile(file);
    await writeFile(file, flipByte(bytes, bytes.length - 5));

    const recovered = await openTestCache({ dir });
    expect(await dump(recovered.db)).toEqual(states[1]);
    expect(recovered.report.droppedTail?.message).toContain('fails its checksum');
    const after = await writeTransactions(recovered.db, 2, 10);
    await recovered.close();

    const again = await openTestCache({ dir });
    expect(again.report.droppedTail).toBeNull();
    expect(again.report.corruption).toBeNull();
    expect(await dump(again.db)).toEqual(after[1]);
  });
});

describe('recovery: damage in the middle of the journal', () => {
  it('detects a flipped byte, reports it, keeps the damaged file and recovers up to the last good record', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const states = await writeTransactions(cache.db, 6);
    await cache.close();
    const [segment = ''] = await journalFiles(dir);
    const file = join(dir, segment);
    const bounds = await recordBounds(file);
    const third = bounds[2];
    if (third === undefined) throw new Error('the journal holds fewer than three records');
    const original = await readFile(file);
    const damaged = flipByte(original, third.start + 30);
    await writeFile(file, damaged);

    const recovered = await openTestCache({ dir });
    expect(await dump(recovered.db)).toEqual(states[1]);
    const { corruption } = recovered.report;
    expect(corruption).toMatchObject({ file, offset: third.start, lastGoodSeq: 2, setAside: [] });
    expect(corruption?.message).toContain('damaged at byte');
    // The damaged file is kept whole beside the repaired one, which ends at the last good record.
    expect(corruption?.keptAs).toMatch(/journal-00000001\.log\.damaged-\d+$/);
    expect(await readFile(corruption?.keptAs ?? '')).toEqual(damaged);
    expect((await stat(file)).size).toBe(third.start);
    expect(recovered.report.messages.join(' ')).toContain(corruption?.keptAs ?? '?');

    // Writing goes on from transaction 3; the next start finds nothing wrong.
    const after = await writeTransactions(recovered.db, 1, 20);
    await recovered.close();
    const again = await openTestCache({ dir });
    expect(again.report.corruption).toBeNull();
    expect(again.report.lastSeq).toBe(3);
    expect(await dump(again.db)).toEqual(after[0]);
  });

  it('keeps every damaged copy, even two made in the same millisecond', async () => {
    const dir = await tempDir();
    const clock = testClock();
    const cache = await openTestCache({ dir, clock });
    await writeTransactions(cache.db, 6);
    await cache.close();
    const [segment = ''] = await journalFiles(dir);
    const file = join(dir, segment);
    const kept: string[] = [];
    for (const record of [3, 1]) {
      const bounds = await recordBounds(file);
      const damaged = flipByte(await readFile(file), (bounds[record]?.start ?? 0) + 30);
      await writeFile(file, damaged);
      const recovered = await openTestCache({ dir, clock });
      expect(recovered.report.corruption?.lastGoodSeq).toBe(record);
      kept.push(recovered.report.corruption?.keptAs ?? '');
      await recovered.close();
    }
    expect(kept[1]).toBe(`${kept[0] ?? ''}-2`);
    expect((await readdir(dir)).filter((name) => name.startsWith(`${segment}.damaged-`))).toHaveLength(2);
  });

  it('leaves alone a damaged segment that the snapshot in use already covers', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    await writeTransactions(cache.db, 3);
    await cache.compact();
    const states = await writeTransactions(cache.db, 2, 4);
    await cache.close();
    const [first = ''] = await journalFiles(dir);
    await writeFile(join(dir, first), flipByte(await readFile(join(dir, first)), 40));

    const recovered = await openTestCache({ dir });
    expect(recovered.report.corruption).toBeNull();
    expect(recovered.report.recordsReplayed).toBe(2);
    expect(await dump(recovered.db)).toEqual(states[1]);
    expect((await readdir(dir)).filter((name) => name.includes('.damaged-'))).toEqual([]);
  });

  it('does not apply later segments after damage, and keeps them aside', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const states = await writeTransactions(cache.db, 2);
    await cache.compact();
    await writeTransactions(cache.db, 2, 3);
    await cache.compact();
    await writeTransactions(cache.db, 2, 5);
    await cache.close();
    // Newest snapshot unreadable: recovery falls back to the older one and replays 3, 4, 5, 6.
    const [older = '', newest = ''] = await snapshotFiles(dir);
    await writeFile(join(dir, newest), 'not a snapshot\n');
    // Segment 1 (transactions 1-2) went with the first compaction's successor; 2 holds 3-4, 3 holds 5-6.
    const segments = await journalFiles(dir);
    expect(segments).toEqual(['journal-00000002.log', 'journal-00000003.log']);
    const middle = join(dir, segments[0] ?? '');
    const bounds = await recordBounds(middle);
    await writeFile(middle, flipByte(await readFile(middle), (bounds[0]?.start ?? 0) + 25));

    const recovered = await openTestCache({ dir });
    expect(recovered.report.snapshotUsed?.file).toBe(join(dir, older));
    expect(recovered.report.fellBackToPreviousSnapshot).toBe(true);
    expect(recovered.report.corruption).toMatchObject({ file: middle, lastGoodSeq: 2 });
    expect(recovered.report.corruption?.setAside).toEqual([expect.stringMatching(/journal-00000003\.log\.damaged-\d+$/)]);
    expect(await dump(recovered.db)).toEqual(states[1]);
    expect(await readdir(dir)).toContain((recovered.report.corruption?.setAside[0] ?? '').split('/').at(-1));
  });
});

describe('recovery: snapshots', () => {
  const damages: [string, (bytes: Buffer) => Buffer][] = [
    ['a flipped byte', (bytes) => flipByte(bytes, Math.floor(bytes.length / 2))],
    ['a cut-short file', (bytes) => bytes.subarray(0, bytes.length - 10)],
    ['a file cut at a line end', (bytes) => bytes.subarray(0, bytes.lastIndexOf(0x0a, bytes.length - 2) + 1)],
    ['an empty file', () => Buffer.alloc(0)],
  ];

  for (const [what, damage] of damages) {
    it(`falls back to the previous snapshot and the journal since it when the newest has ${what}`, async () => {
      const dir = await tempDir();
      const cache = await openTestCache({ dir, snapshotChunkRows: 2 });
      await writeTransactions(cache.db, 3);
      await cache.compact();
      await writeTransactions(cache.db, 3, 4);
      await cache.compact();
      const states = await writeTransactions(cache.db, 2, 7);
      await cache.close();
      const [older = '', newest = ''] = await snapshotFiles(dir);
      const newestFile = join(dir, newest);
      const bad = damage(await readFile(newestFile));
      await writeFile(newestFile, bad);

      const recovered = await openTestCache({ dir });
      // Nothing lost: the journal since the previous snapshot was kept for exactly this.
      expect(await dump(recovered.db)).toEqual(states[1]);
      expect(recovered.report.fellBackToPreviousSnapshot).toBe(true);
      expect(recovered.report.snapshotUsed?.file).toBe(join(dir, older));
      const [problem] = recovered.report.snapshotProblems;
      expect(problem?.file).toBe(newestFile);
      expect(problem?.message).toContain(newestFile);
      expect(problem?.message).toMatch(/damaged: .+/);
      expect(await readFile(problem?.keptAs ?? '')).toEqual(bad);
      expect(recovered.report.messages.join(' ')).toContain('previous snapshot');

      // A fresh snapshot is written once everything is loaded, so the cache stops depending on the old one.
      expect(recovered.stats().compacting).toBe(true);
      const written = await recovered.compact();
      expect(written?.seq).toBe(8);
      await recovered.close();
      const again = await openTestCache({ dir });
      expect(again.report.snapshotProblems).toEqual([]);
      expect(again.report.snapshotUsed?.seq).toBe(8);
      expect(await dump(again.db)).toEqual(states[1]);
    });
  }

  it('refuses to open, and changes no file, when no snapshot is usable and the journal cannot rebuild the cache', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    for (let round = 1; round <= 3; round += 1) {
      await writeTransactions(cache.db, 1, round);
      await cache.compact();
    }
    await cache.close();
    for (const name of await snapshotFiles(dir)) await writeFile(join(dir, name), 'garbage\n');
    const before = await fileMap(dir);

    const error: unknown = await openTestCache({ dir }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'cache_unrecoverable' });
    expect((error as Error).message).toContain('cannot be recovered');
    expect((error as Error).message).toContain('snapshot-000000000003-v1.snap');
    expect(await fileMap(dir)).toEqual(before);
  });

  it('refuses a cache written by a newer schema, and changes no file', async () => {
    const dir = await tempDir();
    const newer = [...TEST_SCHEMA, { version: 2, stores: { items: 'id, group, [group+id], n' } }];
    const cache = await openTestCache({ dir, schema: newer });
    await writeTransactions(cache.db, 2);
    await cache.compact();
    await cache.close();
    const before = await fileMap(dir);
    await expect(openTestCache({ dir })).rejects.toMatchObject({ code: 'cache_newer_schema' });
    expect(await fileMap(dir)).toEqual(before);
  });

  it('refuses a journal written by a newer schema before repairing anything in it', async () => {
    const dir = await tempDir();
    const newer = [...TEST_SCHEMA, { version: 2, stores: { items: 'id, group, [group+id], n' } }];
    const cache = await openTestCache({ dir, schema: newer });
    await writeTransactions(cache.db, 3);
    await cache.close();
    const [segment = ''] = await journalFiles(dir);
    const bytes = await readFile(join(dir, segment));
    await writeFile(join(dir, segment), bytes.subarray(0, bytes.length - 7));
    const before = await fileMap(dir);
    await expect(openTestCache({ dir })).rejects.toMatchObject({ code: 'cache_newer_schema' });
    expect(await fileMap(dir)).toEqual(before);
  });

  it('throws away a snapshot temp file left by a crash in the middle of a compaction', async () => {
    const dir = await tempDir();
    const cache = await openTestCache({ dir });
    const states = await writeTransactions(cache.db, 2);
    await cache.close();
    await writeFile(join(dir, 'snapshot-000000000002-v1.snap.tmp'), 'half a snap');
    const recovered = await openTestCache({ dir });
    expect(await dump(recovered.db)).toEqual(states[1]);
    expect(await readdir(dir)).not.toContain('snapshot-000000000002-v1.snap.tmp');
  });
});
