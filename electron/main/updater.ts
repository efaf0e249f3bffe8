/**
 * Automatic updates through electron-updater from a plain HTTPS folder (the "generic" provider):
 * on only when a feed URL is configured, and never able to crash the app. Offline, a check just
 * fails, is logged, and is tried again later.
 */
import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../backend/log';
import { ServiceUrlSchema } from './desktop-settings';

export const UPDATE_URL_ENV = 'CANCEL_DESK_UPDATE_URL';
const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;

export type UpdateFeed =
  | { kind: 'off'; reason: string }
  /** A URL from configuration (environment or desktop settings). */
  | { kind: 'generic'; url: string }
  /** The installer was built with a feed (resources/app-update.yml); electron-updater reads it. */
  | { kind: 'bundled' };

/** Where updates come from, in order: the environment, the desktop settings, the installer's own file. */
export function resolveUpdateFeed(options: {
  isPackaged: boolean;
  envUrl: string | undefined;
  settingsUrl: string | null;
  hasBundledFeed: boolean;
}): UpdateFeed {
  if (!options.isPackaged) return { kind: 'off', reason: 'updates apply to installed builds only' };
  if (options.envUrl !== undefined && options.envUrl !== '') {
    const parsed = ServiceUrlSchema.safeParse(options.envUrl);
    if (!parsed.success) return { kind: 'off', reason: `${UPDATE_URL_ENV} ${parsed.error.issues[0]?.message ?? 'is invalid'}` };
    return { kind: 'generic', url: parsed.data };
  }
  if (options.settingsUrl !== null) return { kind: 'generic', url: options.settingsUrl };
  if (options.hasBundledFeed) return { kind: 'bundled' };
  return { kind: 'off', reason: 'no update feed URL is configured' };
}

/** The part of electron-updater's AppUpdater used here. */
export type UpdaterLike = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'logger' | 'setFeedURL' | 'checkForUpdatesAndNotify'> & {
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export async function loadElectronUpdater(): Promise<UpdaterLike> {
  // electron-updater is CommonJS with a lazy `autoUpdater` getter: reach it through the default export.
  const loaded: { autoUpdater?: AppUpdater; default?: { autoUpdater: AppUpdater } } = await import('electron-updater');
  const updater = loaded.default?.autoUpdater ?? loaded.autoUpdater;
  if (updater === undefined) throw new Error('electron-updater has no autoUpdater');
  return updater;
}

export interface AutoUpdates {
  stop(): void;
}

/**
 * Starts checking (now, then every few hours) when a feed is configured. Every failure, from
 * loading the updater to a check without network, is logged and never thrown.
 */
export async function startAutoUpdates(options: {
  feed: UpdateFeed;
  log: Logger;
  loadUpdater?: () => Promise<UpdaterLike>;
  schedule?: (callback: () => void, everyMs: number) => () => void;
}): Promise<AutoUpdates> {
  const { feed, log } = options;
  if (feed.kind === 'off') {
    log.info(`automatic updates are off: ${feed.reason}`);
    return { stop() {} };
  }
  let updater: UpdaterLike;
  try {
    updater = await (options.loadUpdater ?? loadElectronUpdater)();
  } catch (error) {
    log.error(`automatic updates are off: the updater could not be loaded (${error instanceof Error ? error.message : String(error)})`);
    return { stop() {} };
  }
  updater.logger = {
    info: (message?: unknown) => log.info(`[updater] ${String(message)}`),
    warn: (message?: unknown) => log.warn(`[updater] ${String(message)}`),
    error: (message?: unknown) => log.error(`[updater] ${String(message)}`),
  };
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.on('error', (error) => log.warn(`update check failed (will retry later): ${error.message}`));
  if (feed.kind === 'generic') updater.setFeedURL({ provider: 'generic', url: feed.url });
  log.info(feed.kind === 'generic' ? `automatic updates from ${feed.url}` : 'automatic updates from the feed built into the installer');

  const check = (): void => {
    updater.checkForUpdatesAndNotify().catch((error: unknown) => {
      log.warn(`update check failed (will retry later): ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  const schedule =
    options.schedule ??
    ((callback: () => void, everyMs: number) => {
      const timer = setInterval(callback, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    });
  check();
  const cancel = schedule(check, CHECK_EVERY_MS);
  return { stop: cancel };
}
