import type { Clock } from '../../shared/domain/time';

/**
 * The real clock, injected at the edges (Electron main, browser host). The one place in the
 * backend that reads the wall clock: everything else asks the Clock it was given.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: realTimer,
};

/** setTimeout's largest delay (about 24.8 days): a longer one would fire at once, so it is chained. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** A real timer that never holds the process open, chained past setTimeout's limit. */
function realTimer(delayMs: number, callback: () => void): () => void {
  let remaining = Math.max(0, delayMs);
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const step = Math.min(remaining, MAX_TIMEOUT_MS);
    remaining -= step;
    timer = setTimeout(remaining > 0 ? arm : callback, step);
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/**
 * A clock that starts at a given instant and then runs at real speed (the monotonic timer, never
 * the wall clock's date): for end-to-end tests and demos whose peers run in other processes, so
 * that their data and deadlines are the same on any day the run happens.
 */
export function createSteadyClock(startMs: number): Clock {
  if (!Number.isSafeInteger(startMs)) throw new RangeError(`A steady clock needs an integer start in ms; got ${startMs}.`);
  const origin = performance.now();
  return {
    now: () => startMs + Math.floor(performance.now() - origin),
    setTimer: realTimer,
  };
}
