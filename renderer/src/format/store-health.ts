import { missingCase } from '../../../shared/domain/views';
import type { StoreHealth, StoreView } from '../../../shared/ipc/contract';
import { getTimeZone } from '../clock';

/** A store's health in words; `message` is the marketplace's or the app's own (untrusted: shown in a <bdi> after `text`). */
export interface HealthWords {
  readonly text: string;
  readonly message: string | null;
}

const FAILING: ReadonlySet<StoreHealth['state']> = new Set(['unreachable', 'credentials_rejected', 'error']);

/** Whether the store's sync fails now (the status bar names it). */
export function isFailing(health: StoreHealth): boolean {
  return FAILING.has(health.state);
}

function dayKey(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/** When something happened, as short as it can be: "9:12 AM" today, "Dec 5, 9:12 AM" another day (the seller's time zone). */
export function formatSince(iso: string, now: number): string {
  const timeZone = getTimeZone();
  const ms = Date.parse(iso);
  const sameDay = dayKey(ms, timeZone) === dayKey(now, timeZone);
  const options: Intl.DateTimeFormatOptions = sameDay ? { timeStyle: 'short', timeZone } : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone };
  return new Intl.DateTimeFormat(navigator.language, options).format(new Date(ms));
}

/** Settings' words: "Up to date · synced 10:42", "Unreachable since 09:12" (— why), "Credentials rejected — enter new ones", "Paused". */
export function healthWords(health: StoreHealth, now: number, kind: StoreView['kind'] = 'demo'): HealthWords {
  const since = health.since === null ? '' : ` since ${formatSince(health.since, now)}`;
  switch (health.state) {
    case 'never_synced':
      return { text: 'Not synced yet', message: null };
    case 'syncing':
      return { text: 'Syncing…', message: null };
    case 'up_to_date':
      return { text: health.lastSyncAt === null ? 'Up to date' : `Up to date · synced ${formatSince(health.lastSyncAt, now)}`, message: null };
    case 'unreachable':
      return { text: `Unreachable${since}`, message: health.message };
    case 'credentials_rejected':
      // An AliExpress store has no token to type: its seller signs in again.
      return { text: kind === 'aliexpress' ? 'Signed out — sign in with AliExpress again' : 'Credentials rejected — enter new ones', message: null };
    case 'error':
      return { text: `Sync failed${since}`, message: health.message };
    case 'paused':
      return { text: 'Paused', message: null };
    default:
      return missingCase(health.state);
  }
}

/** The status bar's words after a failing store's name: "unreachable since 09:12". */
export function problemWords(health: StoreHealth, now: number): HealthWords {
  const since = health.since === null ? '' : ` since ${formatSince(health.since, now)}`;
  switch (health.state) {
    case 'unreachable':
      return { text: `unreachable${since}`, message: null };
    case 'credentials_rejected':
      return { text: 'credentials rejected — enter new ones in Settings', message: null };
    case 'error':
      return { text: `sync failed${since}`, message: health.message };
    // Not a failure: said as Settings says it.
    case 'never_synced':
    case 'syncing':
    case 'up_to_date':
    case 'paused':
      return healthWords(health, now);
    default:
      return missingCase(health.state);
  }
}

/** Where a store's credentials are, in words (never the credentials). */
export function credentialsWords(store: Pick<StoreView, 'credentials'>): string {
  switch (store.credentials) {
    case 'not_needed':
      return 'No credentials needed';
    case 'keychain':
      return 'Token kept in the system keychain';
    case 'session':
      return 'Token kept for this session only (no keychain on this computer)';
    case 'missing':
      return 'No token yet — enter one to sync';
    default:
      return missingCase(store.credentials);
  }
}
