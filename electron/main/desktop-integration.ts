/**
 * The OS side of the queue: the count of requests needing a reply on the dock/taskbar badge,
 * and deadline notifications (decided by the backend, shown here); and the offer of a new
 * version this copy will not install by itself.
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

let currentOffer: Notification | null = null;

/** A new version to download by hand (updater.ts decided it is not installed automatically); a click opens the page. */
export function showUpdateOfferNotification(offer: { version: string; downloadPage: string }, openPage: () => void, log: Logger): void {
  if (!Notification.isSupported()) {
    log.info(`notifications are not supported here: Cancel Desk ${offer.version} can be downloaded from ${offer.downloadPage}`);
    return;
  }
  const notification = new Notification({
    title: `Cancel Desk ${offer.version} is available`,
    body: 'This copy does not install updates by itself. Click to open the download page.',
    silent: true,
  });
  notification.on('click', openPage);
  notification.on('close', () => {
    if (currentOffer === notification) currentOffer = null;
  });
  currentOffer = notification;
  notification.show();
}
