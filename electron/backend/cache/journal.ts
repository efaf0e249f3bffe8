import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';
import { describeIssues } from '../../../shared/ipc/dispatch';
import { openPrivate, syncDirectory } from './files';
import { encodeFrame, FRAME_HEADER_BYTES, type FrameStop, scanFrames } from './frame';
import { CacheKeySchema } from './keys';

/**
 * The journal: one record per committed write transaction, appended to segment files
 * `journal-<segment>.log` in the cache directory. A segment starts with a header record naming
 * the first sequence number it holds and the schema version its records were written at;
 * compaction starts a new segment, so each segment belongs to one snapshot interval.
 *
 * Appends are group-committed: buffered, then written and fsynced at most every
 * `groupCommitMs`, or at once when someone calls `flush()`.
 */
export const JOURNAL_FORMAT = 1;

const SEGMENT_NAME = /^journal-(\d{8})\.log$/;

export function segmentFileName(segment: number): string {
  return `journal-${String(segment).padStart(8, '0')}.log`;
}

/** The segment number of a journal file name, or null for any other file. */
export function segmentNumberOf(fileName: string): number | null {
  const match = SEGMENT_NAME.exec(fileName);
  return match?.[1] === undefined ? null : Number.parseInt(match[1], 10);
}

const SegmentHeaderSchema = z.object({
  kind: z.literal('journal'),
  format: z.literal(JOURNAL_FORMAT),
  segment: z.number().int().positive(),
  firstSeq: z.number().int().positive(),
  schemaVersion: z.number().int().positive(),
});
export type SegmentHeader = z.infer<typeof SegmentHeaderSchema>;

const TableName = z.string().min(1);
export const JournalOpSchema = z.discriminatedUnion('op', [
  z
    .object({ t: TableName, op: z.literal('put'), keys: z.array(CacheKeySchema), values: z.array(z.unknown()) })
    .refine((op) => op.keys.length === op.values.length, { message: 'a put must have one key per value' }),
  z.object({ t: TableName, op: z.literal('delete'), keys: z.array(CacheKeySchema) }),
  z.object({
    t: TableName,
    op: z.literal('range'),
    lower: CacheKeySchema.optional(),
    upper: CacheKeySchema.optional(),
    lowerOpen: z.boolean(),
    upperOpen: z.boolean(),
  }),
  z.object({ t: TableName, op: z.literal('clear') }),
]);
/** One mutation of one table, as journaled: puts carry their keys and values, deletes their keys. */
export type JournalOp = z.infer<typeof JournalOpSchema>;

const JournalRecordSchema = z.object({ seq: z.number().int().positive(), ops: z.array(JournalOpSchema) });
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

export function encodeSegmentHeader(header: SegmentHeader): Buffer {
  return encodeFrame(Buffer.from(JSON.stringify(header), 'utf8'));
}

/** Where a segment stopped being readable. */
export interface SegmentDamage extends FrameStop {
  /** Size of the file: what lies between `offset` and it is unreadable. */
  size: number;
}

/** A whole record of a segment; `record` is null when it was skipped unparsed (see readSegment). */
export interface SegmentEntry {
  seq: number;
  /** Where the record ends: the file can be cut there. */
  end: number;
  record: JournalRecord | null;
}

export interface SegmentRead {
  file: string;
  segment: number;
  header: SegmentHeader | null;
  /** Records in file order, up to the first damage. */
  entries: SegmentEntry[];
  /** End of the header record, or 0 when there is none. */
  headerEnd: number;
  damage: SegmentDamage | null;
  size: number;
}

