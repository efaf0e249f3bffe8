/**
 * The stores' tokens in the keychain (design.md §10): each store the seller adds keeps its token
 * as the secret `store.<storeId>`, encrypted by safeStorage in the main process. Main decrypts
 * them at start for the backend worker and stores every change the worker asks for; none is ever
 * sent to the window, and every one is a secret of the log from the moment main sees it.
 *
 * The store a configured marketplace becomes (desktop settings: CONFIGURED_STORE_ID) keeps its
 * token tied to that marketplace's origin instead (marketplace-token.ts), so that a token is
 * never sent to another host; a `store.marketplace` secret is not used for it.
 */
import type { Logger } from '../backend/log';
import { storeMarketplaceToken } from './marketplace-token';
import { storeSecretName, type SecretStore } from './secret-store';

export interface StoreTokenKeeper {
  /** Every store's token main can decrypt (storeId -> token), for the worker's config; one that cannot be is logged and left out. */
  load(): Promise<Record<string, string>>;
  /** Stores a store's token (null: deletes it); rejects with a DeskError saying why not, having kept nothing. */
  save(storeId: string, token: string | null): Promise<void>;
}

export function createStoreTokenKeeper(options: {
  secrets: SecretStore;
  log: Logger;
  /** Registers a value the log must never show (appLog.addSecret). */
  addSecret: (secret: string) => void;
  /** The configured marketplace's store, whose token is tied to this URL's origin; null for the embedded demo. */
  configured: { storeId: string; baseUrl: string } | null;
}): StoreTokenKeeper {
  const { secrets, log, addSecret, configured } = options;
  return {
    async load() {
      let stored: Awaited<ReturnType<SecretStore['storeTokens']>>;
      try {
        stored = await secrets.storeTokens();
      } catch (error) {
        log.error(`the stores' tokens could not be read, so every store asks for its credentials again: ${error instanceof Error ? error.message : String(error)}`);
        return {};
      }
      for (const { storeId, reason } of stored.unreadable) {
        log.error(`the token of store ${storeId} could not be read, so the store asks for its credentials again: ${reason}`);
      }
      const tokens: Record<string, string> = {};
      for (const [storeId, token] of Object.entries(stored.tokens)) {
        addSecret(token);
        if (storeId === configured?.storeId) {
          log.warn(`the token stored as store ${storeId} is not used: that store is the configured marketplace, whose token is kept with its address`);
          continue;
        }
        tokens[storeId] = token;
      }
      return tokens;
    },
    async save(storeId, token) {
      // Before anything can fail (and log): the token is never written to the log.
      if (token !== null) addSecret(token);
      const name = storeSecretName(storeId);
      if (storeId === configured?.storeId) {
        if (token === null) await secrets.delete('marketplace.credential');
        else await storeMarketplaceToken(secrets, configured.baseUrl, token);
      } else if (token === null) {
        await secrets.delete(name);
      } else {
        await secrets.set(name, token);
      }
      log.info(token === null ? `the token of store ${storeId} was deleted from the system keychain` : `the token of store ${storeId} was saved in the system keychain`);
    },
  };
}
