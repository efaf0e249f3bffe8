import type { Clock } from '../../shared/domain/time';

/**
 * A clock on which every wait passes at once: time jumps forward by the wait, and each wait is
 * recorded, so a test can check how long the code chose to wait without waiting.
 */
export interface InstantClock extends Clock {
  readonly waits: number[];
}

export function createInstantClock(startMs = Date.UTC(2026, 10, 26, 9)): InstantClock {
  let now = startMs;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    setTimer(delayMs, callback) {
      waits.push(delayMs);
      let cancelled = false;
      setImmediate(() => {
        if (cancelled) return;
        now += Math.max(0, delayMs);
        callback();
      });
      return () => {
        cancelled = true;
      };
    },
  };
}
