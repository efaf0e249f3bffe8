import { z } from 'zod';

/** An instant as an ISO 8601 string in UTC with milliseconds: 2026-11-26T09:30:00.000Z. */
export const IsoInstantSchema = z.iso.datetime({ offset: false, precision: 3 });
export type IsoInstant = z.infer<typeof IsoInstantSchema>;

/** Milliseconds since the epoch for an instant string. */
export function instantMs(instant: string): number {
  return Date.parse(instant);
}

/** The instant string for milliseconds since the epoch. */
export function toInstant(ms: number): IsoInstant {
  return new Date(ms).toISOString();
}

/**
 * The one source of time for rules, backend and simulator. `now()` is epoch milliseconds;
 * timers go through the clock too, so a test clock can run them when it advances.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` once after `delayMs`; returns a function that cancels it. */
  setTimer(delayMs: number, callback: () => void): () => void;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "2 d 4 h", "3 h 12 m", "12 m", "< 1 m"; past the deadline: "overdue 5 m". */
export function formatTimeLeft(msLeft: number): string {
  const overdue = msLeft < 0;
  const span = Math.abs(msLeft);
  let text: string;
  if (span >= DAY_MS) text = `${Math.floor(span / DAY_MS)} d ${Math.floor((span % DAY_MS) / HOUR_MS)} h`;
  else if (span >= HOUR_MS) text = `${Math.floor(span / HOUR_MS)} h ${Math.floor((span % HOUR_MS) / MINUTE_MS)} m`;
  else if (span >= MINUTE_MS) text = `${Math.floor(span / MINUTE_MS)} m`;
  else text = '< 1 m';
  return overdue ? `overdue ${text}` : text;
}