/** Every record starts this way (the writer builds it so), which lets recovery skip old ones cheaply. */
const SEQ_PREFIX = /^\{"seq":(\d{1,15}),/;

/**
 * Reads a segment, validating each record; stops at the first torn or damaged record. Records up
 * to `skipThrough` (those a snapshot already holds) pass their checksum but are not parsed.
 */
export async function readSegment(file: string, segment: number, skipThrough = 0): Promise<SegmentRead> {
  const buffer = await readFile(file);
  const scan = scanFrames(buffer);
  const read: SegmentRead = { file, segment, header: null, entries: [], headerEnd: 0, damage: null, size: buffer.length };
  const damage = (stop: FrameStop): SegmentRead => ({ ...read, damage: { ...stop, size: buffer.length } });
  const [first, ...rest] = scan.frames;
  if (first === undefined) {
    return scan.stop === null ? damage({ kind: 'torn', offset: 0, reason: 'the segment is empty (it was being created when the app stopped)' }) : damage(scan.stop);
  }
  const header = SegmentHeaderSchema.safeParse(parseJson(first.payload));
  if (!header.success || header.data.segment !== segment) {
    const reason = header.success ? `its header names segment ${header.data.segment}` : `its header is not valid (${describeIssues(header.error).slice(0, 200)})`;
    return damage({ kind: 'corrupt', offset: 0, reason });
  }
  read.header = header.data;
  read.headerEnd = first.offset + FRAME_HEADER_BYTES + first.payload.length;
  for (const frame of rest) {
    const end = frame.offset + FRAME_HEADER_BYTES + frame.payload.length;
    const peeked = SEQ_PREFIX.exec(frame.payload.subarray(0, 24).toString('latin1'))?.[1];
    const seq = peeked === undefined ? Number.NaN : Number.parseInt(peeked, 10);
    if (seq <= skipThrough) {
      read.entries.push({ seq, end, record: null });
      continue;
    }
    const parsed = JournalRecordSchema.safeParse(parseJson(frame.payload));
    if (!parsed.success) {
      return damage({ kind: 'corrupt', offset: frame.offset, reason: `a record passes its checksum but is not a valid transaction (${describeIssues(parsed.error).slice(0, 200)})` });
    }
    read.entries.push({ seq: parsed.data.seq, end, record: parsed.data });
  }
  return scan.stop === null ? read : damage(scan.stop);
}

/**
 * Reads only a segment's header record (recovery skips segments a snapshot already covers).
 * Answers null when the header is missing, cut short or damaged: then the whole segment is read
 * to find out which.
 */
export async function readSegmentHeader(file: string, segment: number): Promise<SegmentHeader | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(FRAME_HEADER_BYTES + 4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const [first] = scanFrames(head.subarray(0, bytesRead)).frames;
    if (first === undefined) return null;
    const header = SegmentHeaderSchema.safeParse(parseJson(first.payload));
    return header.success && header.data.segment === segment ? header.data : null;
  } finally {
    await handle.close();
  }
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A segment the writer knows about: those found on open, and those it created. */
export interface SegmentInfo {
  segment: number;
  file: string;
  firstSeq: number;
  /** Highest sequence number written to it so far (firstSeq - 1 while it holds none). */
  lastSeq: number;
  bytes: number;
  schemaVersion: number;
}

type QueueEntry = { kind: 'record'; seq: number; frame: Buffer } | { kind: 'rotate'; nextSeq: number };

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: DeskError) => void;
}

export interface JournalWriterOptions {
  dir: string;
  clock: Clock;
  /** Version written into new segments' headers. */
  schemaVersion: number;
  /** Number for the next segment this writer creates. */
  nextSegment: number;
  /** Sequence number of the last record already in the journal. */
  lastSeq: number;
  groupCommitMs: number;
  /** Segments already on disk (oldest first); the writer appends none of them. */
  segments: readonly SegmentInfo[];
  /** Bytes in the segments written since the newest snapshot. */
  bytesSinceSnapshot: number;
  /** Told once, when a write or fsync fails: from then on every flush() rejects. */
  onFailure: (error: DeskError) => void;
  /** Told after each write + fsync, with the sequence number now durable. */
  onDurable?: (seq: number) => void;
}

/** Appends records to the journal with group commit; see the module comment. */
export class JournalWriter {
  private readonly queue: QueueEntry[] = [];
  private readonly waiters: Waiter[] = [];
  private appendedSeq: number;
  private durableSeq: number;
  private cancelTimer: (() => void) | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private current: { handle: FileHandle; info: SegmentInfo } | null = null;
  private failure: DeskError | null = null;
  private closed = false;
  private nextSegment: number;
  private readonly liveSegments: SegmentInfo[];
  private bytesSinceRotation: number;

  constructor(private readonly options: JournalWriterOptions) {
    this.appendedSeq = options.lastSeq;
    this.durableSeq = options.lastSeq;
    this.nextSegment = options.nextSegment;
    this.liveSegments = [...options.segments];
    this.bytesSinceRotation = options.bytesSinceSnapshot;
  }

  /** Sequence number of the last record appended (durable or not). */
  get lastSeq(): number {
    return this.appendedSeq;
  }

  /** Sequence number up to which every record is on disk. */
  get flushedSeq(): number {
    return this.durableSeq;
  }

  /** Bytes appended since the last rotation (or the newest snapshot, on open). */
  get bytesSinceLastRotation(): number {
    return this.bytesSinceRotation;
  }

  /** Segments on disk or being written, oldest first. */
  get segments(): readonly SegmentInfo[] {
    return this.liveSegments;
  }

  get failed(): DeskError | null {
    return this.failure;
  }

  /** Queues one record; it reaches the disk with the next group commit or flush(). */
  append(seq: number, frame: Buffer): void {
    if (this.closed || this.failure !== null) return;
    if (seq !== this.appendedSeq + 1) {
      this.fail(new DeskError('internal', `The journal was handed record ${seq} after record ${this.appendedSeq}.`));
      return;
    }
    this.queue.push({ kind: 'record', seq, frame });
    this.appendedSeq = seq;
    this.bytesSinceRotation += frame.length;
    if (this.cancelTimer === null && this.draining === null) {
      this.cancelTimer = this.options.clock.setTimer(this.options.groupCommitMs, () => {
        this.cancelTimer = null;
        this.kick();
      });
    }
  }

