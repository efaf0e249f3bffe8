import type { Clock } from '../../shared/domain/time';

/** setTimeout's largest delay (about 24.8 days); longer timers are chained. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The wall clock. This is the one place in the simulator that reads the system time; everything
 * else receives a `Clock`.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const dueAt = Date.now() + Math.max(0, delayMs);
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const remaining = dueAt - Date.now();
      if (remaining > MAX_TIMEOUT_MS) {
        handle = setTimeout(arm, MAX_TIMEOUT_MS);
        return;
      }
      handle = setTimeout(() => {
        if (!cancelled) callback();
      }, Math.max(0, remaining));
    };
    arm();
    return () => {
      cancelled = true;
      if (handle !== undefined) clearTimeout(handle);
    };
  },
};

/** A clock that only moves when told to: for tests and for driving simulated time. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in due order
   * (ties in registration order). While a timer fires, `now()` reads its due time; timers set
   * by a callback are fired too when they fall due before the end of the advance.
   */
  advance(ms: number): void;
  /** Moves time forward to `ms` (no-op when `ms` is not after now). */
  advanceTo(ms: number): void;
  /** Number of timers not yet fired or cancelled. */
  pendingTimers(): number;
}

interface ManualTimer {
  readonly dueAt: number;
  readonly order: number;
  readonly callback: () => void;
}

/** A manual test clock starting at `startMs` (epoch milliseconds). */
export function createManualClock(startMs: number): ManualClock {
  if (!Number.isSafeInteger(startMs)) {
    throw new RangeError(`A manual clock needs an integer start time in ms; got ${startMs}.`);
  }
  let current = startMs;
  let registered = 0;
  const timers = new Set<ManualTimer>();

  const earliestDue = (limit: number): ManualTimer | undefined => {
    let best: ManualTimer | undefined;
    for (const timer of timers) {
      if (timer.dueAt > limit) continue;
      if (
        best === undefined ||
        timer.dueAt < best.dueAt ||
        (timer.dueAt === best.dueAt && timer.order < best.order)
      ) {
        best = timer;
      }
    }
    return best;
  };

  const clock: ManualClock = {
    now: () => current,
    setTimer(delayMs, callback) {
      const timer: ManualTimer = {
        dueAt: current + Math.max(0, Math.floor(delayMs)),
        order: registered++,
        callback,
      };
      timers.add(timer);
      return () => {
        timers.delete(timer);
      };
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`A clock only moves forward: advance(${ms}) needs ms >= 0.`);
      }
      clock.advanceTo(current + Math.floor(ms));
    },
    advanceTo(targetMs) {
      for (;;) {
        const next = earliestDue(targetMs);
        if (next === undefined) break;
        timers.delete(next);
        if (next.dueAt > current) current = next.dueAt;
        next.callback();
      }
      if (targetMs > current) current = targetMs;
    },
    pendingTimers: () => timers.size,
  };
  return clock;
}
