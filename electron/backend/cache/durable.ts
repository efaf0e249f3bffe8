import Dexie, { type DBCoreTableSchema, type Transaction } from 'dexie';
import type { Clock } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';
import { silentLogger, type Logger } from '../log';
import { type CapturedTransaction, journalCaptureMiddleware, type TouchedWrite } from './capture';
import { removeIfPresent, syncDirectory } from './files';
import { encodeTextFrame } from './frame';
import { type JournalOp, JournalWriter } from './journal';
import { type CacheKey, isCacheKey, KeySet, withKeyAt } from './keys';
import { rawIndexedDb, type RawDatabase, type RawKeyRange, type RawObjectStore, whenDone } from './raw-idb';
import { type DroppedTail, type JournalCorruption, recover, type Recovery, type ReplayRecord, type SnapshotFileRef, type SnapshotProblem } from './recovery';
import { type RowChunk, type SnapshotTable, type VerifiedSnapshot, writeSnapshot, type WrittenSnapshot } from './snapshot-file';

/**
 * A Dexie database on fake-indexeddb (in memory) made durable on disk (design.md §4):
 *
 * - every committed write transaction is appended to a journal (journal.ts), group-committed;
 *   `flush()` makes everything committed so far durable;
 * - `compact()` (also run automatically as the journal grows) writes a snapshot of every table
 *   (snapshot-file.ts) and starts a new journal segment; the previous snapshot and the journal
 *   since it are kept, so a damaged newest snapshot falls back to it;
 * - `openDurableCache()` recovers (recovery.ts): snapshot, then journal replay, upgrading data
 *   written at an older schema version through Dexie's own upgrade functions, loading the
 *   priority tables first and the rest in the background.
 *
 * The module knows nothing of orders or requests: the schema comes in as Dexie versions.
 */

/** One Dexie version of the schema. Never edit a shipped version: add one with an upgrade. */
export interface DurableSchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

export interface DurableCacheOptions {
  /** Directory for the journal and snapshots (created if missing); nothing else should live there. */
  dir: string;
  schema: readonly DurableSchemaVersion[];
  clock: Clock;
  log?: Logger;
  /** The in-memory database's name (it has its own IndexedDB factory, so any name will do). */
  name?: string;
  /**
   * Tables loaded before open() resolves; the rest load in the background (see fullyLoaded).
   * While a table loads, blind writes to it (put, delete, clear, range deletes) are safe: the
   * loader never overwrites them. Reads see only the rows loaded so far, so anything that reads
   * before it writes (modify(), update(), get-then-put) should wait for fullyLoaded.
   */
  priorityTables?: readonly string[];
  /** Longest time a committed transaction waits in memory before the journal is fsynced. Default 50. */
  groupCommitMs?: number;
  /**
   * Compact once the journal since the last snapshot is larger than this many bytes, or than the
   * last snapshot if that is larger (so compaction costs stay proportional to writes). Default
   * 64 MiB. Infinity turns automatic compaction off.
   */
  compactAfterBytes?: number;
  /**
   * Automatic compaction waits until no transaction has committed for this long (a sync pass is
   * a burst of writes, and compaction competes with it for the one thread), unless the journal
   * grows past four times the threshold. Default 1000.
   */
  compactWhenIdleMs?: number;
  /** Rows per transaction when loading (fake-indexeddb is quadratic in one huge one). Default 1000. */
  loadChunkRows?: number;
  /** Rows per line (and per read transaction) when writing a snapshot. Default 1000. */
  snapshotChunkRows?: number;
}

/** What open() found and did; every problem comes with a sentence for the log. */
export interface RecoveryReport {
  /** The snapshot the cache was rebuilt from, or null (first start, or journal only). */
  snapshotUsed: { file: string; seq: number; schemaVersion: number; bytes: number; rows: Record<string, number> } | null;
  /** The newest snapshot was damaged and an older one was used. */
  fellBackToPreviousSnapshot: boolean;
  /** Snapshots that could not be used, each kept aside under a new name. */
  snapshotProblems: SnapshotProblem[];
  /** Journal transactions applied on top of the snapshot. */
  recordsReplayed: number;
  /** Sequence number of the last transaction recovered. */
  lastSeq: number;
  droppedTail: DroppedTail | null;
  corruption: JournalCorruption | null;
  /** The schema version the data was at before this open upgraded it, or null. */
  upgradedFrom: number | null;
  schemaVersion: number;
  /** Tables that were loaded before open() resolved (all of them after an upgrade). */
  loadedFirst: string[];
  /** No cache files were found: a first start. */
  fresh: boolean;
  /** One sentence per thing a person should know about, for the caller to log (open() does not). */
  messages: string[];
}

