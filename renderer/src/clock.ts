import { ref, type Ref } from 'vue';
import type { Clock } from '../../shared/domain/time';

/**
 * The renderer's time: what time it is, and timers that run on that time (so a test clock that
 * moves runs them, as the shared Clock promises).
 */
export type RendererClock = Clock;

/** The wall clock: the one place in the renderer that reads the system time. */
const systemClock: RendererClock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
};

let clock: RendererClock = systemClock;

export function getClock(): RendererClock {
  return clock;
}

/** For tests: read time, and run timers, on `next`. */
export function setClock(next: RendererClock): void {
  clock = next;
}

/**
 * "Now" for countdowns, refreshed every `intervalMs` on the injected clock; returns the ref, the
 * function that reads the clock again at once (when what counts down changes between ticks) and
 * the function that stops refreshing it.
 */
export function useTicker(intervalMs = 1_000): { now: Ref<number>; refresh: () => void; stop: () => void } {
  const now = ref(clock.now());
  let cancel: (() => void) | null = null;
  let stopped = false;
  const arm = (): void => {
    cancel = clock.setTimer(intervalMs, () => {
      if (stopped) return;
      now.value = clock.now();
      arm();
    });
  };
  arm();
  return {
    now,
    refresh() {
      now.value = clock.now();
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}

/** The seller's time zone (IANA name): every date and time on screen is shown in it. */
let timeZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

export function getTimeZone(): string {
  return timeZone;
}

/** For tests: show dates and times in `next` (an IANA name, e.g. "Asia/Tokyo"). */
export function setTimeZone(next: string): void {
  timeZone = next;
}
