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
