/**
 * The worker's side of keeping the stores' tokens: safeStorage exists only in the main process,
 * so the backend's CredentialVault asks main over the port to store a token (or delete it) and
 * waits for main's answer before the token is used. Runs in the backend worker thread.
 */
import { DeskError } from '../../shared/errors';
import type { Logger } from '../backend/log';
import { memoryVault, type CredentialVault } from '../backend/stores/credentials';
import { CONFIGURED_STORE_ID, type FromWorker, type SecretSavedResult, type WorkerConfig } from './worker-protocol';

export interface SecretRequests {
  /** Asks main to keep `token` for the store (null: to delete it); rejects with main's DeskError. */
  save(storeId: string, token: string | null): Promise<void>;
  /** Main's answer to the request `id`. */
  settle(id: number, result: SecretSavedResult): void;
  /** A malformed answer claimed the request `id`: it fails with `reason`. Whether one was waiting. */
  fail(id: number, reason: string): boolean;
}

export function createSecretRequests(post: (message: FromWorker) => void, log: Logger): SecretRequests {
  const pending = new Map<number, { resolve(): void; reject(error: DeskError): void }>();
  let nextId = 1;
  const requests: SecretRequests = {
    save(storeId, token) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post({ type: 'secret-save', id, storeId, token });
      });
    },
    settle(id, result) {
      const request = pending.get(id);
      if (request === undefined) {
        log.warn(`main answered the secret request ${id}, which is not waiting for an answer (ignored)`);
        return;
      }
      pending.delete(id);
      if (result.ok) request.resolve();
      else request.reject(new DeskError(result.error.code, result.error.message));
    },
    fail(id, reason) {
      const request = pending.get(id);
      if (request === undefined) return false;
      pending.delete(id);
      request.reject(new DeskError('internal', reason));
      return true;
    },
  };
  return requests;
}

/**
 * The tokens the backend starts with: the stores' from the keychain, and for a configured
 * marketplace its store's origin-tied token (main left that store out of `storeTokens`).
 */
export function initialStoreTokens(config: WorkerConfig): Record<string, string> {
  if (config.marketplace.kind === 'demo') return { ...config.storeTokens };
  const { [CONFIGURED_STORE_ID]: _notForThisOrigin, ...others } = config.storeTokens;
  return config.marketplace.token === '' ? others : { ...others, [CONFIGURED_STORE_ID]: config.marketplace.token };
}

/** The backend's vault in the desktop app: tokens in memory, every change stored by main in the keychain first. */
export function keychainVault(config: WorkerConfig, requests: SecretRequests): CredentialVault {
  return memoryVault(initialStoreTokens(config), { storage: 'keychain', save: (storeId, token) => requests.save(storeId, token) });
}
