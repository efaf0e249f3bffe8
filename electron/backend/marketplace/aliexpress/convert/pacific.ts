import { DeskError } from '../../../../../shared/errors';
import { invalidPayload } from './errors';

/**
 * AliExpress times: `yyyy-MM-dd HH:mm:ss` wall-clock time in America/Los_Angeles, both ways
 * (protocol §5.3; `issue.detail.get` names the zone, so it follows daylight saving time). The
 * zone's rules come from the runtime's time-zone data through Intl.DateTimeFormat: no table of
 * DST dates here, and nothing depends on the machine's own zone.
 *
 * Two hours a year do not map to exactly one instant:
 * - spring forward (second Sunday of March since 2007): 02:00:00–02:59:59 never happens; such a
 *   time is refused, never guessed;
 * - fall back (first Sunday of November since 2007): 01:00:00–01:59:59 happens twice, first in
 *   PDT (UTC−7), then in PST (UTC−8). By default the EARLIER instant (PDT) is taken: these strings
 *   are mostly deadlines (`timeout_trigger_time`, `over_time_left`, protocol §7), and a deadline
 *   read as the earlier instant is never later than the real one, so the desk never tells a seller
 *   they have more time than they do. `{ ambiguous: 'later' }` gives the other reading for a
 *   caller that needs it (say, the end of a query window that must not miss a record).
 */

export const PACIFIC_TIME_ZONE = 'America/Los_Angeles';

/** Which instant a wall time of the repeated November hour stands for. */
export type AmbiguousChoice = 'earlier' | 'later';

export interface PacificReadOptions {
  /** Default 'earlier' (see the module comment). */
  readonly ambiguous?: AmbiguousChoice;
}

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Years read: AliExpress has no earlier records, and four digits is what the format holds. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

const WALL_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})$/;

let pacificFormat: Intl.DateTimeFormat | null = null;

/** One formatter for the zone (creating one is the slow part); Gregorian, Latin digits, 00–23 hours. */
function formatter(): Intl.DateTimeFormat {
  pacificFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: PACIFIC_TIME_ZONE,
    calendar: 'gregory',
    numberingSystem: 'latn',
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return pacificFormat;
}

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Milliseconds of a wall time counted as if it were UTC: the zone's offset is the difference to the instant. */
function wallAsUtcMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The Los Angeles wall time at an instant (whole seconds). */
function wallAt(ms: number): WallTime {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter().formatToParts(ms)) parts[part.type] = part.value;
  const year = Number(parts.year);
  return {
    // A year before the common era prints as a positive number: count it as negative, so that
    // the range check refuses it instead of reading 1950 BC as 1950.
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/**
 * Offsets already looked up, by UTC hour: a formatToParts call costs microseconds, and a sync
 * reads several times per order. An hour whose first and last seconds have the same offset had
 * no change inside it (Los Angeles's changes are months apart), so it is cached whole; the hour
 * of a change is computed to the second each time (not always on the hour: in 1948 clocks went
 * forward at 02:01). Bounded: cleared when full.
 */
const offsetByHour = new Map<number, number>();
const OFFSET_CACHE_HOURS = 10_000;

function offsetAtSecond(wholeSecond: number): number {
  return wallAsUtcMs(wallAt(wholeSecond)) - wholeSecond;
}

/** Los Angeles's offset from UTC at an instant, in ms (−7 h in summer, −8 h in winter). */
function offsetAt(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  const atStart = offsetAtSecond(hour * HOUR_MS);
  if (atStart !== offsetAtSecond((hour + 1) * HOUR_MS - SECOND_MS)) return offsetAtSecond(Math.floor(ms / SECOND_MS) * SECOND_MS);
  if (offsetByHour.size >= OFFSET_CACHE_HOURS) offsetByHour.clear();
  offsetByHour.set(hour, atStart);
  return atStart;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function wallText(wall: WallTime): string {
  return `${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)} ${pad(wall.hour, 2)}:${pad(wall.minute, 2)}:${pad(wall.second, 2)}`;
}

function parseWall(text: unknown, field: string): WallTime {
  if (typeof text !== 'string') throw invalidPayload(field, text, 'a time is a text like 2026-03-08 14:30:00 (Los Angeles time)');
  const match = WALL_TIME.exec(text);
  if (match === null) throw invalidPayload(field, text, 'a time is written yyyy-MM-dd HH:mm:ss, like 2026-03-08 14:30:00 (Los Angeles time)');
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = { year, month, day, hour, minute, second };
  if (year < FIRST_YEAR || year > LAST_YEAR) throw invalidPayload(field, text, `the year is outside ${FIRST_YEAR}–${LAST_YEAR}`);
  // A day that does not exist (2026-02-30, month 13, day 00) comes back from Date.UTC as another day.
  const date = text.slice(0, 10);
  if (new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) !== date) throw invalidPayload(field, text, `${date} is not a date of the calendar`);
  if (hour > 23 || minute > 59 || second > 59) throw invalidPayload(field, text, `${text.slice(11)} is not a time of day`);
  return wall;
}

/**
 * Epoch ms of an AliExpress time (`yyyy-MM-dd HH:mm:ss`, Los Angeles wall time). Throws an
 * 'invalid_payload' DeskError naming `field` for a malformed text, a date that does not exist
 * (2026-02-30) and a time skipped by the spring change; the repeated autumn hour is read as
 * `options.ambiguous` says, the earlier instant by default (see the module comment).
 */
export function pacificToInstant(text: unknown, field: string, options: PacificReadOptions = {}): number {
  const wall = parseWall(text, field);
  const asUtc = wallAsUtcMs(wall);
  // Every reading of the wall time is asUtc − offset for an offset the zone had within a day of
  // it (offsets stay within ±14 h), and Los Angeles changes offset at most once in two days: the
  // offsets a day before and a day after are all the candidates. A candidate is a reading when
  // the zone really had that offset at the instant it gives.
  const candidates = new Set([offsetAt(asUtc - DAY_MS), offsetAt(asUtc + DAY_MS)]);
  const readings = [...candidates].map((offset) => asUtc - offset).filter((instant) => offsetAt(instant) === asUtc - instant);
  if (readings.length === 0) {
    throw invalidPayload(field, text, `${wallText(wall)} does not exist in Los Angeles (clocks went forward)`);
  }
  return options.ambiguous === 'later' ? Math.max(...readings) : Math.min(...readings);
}

/**
 * The AliExpress text (`yyyy-MM-dd HH:mm:ss`, Los Angeles wall time) of an instant, for query
 * windows (`create_date_start`, `modified_date_end`...). Milliseconds are dropped (floored to the
 * second). Throws an 'invalid_input' DeskError for an instant that is not finite or whose year is
 * outside 1900–9999: it comes from the desk's own clock, so that is a bug, not a payload.
 */
export function instantToPacific(ms: number): string {
  const wall = Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? wallAt(Math.floor(ms / SECOND_MS) * SECOND_MS) : null;
  if (wall === null || wall.year < FIRST_YEAR || wall.year > LAST_YEAR) {
    throw new DeskError('invalid_input', `Cannot write the instant ${String(ms)} as an AliExpress time: it must fall in the years ${FIRST_YEAR}–${LAST_YEAR}.`);
  }
  return wallText(wall);
}
