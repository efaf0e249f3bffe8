/**
 * The marketplace connection of the Settings screen, answered by main itself (never by the
 * backend worker): the choice is saved in desktop-settings.json, the token encrypted with the OS
 * keychain (safeStorage, through the secret store), and the token is never sent back. A change
 * applies at the next start, which the answer says.
 */
import { DeskError } from '../../shared/errors';
import type { Connection, ConnectionUpdate } from '../../shared/ipc/contract';
import type { Logger } from '../backend/log';
import { connectionView, type ShellHandlers } from '../backend/shell-channels';
import { loadDesktopSettings, saveDesktopSettings } from './desktop-settings';
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

  async function tokenStored(): Promise<boolean> {
    try {
      return await secrets.has('marketplace.token');
    } catch (error) {
      // An unreadable secret file counts as no token: the seller enters it again.
      log.warn(error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  async function view(): Promise<Connection> {
    const { settings } = await loadDesktopSettings(options.settingsFile);
    return connectionView({
      active: await options.active(),
      saved: settings.marketplaceUrl === null ? { kind: 'demo' } : { kind: 'remote', marketplaceUrl: settings.marketplaceUrl },
      tokenStored: await tokenStored(),
      tokenChangedSinceStart,
      tokenStorage: 'keychain',
    });
  }

  async function update(input: ConnectionUpdate): Promise<Connection> {
    if (input.kind === 'remote') {
      if (input.token !== undefined) {
        // First the token: refused (no keychain), nothing is saved and the choice stays as it was.
        await secrets.set('marketplace.token', input.token);
        tokenChangedSinceStart = true;
      } else if (!(await tokenStored())) {
        throw new DeskError('token_required', 'Enter the marketplace token: none is stored yet, and the marketplace would refuse every call without it.');
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
