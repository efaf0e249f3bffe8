/**
 * Child process for crash.test.ts: opens a durable cache in the folder given, goes on from the
 * transaction it recovered, and writes transactions until it is killed. It prints `COMMITTED <n>`
 * when transaction n has committed in memory, and `FLUSHED <n>` when a flush has put it and all
 * before it on disk. Between flushes, writes are group-committed, some transactions are large
 * (so writing them takes a while) and compaction runs often, so a kill lands anywhere:
 * mid-append, mid-fsync, mid-snapshot.
 *
 * Transaction n: log row n, delete log row n - 5, pair rows a and b both set to n, and every
 * seventh one also a batch of filler rows. A recovered cache is the state after exactly some
 * transaction.
 */
import { openDurableCache, type DurableSchemaVersion } from '../../../electron/backend/cache/durable';
import { clockFromParent } from '../../support/child-env';

export const CRASH_SCHEMA: readonly DurableSchemaVersion[] = [{ version: 1, stores: { log: 'id', pairs: 'id', filler: 'id, tx' } }];
export const FLUSH_EVERY = 20;
export const FILLER_EVERY = 7;
export const FILLER_ROWS = 60;

export const crashCacheOptions = {
  schema: CRASH_SCHEMA,
  groupCommitMs: 2,
  compactAfterBytes: 64_000,
  compactWhenIdleMs: 0,
  snapshotChunkRows: 7,
};

async function main(dir: string): Promise<void> {
  const cache = await openDurableCache({ dir, clock: clockFromParent(), ...crashCacheOptions });
  await cache.fullyLoaded;
  const { db } = cache;
  const pair = (await db.table('pairs').get('a')) as { n: number } | undefined;
  let n = pair?.n ?? 0;
  process.stdout.write(`STARTED ${n}\n`);
  for (;;) {
    n += 1;
    const tx = n;
    await db.transaction('rw', ['log', 'pairs', 'filler'], async () => {
      await db.table('log').put({ id: tx, note: 'x'.repeat(40 + (tx % 50)) });
      if (tx > 5) await db.table('log').delete(tx - 5);
      await db.table('pairs').bulkPut([
        { id: 'a', n: tx },
        { id: 'b', n: tx },
      ]);
      if (tx % FILLER_EVERY === 0) {
        await db.table('filler').bulkPut(Array.from({ length: FILLER_ROWS }, (_, index) => ({ id: `f${tx}-${index}`, tx, text: 'y'.repeat(600) })));
      }
    });
    process.stdout.write(`COMMITTED ${tx}\n`);
    if (tx % FLUSH_EVERY === 0) {
      await cache.flush();
      process.stdout.write(`FLUSHED ${tx}\n`);
    }
  }
}

const dir = process.argv[2];
if (dir !== undefined) {
  main(dir).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
