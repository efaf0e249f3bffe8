import { setClock, type RendererClock } from '../../../renderer/src/clock';

/** A renderer clock that only moves when the test says so; its timers fire as it passes them. */
export interface ManualClock extends RendererClock {
  /** Moves time forward by `ms`, firing the timers that fall due on the way, in due order. */
  advance(ms: number): void;
  /** Timers set and not yet fired or cancelled. */
  pendingTimers(): number;
}

interface Timer {
  readonly dueAt: number;
  readonly order: number;
  readonly callback: () => void;
}

/** A manual clock at `startMs`, installed as the renderer's clock. */
export function useManualClock(startMs: number): ManualClock {
  let current = startMs;
  let registered = 0;
  const timers = new Set<Timer>();

  const nextDue = (limit: number): Timer | undefined =>
    [...timers].filter((timer) => timer.dueAt <= limit).sort((a, b) => a.dueAt - b.dueAt || a.order - b.order)[0];

  const clock: ManualClock = {
    now: () => current,
    setTimer(delayMs, callback) {
      const timer = { dueAt: current + Math.max(0, delayMs), order: registered++, callback };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
    advance(ms) {
      const end = current + ms;
      // While a timer fires, now() reads its due time; timers it sets fire too if due before `end`.
      for (let timer = nextDue(end); timer !== undefined; timer = nextDue(end)) {
        timers.delete(timer);
        current = timer.dueAt;
        timer.callback();
      }
      current = end;
    },
    pendingTimers: () => timers.size,
  };
  setClock(clock);
  return clock;
}
