/**
 * The OS side of the queue: the count of requests needing a reply on the dock/taskbar badge,
 * and deadline notifications (decided by the backend, shown here).
 */
import { app, Notification } from 'electron';
import { EVENTS } from '../../shared/ipc/contract';
import type { DeadlineAlert } from '../backend/alerts/deadline-alerts';
import type { Logger } from '../backend/log';

/** The badge count from a `queue.changed` payload; null when the payload is not one. */
export function needsReplyCount(payload: unknown): number | null {
  const parsed = EVENTS['queue.changed'].safeParse(payload);
  return parsed.success ? (parsed.data.counts.needs_reply ?? 0) : null;
}

/** Sets the badge where the OS has one (macOS dock, Unity launcher); elsewhere it is a no-op. */
export function showBadgeCount(count: number, log: Logger): void {
  try {
    app.setBadgeCount(count);
  } catch (error) {
    log.warn(`could not set the badge count: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Held so that the notification (and its click handler) is not garbage-collected while shown.
let current: Notification | null = null;

export function showDeadlineNotification(alert: DeadlineAlert, onClick: () => void, log: Logger): void {
  if (!Notification.isSupported()) {
    log.info(`notifications are not supported here: ${alert.title}`);
    return;
  }
  const notification = new Notification({ title: alert.title, body: alert.body, silent: false });
  notification.on('click', onClick);
  notification.on('close', () => {
    if (current === notification) current = null;
  });
  current = notification;
  notification.show();
}
