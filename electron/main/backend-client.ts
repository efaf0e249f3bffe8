import { Worker } from 'node:worker_threads';
import { DeskError } from '../../shared/errors';
import type { ChannelName, EventName } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol';

/** The main thread's handle on the backend worker: calls out, events in. */
export interface BackendClient {
  call(channel: ChannelName, input: unknown): Promise<unknown>;
  onEvent(listener: (event: EventName, payload: unknown) => void): void;
  close(): Promise<void>;
}

export function startBackendWorker(workerFile: string, config: WorkerConfig): BackendClient {
  const worker = new Worker(workerFile, { workerData: config });
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const eventListeners: Array<(event: EventName, payload: unknown) => void> = [];
  let nextId = 1;
  let closed: (() => void) | null = null;

  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'result':
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
        break;
      case 'event':
        for (const listener of eventListeners) listener(message.event, message.payload);
        break;
      case 'failed':
        console.error(`[main] the backend failed to start: ${message.message}`);
        break;
      case 'closed':
        closed?.();
        break;
      case 'ready':
        break;
    }
  });
  worker.on('error', (error: Error) => console.error(`[main] backend worker error: ${error.message}`));

  return {
    call(channel, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (result) => (result.ok ? resolve(result.value) : reject(new DeskError(result.error.code, result.error.message))));
        worker.postMessage({ type: 'call', id, channel, input } satisfies ToWorker);
      });
    },
    onEvent(listener) {
      eventListeners.push(listener);
    },
    async close() {
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ type: 'close' } satisfies ToWorker);
      });
      await worker.terminate();
    },
  };
}
