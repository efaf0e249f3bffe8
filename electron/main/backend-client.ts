import { Worker } from 'node:worker_threads';
import { missingCase } from '../../shared/domain/views';
import { DeskError, errorDetail, toErrorShape } from '../../shared/errors';
import type { EventName } from '../../shared/ipc/contract';
import { describeIssues } from '../../shared/ipc/dispatch';
import type { BackendChannel } from '../backend/channels';
import type { DeadlineAlert } from '../backend/alerts/deadline-alerts';
import type { Logger } from '../backend/log';
import { claimedMessageId, FromWorkerSchema, type SecretSavedResult, type ToWorker, type WorkerConfig } from './worker-protocol';

/** The main thread's handle on the backend worker: calls out, events in. */
export interface BackendClient {
  /** Rejects with a DeskError when the backend answers an error, sends garbage, or is gone. */
  call(channel: BackendChannel, input: unknown): Promise<unknown>;
  onEvent(listener: (event: EventName, payload: unknown) => void): void;
  onDeadlineAlert(listener: (alert: DeadlineAlert) => void): void;
  /** Resolves once the backend has opened its cache (and never if it fails to start). */
  whenReady(): Promise<void>;
  /** Stops syncing between requests, saves the cache, and ends the thread. */
  close(): Promise<void>;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: DeskError): void;
}

/**
 * Keeps a store's token in the keychain (null: deletes it) when the backend asks; rejects with a
 * DeskError that says why not (store-tokens.ts). Only main can reach safeStorage.
 */
export type SaveStoreToken = (storeId: string, token: string | null) => Promise<void>;

export function startBackendWorker(workerFile: string, config: WorkerConfig, log: Logger, saveStoreToken: SaveStoreToken): BackendClient {
  const worker = new Worker(workerFile, { workerData: config });
  const pending = new Map<number, PendingCall>();
  const eventListeners: Array<(event: EventName, payload: unknown) => void> = [];
  const alertListeners: Array<(alert: DeadlineAlert) => void> = [];
  let nextId = 1;
  let exited = false;
  let terminating = false;
  /** Why no call can be answered any more (the thread failed or ended); null while one can. */
  let unavailable: string | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const closedWaiters: Array<() => void> = [];

  /** From now on every call fails at once with `reason`; those waiting fail with `pendingReason`. */
  const becomeUnavailable = (reason: string, pendingReason: string): void => {
    unavailable ??= reason;
    for (const call of pending.values()) call.reject(new DeskError('internal', pendingReason));
    pending.clear();
  };

  /** Main's answer to a `secret-save` (none once the thread is gone: nobody would read it). */
  const answerSecretSave = (id: number, result: SecretSavedResult): void => {
    if (exited) return;
    try {
      worker.postMessage({ type: 'secret-saved', id, result } satisfies ToWorker);
    } catch (error) {
      log.error(`the answer to the backend's secret request ${id} could not be sent: ${errorDetail(error)}`);
    }
  };

  worker.on('message', (raw: unknown) => {
    const parsed = FromWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      log.error(`the backend sent a malformed message (ignored): ${describeIssues(parsed.error)}`);
      // What it claims to be fails instead of leaving someone waiting.
      const claimed = claimedMessageId(raw);
      const call = claimed?.type === 'result' ? pending.get(claimed.id) : undefined;
      if (claimed !== undefined && call !== undefined) {
        pending.delete(claimed.id);
        call.reject(new DeskError('internal', 'The backend sent a malformed answer to this request.'));
      }
      if (claimed?.type === 'secret-save' && Number.isInteger(claimed.id) && claimed.id > 0) {
        answerSecretSave(claimed.id, { ok: false, error: { code: 'internal', message: 'The token was not saved: the request to keep it was malformed.' } });
      }
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'result': {
        const call = pending.get(message.id);
        if (call === undefined) {
          log.warn(`the backend answered call ${message.id}, which is not waiting for an answer (ignored)`);
          break;
        }
        pending.delete(message.id);
        if (message.result.ok) call.resolve(message.result.value);
        else call.reject(new DeskError(message.result.error.code, message.result.error.message));
        break;
      }
      case 'event':
        for (const listener of eventListeners) listener(message.event, message.payload);
        break;
      case 'deadline-alert':
        for (const listener of alertListeners) listener(message.alert);
        break;
      case 'log':
        log[message.level](`[backend] ${message.message}`);
        break;
      case 'failed': {
        log.error(`the backend failed to start: ${message.message}`);
        // Nothing will answer: fail every call now rather than let the window wait forever.
        const reason = `The backend failed to start (${message.message}). Restart Cancel Desk; if it keeps failing, see the log.`;
        becomeUnavailable(reason, reason);
        break;
      }
      case 'closed':
        // The backend answered what was in flight before closing; nothing else will be.
        becomeUnavailable('The backend has closed.', 'The backend closed before it answered.');
        for (const resolve of closedWaiters.splice(0)) resolve();
        break;
      case 'ready':
        log.info('the backend is ready');
        markReady();
        break;
      case 'secret-save': {
        const { id, storeId, token } = message;
        saveStoreToken(storeId, token).then(
          () => answerSecretSave(id, { ok: true }),
          (error: unknown) => {
            log.warn(`the token of store ${storeId} was not ${token === null ? 'deleted' : 'saved'}: ${errorDetail(error)}`);
            answerSecretSave(id, { ok: false, error: toErrorShape(error) });
          },
        );
        break;
      }
      default:
        missingCase(message);
    }
  });
  worker.on('messageerror', (error: Error) => log.error(`a message from the backend could not be read (ignored): ${error.message}`));
  worker.on('error', (error: Error) => log.error(`backend worker error: ${error.message}`));
  worker.on('exit', (code) => {
    exited = true;
    // terminate() ends the thread with code 1: only an exit nobody asked for is an error.
    if (code !== 0 && !terminating) log.error(`the backend worker stopped with code ${code}`);
    becomeUnavailable(
      terminating ? 'The backend has closed.' : `The backend stopped (exit code ${code}). Restart Cancel Desk to continue.`,
      `The backend stopped before it answered (exit code ${code}).`,
    );
    for (const resolve of closedWaiters.splice(0)) resolve();
  });

  return {
    call(channel, input) {
      if (unavailable !== null) return Promise.reject(new DeskError('internal', unavailable));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          worker.postMessage({ type: 'call', id, channel, input } satisfies ToWorker);
        } catch (error) {
          pending.delete(id);
          reject(new DeskError('internal', `The request could not be sent to the backend: ${error instanceof Error ? error.message : String(error)}`));
        }
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
      // A backend that failed to start may not listen any more: no 'closed' would come.
      if (unavailable === null) {
        await new Promise<void>((resolve) => {
          closedWaiters.push(resolve);
          worker.postMessage({ type: 'close' } satisfies ToWorker);
        });
      }
      terminating = true;
      await worker.terminate();
    },
  };
}
