/**
 * Runs the deadline decision once a minute over the "Needs reply" view, most urgent first,
 * reading only as many pages as reach past the window. Runs beside the backend (in its worker
 * thread in the app); it reads through the same queue query the renderer uses.
 */
import { instantMs, type Clock } from '../../../shared/domain/time';
import type { QueuePage } from '../../../shared/ipc/contract';
import type { Logger } from '../log';
import { decideDeadlineAlert, INITIAL_ALERT_STATE, type DeadlineAlert, type DeadlineAlertState, type DeadlineRow } from './deadline-alerts';

export const DEADLINE_CHECK_EVERY_MS = 60_000;
/** How often a change of the queue may bring a check forward (a sync lands many pages). */
export const DEADLINE_NUDGE_EVERY_MS = 10_000;
const PAGE_SIZE = 200;
/** A bound on one check's reading: 10,000 requests due within the window is already a flood. */
const MAX_PAGES = 50;

export interface DeadlineWatchOptions {
  /** One page of the Needs reply view sorted by time left (cursor null: the first). */
  listPage(cursor: string | null, limit: number): Promise<QueuePage>;
  clock: Clock;
  /** N at the start (the seller's setting); `setThresholdHours` follows a change. 0: off. */
  thresholdHours: number;
  notify(alert: DeadlineAlert): void;
  log: Logger;
  everyMs?: number;
}

export interface DeadlineWatch {
  /** Checks now (the timer also does, every minute). */
  check(): Promise<void>;
  /** The queue changed: checks now, or once the last check is a few seconds old. */
  nudge(): void;
  /** The seller changed N: applies from now (0 stops the timer; turning on checks at once). */
  setThresholdHours(hours: number): void;
  stop(): void;
}

export function watchDeadlines(options: DeadlineWatchOptions): DeadlineWatch {
  let state: DeadlineAlertState = INITIAL_ALERT_STATE;
  let running: Promise<void> | null = null;
  let cancelTimer: (() => void) | null = null;
  let stopped = false;
  let lastCheckAt = Number.NEGATIVE_INFINITY;
  let cancelNudge: (() => void) | null = null;
  let thresholdHours = options.thresholdHours;

  async function readWindow(now: number): Promise<DeadlineRow[]> {
    const windowEnd = now + thresholdHours * 3_600_000;
    const rows: DeadlineRow[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result: QueuePage = await options.listPage(cursor, PAGE_SIZE);
      rows.push(...result.rows);
      const last = result.rows.at(-1);
      if (result.nextCursor === null || last === undefined || instantMs(last.respondBy) > windowEnd) break;
      cursor = result.nextCursor;
    }
    return rows;
  }

  async function runCheck(): Promise<void> {
    if (thresholdHours <= 0) return;
    const now = options.clock.now();
    lastCheckAt = now;
    const rows = await readWindow(now);
    // Turned off while the pages were read: nothing to announce.
    if (thresholdHours <= 0) return;
    const decision = decideDeadlineAlert({ rows, now, thresholdHours, state });
    state = decision.state;
    if (decision.alert !== null) options.notify(decision.alert);
  }

  function check(): Promise<void> {
    running ??= runCheck()
      .catch((error: unknown) => options.log.warn(`deadline check failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
      });
    return running;
  }

  function scheduleNext(): void {
    if (stopped || thresholdHours <= 0 || cancelTimer !== null) return;
    cancelTimer = options.clock.setTimer(options.everyMs ?? DEADLINE_CHECK_EVERY_MS, () => {
      cancelTimer = null;
      void check().then(scheduleNext);
    });
  }

  scheduleNext();
  return {
    check,
    nudge() {
      if (stopped || thresholdHours <= 0 || cancelNudge !== null) return;
      const wait = lastCheckAt + DEADLINE_NUDGE_EVERY_MS - options.clock.now();
      if (wait <= 0) {
        void check();
        return;
      }
      // Too soon after the last check: one check when the pause is over covers every change meanwhile.
      cancelNudge = options.clock.setTimer(wait, () => {
        cancelNudge = null;
        void check();
      });
    },
    setThresholdHours(hours) {
      if (stopped || hours === thresholdHours) return;
      const wasOff = thresholdHours <= 0;
      thresholdHours = hours;
      if (hours <= 0) {
        cancelTimer?.();
        cancelTimer = null;
        cancelNudge?.();
        cancelNudge = null;
        // Forget what was announced: turned on again, the requests in the window are news.
        state = INITIAL_ALERT_STATE;
        return;
      }
      if (wasOff) scheduleNext();
      // A check already reading ran with the old window: one more with the new one (a wider
      // window may hold requests not announced yet).
      void (running ?? Promise.resolve()).then(check);
    },
    stop() {
      stopped = true;
      cancelTimer?.();
      cancelNudge?.();
      cancelNudge = null;
    },
  };
}
