import type { ChannelName, EventName } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';

/** Messages between the main thread and the backend worker thread. */
export type ToWorker = { type: 'call'; id: number; channel: ChannelName; input: unknown } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'closed' };

export interface WorkerConfig {
  dataDir: string;
  appVersion: string;
  demo: { seed: number; orders: number };
}
