/**
 * The marketplace connection of the Settings screen, answered by main itself (never by the
 * backend worker): the choice is saved in desktop-settings.json, the token encrypted with the OS
 * keychain (safeStorage, through the secret store) together with the origin it was entered for,
 * and the token is never sent back. Another marketplace needs its own token: a URL change that
 * keeps "the stored token" is refused when that token was entered for another origin. A change
 * applies at the next start, which the answer says.
 */
import { DeskError } from '../../shared/errors';
import type { Connection, ConnectionUpdate } from '../../shared/ipc/contract';
import type { Logger } from '../backend/log';
import { connectionView, type ShellHandlers } from '../backend/shell-channels';
import { loadDesktopSettings, saveDesktopSettings } from './desktop-settings';
import { readMarketplaceToken, storeMarketplaceToken, unusableTokenMessage, type StoredToken } from './marketplace-token';
import type { SecretStore } from './secret-store';

export interface DesktopConnectionOptions {
  /** desktop-settings.json under userData. */
  settingsFile: string;
  secrets: SecretStore;
  /** What this run is connected to (the demo's own URL comes from the backend). */
  active: () => Promise<Connection['active']>;
  log: Logger;
}

export function createDesktopConnection(options: DesktopConnectionOptions): ShellHandlers {
  const { secrets, log } = options;
  let tokenChangedSinceStart = false;

  async function storedToken(marketplaceUrl: string): Promise<StoredToken> {
    try {
      return await readMarketplaceToken(secrets, marketplaceUrl);
    } catch (error) {
      // An unreadable secret file counts as no token: the seller enters it again.
      log.warn(error instanceof Error ? error.message : String(error));
      return { kind: 'none' };
    }
  }

  async function view(): Promise<Connection> {
    const { settings } = await loadDesktopSettings(options.settingsFile);
    return connectionView({
      active: await options.active(),
      saved: settings.marketplaceUrl === null ? { kind: 'demo' } : { kind: 'remote', marketplaceUrl: settings.marketplaceUrl },
      // Stored for the saved marketplace: a token entered for another one does not count.
      tokenStored: settings.marketplaceUrl !== null && (await storedToken(settings.marketplaceUrl)).kind === 'match',
      tokenChangedSinceStart,
      tokenStorage: 'keychain',
    });
  }

  async function update(input: ConnectionUpdate): Promise<Connection> {
    if (input.kind === 'remote') {
      if (input.token !== undefined) {
        // First the token: refused (no keychain), nothing is saved and the choice stays as it was.
        await storeMarketplaceToken(secrets, input.marketplaceUrl, input.token);
        tokenChangedSinceStart = true;
      } else {
        const stored = await storedToken(input.marketplaceUrl);
        if (stored.kind === 'none') {
          throw new DeskError('token_required', 'Enter the marketplace token: none is stored yet, and the marketplace would refuse every call without it.');
        }
        const unusable = unusableTokenMessage(stored, input.marketplaceUrl);
        if (unusable !== null) throw new DeskError('token_required', unusable);
      }
    }
    await saveDesktopSettings(options.settingsFile, { marketplaceUrl: input.kind === 'remote' ? input.marketplaceUrl : null });
    log.info(input.kind === 'remote' ? `the marketplace ${input.marketplaceUrl} is saved for the next start` : 'the embedded demo marketplace is saved for the next start');
    return view();
  }

  return {
    'connection.get': () => view(),
    'connection.update': (input) => update(input),
  };
}
