import { describe, expect, it } from 'vitest';
import { decideDeadlineAlert, INITIAL_ALERT_STATE, type DeadlineAlertState, type DeadlineRow } from '../../../../../electron/backend/alerts/deadline-alerts';
import { watchDeadlines } from '../../../../../electron/backend/alerts/deadline-watch';
import { toInstant, type Clock } from '../../../../../shared/domain/time';
import type { QueuePage, QueueRow } from '../../../../../shared/ipc/contract';
import { silentLogger } from '../../../../../electron/backend/log';

const NOW = Date.parse('2026-11-26T09:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function row(requestId: string, dueInMs: number): DeadlineRow {
  return { requestId, orderId: `O-${requestId}`, respondBy: toInstant(NOW + dueInMs) };
}

function decide(rows: DeadlineRow[], state: DeadlineAlertState = INITIAL_ALERT_STATE, now = NOW, thresholdHours = 4) {
  return decideDeadlineAlert({ rows, now, thresholdHours, state });
}

describe('deciding on deadline notifications', () => {
  it('announces one request entering the window by its time left', () => {
    const { alert } = decide([row('r1', 3 * HOUR + 10 * MINUTE), row('r2', 5 * HOUR)]);
    expect(alert).toEqual({ title: 'A request is due in 3 h 10 m', body: 'Order O-r1 (3 h 10 m left).', requestIds: ['r1'] });
  });

  it('groups many into one notification, most urgent first, naming three', () => {
    const { alert } = decide([row('r4', 3 * HOUR), row('r1', 30 * MINUTE), row('r3', 2 * HOUR), row('r2', HOUR), row('r5', 4 * HOUR)]);
    expect(alert?.title).toBe('5 requests are due within 4 hours');
    expect(alert?.body).toBe('Order O-r1 (30 m left), Order O-r2 (1 h 0 m left), Order O-r3 (2 h 0 m left) and 2 more.');
    expect(alert?.requestIds).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('ignores requests past their deadline or beyond the window, and says nothing without any', () => {
    expect(decide([row('late', -MINUTE), row('far', 4 * HOUR + 1)]).alert).toBeNull();
    expect(decide([]).alert).toBeNull();
  });

  it('announces each request once', () => {
    const first = decide([row('r1', HOUR)]);
    const again = decide([row('r1', HOUR - 2 * MINUTE)], first.state, NOW + 2 * MINUTE);
    expect(again.alert).toBeNull();
    const withNew = decide([row('r1', HOUR - 4 * MINUTE), row('r2', 2 * HOUR)], again.state, NOW + 4 * MINUTE);
    expect(withNew.alert?.requestIds).toEqual(['r2']);
  });

  it('shows at most one notification a minute; what arrives meanwhile waits, grouped', () => {
    const first = decide([row('r1', HOUR)]);
    const soon = decide([row('r1', HOUR), row('r2', 2 * HOUR)], first.state, NOW + 30_000);
    expect(soon.alert).toBeNull();
    const soonAgain = decide([row('r1', HOUR), row('r2', 2 * HOUR), row('r3', 3 * HOUR)], soon.state, NOW + 50_000);
    expect(soonAgain.alert).toBeNull();
    const later = decide([row('r1', HOUR), row('r2', 2 * HOUR), row('r3', 3 * HOUR)], soonAgain.state, NOW + MINUTE);
    expect(later.alert?.requestIds).toEqual(['r2', 'r3']);
  });

  it('forgets requests that left the window, so one that returns is announced again', () => {
    const first = decide([row('r1', HOUR)]);
    const answered = decide([], first.state, NOW + 2 * MINUTE);
    expect(answered.state.notified.size).toBe(0);
    const back = decide([row('r1', HOUR)], answered.state, NOW + 4 * MINUTE);
    expect(back.alert?.requestIds).toEqual(['r1']);
  });

  it('is off at a threshold of zero', () => {
    const { alert, state } = decide([row('r1', HOUR)], INITIAL_ALERT_STATE, NOW, 0);
    expect(alert).toBeNull();
    expect(state.notified.size).toBe(0);
  });

  it('writes fractional and single hours plainly', () => {
    expect(decide([row('a', 10 * MINUTE), row('b', 20 * MINUTE)], INITIAL_ALERT_STATE, NOW, 1).alert?.title).toBe('2 requests are due within 1 hour');
    expect(decide([row('a', 10 * MINUTE), row('b', 20 * MINUTE)], INITIAL_ALERT_STATE, NOW, 1.5).alert?.title).toBe('2 requests are due within 1.5 hours');
  });

  it('never names the buyer', () => {
    const full = { ...row('r1', HOUR), buyerName: 'Jane Buyer', buyerCountry: 'FR' };
    const { alert } = decide([full]);
    expect(JSON.stringify(alert)).not.toContain('Jane');
  });
});

/** A clock whose timers run when the test says so. */
function manualClock(start: number): Clock & { advance(ms: number): void; pending(): number } {
  let now = start;
  let timers: Array<{ at: number; callback: () => void }> = [];
  return {
    now: () => now,
    setTimer(delayMs, callback) {
      const timer = { at: now + delayMs, callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((entry) => entry !== timer);
      };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
    pending: () => timers.length,
  };
}

function pages(rows: DeadlineRow[], pageSize: number): { listPage: (cursor: string | null, limit: number) => Promise<QueuePage>; calls: number } {
  const sorted = [...rows].sort((a, b) => Date.parse(a.respondBy) - Date.parse(b.respondBy));
  const source = {
    calls: 0,
    listPage(cursor: string | null) {
      source.calls += 1;
      const start = cursor === null ? 0 : Number(cursor);
      const slice = sorted.slice(start, start + pageSize);
      const next = start + pageSize < sorted.length ? String(start + pageSize) : null;
      return Promise.resolve({ rows: slice as QueueRow[], nextCursor: next, total: sorted.length, truncated: false });
    },
  };
  return source;
}

describe('watching deadlines', () => {
  it('reads only the pages that reach into the window, then notifies', async () => {
    const rows = [...Array.from({ length: 5 }, (_, i) => row(`near${i}`, (i + 1) * 10 * MINUTE)), ...Array.from({ length: 20 }, (_, i) => row(`far${i}`, 10 * HOUR + i * MINUTE))];
    const source = pages(rows, 3);
    const alerts: string[][] = [];
    const watch = watchDeadlines({ listPage: (cursor, limit) => source.listPage(cursor, limit), clock: manualClock(NOW), thresholdHours: 4, notify: (alert) => alerts.push(alert.requestIds), log: silentLogger });
    await watch.check();
    expect(alerts).toEqual([['near0', 'near1', 'near2', 'near3', 'near4']]);
    expect(source.calls).toBe(2);
    watch.stop();
  });

  it('checks again every minute on its clock, and stops', async () => {
    const clock = manualClock(NOW);
    let rows = [row('r1', HOUR)];
    const notified: string[][] = [];
    let checked: () => void = () => {};
    const watch = watchDeadlines({
      listPage: () => {
        const page = { rows: rows as QueueRow[], nextCursor: null, total: rows.length, truncated: false };
        return Promise.resolve(page);
      },
      clock,
      thresholdHours: 4,
      notify: (alert) => {
        notified.push(alert.requestIds);
        checked();
      },
      log: silentLogger,
    });
    await watch.check();
    expect(notified).toEqual([['r1']]);
    const nextCheck = new Promise<void>((resolve) => (checked = resolve));
    rows = [row('r1', HOUR), row('r2', 2 * HOUR)];
    clock.advance(MINUTE);
    await nextCheck;
    expect(notified).toEqual([['r1'], ['r2']]);
    watch.stop();
    expect(clock.pending()).toBe(0);
  });

  it('brings a check forward when the queue changes, at most once every few seconds', async () => {
    const clock = manualClock(NOW);
    const source = pages([row('r1', HOUR)], 10);
    const watch = watchDeadlines({ listPage: (cursor, limit) => source.listPage(cursor, limit), clock, thresholdHours: 4, notify: () => {}, log: silentLogger });
    watch.nudge();
    await watch.check();
    expect(source.calls).toBe(1);
    // Changes right after a check wait for one check when the pause is over.
    clock.advance(2_000);
    watch.nudge();
    watch.nudge();
    expect(source.calls).toBe(1);
    clock.advance(7_999);
    expect(source.calls).toBe(1);
    clock.advance(1);
    await watch.check();
    expect(source.calls).toBe(2);
    watch.nudge();
    watch.stop();
    clock.advance(60_000);
    expect(source.calls).toBe(2);
    expect(clock.pending()).toBe(0);
  });

  it('logs a failed read and carries on', async () => {
    const warnings: string[] = [];
    const watch = watchDeadlines({
      listPage: () => Promise.reject(new Error('cache closed')),
      clock: manualClock(NOW),
      thresholdHours: 4,
      notify: () => {},
      log: { ...silentLogger, warn: (message) => warnings.push(message) },
    });
    await watch.check();
    expect(warnings).toEqual(['deadline check failed: cache closed']);
    watch.stop();
  });

  it('sets no timer when alerts are off', async () => {
    const clock = manualClock(NOW);
    const source = pages([row('r1', HOUR)], 10);
    const watch = watchDeadlines({ listPage: (cursor, limit) => source.listPage(cursor, limit), clock, thresholdHours: 0, notify: () => {}, log: silentLogger });
    await watch.check();
    expect(source.calls).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('follows the seller changing the threshold: on at once, wider, then off (no timer left)', async () => {
    const clock = manualClock(NOW);
    const source = pages([row('r1', HOUR), row('r2', 6 * HOUR)], 10);
    const alerts: string[][] = [];
    let announced: () => void = () => {};
    const watch = watchDeadlines({
      listPage: (cursor, limit) => source.listPage(cursor, limit),
      clock,
      thresholdHours: 0,
      notify: (alert) => {
        alerts.push(alert.requestIds);
        announced();
      },
      log: silentLogger,
    });
    expect(clock.pending()).toBe(0);
    let next = new Promise<void>((resolve) => (announced = resolve));
    watch.setThresholdHours(4);
    await next;
    expect(alerts).toEqual([['r1']]);
    expect(clock.pending()).toBe(1);
    // Wider: r2 enters the window, and is announced once the minimum interval allows.
    clock.advance(61_000);
    next = new Promise<void>((resolve) => (announced = resolve));
    watch.setThresholdHours(8);
    await next;
    expect(alerts).toEqual([['r1'], ['r2']]);
    watch.setThresholdHours(0);
    expect(clock.pending()).toBe(0);
    const calls = source.calls;
    watch.nudge();
    await watch.check();
    expect(source.calls).toBe(calls);
    watch.stop();
  });
});
