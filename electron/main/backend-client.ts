import { Worker } from 'node:worker_threads';
import { DeskError } from '../../shared/errors';
import type { EventName } from '../../shared/ipc/contract';
import type { BackendChannel } from '../backend/channels';
import type { Result } from '../../shared/ipc/result';
import type { DeadlineAlert } from '../backend/alerts/deadline-alerts';
import type { Logger } from '../backend/log';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol';

/** The main thread's handle on the backend worker: calls out, events in. */
export interface BackendClient {
  call(channel: BackendChannel, input: unknown): Promise<unknown>;
  onEvent(listener: (event: EventName, payload: unknown) => void): void;
  onDeadlineAlert(listener: (alert: DeadlineAlert) => void): void;
  /** Resolves once the backend has opened its cache (and never if it fails to start). */
  whenReady(): Promise<void>;
  /** Stops syncing between requests, saves the cache, and ends the thread. */
  close(): Promise<void>;
}

export function startBackendWorker(workerFile: string, config: WorkerConfig, log: Logger): BackendClient {
  const worker = new Worker(workerFile, { workerData: config });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const eventListeners: Array<(event: EventName, payload: unknown) => void> = [];
  const alertListeners: Array<(alert: DeadlineAlert) => void> = [];
  let nextId = 1;
  let exited = false;
  let terminating = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const closedWaiters: Array<() => void> = [];

  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'result':
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
        break;
      case 'event':
        for (const listener of eventListeners) listener(message.event, message.payload);
        break;
      case 'deadline-alert':
        for (const listener of alertListeners) listener(message.alert);
        break;
      case 'log':
        log[message.level](`[backend] ${message.message}`);
        break;
      case 'failed':
        log.error(`the backend failed to start: ${message.message}`);
        break;
      case 'closed':
        for (const resolve of closedWaiters.splice(0)) resolve();
        break;
      case 'ready':
        log.info('the backend is ready');
        markReady();
        break;
    }
  });
  worker.on('error', (error: Error) => log.error(`backend worker error: ${error.message}`));
  worker.on('exit', (code) => {
    exited = true;
    // terminate() ends the thread with code 1: only an exit nobody asked for is an error.
    if (code !== 0 && !terminating) log.error(`the backend worker stopped with code ${code}`);
    for (const answer of pending.values()) answer({ ok: false, error: { code: 'internal', message: 'The backend stopped before it answered.' } });
    pending.clear();
    for (const resolve of closedWaiters.splice(0)) resolve();
  });

  return {
    call(channel, input) {
      if (exited) return Promise.reject(new DeskError('internal', 'The backend is not running.'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (result) => (result.ok ? resolve(result.value) : reject(new DeskError(result.error.code, result.error.message))));
        worker.postMessage({ type: 'call', id, channel, input } satisfies ToWorker);
      });
    },
    onEvent(listener) {
      eventListeners.push(listener);
    },
    onDeadlineAlert(listener) {
      alertListeners.push(listener);
    },
    whenReady: () => ready,
    async close() {
      if (exited) return;
      await new Promise<void>((resolve) => {
        closedWaiters.push(resolve);
        worker.postMessage({ type: 'close' } satisfies ToWorker);
      });
      terminating = true;
      await worker.terminate();
    },
  };
}
