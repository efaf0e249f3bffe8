/**
 * Deadline notifications: WHAT to tell the seller, decided here as pure logic over the queue's
 * rows, the time, the threshold and what was already told. Electron's main process only shows
 * the result. At most one grouped notification per interval; each request is announced once
 * when it enters its last N hours.
 */
import { formatTimeLeft, instantMs } from '../../../shared/domain/time';
import type { QueueRow } from '../../../shared/ipc/contract';

export const ALERT_MIN_INTERVAL_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Orders named in the body; the rest are counted. */
const NAMED_IN_BODY = 3;

export type DeadlineRow = Pick<QueueRow, 'requestId' | 'orderId' | 'respondBy'>;

export interface DeadlineAlertState {
  /** Requests already announced that are still inside the window. */
  readonly notified: ReadonlySet<string>;
  /** When the last notification was shown (epoch ms), or null. */
  readonly lastShownAt: number | null;
}

export const INITIAL_ALERT_STATE: DeadlineAlertState = { notified: new Set(), lastShownAt: null };

export interface DeadlineAlert {
  title: string;
  body: string;
  /** The requests this notification announces, most urgent first. */
  requestIds: string[];
}

export interface DeadlineAlertInput {
  /** The requests needing a reply (any order; those outside the window are ignored). */
  rows: readonly DeadlineRow[];
  now: number;
  /** N: announce a request when fewer than N hours are left; 0 or less turns alerts off. */
  thresholdHours: number;
  state: DeadlineAlertState;
  minIntervalMs?: number;
}

export function decideDeadlineAlert(input: DeadlineAlertInput): { alert: DeadlineAlert | null; state: DeadlineAlertState } {
  const { now, state } = input;
  if (!(input.thresholdHours > 0)) return { alert: null, state: { notified: new Set(), lastShownAt: state.lastShownAt } };
  const windowEnd = now + input.thresholdHours * HOUR_MS;
  const inWindow = input.rows
    .map((row) => ({ row, due: instantMs(row.respondBy) }))
    .filter(({ due }) => Number.isFinite(due) && due > now && due <= windowEnd)
    .sort((a, b) => a.due - b.due || a.row.requestId.localeCompare(b.row.requestId));
  const inWindowIds = new Set(inWindow.map(({ row }) => row.requestId));
  // Forget requests that left the window (answered, or past the deadline) so the set stays small.
  const stillNotified = new Set([...state.notified].filter((id) => inWindowIds.has(id)));
  const fresh = inWindow.filter(({ row }) => !stillNotified.has(row.requestId));
  const minInterval = input.minIntervalMs ?? ALERT_MIN_INTERVAL_MS;
  const tooSoon = state.lastShownAt !== null && now - state.lastShownAt < minInterval;
  if (fresh.length === 0 || tooSoon) {
    // Fresh requests wait for the next allowed moment; they are not lost.
    return { alert: null, state: { notified: stillNotified, lastShownAt: state.lastShownAt } };
  }
  const first = fresh[0];
  const hours = formatHours(input.thresholdHours);
  const title =
    fresh.length === 1 && first !== undefined
      ? `A request is due in ${formatTimeLeft(first.due - now)}`
      : `${fresh.length} requests are due within ${hours}`;
  const named = fresh.slice(0, NAMED_IN_BODY).map(({ row, due }) => `Order ${row.orderId} (${formatTimeLeft(due - now)} left)`);
  const more = fresh.length - named.length;
  const body = more > 0 ? `${named.join(', ')} and ${more} more.` : `${named.join(', ')}.`;
  for (const { row } of fresh) stillNotified.add(row.requestId);
  return {
    alert: { title, body, requestIds: fresh.map(({ row }) => row.requestId) },
    state: { notified: stillNotified, lastShownAt: now },
  };
}

function formatHours(hours: number): string {
  return hours === 1 ? '1 hour' : `${Number.isInteger(hours) ? hours : hours.toFixed(1)} hours`;
}
