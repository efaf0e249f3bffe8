import { toInstant, type IsoInstant } from '../domain/time';
import { describeValue } from '../money';
import { RulesInputError, checkNow } from './input';

/**
 * When proof is due: the end of a calendar day in the seller's time zone. One function decides
 * the instant (`proofDueAt`), so what the dialog proposes, what the rules panel and the queue
 * show and what the marketplace receives are the same instant; every screen formats it in the
 * same zone. Time zones are IANA names handed in (never read from the machine here), through Intl.
 */

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/u;
/** Offsets run from UTC−12 to UTC+14; one more hour each way covers a daylight-saving jump at midnight. */
const WIDEST_OFFSET_MS = 15 * 60 * 60 * 1000;
const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = DAY_FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    DAY_FORMATS.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is a time zone Intl knows (an IANA name such as "Europe/Paris", or "UTC"). */
export function isTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    dayFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

function checkTimeZone(timeZone: unknown): string {
  if (!isTimeZone(timeZone)) {
    throw new RulesInputError('rules.invalid_time_zone', 'time zone', [
      { field: 'timeZone', message: `must be an IANA time zone such as "Europe/Paris", not ${describeValue(timeZone)}` },
    ]);
  }
  return timeZone;
}

/** "YYYY-MM-DD": the calendar day `ms` falls on in `timeZone`. */
export function calendarDayIn(ms: number, timeZone: string): string {
  const parts = dayFormat(checkTimeZone(timeZone)).formatToParts(new Date(checkNow(ms)));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

function parseDay(day: string): { year: number; month: number; day: number } | null {
  const match = DAY_PATTERN.exec(day);
  if (match === null) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, date));
  // Date.UTC rolls 2026-02-31 over into March: such a day does not exist.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== date) return null;
  return { year, month, day: date };
}

/** The calendar day `days` after `day` (both YYYY-MM-DD; the calendar, not 24-hour steps). */
export function addCalendarDays(day: string, days: number): string {
  const parsed = parseDay(day);
  if (parsed === null) throw new RangeError(`Not a calendar day: ${JSON.stringify(day)} (expected YYYY-MM-DD).`);
  return toInstant(Date.UTC(parsed.year, parsed.month - 1, parsed.day + days)).slice(0, 10);
}

/** The first millisecond of `day` in `timeZone`: the earliest instant whose local day is `day` or later. */
function startOfDayIn(day: string, timeZone: string): number {
  const parsed = parseDay(day);
  if (parsed === null) throw new RangeError(`Not a calendar day: ${JSON.stringify(day)}.`);
  const midnightUtc = Date.UTC(parsed.year, parsed.month - 1, parsed.day);
  // Bisection over instants: the local day only moves forward, and the bounds are on either side.
  let before = midnightUtc - WIDEST_OFFSET_MS;
  let after = midnightUtc + WIDEST_OFFSET_MS;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (calendarDayIn(middle, timeZone) >= day) after = middle;
    else before = middle;
  }
  return after;
}

/** The last millisecond of the calendar day `day` (YYYY-MM-DD) in `timeZone`, or null when `day` is no such day. */
export function endOfDayIn(day: string, timeZone: string): number | null {
  checkTimeZone(timeZone);
  if (parseDay(day) === null) return null;
  return startOfDayIn(addCalendarDays(day, 1), timeZone) - 1;
}

/**
 * When proof asked for at `now` is due: the end of the calendar day `dueDays` days after today,
 * both days as the seller's calendar shows them in `timeZone` (so a request at 00:57 on 28
 * November with 7 days is due at 23:59:59.999 on 5 December, the seller's time).
 */
export function proofDueAt(now: number, dueDays: number, timeZone: string): IsoInstant {
  const today = calendarDayIn(checkNow(now), checkTimeZone(timeZone));
  const end = endOfDayIn(addCalendarDays(today, dueDays), timeZone);
  // endOfDayIn answers null only for a malformed day, and addCalendarDays makes well-formed ones.
  if (end === null) throw new RangeError(`No end of day for ${today} + ${dueDays} days in ${timeZone}.`);
  return toInstant(end);
}
