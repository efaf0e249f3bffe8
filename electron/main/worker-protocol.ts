import type { EventName } from '../../shared/ipc/contract';
import type { BackendChannel } from '../backend/channels';
import type { Result } from '../../shared/ipc/result';
import type { DeadlineAlert } from '../backend/alerts/deadline-alerts';
import type { MarketplaceChoice } from './marketplace-choice';

/** Messages between the main thread and the backend worker thread. */
export type ToWorker = { type: 'call'; id: number; channel: BackendChannel; input: unknown } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: EventName; payload: unknown }
  /** The backend's log lines, written to the app's log file by main (which redacts them). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** A deadline notification the backend decided on; main shows it. */
  | { type: 'deadline-alert'; alert: DeadlineAlert }
  | { type: 'closed' };

export interface WorkerConfig {
  dataDir: string;
  appVersion: string;
  /** The embedded demo, or a configured marketplace with the token main decrypted. */
  marketplace: MarketplaceChoice;
}