  /**
   * Resolves once every record appended before the call is written and fsynced. Costs nothing
   * when everything already is.
   */
  flush(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const target = this.appendedSeq;
    if (this.durableSeq >= target) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq: target, resolve, reject });
      this.cancelTimer?.();
      this.cancelTimer = null;
      this.kick();
    });
  }

  /**
   * Ends the current segment: records appended from now on go to a new one. Answers the
   * sequence number of the last record before the cut.
   */
  rotate(): number {
    this.queue.push({ kind: 'rotate', nextSeq: this.appendedSeq + 1 });
    this.bytesSinceRotation = 0;
    this.kick();
    return this.appendedSeq;
  }

  /** Forgets segments that compaction deleted. */
  forget(segments: readonly number[]): void {
    for (const segment of segments) {
      const index = this.liveSegments.findIndex((info) => info.segment === segment);
      if (index >= 0) this.liveSegments.splice(index, 1);
    }
  }

  /** Writes out what is queued, then closes the segment file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.failure === null) await this.flush();
      while (this.draining !== null) await this.draining;
    } finally {
      this.closed = true;
      this.cancelTimer?.();
      this.cancelTimer = null;
      const current = this.current;
      this.current = null;
      if (current !== null) await current.handle.close();
    }
  }

  private kick(): void {
    if (this.draining !== null) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.draining = null;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.failure === null) {
      const frames: Buffer[] = [];
      let firstSeq = 0;
      let lastSeq = 0;
      while (this.queue[0]?.kind === 'record') {
        const entry = this.queue.shift();
        if (entry?.kind !== 'record') break;
        if (frames.length === 0) firstSeq = entry.seq;
        frames.push(entry.frame);
        lastSeq = entry.seq;
      }
      if (frames.length > 0) {
        const current = await this.ensureSegment(firstSeq);
        const bytes = await writeAllv(current.handle, frames);
        await current.handle.sync();
        current.info.lastSeq = lastSeq;
        current.info.bytes += bytes;
        this.durableSeq = lastSeq;
        this.settleWaiters();
        this.options.onDurable?.(lastSeq);
      }
      const rotation = this.queue[0];
      if (rotation?.kind === 'rotate') {
        this.queue.shift();
        const current = this.current;
        this.current = null;
        if (current !== null) await current.handle.close();
        // The next segment exists at once, so recovery can tell the old one is complete and skip it.
        await this.ensureSegment(rotation.nextSeq);
      }
      // Group commit: unless someone waits for them, later records wait for the timer.
      const someoneWaits = this.waiters.some((waiter) => waiter.seq > this.durableSeq);
      if (!someoneWaits && !this.closed && this.queue.length > 0) {
        if (this.cancelTimer === null) {
          this.cancelTimer = this.options.clock.setTimer(this.options.groupCommitMs, () => {
            this.cancelTimer = null;
            this.kick();
          });
        }
        return;
      }
    }
  }

  private async ensureSegment(firstSeq: number): Promise<{ handle: FileHandle; info: SegmentInfo }> {
    if (this.current !== null) return this.current;
    const segment = this.nextSegment;
    this.nextSegment += 1;
    const file = join(this.options.dir, segmentFileName(segment));
    const handle = await openPrivate(file, 'wx');
    try {
      const header = encodeSegmentHeader({
        kind: 'journal',
        format: JOURNAL_FORMAT,
        segment,
        firstSeq,
        schemaVersion: this.options.schemaVersion,
      });
      await writeAll(handle, header);
      await handle.sync();
      await syncDirectory(this.options.dir);
    } catch (error) {
      await handle.close();
      throw error;
    }
    const info: SegmentInfo = { segment, file, firstSeq, lastSeq: firstSeq - 1, bytes: 0, schemaVersion: this.options.schemaVersion };
    this.liveSegments.push(info);
    this.current = { handle, info };
    return this.current;
  }

  private settleWaiters(): void {
    for (let index = this.waiters.length - 1; index >= 0; index -= 1) {
      const waiter = this.waiters[index];
      if (waiter !== undefined && waiter.seq <= this.durableSeq) {
        this.waiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }

  private fail(error: unknown): void {
    if (this.failure !== null) return;
    const detail = error instanceof Error ? error.message : String(error);
    const where = this.current?.info.file ?? this.options.dir;
    this.failure =
      error instanceof DeskError && error.code !== 'internal'
        ? error
        : new DeskError(
            'cache_write_failed',
            `Cancel Desk could not save its latest changes to ${where} (${detail}). They are still in memory; if the app stops now they may be lost.`,
          );
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    this.queue.length = 0;
    this.options.onFailure(this.failure);
  }
}

/** One system call for the whole batch (a kill cannot split it), without copying it into one buffer. */
async function writeAllv(handle: FileHandle, buffers: readonly Buffer[]): Promise<number> {
  const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  const { bytesWritten } = await handle.writev([...buffers]);
  if (bytesWritten < total) await writeAll(handle, Buffer.concat(buffers).subarray(bytesWritten));
  return total;
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<number> {
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written);
    written += bytesWritten;
  }
  return written;
}