export interface DurableStats {
  lastSeq: number;
  flushedSeq: number;
  journalBytesSinceSnapshot: number;
  snapshot: SnapshotFileRef | null;
  segments: number;
  compacting: boolean;
}

export interface DurableCache<TDb extends Dexie = Dexie> {
  /** The database; use it as any Dexie database (write in chunks of 500-2,000 rows). */
  readonly db: TDb;
  readonly report: RecoveryReport;
  /** Resolves when every table is loaded; rejects if the background load failed. */
  readonly fullyLoaded: Promise<void>;
  /** Whether a table is fully loaded (priority tables always are). */
  isLoaded(table: string): boolean;
  /** Resolves when every transaction committed before the call is on disk. Free when nothing is pending. */
  flush(): Promise<void>;
  /** Writes a snapshot and drops journal segments no longer needed; null when nothing changed. */
  compact(): Promise<WrittenSnapshot | null>;
  stats(): DurableStats;
  /** Stops timers and background work, flushes, closes files and the database. */
  close(): Promise<void>;
}

const DEFAULT_GROUP_COMMIT_MS = 50;
const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
const DEFAULT_COMPACT_WHEN_IDLE_MS = 1000;
/** Past this many times the threshold, compaction runs even while writes keep coming. */
const COMPACT_HARD_FACTOR = 4;
const DEFAULT_CHUNK_ROWS = 1000;

/** What a table's loader must not overwrite: writes made by the app while the table was loading. */
class LoadGuard {
  private readonly keys = new KeySet();
  private readonly ranges: RawKeyRange[] = [];
  cleared = false;

  record(write: TouchedWrite): void {
    switch (write.kind) {
      case 'keys':
        for (const key of write.keys) this.keys.add(key);
        return;
      case 'range':
        this.ranges.push(toRawRange(write.lower, write.upper, write.lowerOpen, write.upperOpen));
        return;
      case 'clear':
        this.cleared = true;
        return;
    }
  }

  /** Whether the app wrote this key (or deleted a range holding it) after loading began. */
  blocks(key: unknown): boolean {
    return this.cleared || this.keys.has(key) || this.ranges.some((range) => range.includes(key));
  }

  get empty(): boolean {
    return !this.cleared && this.keys.size === 0 && this.ranges.length === 0;
  }
}

function toRawRange(lower: CacheKey | undefined, upper: CacheKey | undefined, lowerOpen: boolean, upperOpen: boolean): RawKeyRange {
  const { IDBKeyRange } = rawIndexedDb;
  if (lower !== undefined && upper !== undefined) return IDBKeyRange.bound(lower, upper, lowerOpen, upperOpen);
  if (lower !== undefined) return IDBKeyRange.lowerBound(lower, lowerOpen);
  if (upper !== undefined) return IDBKeyRange.upperBound(upper, upperOpen);
  return IDBKeyRange.lowerBound(Number.NEGATIVE_INFINITY);
}

function declareVersions(db: Dexie, schema: readonly DurableSchemaVersion[], upTo: number): void {
  for (const entry of schema) {
    if (entry.version > upTo) break;
    const version = db.version(entry.version).stores(entry.stores);
    if (entry.upgrade !== undefined) version.upgrade(entry.upgrade);
  }
}

function checkSchema(schema: readonly DurableSchemaVersion[]): number {
  const last = schema.at(-1);
  if (last === undefined) throw new DeskError('internal', 'The durable cache needs at least one schema version.');
  schema.forEach((entry, index) => {
    const previous = schema[index - 1];
    if (!Number.isInteger(entry.version) || entry.version < 1 || (previous !== undefined && entry.version <= previous.version)) {
      throw new DeskError('internal', 'Schema versions must be positive integers in increasing order.');
    }
  });
  return last.version;
}

/** Tables that exist at the latest version (a later version may delete one with `null`). */
function tablesAt(schema: readonly DurableSchemaVersion[]): Set<string> {
  const tables = new Set<string>();
  for (const entry of schema) {
    for (const [name, spec] of Object.entries(entry.stores)) {
      if (spec === null) tables.delete(name);
      else tables.add(name);
    }
  }
  return tables;
}

