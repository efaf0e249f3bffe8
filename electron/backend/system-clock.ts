import type { Clock } from '../../shared/domain/time';

/**
 * The real clock, injected at the edges (Electron main, browser host). The one place in the
 * backend that reads the wall clock: everything else asks the Clock it was given.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
