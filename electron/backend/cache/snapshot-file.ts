import { crc32 } from 'node:zlib';
import { type FileHandle, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../../shared/errors';
import { describeIssues } from '../../../shared/ipc/dispatch';
import { openPrivate, removeIfPresent, syncDirectory } from './files';
import { CacheKeySchema, type CacheKey } from './keys';

/**
 * Snapshot files: every table of the cache at one point of the journal, written to a temp file,
 * fsynced, renamed into place, and the directory fsynced, so a crash leaves the old file or the
 * new one, never half of one.
 *
 * The format is line-oriented text, streamed in chunks so that no single string comes near V8's
 * string limit (100k orders are about 90 MB of JSON):
 *
 *   <crc32 of the JSON, 8 hex digits> <JSON>\n
 *
 * The first line is the header (sequence number covered, schema version, tables), then one line
 * per chunk of rows, table after table, and last an `end` line counting each table's lines. A
 * file that lacks its end line, or has a line failing its checksum, is damaged as a whole.
 */
export const SNAPSHOT_FORMAT = 1;

const SNAPSHOT_NAME = /^snapshot-(\d{12})-v(\d+)\.snap$/;

export function snapshotFileName(seq: number, schemaVersion: number): string {
  return `snapshot-${String(seq).padStart(12, '0')}-v${schemaVersion}.snap`;
}

/** Sequence number and schema version from a snapshot file name, or null for any other file. */
export function parseSnapshotFileName(fileName: string): { seq: number; schemaVersion: number } | null {
  const match = SNAPSHOT_NAME.exec(fileName);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { seq: Number.parseInt(match[1], 10), schemaVersion: Number.parseInt(match[2], 10) };
}

export function isSnapshotTempFile(fileName: string): boolean {
  return fileName.startsWith('snapshot-') && fileName.endsWith('.snap.tmp');
}

const TableEntrySchema = z.object({ name: z.string().min(1), outbound: z.boolean() });

const HeaderSchema = z.object({
  kind: z.literal('snapshot'),
  format: z.literal(SNAPSHOT_FORMAT),
  seq: z.number().int().nonnegative(),
  schemaVersion: z.number().int().positive(),
  tables: z.array(TableEntrySchema),
});
export type SnapshotHeader = z.infer<typeof HeaderSchema>;

const PlainObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { message: 'expected a record (an object)' },
);

/** A chunk of a table whose keys are inside its rows. */
const InboundRowsSchema = z.object({ kind: z.literal('rows'), table: z.string(), rows: z.array(PlainObject) });
/** A chunk of a table whose keys live outside its rows (Dexie's "outbound" keys). */
const OutboundRowsSchema = z
  .object({ kind: z.literal('rows'), table: z.string(), keys: z.array(CacheKeySchema), rows: z.array(z.unknown()) })
  .refine((line) => line.keys.length === line.rows.length, { message: 'one key per row' });

const EndSchema = z.object({
  kind: z.literal('end'),
  tables: z.record(z.string(), z.object({ rows: z.number().int().nonnegative(), lines: z.number().int().nonnegative() })),
});

/** One chunk of a table: rows, and their keys when the table's keys live outside the rows. */
export interface RowChunk {
  rows: unknown[];
  keys?: CacheKey[];
}

export interface SnapshotTable {
  name: string;
  outbound: boolean;
}

export interface WrittenSnapshot {
  file: string;
  seq: number;
  schemaVersion: number;
  bytes: number;
  rows: Record<string, number>;
}

function line(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const prefix = `${crc32(body).toString(16).padStart(8, '0')} `;
  return Buffer.concat([Buffer.from(prefix, 'latin1'), body, Buffer.from('\n', 'latin1')]);
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written);
    written += bytesWritten;
  }
}

export interface WriteSnapshotOptions {
  dir: string;
  seq: number;
  schemaVersion: number;
  tables: readonly SnapshotTable[];
  /** The rows of one table, chunk by chunk, in key order. */
  readTable: (table: SnapshotTable) => AsyncIterable<RowChunk>;
  /** Checked between chunks: answering true abandons the snapshot (its temp file is removed). */
  cancelled?: () => boolean;
  /** Awaited after the temp file is fsynced and before it is renamed into place. */
  beforeCommit?: () => Promise<void>;
}

