import { describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../../../../electron/simulator/clock';

describe('createManualClock', () => {
  it('only moves when advanced', () => {
    const clock = createManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    expect(() => clock.advance(-1)).toThrow(/forward/);
  });

  it('fires due timers in due order, reading their due time while they run', () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push(`c@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(1_000, () => fired.push('late'));
    clock.advance(500);
    expect(fired).toEqual(['a@100', 'b@100', 'c@300']);
    expect(clock.now()).toBe(500);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('fires timers set by a firing timer when they fall due within the advance', () => {
    const clock = createManualClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => {
      fired.push(clock.now());
      clock.setTimer(10, () => fired.push(clock.now()));
    });
    clock.advance(100);
    expect(fired).toEqual([10, 20]);
  });

  it('does not fire cancelled timers', () => {
    const clock = createManualClock(0);
    let fired = false;
    const cancel = clock.setTimer(10, () => {
      fired = true;
    });
    cancel();
    clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('systemClock', () => {
  it('runs a timer through the real event loop and can cancel one', async () => {
    const cancelled = systemClock.setTimer(0, () => {
      throw new Error('a cancelled timer fired');
    });
    cancelled();
    const before = systemClock.now();
    await new Promise<void>((resolve) => systemClock.setTimer(1, resolve));
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
  });
});