interface TableMeta {
  name: string;
  outbound: boolean;
  keyPath: string | null;
  extractKey: (value: unknown) => unknown;
}

function tableMeta(db: Dexie): Map<string, TableMeta> {
  const tables: readonly DBCoreTableSchema[] = db.core.schema.tables;
  return new Map(
    tables.map((table) => {
      const { primaryKey } = table;
      const extract = primaryKey.extractKey;
      const keyPath = typeof primaryKey.keyPath === 'string' ? primaryKey.keyPath : null;
      const meta: TableMeta = {
        name: table.name,
        outbound: primaryKey.outbound === true,
        keyPath,
        extractKey: (value) => {
          const key: unknown = extract === null ? undefined : extract(value);
          return key;
        },
      };
      return [table.name, meta];
    }),
  );
}

function backend(db: Dexie): RawDatabase {
  // Typed as the DOM's IDBDatabase, which the node-side scope does not load.
  const database: unknown = db.backendDB();
  return database as RawDatabase;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `apply` in one readwrite transaction on `table`. With `deferred`, the writes are issued only
 * once the transaction has started, that is after every earlier transaction on the table has
 * committed, so a guard consulted inside `apply` sees every write the app made before.
 */
function writeInTransaction(raw: RawDatabase, table: string, apply: (store: RawObjectStore) => void, deferred: boolean): Promise<void> {
  const transaction = raw.transaction([table], 'readwrite');
  const done = whenDone(transaction, `Loading table ${table}`);
  const store = transaction.objectStore(table);
  if (deferred) {
    const probe = store.count(rawIndexedDb.IDBKeyRange.only(0));
    probe.onsuccess = () => apply(store);
  } else {
    apply(store);
  }
  return done;
}

interface LoadContext {
  raw: RawDatabase;
  meta: TableMeta;
  chunkRows: number;
  guard: LoadGuard | null;
  stopped: () => boolean;
}

function putRows(context: LoadContext, store: RawObjectStore, rows: readonly unknown[], keys: readonly CacheKey[] | undefined): void {
  const { meta } = context;
  // Consulted now, as the transaction starts: every earlier write of the app has committed.
  const guard = context.guard !== null && !context.guard.empty ? context.guard : null;
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    const key = meta.outbound ? keys?.[index] : guard === null ? undefined : meta.extractKey(row);
    if (guard !== null && guard.blocks(key)) continue;
    if (meta.outbound) store.put(row, key);
    else store.put(row);
  }
}

async function loadSnapshotTable(context: LoadContext, chunks: Iterable<RowChunk>): Promise<number> {
  let rows = 0;
  for (const chunk of chunks) {
    for (let start = 0; start < chunk.rows.length; start += context.chunkRows) {
      if (context.stopped()) throw new DeskError('cache_closed', 'The cache was closed while it was loading.');
      const slice = chunk.rows.slice(start, start + context.chunkRows);
      const keys = chunk.keys?.slice(start, start + context.chunkRows);
      await writeInTransaction(context.raw, context.meta.name, (store) => putRows(context, store, slice, keys), context.guard !== null);
      rows += slice.length;
    }
  }
  return rows;
}

/** Applies journal ops to one table, in order, a few hundred rows per transaction. */
async function replayOps(context: LoadContext, ops: readonly JournalOp[]): Promise<void> {
  const { meta } = context;
  let index = 0;
  while (index < ops.length) {
    if (context.stopped()) throw new DeskError('cache_closed', 'The cache was closed while it was loading.');
    let budget = context.chunkRows;
    const batch: JournalOp[] = [];
    while (index < ops.length && budget > 0) {
      const op = ops[index];
      if (op === undefined) break;
      batch.push(op);
      budget -= op.op === 'put' || op.op === 'delete' ? Math.max(1, op.keys.length) : context.chunkRows;
      index += 1;
    }
    await writeInTransaction(
      context.raw,
      meta.name,
      (store) => {
        for (const op of batch) applyOp(context, store, op);
      },
      context.guard !== null,
    );
  }
}