/** Writes a snapshot (temp file, fsync, rename, fsync the directory); answers what it wrote. */
export async function writeSnapshot(options: WriteSnapshotOptions): Promise<WrittenSnapshot> {
  const target = join(options.dir, snapshotFileName(options.seq, options.schemaVersion));
  const temp = `${target}.tmp`;
  const handle = await openPrivate(temp, 'w');
  const rows: Record<string, number> = {};
  const lines: Record<string, { rows: number; lines: number }> = {};
  let bytes = 0;
  const put = async (json: string): Promise<void> => {
    const buffer = line(json);
    bytes += buffer.length;
    await writeAll(handle, buffer);
  };
  try {
    const header: SnapshotHeader = {
      kind: 'snapshot',
      format: SNAPSHOT_FORMAT,
      seq: options.seq,
      schemaVersion: options.schemaVersion,
      tables: options.tables.map(({ name, outbound }) => ({ name, outbound })),
    };
    await put(JSON.stringify(header));
    for (const table of options.tables) {
      const count = { rows: 0, lines: 0 };
      for await (const chunk of options.readTable(table)) {
        if (options.cancelled?.() === true) throw new DeskError('cache_closed', 'The snapshot was abandoned because the cache is closing.');
        if (chunk.rows.length === 0) continue;
        const keys = table.outbound ? `,"keys":${JSON.stringify(chunk.keys ?? [])}` : '';
        await put(`{"kind":"rows","table":${JSON.stringify(table.name)}${keys},"rows":${JSON.stringify(chunk.rows)}}`);
        count.rows += chunk.rows.length;
        count.lines += 1;
      }
      rows[table.name] = count.rows;
      lines[table.name] = count;
    }
    await put(JSON.stringify({ kind: 'end', tables: lines }));
    await handle.sync();
    await options.beforeCommit?.();
  } catch (error) {
    // The temp file was never used; the error that stopped the snapshot is the one to report.
    await handle.close().catch(() => undefined);
    await removeIfPresent(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, target);
  await syncDirectory(options.dir);
  return { file: target, seq: options.seq, schemaVersion: options.schemaVersion, bytes, rows };
}

/** A snapshot whose every line passed its checksum; rows are parsed table by table on demand. */
export interface VerifiedSnapshot {
  file: string;
  header: SnapshotHeader;
  bytes: number;
  /** Row count per table, from the end line. */
  rowCounts: Record<string, number>;
  /** Parses one table's rows, chunk by chunk, validating each chunk. */
  chunks(table: string): Iterable<RowChunk>;
}

/** Why a snapshot file cannot be used, in words a person can act on. */
export class SnapshotDamage extends DeskError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super('cache_snapshot_damaged', `The cache snapshot ${file} is damaged: ${detail}.`);
  }
}

/**
 * Reads a snapshot and checks every line's checksum and the file's structure (header first, end
 * line last, line counts); throws SnapshotDamage naming the file and the problem.
 */
export async function readSnapshot(file: string): Promise<VerifiedSnapshot> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    throw new SnapshotDamage(file, `it cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const bodies: Buffer[] = [];
  let start = 0;
  while (start < buffer.length) {
    const newline = buffer.indexOf(0x0a, start);
    if (newline < 0) throw new SnapshotDamage(file, `it ends in the middle of line ${bodies.length + 1} (the file is cut short)`);
    const text = buffer.subarray(start, newline);
    const crcText = text.subarray(0, 8).toString('latin1');
    if (text.length < 10 || text[8] !== 0x20 || !/^[0-9a-f]{8}$/.test(crcText)) {
      throw new SnapshotDamage(file, `line ${bodies.length + 1} does not start with a checksum`);
    }
    const body = text.subarray(9);
    if (crc32(body) !== Number.parseInt(crcText, 16)) {
      throw new SnapshotDamage(file, `line ${bodies.length + 1} (at byte ${start}) fails its checksum`);
    }
    bodies.push(body);
    start = newline + 1;
  }
  const [first] = bodies;
  const last = bodies.at(-1);
  if (first === undefined || last === undefined || bodies.length < 2) throw new SnapshotDamage(file, 'it has no header or no end line');
  const header = HeaderSchema.safeParse(parseLine(first));
  if (!header.success) throw new SnapshotDamage(file, `its header is not valid (${describeIssues(header.error).slice(0, 200)})`);
  const end = EndSchema.safeParse(parseLine(last));
  if (!end.success) throw new SnapshotDamage(file, 'its last line is not the end line (the file is cut short)');

  const byTable = new Map<string, Buffer[]>(header.data.tables.map((table) => [table.name, []]));
  for (const body of bodies.slice(1, -1)) {
    // The table name is near the start of each line; a cheap look avoids parsing 90 MB up front.
    const match = /^\{"kind":"rows","table":("(?:[^"\\]|\\.)*")/.exec(body.subarray(0, 400).toString('utf8'));
    const name = match?.[1] === undefined ? undefined : parseLine(Buffer.from(match[1], 'utf8'));
    const list = typeof name === 'string' ? byTable.get(name) : undefined;
    if (list === undefined) throw new SnapshotDamage(file, 'a line of rows names no table of the header');
    list.push(body);
  }
  const rowCounts: Record<string, number> = {};
  for (const table of header.data.tables) {
    const counted = end.data.tables[table.name];
    if (counted === undefined || counted.lines !== (byTable.get(table.name)?.length ?? 0)) {
      throw new SnapshotDamage(file, `table ${table.name} has a different number of lines than its end line says`);
    }
    rowCounts[table.name] = counted.rows;
  }
  return {
    file,
    header: header.data,
    bytes: buffer.length,
    rowCounts,
    *chunks(table: string): Iterable<RowChunk> {
      const outbound = header.data.tables.find((entry) => entry.name === table)?.outbound ?? false;
      for (const body of byTable.get(table) ?? []) {
        const json = parseLine(body);
        const parsed = outbound ? OutboundRowsSchema.safeParse(json) : InboundRowsSchema.safeParse(json);
        if (!parsed.success || parsed.data.table !== table) {
          const why = parsed.success ? 'it belongs to another table' : describeIssues(parsed.error).slice(0, 200);
          throw new SnapshotDamage(file, `a chunk of table ${table} is not valid (${why})`);
        }
        yield 'keys' in parsed.data ? { rows: parsed.data.rows, keys: parsed.data.keys } : { rows: parsed.data.rows };
      }
    },
  };
}

function parseLine(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
