/**
 * Which marketplace the backend talks to. Out of the box: the embedded demo marketplace. When a
 * marketplace URL is configured, its token comes from the secret store (safeStorage); main
 * decrypts it and hands it to the backend worker, which never sees safeStorage.
 *
 * A token can be given once through CANCEL_DESK_MARKETPLACE_TOKEN: it is stored encrypted and
 * removed from the environment (so no child process inherits it).
 */
import type { Logger } from '../backend/log';
import { ServiceUrlSchema, type DesktopSettings } from './desktop-settings';
import type { SecretStore } from './secret-store';

export type MarketplaceChoice =
  | { kind: 'demo'; seed: number; orders: number }
  | { kind: 'remote'; baseUrl: string; token: string };

export const DEMO_MARKETPLACE = { kind: 'demo', seed: 42, orders: 2_000 } as const satisfies MarketplaceChoice;

export const MARKETPLACE_URL_ENV = 'CANCEL_DESK_MARKETPLACE_URL';
export const MARKETPLACE_TOKEN_ENV = 'CANCEL_DESK_MARKETPLACE_TOKEN';

export async function chooseMarketplace(options: {
  settings: DesktopSettings;
  env: Record<string, string | undefined>;
  secrets: SecretStore;
  log: Logger;
}): Promise<MarketplaceChoice> {
  const { env, secrets, log } = options;
  const tokenFromEnv = env[MARKETPLACE_TOKEN_ENV];
  delete env[MARKETPLACE_TOKEN_ENV];

  let baseUrl = options.settings.marketplaceUrl;
  const urlFromEnv = env[MARKETPLACE_URL_ENV];
  if (urlFromEnv !== undefined && urlFromEnv !== '') {
    const parsed = ServiceUrlSchema.safeParse(urlFromEnv);
    if (parsed.success) baseUrl = parsed.data;
    else log.error(`${MARKETPLACE_URL_ENV} is not used: it ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
  }

  let sessionToken: string | null = null;
  if (tokenFromEnv !== undefined && tokenFromEnv !== '') {
    sessionToken = tokenFromEnv;
    try {
      await secrets.set('marketplace.token', tokenFromEnv);
      log.info('the marketplace token was saved in the system keychain');
    } catch (error) {
      log.error(`${error instanceof Error ? error.message : String(error)} It is used for this session only.`);
    }
  }

  if (baseUrl === null) return DEMO_MARKETPLACE;

  let token = sessionToken;
  if (token === null) {
    try {
      token = await secrets.get('marketplace.token');
    } catch (error) {
      log.error(error instanceof Error ? error.message : String(error));
    }
  }
  if (token === null) {
    // Sync will fail with the marketplace's own answer (401), which the status bar shows: better
    // than quietly showing the demo's orders to a seller who configured a real marketplace.
    log.warn(`no marketplace token is stored: set ${MARKETPLACE_TOKEN_ENV} once to store one`);
  }
  return { kind: 'remote', baseUrl, token: token ?? '' };
}