function applyOp(context: LoadContext, store: RawObjectStore, op: JournalOp): void {
  const { guard, meta } = context;
  switch (op.op) {
    case 'put':
      op.values.forEach((value, position) => {
        const key = op.keys[position];
        if (key === undefined || guard?.blocks(key) === true) return;
        if (meta.outbound) store.put(value, key);
        // An auto-increment table journals the row as given and its generated key beside it.
        else store.put(meta.keyPath !== null && meta.extractKey(value) === undefined ? withKeyAt(value, meta.keyPath, key) : value);
      });
      return;
    case 'delete':
      for (const key of op.keys) if (guard?.blocks(key) !== true) store.delete(key);
      return;
    case 'range':
    case 'clear': {
      const range = op.op === 'clear' ? undefined : toRawRange(op.lower, op.upper, op.lowerOpen, op.upperOpen);
      if (guard === null || guard.empty) {
        if (range === undefined) store.clear();
        else store.delete(range);
        return;
      }
      // Keep what the app wrote since loading began: delete the range key by key around it.
      const request = store.getAllKeys(range);
      request.onsuccess = () => {
        const keys: unknown = request.result;
        if (!Array.isArray(keys)) return;
        for (const key of keys as unknown[]) if (!guard.blocks(key)) store.delete(key);
      };
      return;
    }
  }
}

/** Reads a table for a snapshot, a chunk per short read-only transaction, in key order. */
async function* readTableChunks(raw: RawDatabase, table: SnapshotTable, chunkRows: number): AsyncGenerator<RowChunk> {
  let after: CacheKey | undefined;
  for (;;) {
    const range = after === undefined ? undefined : rawIndexedDb.IDBKeyRange.lowerBound(after, true);
    const transaction = raw.transaction([table.name], 'readonly');
    const done = whenDone(transaction, `Reading table ${table.name} for a snapshot`);
    const store = transaction.objectStore(table.name);
    const rowsRequest = store.getAll(range, chunkRows);
    const keysRequest = store.getAllKeys(range, chunkRows);
    await done;
    const rows: unknown = rowsRequest.result;
    const keys: unknown = keysRequest.result;
    if (!Array.isArray(rows) || !Array.isArray(keys) || rows.length !== keys.length) {
      throw new DeskError('internal', `Reading table ${table.name} for a snapshot gave rows and keys that do not match.`);
    }
    const checkedKeys: CacheKey[] = [];
    for (const key of keys as unknown[]) {
      if (!isCacheKey(key)) throw new DeskError('cache_unsupported_key', `Table ${table.name} holds a key the durable cache cannot write down.`);
      checkedKeys.push(key);
    }
    if (rows.length === 0) return;
    yield table.outbound ? { rows: rows as unknown[], keys: checkedKeys } : { rows: rows as unknown[] };
    if (rows.length < chunkRows) return;
    after = checkedKeys.at(-1);
  }
}

function opsByTable(records: readonly ReplayRecord[]): Map<string, JournalOp[]> {
  const byTable = new Map<string, JournalOp[]>();
  for (const { record } of records) {
    for (const op of record.ops) {
      const list = byTable.get(op.t);
      if (list === undefined) byTable.set(op.t, [op]);
      else list.push(op);
    }
  }
  return byTable;
}

function newDexie(name: string, factory: { open(...args: never[]): unknown }): Dexie {
  // Dexie's cache only serves liveQuery; the loader writes below it, so it is turned off.
  return new Dexie(name, { indexedDB: factory, IDBKeyRange: rawIndexedDb.IDBKeyRange, cache: 'disabled' });
}

/**
 * Rebuilds data written at older schema versions: the snapshot is loaded into a database opened
 * at its own version, journal records are applied at the version they were written at, and each
 * step up runs Dexie's upgrade functions, exactly as an app upgrade would have.
 */
