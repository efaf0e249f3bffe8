import { z } from 'zod';
import { DeskError } from '../../../../shared/errors';

/**
 * Walking AliExpress's order list by modification time (protocol §5.1, §6): windows of at most
 * 180 days for running orders, and FINISH on its own (leaving out a status leaves FINISH out) in
 * windows of at most 30 days; pages of at most 50, 1-based. The walk's position is the sync
 * engine's cursor, so a pass interrupted by a crash resumes at the page it stopped at; its end is
 * fixed when the pass starts, so orders changing meanwhile are read by the next pass, not missed.
 */

export const DAY_MS = 24 * 3_600_000;
/** The longest modification window the order list takes for running orders. */
export const OPEN_WINDOW_MS = 180 * DAY_MS;
/** The longest window for finished orders. */
export const FINISH_WINDOW_MS = 30 * DAY_MS;
/** How far back a first sync reads: the order list's own limit. */
export const FIRST_SYNC_MS = 180 * DAY_MS;
/** The largest page AliExpress serves. */
export const AE_PAGE_MAX = 50;

const PHASES = ['open', 'finish'] as const;
export type Phase = (typeof PHASES)[number];

const CursorSchema = z
  .object({
    v: z.literal(1),
    phase: z.enum(PHASES),
    /** Where the walk started and where it ends (epoch ms): fixed for the whole pass. */
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    /** The window being read. */
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    page: z.number().int().min(1).max(100_000),
  })
  .strict();
export type FeedCursor = z.infer<typeof CursorSchema>;

export function encodeCursor(cursor: FeedCursor): string {
  return JSON.stringify(cursor);
}

/** A cursor we wrote; anything else (another marketplace's, a corrupted mark) is a clear error. */
export function decodeCursor(text: string): FeedCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const checked = CursorSchema.safeParse(parsed);
  if (!checked.success || checked.data.start > checked.data.end + 1000 || checked.data.from > checked.data.to) {
    throw new DeskError('invalid_input', 'The AliExpress sync position is unreadable; a full sync starts over from the beginning.');
  }
  return checked.data;
}

function windowMs(phase: Phase): number {
  return phase === 'open' ? OPEN_WINDOW_MS : FINISH_WINDOW_MS;
}

/** The first window of a phase over [from, to]. */
function firstWindow(phase: Phase, from: number, to: number): FeedCursor {
  return { v: 1, phase, from, to, start: from, end: Math.min(to, from + windowMs(phase)), page: 1 };
}

/** Where a pass starts: from the mark (or 180 days back), to now. */
export function startCursor(updatedSince: string | null, nowMs: number): FeedCursor {
  const since = updatedSince === null ? Number.NaN : Date.parse(updatedSince);
  // Not before the list's own limit: a mark older than that reads what the list still has.
  const from = Math.max(Number.isNaN(since) ? nowMs - FIRST_SYNC_MS : since, nowMs - FIRST_SYNC_MS, 0);
  return firstWindow('open', Math.min(from, nowMs), nowMs);
}

/** The position after reading `cursor`'s page, which had `totalPages` pages; null when the walk is done. */
export function nextCursor(cursor: FeedCursor, totalPages: number): FeedCursor | null {
  if (cursor.page < totalPages) return { ...cursor, page: cursor.page + 1 };
  // Windows do not overlap: AliExpress's times have whole seconds and both ends are inclusive.
  if (cursor.end < cursor.to) return { ...cursor, start: cursor.end + 1000, end: Math.min(cursor.to, cursor.end + windowMs(cursor.phase)), page: 1 };
  if (cursor.phase === 'open') return firstWindow('finish', cursor.from, cursor.to);
  return null;
}
