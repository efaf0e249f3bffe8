import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, openPrivate } from '../../../../../electron/backend/cache/files';
import { closeOpenCaches, item, journalFiles, openTestCache, removeTempDirs, snapshotFiles, tempDir } from './helpers';

// POSIX modes only: Windows has none to check (the user's profile folder protects the data there).
const posix = process.platform !== 'win32';
if (!posix) console.info('cache/files.test.ts: file modes are not checked on Windows, which has no POSIX modes');

afterEach(async () => {
  await closeOpenCaches();
  await removeTempDirs();
});

async function modeOf(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

describe.runIf(posix)('the cache on disk is this user’s alone', () => {
  it('creates its folder (and a missing data folder) 0700, and its journal and snapshots 0600', async () => {
    const dataDir = join(await tempDir(), 'data');
    const dir = join(dataDir, 'cache');
    const cache = await openTestCache({ dir });
    await cache.db.table('items').bulkPut([item('a', 1), item('b', 2)]);
    await cache.flush();
    expect(await cache.compact()).not.toBeNull();
    await cache.db.table('items').put(item('c', 3));
    await cache.flush();

    const journals = await journalFiles(dir);
    const snapshots = await snapshotFiles(dir);
    expect(journals.length).toBeGreaterThan(0);
    expect(snapshots.length).toBeGreaterThan(0);
    expect(await modeOf(dataDir)).toBe('700');
    expect(await modeOf(dir)).toBe('700');
    for (const name of await readdir(dir)) expect([name, await modeOf(join(dir, name))]).toEqual([name, '600']);
  });

  it('narrows a folder an older version created 0755', async () => {
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await ensurePrivateDir(dir);
    expect(await modeOf(dir)).toBe('700');
  });

  it('narrows a reused file (a temp file left by a crash) to 0600', async () => {
    const file = join(await tempDir(), 'left-over.tmp');
    await writeFile(file, 'old', { mode: 0o644 });
    await chmod(file, 0o644);
    const handle = await openPrivate(file, 'w');
    await handle.close();
    expect(await modeOf(file)).toBe('600');
  });
});
