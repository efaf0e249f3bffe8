import { readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { DeskError } from '../../../shared/errors';
import { ensurePrivateDir, keepCopy, removeIfPresent, setAside, syncDirectory } from './files';
import { type JournalRecord, readSegment, readSegmentHeader, type SegmentHeader, segmentNumberOf, type SegmentInfo } from './journal';
import { isSnapshotTempFile, parseSnapshotFileName, readSnapshot, SnapshotDamage, type VerifiedSnapshot } from './snapshot-file';

/**
 * Recovery on open: the newest snapshot that reads back whole, then the journal records after
 * the sequence number it covers, in order. A torn tail (the trace of a crash in the middle of an
 * append) is cut off; damage with data after it stops replay at the last whole record before it,
 * and the damaged files are kept aside, never deleted. Nothing is renamed or cut unless the
 * result is a usable cache: when nothing can be recovered, open fails and leaves every file as it
 * was, so the next start says the same thing instead of starting empty.
 */

/** A snapshot file recovery could not use; it was moved aside under `keptAs`. */
export interface SnapshotProblem {
  file: string;
  keptAs: string;
  message: string;
}

/** A torn tail cut off the last journal segment. */
export interface DroppedTail {
  file: string;
  /** Where the file was cut: everything from here on was one partly written transaction. */
  offset: number;
  bytes: number;
  /** Transactions lost with it: the one being appended when the app stopped. */
  records: number;
  message: string;
}

/** Damage found in the journal, with more data after it. */
export interface JournalCorruption {
  file: string;
  offset: number;
  message: string;
  /** Sequence number of the last transaction recovered. */
  lastGoodSeq: number;
  /** Where the damaged file was kept (a copy; the live one was cut to its whole records). */
  keptAs: string | null;
  /** Later segments that could not be applied after the gap, moved aside whole. */
  setAside: string[];
}

/** A replayed journal record, with the schema version it was written at. */
export interface ReplayRecord {
  record: JournalRecord;
  schemaVersion: number;
}

export interface SnapshotFileRef {
  file: string;
  seq: number;
  schemaVersion: number;
  bytes: number;
}

export interface Recovery {
  snapshot: VerifiedSnapshot | null;
  /** Valid snapshot files on disk, newest first (the one used and any older one). */
  snapshotFiles: SnapshotFileRef[];
  snapshotProblems: SnapshotProblem[];
  fellBackToPreviousSnapshot: boolean;
  records: ReplayRecord[];
  lastSeq: number;
  droppedTail: DroppedTail | null;
  corruption: JournalCorruption | null;
  /** Segments left on disk, oldest first, with the range of records each holds. */
  segments: SegmentInfo[];
  nextSegment: number;
  /** Bytes of journal written after the snapshot used. */
  bytesSinceSnapshot: number;
  /** No cache files at all: a first start. */
  fresh: boolean;
}

type PendingCorruption = Omit<JournalCorruption, 'keptAs' | 'setAside'> & { cutAt: number | null; laterSegments: SegmentFile[] };

function tornTail(file: string, offset: number, bytes: number, reason: string, lastSeq: number): DroppedTail {
  return {
    file,
    offset,
    bytes,
    records: bytes > 0 ? 1 : 0,
    message: `The journal ${file} ended in a transaction that was being written when the app stopped (${reason}); its ${bytes} bytes were cut off and the cache recovered up to transaction ${lastSeq}.`,
  };
}

interface SegmentFile {
  segment: number;
  file: string;
  header: SegmentHeader | null;
}

export interface RecoverOptions {
  dir: string;
  now: () => number;
  /** The highest schema version this build knows: newer data is refused, never touched. */
  currentVersion: number;
  /** Every version the schema declares (data at any other version cannot be rebuilt). */
  knownVersions: ReadonlySet<number>;
}

function checkVersion(dir: string, version: number, options: RecoverOptions): void {
  if (version > options.currentVersion) {
    throw new DeskError(
      'cache_newer_schema',
      `The cache in ${dir} was written by a newer Cancel Desk (schema version ${version}; this one knows up to ${options.currentVersion}). Update Cancel Desk to open it.`,
    );
  }
  if (!options.knownVersions.has(version)) {
    throw new DeskError(
      'cache_unknown_schema_version',
      `The cache in ${dir} was written at schema version ${version}, which this build does not declare; old versions must stay in the schema.`,
    );
  }
}

export async function recover(options: RecoverOptions): Promise<Recovery> {
  const { dir } = options;
  await ensurePrivateDir(dir);
  const names = await readdir(dir);

  // A temp file is a snapshot that never finished: it was never used and never will be.
  for (const name of names.filter(isSnapshotTempFile)) await removeIfPresent(join(dir, name));

  const snapshotNames = names
    .map((name) => ({ name, parsed: parseSnapshotFileName(name) }))
    .flatMap(({ name, parsed }) => (parsed === null ? [] : [{ file: join(dir, name), ...parsed }]))
    .sort((a, b) => b.seq - a.seq || b.schemaVersion - a.schemaVersion);
  let highestSegment = 0;
  const segmentFiles: SegmentFile[] = [];
  for (const name of names) {
    const damagedOf = /^(journal-\d{8}\.log)\.damaged-\d+$/.exec(name)?.[1];
    const segment = segmentNumberOf(damagedOf ?? name);
    if (segment === null) continue;
    highestSegment = Math.max(highestSegment, segment);
    if (damagedOf === undefined) segmentFiles.push({ segment, file: join(dir, name), header: null });
  }
  segmentFiles.sort((a, b) => a.segment - b.segment);

  // 1. The newest snapshot that reads back whole.
  const damaged: { file: string; message: string }[] = [];
  let snapshot: VerifiedSnapshot | null = null;
  const snapshotFiles: SnapshotFileRef[] = [];
  for (const candidate of snapshotNames) {
    let verified: VerifiedSnapshot;
    try {
      verified = await readSnapshot(candidate.file);
      if (verified.header.seq !== candidate.seq || verified.header.schemaVersion !== candidate.schemaVersion) {
        throw new SnapshotDamage(candidate.file, 'its header does not match its name');
      }
    } catch (error) {
      if (!(error instanceof SnapshotDamage)) throw error;
      damaged.push({ file: candidate.file, message: error.message });
      continue;
    }
    if (snapshot === null) checkVersion(dir, verified.header.schemaVersion, options);
    snapshotFiles.push({ file: candidate.file, seq: candidate.seq, schemaVersion: candidate.schemaVersion, bytes: verified.bytes });
    snapshot ??= verified;
  }
  const baseSeq = snapshot?.header.seq ?? 0;

  // 2. The journal after it.
  for (const segment of segmentFiles) segment.header = await readSegmentHeader(segment.file, segment.segment);
  const records: ReplayRecord[] = [];
  let expected = baseSeq + 1;
  let droppedTail: DroppedTail | null = null;
  let tailCut: { file: string; at: number; remove: boolean } | null = null;
  let corruption: PendingCorruption | null = null;
  const live: SegmentInfo[] = [];
  let bytesSinceSnapshot = 0;
  const damageAt = (segment: SegmentFile, index: number, offset: number, reason: string, cutAt: number | null): PendingCorruption => ({
    file: segment.file,
    offset,
    message: `The journal ${segment.file} is damaged at byte ${offset}: ${reason}. The cache recovered up to transaction ${expected - 1}; what came after it could not be applied.`,
    lastGoodSeq: expected - 1,
    cutAt,
    // A segment with no usable header goes aside whole, with everything after it.
    laterSegments: segmentFiles.slice(cutAt === null ? index : index + 1),
  });

  for (let index = 0; index < segmentFiles.length && corruption === null; index += 1) {
    const segment = segmentFiles[index];
    if (segment === undefined) break;
    const isLast = index === segmentFiles.length - 1;
    const nextFirstSeq = segmentFiles[index + 1]?.header?.firstSeq;
    // Segments wholly covered by the snapshot stay (for the previous snapshot) but are not read,
    // even damaged ones: nothing in them is needed now.
    if (!isLast && nextFirstSeq !== undefined && nextFirstSeq - 1 <= baseSeq) {
      const { size } = await stat(segment.file);
      const firstSeq = segment.header?.firstSeq ?? 0;
      live.push({ segment: segment.segment, file: segment.file, firstSeq, lastSeq: nextFirstSeq - 1, bytes: size, schemaVersion: segment.header?.schemaVersion ?? 0 });
      continue;
    }
    const read = await readSegment(segment.file, segment.segment, baseSeq);
    const header = read.header;
    if (header === null) {
      const damage = read.damage ?? { kind: 'corrupt', offset: 0, reason: 'it has no header', size: read.size };
      if (isLast && damage.kind === 'torn') {
        droppedTail = tornTail(segment.file, 0, read.size, damage.reason, expected - 1);
        tailCut = { file: segment.file, at: 0, remove: true };
      } else {
        corruption = damageAt(segment, index, 0, damage.reason, null);
      }
      break;
    }
    if (header.firstSeq > expected) {
      corruption = damageAt(segment, index, 0, `transactions ${expected} to ${header.firstSeq - 1} are missing before it`, null);
      break;
    }
    let lastSeqHere = header.firstSeq - 1;
    let goodEnd = read.headerEnd;
    for (const entry of read.entries) {
      const skip = entry.seq <= baseSeq && expected === baseSeq + 1;
      if (!skip && (entry.seq !== expected || entry.record === null)) {
        corruption = damageAt(segment, index, goodEnd, `transaction ${expected} was expected and transaction ${entry.seq} was found`, goodEnd);
        break;
      }
      if (!skip && entry.record !== null) {
        records.push({ record: entry.record, schemaVersion: header.schemaVersion });
        expected += 1;
      }
      lastSeqHere = entry.seq;
      goodEnd = entry.end;
    }
    if (corruption === null && read.damage !== null) {
      if (isLast && read.damage.kind === 'torn') {
        droppedTail = tornTail(segment.file, read.damage.offset, read.size - read.damage.offset, read.damage.reason, expected - 1);
        tailCut = { file: segment.file, at: read.damage.offset, remove: false };
      } else {
        corruption = damageAt(segment, index, read.damage.offset, read.damage.reason, goodEnd);
      }
    }
    live.push({ segment: segment.segment, file: segment.file, firstSeq: header.firstSeq, lastSeq: lastSeqHere, bytes: goodEnd, schemaVersion: header.schemaVersion });
    if (lastSeqHere > baseSeq) bytesSinceSnapshot += goodEnd;
  }

  // 3. Is there a cache to give back at all? Never an empty one in place of damaged files, and
  // never one this build cannot read (both decided before any file is touched).
  for (const version of new Set(records.map((record) => record.schemaVersion))) checkVersion(dir, version, options);
  if (snapshot === null && (damaged.length > 0 || corruption?.lastGoodSeq === 0)) {
    const reasons = [...damaged.map((problem) => problem.message), ...(corruption === null ? [] : [corruption.message])];
    if (corruption === null && expected === 1 && segmentFiles.length === 0) reasons.push('there is no journal to rebuild it from');
    throw new DeskError(
      'cache_unrecoverable',
      `The cache in ${dir} cannot be recovered. ${reasons.join(' ')} No file was changed; move the folder aside to start with an empty cache and sync again.`,
    );
  }

  // 4. Repairs, now that they lead somewhere.
  const stamp = options.now();
  const snapshotProblems: SnapshotProblem[] = [];
  for (const problem of damaged) {
    snapshotProblems.push({ ...problem, keptAs: await setAside(problem.file, stamp) });
  }
  if (tailCut !== null) {
    if (tailCut.remove) await removeIfPresent(tailCut.file);
    else await truncate(tailCut.file, tailCut.at);
  }
  let finalCorruption: JournalCorruption | null = null;
  if (corruption !== null) {
    const { cutAt, laterSegments, ...rest } = corruption;
    let keptAs: string | null = null;
    if (cutAt !== null) {
      keptAs = await keepCopy(corruption.file, stamp);
      await truncate(corruption.file, cutAt);
    }
    const setAsideFiles: string[] = [];
    for (const later of laterSegments) setAsideFiles.push(await setAside(later.file, stamp));
    finalCorruption = { ...rest, keptAs, setAside: setAsideFiles };
  }
  if (snapshotProblems.length > 0 || tailCut !== null || corruption !== null) await syncDirectory(dir);

  return {
    snapshot,
    snapshotFiles,
    snapshotProblems,
    fellBackToPreviousSnapshot: snapshot !== null && snapshotProblems.length > 0,
    records,
    lastSeq: expected - 1,
    droppedTail,
    corruption: finalCorruption,
    segments: live,
    nextSegment: highestSegment + 1,
    bytesSinceSnapshot,
    fresh: snapshotNames.length === 0 && segmentFiles.length === 0,
  };
}
