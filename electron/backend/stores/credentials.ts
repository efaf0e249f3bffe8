/**
 * Where a store's credentials (a marketplace API token) are kept. Never in the cache, never sent
 * back to the window. The desktop app keeps them encrypted with the OS keychain (main process,
 * Electron safeStorage) and hands them to the backend at start; the browser host keeps them for
 * the session only.
 */
export interface CredentialVault {
  /** The token kept for this store, or null. */
  get(storeId: string): string | null;
  /** Keeps it; answers how it is kept. */
  set(storeId: string, token: string): Promise<'keychain' | 'session'>;
  delete(storeId: string): Promise<void>;
  /** How a token kept here is stored. */
  readonly storage: 'keychain' | 'session';
}

/** Tokens in memory for this run (the browser host, tests); `persist` is told of each change (the desktop app). */
export function memoryVault(
  initial: Readonly<Record<string, string>> = {},
  persist?: { storage: 'keychain'; save(storeId: string, token: string | null): Promise<void> },
): CredentialVault {
  const tokens = new Map(Object.entries(initial));
  return {
    storage: persist?.storage ?? 'session',
    get: (storeId) => tokens.get(storeId) ?? null,
    async set(storeId, token) {
      // Kept where it lasts first: a failure there leaves the old token in force.
      if (persist !== undefined) await persist.save(storeId, token);
      tokens.set(storeId, token);
      return persist?.storage ?? 'session';
    },
    async delete(storeId) {
      if (persist !== undefined) await persist.save(storeId, null);
      tokens.delete(storeId);
    },
  };
}
