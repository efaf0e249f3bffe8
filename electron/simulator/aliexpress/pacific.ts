/**
 * US Pacific wall-clock time, the zone of every AliExpress order and dispute time field
 * (`yyyy-MM-dd HH:mm:ss`, America/Los_Angeles, DST-aware; protocol §5.3). The sandbox does its
 * own conversion through Intl so that it checks the connector's instead of sharing it.
 */

const PACIFIC = 'America/Los_Angeles';

const FORMATTER = new Intl.DateTimeFormat('en-US', {
  timeZone: PACIFIC,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallTime(ms: number): WallTime {
  const parts: Record<string, number> = {};
  for (const part of FORMATTER.formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `2026-11-26 01:00:00` for the instant `ms` (sub-second part dropped). */
export function formatPacific(ms: number): string {
  const t = wallTime(ms);
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

/** Offset of Pacific time from UTC at `ms`, in ms (−8 h or −7 h). */
function offsetAt(ms: number): number {
  const t = wallTime(ms);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

const PACIFIC_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * The instant of a Pacific wall time, or null when the text is not `yyyy-MM-dd HH:mm:ss` or not
 * a calendar date. In the repeated hour of November the earlier instant (PDT) wins; a time in
 * the skipped hour of March is read with the standard offset (so 02:30 reads as 03:30 PDT).
 */
export function parsePacific(text: string): number | null {
  const match = PACIFIC_TEXT.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(asUtc).getUTCDate() !== day) return null;
  // Try both offsets of the zone; prefer the earlier instant that reads back the same.
  const candidates = [asUtc + 7 * 3_600_000, asUtc + 8 * 3_600_000].filter(
    (instant) => instant - asUtc === -offsetAt(instant),
  );
  return candidates[0] ?? asUtc + 8 * 3_600_000;
}