async function stagedLoad(
  name: string,
  factory: { open(...args: never[]): unknown },
  schema: readonly DurableSchemaVersion[],
  recovery: Recovery,
  chunkRows: number,
): Promise<void> {
  let stage: Dexie | null = null;
  const openAt = async (version: number): Promise<Dexie> => {
    if (stage !== null && stage.verno === version) return stage;
    stage?.close();
    const next = newDexie(name, factory);
    declareVersions(next, schema, version);
    await next.open();
    stage = next;
    return next;
  };
  try {
    const snapshot = recovery.snapshot;
    if (snapshot !== null) {
      const db = await openAt(snapshot.header.schemaVersion);
      const metas = tableMeta(db);
      for (const table of snapshot.header.tables) {
        const meta = metas.get(table.name);
        if (meta === undefined) throw new DeskError('cache_load_failed', `The snapshot ${snapshot.file} holds table ${table.name}, which its schema version does not have.`);
        await loadSnapshotTable({ raw: backend(db), meta, chunkRows, guard: null, stopped: () => false }, snapshot.chunks(table.name));
      }
    }
    let index = 0;
    while (index < recovery.records.length) {
      const version = recovery.records[index]?.schemaVersion ?? 0;
      let end = index;
      while (end < recovery.records.length && recovery.records[end]?.schemaVersion === version) end += 1;
      const db = await openAt(version);
      const metas = tableMeta(db);
      for (const [table, ops] of opsByTable(recovery.records.slice(index, end))) {
        const meta = metas.get(table);
        if (meta === undefined) throw new DeskError('cache_load_failed', `The journal writes to table ${table}, which schema version ${version} does not have.`);
        await replayOps({ raw: backend(db), meta, chunkRows, guard: null, stopped: () => false }, ops);
      }
      index = end;
    }
  } finally {
    // A local copy: TypeScript cannot see that openAt assigned `stage`.
    const last = stage as Dexie | null;
    last?.close();
  }
}

function buildReport(recovery: Recovery, upgradedFrom: number | null, schemaVersion: number, loadedFirst: string[]): RecoveryReport {
  const { snapshot, corruption } = recovery;
  const messages: string[] = [
    ...recovery.snapshotProblems.map((problem) => `${problem.message} It was kept as ${problem.keptAs}.`),
    ...(recovery.fellBackToPreviousSnapshot && snapshot !== null ? [`The cache was rebuilt from the previous snapshot ${snapshot.file} and the journal since it.`] : []),
    ...(recovery.droppedTail === null ? [] : [recovery.droppedTail.message]),
    ...(corruption === null
      ? []
      : [
          `${corruption.message}${corruption.keptAs === null ? '' : ` The damaged file was kept as ${corruption.keptAs}.`}${corruption.setAside.length > 0 ? ` Set aside: ${corruption.setAside.join(', ')}.` : ''}`,
        ]),
    ...(upgradedFrom === null ? [] : [`The cache was upgraded from schema version ${upgradedFrom} to ${schemaVersion}.`]),
  ];
  return {
    snapshotUsed:
      snapshot === null
        ? null
        : { file: snapshot.file, seq: snapshot.header.seq, schemaVersion: snapshot.header.schemaVersion, bytes: snapshot.bytes, rows: snapshot.rowCounts },
    fellBackToPreviousSnapshot: recovery.fellBackToPreviousSnapshot,
    snapshotProblems: recovery.snapshotProblems,
    recordsReplayed: recovery.records.length,
    lastSeq: recovery.lastSeq,
    droppedTail: recovery.droppedTail,
    corruption,
    upgradedFrom,
    schemaVersion,
    loadedFirst,
    fresh: recovery.fresh,
    messages,
  };
}

