import { describe, expect, it } from 'vitest';
import { closeWithin } from '../../../../electron/main/shutdown';

/** A timer the test fires by hand. */
function manualTimer() {
  const timers: Array<{ callback: () => void; cancelled: boolean }> = [];
  return {
    timers,
    setTimer: (_delayMs: number, callback: () => void) => {
      const timer = { callback, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
  };
}

describe('closing the backend with a limit', () => {
  it('reports a clean close and cancels the guard', async () => {
    const clock = manualTimer();
    expect(await closeWithin(() => Promise.resolve(), 10_000, clock.setTimer)).toEqual({ kind: 'closed' });
    expect(clock.timers[0]?.cancelled).toBe(true);
  });

  it('gives up on a close that never ends', async () => {
    const clock = manualTimer();
    const outcome = closeWithin(() => new Promise<void>(() => {}), 10_000, clock.setTimer);
    clock.timers[0]?.callback();
    expect(await outcome).toEqual({ kind: 'timed_out', afterMs: 10_000 });
  });

  it('reports a failed close instead of throwing', async () => {
    const clock = manualTimer();
    expect(await closeWithin(() => Promise.reject(new Error('disk full')), 10_000, clock.setTimer)).toEqual({ kind: 'failed', message: 'disk full' });
  });
});
