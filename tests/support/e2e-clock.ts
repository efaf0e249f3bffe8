import type { Page } from '@playwright/test';
import { createSteadyClock } from '../../electron/backend/system-clock';
import { toInstant, type Clock } from '../../shared/domain/time';
import { TEST_START_MS } from './start';

/**
 * One timeline for an end-to-end test, on any date: a steady clock from TEST_START_MS (real
 * speed, the monotonic timer, never the wall clock's date). The demo marketplace runs on it in
 * the test process; the host and the page are started at the instant it reads when they start
 * (`--start-at`, Playwright's clock), so the three agree to within the host's boot time.
 *
 * The host's clock is created a moment after it is spawned, so it is never ahead of this one:
 * an instant read here after the host did something is an upper bound on when it did it.
 */
export function createTimeline(): Clock {
  return createSteadyClock(TEST_START_MS);
}

/** The host's command-line arguments that run its clock on the timeline from now on. */
export function startAtArgs(timeline: Clock): string[] {
  return ['--start-at', toInstant(timeline.now())];
}

/**
 * The page's clock on the timeline (Playwright's clock, installed before the first navigation):
 * it runs at real speed unless the test holds it still for a step.
 */
export interface PageClock {
  /** The page's time now, as the test knows it (exact while paused). */
  now(): number;
  /**
   * Holds the page's time still `aheadMs` from now (jumping there first, so timers due by then
   * fire once, at that instant); answers the instant it holds. Nothing on the page that waits
   * on a timer moves until `resume`.
   */
  pause(aheadMs?: number): Promise<number>;
  /** Lets the page's time run again, from where the timeline is by now (never backwards). */
  resume(): Promise<void>;
}

/** A jump far enough to be ahead of the page's own reading of the time, whatever the latency. */
const PAUSE_AHEAD_MS = 1_000;

export async function installPageClock(page: Page, timeline: Clock): Promise<PageClock> {
  // The page's time minus the timeline's: 0 once installed (Playwright replays the install with
  // the time that passed since the call), the jump of a pause once it is resumed.
  let offset = 0;
  let pausedAt: number | null = null;
  await page.clock.install({ time: timeline.now() });
  return {
    now: () => pausedAt ?? timeline.now() + offset,
    async pause(aheadMs = PAUSE_AHEAD_MS) {
      if (pausedAt !== null) throw new Error('the page clock is already paused');
      const at = timeline.now() + offset + aheadMs;
      await page.clock.pauseAt(at);
      pausedAt = at;
      return at;
    },
    async resume() {
      if (pausedAt === null) throw new Error('the page clock is not paused');
      // Catch up with the time that passed while it was held, so the page never falls behind
      // the host (an undo window would then look open on the page after it closed in the host).
      const at = Math.max(pausedAt, timeline.now() + offset);
      await page.clock.pauseAt(at);
      await page.clock.resume();
      offset = at - timeline.now();
      pausedAt = null;
    },
  };
}
