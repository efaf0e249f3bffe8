/**
 * Date ranges for Insights: whole UTC days as `YYYY-MM-DD` (the contract's unit), presets
 * counted back from today, and their display through Intl. Pure: "today" comes from the caller's clock.
 */
const DAY_MS = 86_400_000;

export const RANGE_PRESETS = [7, 30, 90] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = 30;

export interface DayRange {
  /** First day, inclusive. */
  readonly from: string;
  /** Last day, inclusive. */
  readonly to: string;
}

/** The UTC calendar day of an instant. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS);
}

/** The last `days` days, today included. */
export function presetRange(days: RangePreset, nowMs: number): DayRange {
  const to = isoDay(nowMs);
  return { from: addDays(to, -(days - 1)), to };
}

/** The preset a range is, if any (so the picker can show it pressed). */
export function presetOf(range: DayRange, nowMs: number): RangePreset | null {
  return RANGE_PRESETS.find((days) => {
    const preset = presetRange(days, nowMs);
    return preset.from === range.from && preset.to === range.to;
  }) ?? null;
}

/** Number of days in the range, both ends included. */
export function rangeDays(range: DayRange): number {
  return Math.round((Date.parse(range.to) - Date.parse(range.from)) / DAY_MS) + 1;
}

/** The longest range the backend accepts (InsightsInputSchema): 366 days after `from`. */
export const MAX_RANGE_DAYS = 367;

/** Why a range typed by hand cannot be asked for, or null when it can. */
export function rangeProblem(range: DayRange): string | null {
  const valid = /^\d{4}-\d{2}-\d{2}$/;
  if (!valid.test(range.from) || Number.isNaN(Date.parse(range.from))) return 'Choose a start date.';
  if (!valid.test(range.to) || Number.isNaN(Date.parse(range.to))) return 'Choose an end date.';
  if (range.from > range.to) return 'The start date must not be after the end date.';
  if (rangeDays(range) > MAX_RANGE_DAYS) return 'Choose at most a year.';
  return null;
}

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** A UTC day for people: "Mar 4, 2026" (en-US), "4 mars 2026" (fr). */
export function formatDay(day: string, locale: string, style: 'medium' | 'short' = 'medium'): string {
  const key = `${locale}|${style}`;
  let format = DAY_FORMATS.get(key);
  if (format === undefined) {
    format =
      style === 'medium'
        ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
        : new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    DAY_FORMATS.set(key, format);
  }
  return format.format(new Date(`${day}T00:00:00.000Z`));
}
