/**
 * Which marketplace the backend talks to. Out of the box: the embedded demo marketplace. When a
 * marketplace URL is configured, its token comes from the secret store (safeStorage), and only
 * if it was entered for that marketplace's origin (marketplace-token.ts); main decrypts it and
 * hands it to the backend worker, which never sees safeStorage.
 *
 * A token can also be given once through CANCEL_DESK_MARKETPLACE_TOKEN: it is stored encrypted,
 * for the configured marketplace, and deleted from `process.env` so that the backend worker and
 * anything started later do not inherit it. That does not make it secret: the OS keeps the
 * environment the app was launched with (on Linux /proc/<pid>/environ, readable by the same user
 * and root for as long as the app runs), and the shell that set it may keep it in its history.
 * Settings is the way to enter a token.
 */
import type { Logger } from '../backend/log';
import { ServiceUrlSchema, type DesktopSettings } from './desktop-settings';
import { marketplaceOrigin, readMarketplaceToken, storeMarketplaceToken, unusableTokenMessage } from './marketplace-token';
import type { SecretStore } from './secret-store';

export type MarketplaceChoice =
  | { kind: 'demo'; seed: number; orders: number }
  | { kind: 'remote'; baseUrl: string; token: string };

export const DEMO_MARKETPLACE = { kind: 'demo', seed: 42, orders: 2_000 } as const satisfies MarketplaceChoice;

/** Development builds only (launch-guard.ts): the marketplace for one launch. */
export const MARKETPLACE_URL_ENV = 'CANCEL_DESK_MARKETPLACE_URL';
export const MARKETPLACE_TOKEN_ENV = 'CANCEL_DESK_MARKETPLACE_TOKEN';

export async function chooseMarketplace(options: {
  settings: DesktopSettings;
  /** process.env itself: the token variable is deleted from it. */
  env: Record<string, string | undefined>;
  /** Whether CANCEL_DESK_MARKETPLACE_URL may replace the saved marketplace (development builds; launch-guard.ts). */
  allowUrlOverride: boolean;
  secrets: SecretStore;
  log: Logger;
}): Promise<MarketplaceChoice> {
  const { env, secrets, log } = options;
  const tokenFromEnv = env[MARKETPLACE_TOKEN_ENV];
  delete env[MARKETPLACE_TOKEN_ENV];

  let baseUrl = options.settings.marketplaceUrl;
  const urlFromEnv = env[MARKETPLACE_URL_ENV];
  if (options.allowUrlOverride && urlFromEnv !== undefined && urlFromEnv !== '') {
    const parsed = ServiceUrlSchema.safeParse(urlFromEnv);
    if (parsed.success) baseUrl = parsed.data;
    else log.error(`${MARKETPLACE_URL_ENV} is not used: it ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
  }

  if (baseUrl === null) {
    if (tokenFromEnv !== undefined && tokenFromEnv !== '') {
      log.warn(`${MARKETPLACE_TOKEN_ENV} is not used: no marketplace is configured, and a token is kept only with the marketplace it is for. Enter it in Settings.`);
    }
    return DEMO_MARKETPLACE;
  }
  const origin = marketplaceOrigin(baseUrl);

  let token: string | null = null;
  if (tokenFromEnv !== undefined && tokenFromEnv !== '') {
    token = tokenFromEnv;
    try {
      await storeMarketplaceToken(secrets, baseUrl, tokenFromEnv);
      log.info(`the marketplace token for ${origin} was saved in the system keychain`);
    } catch (error) {
      log.error(`${error instanceof Error ? error.message : String(error)} It is used for this session only.`);
    }
  } else {
    try {
      const stored = await readMarketplaceToken(secrets, baseUrl);
      if (stored.kind === 'match') token = stored.token;
      const unusable = unusableTokenMessage(stored, baseUrl);
      if (unusable !== null) log.error(unusable);
    } catch (error) {
      log.error(error instanceof Error ? error.message : String(error));
    }
  }
  if (token === null) {
    // Sync will fail with the marketplace's own answer (401), which the status bar shows: better
    // than quietly showing the demo's orders to a seller who configured a real marketplace.
    log.warn(`no marketplace token is stored for ${origin}: enter it in Settings`);
  }
  return { kind: 'remote', baseUrl, token: token ?? '' };
}
