import { ref, type Ref } from 'vue';
import type { Clock } from '../../shared/domain/time';

/** The part of the shared Clock the renderer needs: what time it is. */
export type RendererClock = Pick<Clock, 'now'>;

/** The renderer's time: the system clock, replaced in tests (time only through an injected clock). */
let clock: RendererClock = { now: () => Date.now() };

export function getClock(): RendererClock {
  return clock;
}

/** For tests. */
export function setClock(next: RendererClock): void {
  clock = next;
  now.value = next.now();
}

const now = ref(clock.now());
let timer: ReturnType<typeof setInterval> | null = null;
let users = 0;

/**
 * "Now" for countdowns, refreshed every `intervalMs` while someone uses it; returns the ref and
 * the function that stops using it.
 */
export function useTicker(intervalMs = 1_000): { now: Ref<number>; stop: () => void } {
  users += 1;
  timer ??= setInterval(() => {
    now.value = clock.now();
  }, intervalMs);
  now.value = clock.now();
  let stopped = false;
  return {
    now,
    stop() {
      if (stopped) return;
      stopped = true;
      users -= 1;
      if (users === 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}