/** Opens (recovering if needed) a durable cache in `options.dir`. See the module comment. */
export async function openDurableCache<TDb extends Dexie = Dexie>(options: DurableCacheOptions): Promise<DurableCache<TDb>> {
  const log = options.log ?? silentLogger;
  const currentVersion = checkSchema(options.schema);
  const knownVersions = new Set(options.schema.map((entry) => entry.version));
  const finalTables = tablesAt(options.schema);
  const priority = [...new Set(options.priorityTables ?? [])];
  for (const table of priority) {
    if (!finalTables.has(table)) throw new DeskError('internal', `Priority table ${table} is not in the cache schema.`);
  }
  const chunkRows = options.loadChunkRows ?? DEFAULT_CHUNK_ROWS;
  const snapshotChunkRows = options.snapshotChunkRows ?? DEFAULT_CHUNK_ROWS;
  const name = options.name ?? 'durable-cache';

  const recovery = await recover({ dir: options.dir, now: () => options.clock.now(), currentVersion, knownVersions });
  const versionsSeen = [
    ...(recovery.snapshot === null ? [] : [recovery.snapshot.header.schemaVersion]),
    ...recovery.records.map((record) => record.schemaVersion),
  ];
  const oldestVersion = versionsSeen.length === 0 ? currentVersion : Math.min(...versionsSeen);
  const upgrade = oldestVersion < currentVersion;

  const factory = new rawIndexedDb.IDBFactory();
  if (upgrade) await stagedLoad(name, factory, options.schema, recovery, chunkRows);

  const db = newDexie(name, factory) as TDb;
  declareVersions(db, options.schema, currentVersion);

  // Everything from here on is shared by the sink, the loader, compaction and close.
  const guards = new Map<string, LoadGuard>();
  const loaded = new Set<string>();
  let closing = false;
  let captureFailure: DeskError | null = null;
  let compacting: Promise<WrittenSnapshot | null> | null = null;
  let allLoaded = false;
  const snapshots: SnapshotFileRef[] = [...recovery.snapshotFiles];
  let writer: JournalWriter | null = null;
  const compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
  const compactWhenIdleMs = options.compactWhenIdleMs ?? DEFAULT_COMPACT_WHEN_IDLE_MS;
  let cancelIdleCompaction: (() => void) | null = null;

  const startCompaction = (): void => {
    compact().then(
      () => undefined,
      (error: unknown) => {
        if (!closing) log.error(`the cache could not be compacted: ${describe(error)}`);
      },
    );
  };
  /** Called after each commit: compacts when the journal is big enough and writes pause. */
  const considerCompaction = (): void => {
    if (compacting !== null || closing || !allLoaded || writer === null) return;
    const threshold = Math.max(compactAfterBytes, snapshots[0]?.bytes ?? 0);
    const bytes = writer.bytesSinceLastRotation;
    if (bytes <= threshold) return;
    cancelIdleCompaction?.();
    cancelIdleCompaction = null;
    if (bytes > threshold * COMPACT_HARD_FACTOR) {
      startCompaction();
      return;
    }
    cancelIdleCompaction = options.clock.setTimer(compactWhenIdleMs, () => {
      cancelIdleCompaction = null;
      if (compacting === null && !closing) startCompaction();
    });
  };

  db.use(
    journalCaptureMiddleware({
      committed(transaction: CapturedTransaction) {
        if (writer === null) {
          captureFailure ??= new DeskError('internal', 'A write reached the cache before its journal was open.');
          return;
        }
        const seq = writer.lastSeq + 1;
        writer.append(seq, encodeTextFrame(`{"seq":${seq},"ops":[${transaction.ops.join(',')}]}`));
        if (guards.size > 0) for (const write of transaction.touched) guards.get(write.table)?.record(write);
        considerCompaction();
      },
      failed(error) {
        captureFailure ??= error;
        log.error(error.message);
      },
    }),
  );
  await db.open();
  const raw = backend(db);
  const metas = tableMeta(db);

  writer = new JournalWriter({
    dir: options.dir,
    clock: options.clock,
    schemaVersion: currentVersion,
    nextSegment: recovery.nextSegment,
    lastSeq: recovery.lastSeq,
    groupCommitMs: options.groupCommitMs ?? DEFAULT_GROUP_COMMIT_MS,
    segments: recovery.segments,
    bytesSinceSnapshot: recovery.bytesSinceSnapshot,
    onFailure: (error) => log.error(error.message),
  });
  const journal = writer;

  // What is still to load: dropped table by table, so the file's bytes and parsed records go
  // once loaded (at 100k orders they are hundreds of MB).
  let snapshot: VerifiedSnapshot | null = upgrade ? null : recovery.snapshot;
  const replay = upgrade ? new Map<string, JournalOp[]>() : opsByTable(recovery.records);
  const snapshotTables = new Set(snapshot?.header.tables.map((entry) => entry.name) ?? []);
  for (const table of [...snapshotTables, ...replay.keys()]) {
    if (!metas.has(table)) {
      db.close();
      throw new DeskError('cache_load_failed', `The cache in ${options.dir} holds table ${table}, which the schema does not have at version ${currentVersion}.`);
    }
  }
  const loadTable = async (table: string, guard: LoadGuard | null): Promise<void> => {
    const meta = metas.get(table);
    if (meta === undefined) return;
    const context: LoadContext = { raw, meta, chunkRows, guard, stopped: () => closing };
    if (snapshot !== null && snapshotTables.has(table)) await loadSnapshotTable(context, snapshot.chunks(table));
    await replayOps(context, replay.get(table) ?? []);
    replay.delete(table);
    snapshotTables.delete(table);
    if (snapshotTables.size === 0) snapshot = null;
    loaded.add(table);
    guards.delete(table);
  };

  const loadFirst = upgrade ? [...metas.keys()] : priority;
  try {
    for (const table of loadFirst) {
      if (upgrade) loaded.add(table);
      else await loadTable(table, null);
    }
  } catch (error) {
    db.close();
    throw error instanceof DeskError ? error : new DeskError('cache_load_failed', `The cache in ${options.dir} could not be loaded: ${describe(error)}.`);
  }

  const rest = [...metas.keys()].filter((table) => !loaded.has(table));
  // Guards go up before open() resolves, so no write of the app can slip past them.
  for (const table of rest) guards.set(table, new LoadGuard());

  const report = buildReport(recovery, upgrade ? oldestVersion : null, currentVersion, [...loaded]);
  const repaired = upgrade || recovery.fellBackToPreviousSnapshot || recovery.corruption !== null || recovery.snapshotProblems.length > 0;

  const compact = (): Promise<WrittenSnapshot | null> => {
    if (closing) return Promise.reject(new DeskError('cache_closed', 'The cache is closed.'));
    compacting ??= runCompaction().finally(() => {
      compacting = null;
    });
    return compacting;
  };

  const runCompaction = async (): Promise<WrittenSnapshot | null> => {
    await loading;
    const newest = snapshots[0];
    if (newest !== undefined && newest.seq === journal.lastSeq && newest.schemaVersion === currentVersion) return null;
    const seq = journal.rotate();
    const tables: SnapshotTable[] = [...metas.values()].map((meta) => ({ name: meta.name, outbound: meta.outbound }));
    const written = await writeSnapshot({
      dir: options.dir,
      seq,
      schemaVersion: currentVersion,
      tables,
      readTable: (table) => readTableChunks(raw, table, snapshotChunkRows),
      cancelled: () => closing,
      // The snapshot may hold transactions after `seq` (writers run while it is read): they must
      // be on disk before the snapshot replaces anything, or recovery could show half of one.
      beforeCommit: () => journal.flush(),
    });
    snapshots.unshift({ file: written.file, seq: written.seq, schemaVersion: written.schemaVersion, bytes: written.bytes });
    // Keep this snapshot and the previous one, and the journal since the previous one.
    const previous = snapshots[1];
    const keepFrom = previous?.seq ?? 0;
    for (const old of snapshots.splice(2)) await removeIfPresent(old.file);
    const obsolete = journal.segments.filter((segment) => segment.lastSeq <= keepFrom && segment.lastSeq < seq);
    for (const segment of obsolete) await removeIfPresent(segment.file);
    journal.forget(obsolete.map((segment) => segment.segment));
    await syncDirectory(options.dir);
    log.info(`cache snapshot ${written.file} written (${written.bytes} bytes, covers transaction ${written.seq})`);
    return written;
  };

  const loading = (async (): Promise<void> => {
    for (const table of rest) await loadTable(table, guards.get(table) ?? null);
    allLoaded = true;
  })();
  const fullyLoaded = loading.catch((error: unknown) => {
    throw error instanceof DeskError ? error : new DeskError('cache_load_failed', `The cache in ${options.dir} could not be loaded: ${describe(error)}.`);
  });
  // Whoever never awaits fullyLoaded still hears of a failure, in the log.
  fullyLoaded.catch((error: unknown) => {
    if (!closing) log.error(describe(error));
  });
  fullyLoaded.then(
    () => {
      // A cache rebuilt around damage or upgraded gets a fresh snapshot, so it stops depending on it.
      if (repaired && !closing) startCompaction();
      else considerCompaction();
    },
    () => undefined,
  );

  let closed: Promise<void> | null = null;
  return {
    db,
    report,
    fullyLoaded,
    isLoaded: (table) => loaded.has(table),
    flush() {
      if (captureFailure !== null) return Promise.reject(captureFailure);
      return journal.flush();
    },
    compact,
    stats: () => ({
      lastSeq: journal.lastSeq,
      flushedSeq: journal.flushedSeq,
      journalBytesSinceSnapshot: journal.bytesSinceLastRotation,
      snapshot: snapshots[0] ?? null,
      segments: journal.segments.length,
      compacting: compacting !== null,
    }),
    close() {
      closed ??= (async () => {
        closing = true;
        cancelIdleCompaction?.();
        cancelIdleCompaction = null;
        await loading.catch(() => undefined);
        await (compacting ?? Promise.resolve(null)).catch(() => null);
        // Wait for write transactions already running: a transaction over every table starts
        // only when they have all committed (and been journaled).
        await whenDone(raw.transaction([...metas.keys()], 'readwrite'), 'Closing the cache').catch(() => undefined);
        db.close();
        await journal.close();
      })();
      return closed;
    },
  };
}
