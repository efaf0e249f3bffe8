/**
 * Automatic updates through electron-updater from a plain HTTPS folder (the "generic" provider):
 * on only when a feed URL is configured, and never able to crash the app. Offline, a check just
 * fails, is logged, and is tried again later.
 *
 * Whoever controls the feed must not be able to ship code: an update is installed only when its
 * publisher signed it (`decideUpdateTrust`): on Windows the installer's Authenticode signature
 * must name the publisher built into the app (electron-updater checks it, and skips the check
 * when no publisher name is set, so no name means no install); on macOS Squirrel.Mac requires
 * the update to carry the running app's Developer ID signature (so only a signed build updates
 * itself); on Linux (AppImage, deb) a detached Ed25519 signature must verify against the public
 * key built into the app (update-signature.ts). Anywhere else, or when the build cannot check,
 * a new version is offered as a download page and nothing is installed.
 */
import type { KeyObject } from 'node:crypto';
import { basename } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { missingCase } from '../../shared/domain/views';
import { describeIssues } from '../../shared/ipc/dispatch';
import type { Logger } from '../backend/log';
import { ServiceUrlSchema } from './desktop-settings';
import { AppVersionSchema, parseUpdatePublicKey, SIGNATURE_MAX_BYTES, SIGNATURE_SUFFIX, verifyUpdateFile } from './update-signature';

/**
 * Read by `npm run dist` (scripts/dist.ts) to build a feed into the installers. An installed app
 * ignores it in its own environment (launch-guard.ts): the feed is the publisher's choice.
 */
export const UPDATE_URL_ENV = 'CANCEL_DESK_UPDATE_URL';
const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;
const SIGNATURE_FETCH_TIMEOUT_MS = 30_000;

export type UpdateFeed =
  | { kind: 'off'; reason: string }
  /**
   * A generic feed: from desktop-settings.json (set on the updater), or the installer's own
   * resources/app-update.yml (which electron-updater reads by itself).
   */
  | { kind: 'generic'; url: string; source: 'settings' | 'installer' };

/** resources/app-update.yml, which electron-builder writes when the installers are built with a feed. */
const InstallerFeedFileSchema = z.looseObject({
  provider: z.literal('generic'),
  url: ServiceUrlSchema,
  /** Windows: the certificate subject(s) an update must be signed by (electron-builder writes it for a signed build). */
  publisherName: z.union([z.string(), z.array(z.string())]).nullish(),
});

export type InstallerFeed =
  | { kind: 'none' }
  | { kind: 'invalid'; problem: string }
  | { kind: 'generic'; url: string; publisherNames: readonly string[] };

/** Parses the installer's app-update.yml (null: the installer has none). Never throws. */
export function parseInstallerFeed(text: string | null): InstallerFeed {
  if (text === null) return { kind: 'none' };
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return { kind: 'invalid', problem: `app-update.yml is not YAML (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = InstallerFeedFileSchema.safeParse(document);
  if (!parsed.success) return { kind: 'invalid', problem: `app-update.yml is invalid (${describeIssues(parsed.error)})` };
  const names = parsed.data.publisherName ?? [];
  return {
    kind: 'generic',
    url: parsed.data.url,
    publisherNames: (Array.isArray(names) ? names : [names]).map((name) => name.trim()).filter((name) => name !== ''),
  };
}

/**
 * Where updates come from: the desktop settings, else the installer's own feed. Never from the
 * environment of the running app (a launcher could otherwise pick the feed).
 */
export function resolveUpdateFeed(options: { isPackaged: boolean; settingsUrl: string | null; installer: InstallerFeed }): UpdateFeed {
  if (!options.isPackaged) return { kind: 'off', reason: 'updates apply to installed builds only' };
  if (options.settingsUrl !== null) return { kind: 'generic', url: options.settingsUrl, source: 'settings' };
  switch (options.installer.kind) {
    case 'generic':
      return { kind: 'generic', url: options.installer.url, source: 'installer' };
    case 'invalid':
      return { kind: 'off', reason: options.installer.problem };
    case 'none':
      return { kind: 'off', reason: 'no update feed URL is configured' };
    default:
      return missingCase(options.installer);
  }
}

/** How a downloaded update is known to come from the publisher, or why it cannot be. */
export type UpdateTrust =
  | { mode: 'install'; check: 'windows-publisher'; publisherNames: string[] }
  | { mode: 'install'; check: 'macos-code-signature' }
  | { mode: 'install'; check: 'ed25519'; publicKey: KeyObject; linuxPackage: 'AppImage' | 'deb' }
  | { mode: 'offer'; reason: string };

/**
 * Whether this build can verify an update's publisher, and how. Pure: the platform and what the
 * build carries are given.
 */
export function decideUpdateTrust(options: {
  platform: NodeJS.Platform;
  /** resources/package-type as electron-builder writes it ('deb', 'rpm', 'pacman'); null: none (an AppImage). */
  linuxPackageType: string | null;
  /** The publisher name(s) in the installer's app-update.yml (Windows). */
  publisherNames: readonly string[];
  /** The Ed25519 public key built into the app (base64 of 32 bytes); undefined or empty: none. */
  updatePublicKey: string | undefined;
  /** The build was code-signed with a Developer ID (macOS), as `npm run dist` recorded it. */
  macSigned: boolean;
}): UpdateTrust {
  if (options.platform === 'win32') {
    const publisherNames = options.publisherNames.filter((name) => name.trim() !== '');
    if (publisherNames.length === 0) {
      return { mode: 'offer', reason: 'this copy has no publisher name to check an update’s signature against (it was not built with a code-signing certificate)' };
    }
    return { mode: 'install', check: 'windows-publisher', publisherNames };
  }
  if (options.platform === 'darwin') {
    return options.macSigned
      ? { mode: 'install', check: 'macos-code-signature' }
      : { mode: 'offer', reason: 'this copy is not signed with a Developer ID, so macOS cannot check an update’s signature' };
  }
  if (options.platform === 'linux') {
    const linuxPackage = (options.linuxPackageType ?? 'AppImage').trim();
    if (linuxPackage !== 'AppImage' && linuxPackage !== 'deb') {
      return { mode: 'offer', reason: `automatic updates of a ${linuxPackage} package are not supported` };
    }
    const keyText = options.updatePublicKey?.trim() ?? '';
    if (keyText === '') return { mode: 'offer', reason: 'no update signing key was built into this copy' };
    const key = parseUpdatePublicKey(keyText);
    if (!key.ok) return { mode: 'offer', reason: key.reason };
    return { mode: 'install', check: 'ed25519', publicKey: key.key, linuxPackage };
  }
  return { mode: 'offer', reason: `automatic updates are not supported on ${options.platform}` };
}

/** A new version this copy will not install by itself: the seller is pointed at the download page. */
export interface UpdateOffer {
  version: string;
  downloadPage: string;
  reason: string;
}

type UpdaterEvent = 'error' | 'update-available' | 'update-downloaded';

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: AppUpdater['logger'];
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  checkForUpdatesAndNotify(): Promise<unknown>;
  on(event: UpdaterEvent, listener: (payload: never) => void): unknown;
  /** Installs the downloaded update now (Windows and Linux updaters; not on macOS). */
  install?: (isSilent?: boolean, isForceRunAfter?: boolean) => boolean;
}

export async function loadElectronUpdater(): Promise<UpdaterLike> {
  // electron-updater is CommonJS with a lazy `autoUpdater` getter: reach it through the default export.
  const loaded: { autoUpdater?: AppUpdater; default?: { autoUpdater: AppUpdater } } = await import('electron-updater');
  const updater = loaded.default?.autoUpdater ?? loaded.autoUpdater;
  if (updater === undefined) throw new Error('electron-updater has no autoUpdater');
  return updater;
}

/** What the updater's events carry that is read here (untrusted: the version comes from the feed). */
const UpdateAvailableSchema = z.looseObject({ version: AppVersionSchema });
const UpdateDownloadedSchema = z.looseObject({ version: AppVersionSchema, downloadedFile: z.string().min(1).max(4_096) });

/** The folder URL with a trailing slash, as electron-updater resolves file names against it. */
function folderUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Fetches a small text file (a signature) with a time limit and a size limit. `fetchImpl` is
 * Electron's net.fetch in the app (the system's proxy settings, like electron-updater).
 */
export function smallTextFetcher(
  fetchImpl: (url: string, init: { signal: AbortSignal }) => Promise<Response>,
  options: { maxBytes?: number; timeoutMs?: number } = {},
): (url: string) => Promise<string> {
  const maxBytes = options.maxBytes ?? SIGNATURE_MAX_BYTES;
  return async (url) => {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(options.timeoutMs ?? SIGNATURE_FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    if (response.body === null) return '';
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new Error(`the answer is larger than ${maxBytes} bytes`);
      }
      chunks.push(read.value);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
}

export interface AutoUpdates {
  stop(): void;
}

const stopped: AutoUpdates = { stop() {} };

/**
 * Starts checking (now, then every few hours) when a feed is configured. Every failure, from
 * loading the updater to a check without network, is logged and never thrown.
 */
export async function startAutoUpdates(options: {
  feed: UpdateFeed;
  trust: UpdateTrust;
  log: Logger;
  /** Registers `handler` to run when the app quits for good (Electron's `quit` event, with the exit code). */
  onQuit: (handler: (exitCode: number) => void) => void;
  /** Fetches a signature file (see `smallTextFetcher`); rejects when there is none. */
  fetchSignature: (url: string) => Promise<string>;
  /** Shows the seller a new version that will not be installed automatically. */
  offer: (offer: UpdateOffer) => void;
  loadUpdater?: () => Promise<UpdaterLike>;
  schedule?: (callback: () => void, everyMs: number) => () => void;
}): Promise<AutoUpdates> {
  const { feed, trust, log } = options;
  if (feed.kind === 'off') {
    log.info(`automatic updates are off: ${feed.reason}`);
    return stopped;
  }
  let updater: UpdaterLike;
  try {
    updater = await (options.loadUpdater ?? loadElectronUpdater)();
  } catch (error) {
    log.error(`automatic updates are off: the updater could not be loaded (${error instanceof Error ? error.message : String(error)})`);
    return stopped;
  }
  updater.logger = {
    info: (message?: unknown) => log.info(`[updater] ${String(message)}`),
    warn: (message?: unknown) => log.warn(`[updater] ${String(message)}`),
    error: (message?: unknown) => log.error(`[updater] ${String(message)}`),
  };
  const on = <T>(event: UpdaterEvent, listener: (payload: T) => void): void => {
    updater.on(event, listener);
  };
  on<Error>('error', (error) => log.warn(`update check failed (will retry later): ${error.message}`));
  if (feed.source === 'settings') updater.setFeedURL({ provider: 'generic', url: feed.url });
  log.info(feed.source === 'settings' ? `automatic updates from ${feed.url}` : 'automatic updates from the feed built into the installer');

  let cancelSchedule: () => void = () => {};
  let useNotify = false;

  switch (trust.mode) {
    case 'offer': {
      // Checking reads only latest*.yml; nothing is downloaded, nothing installed.
      updater.autoDownload = false;
      updater.autoInstallOnAppQuit = false;
      log.warn(`updates are not installed automatically: ${trust.reason}. A new version is offered as a download from ${feed.url}`);
      const offered = new Set<string>();
      on<unknown>('update-available', (info) => {
        const parsed = UpdateAvailableSchema.safeParse(info);
        if (!parsed.success) {
          log.warn(`the update feed announced an invalid version (ignored): ${describeIssues(parsed.error)}`);
          return;
        }
        if (offered.has(parsed.data.version)) return;
        offered.add(parsed.data.version);
        log.info(`Cancel Desk ${parsed.data.version} is available from ${feed.url} (not installed automatically)`);
        options.offer({ version: parsed.data.version, downloadPage: feed.url, reason: trust.reason });
      });
      break;
    }
    case 'install':
      switch (trust.check) {
        case 'windows-publisher':
        case 'macos-code-signature':
          // electron-updater (Windows: the publisher name in app-update.yml) or Squirrel.Mac (the
          // app's own Developer ID) refuses an unsigned download before it is installed.
          updater.autoDownload = true;
          updater.autoInstallOnAppQuit = true;
          useNotify = true;
          log.info(
            trust.check === 'windows-publisher'
              ? `updates are installed only when signed by ${trust.publisherNames.join(' or ')}`
              : 'updates are installed only when signed with this app’s Developer ID',
          );
          break;
        case 'ed25519': {
          // Downloaded by electron-updater, installed by us on quit, and only once the signature verified.
          updater.autoDownload = true;
          updater.autoInstallOnAppQuit = false;
          const publicKey = trust.publicKey;
          let staged: string | null = null;
          // A newer announcement makes any verification still running stale.
          let generation = 0;
          on<unknown>('update-available', () => {
            generation += 1;
            staged = null;
          });
          on<unknown>('update-downloaded', (event) => {
            const startedAt = generation;
            void verifyDownload(event).then((version) => {
              if (version === null || startedAt !== generation) return;
              staged = version;
              // Nothing more to look for until the next start.
              cancelSchedule();
            });
          });
          const verifyDownload = async (event: unknown): Promise<string | null> => {
            const parsed = UpdateDownloadedSchema.safeParse(event);
            if (!parsed.success) {
              log.error(`the downloaded update is not installed: the updater reported it oddly (${describeIssues(parsed.error)})`);
              return null;
            }
            const { version, downloadedFile } = parsed.data;
            const signatureUrl = new URL(`${encodeURIComponent(basename(downloadedFile))}${SIGNATURE_SUFFIX}`, folderUrl(feed.url)).href;
            let signatureText: string;
            try {
              signatureText = await options.fetchSignature(signatureUrl);
            } catch (error) {
              log.error(`Cancel Desk ${version} is not installed: no signature could be fetched from ${signatureUrl} (${error instanceof Error ? error.message : String(error)})`);
              return null;
            }
            const verdict = await verifyUpdateFile({ file: downloadedFile, appVersion: version, signatureText, publicKey });
            if (!verdict.ok) {
              log.error(`Cancel Desk ${version} is not installed: ${verdict.reason}`);
              return null;
            }
            log.info(`Cancel Desk ${version} is signed with the update key built into this copy; it is installed when the app quits`);
            return version;
          };
          options.onQuit((exitCode) => {
            if (staged === null) return;
            if (exitCode !== 0) {
              log.info(`the update to ${staged} waits: the app is quitting with exit code ${exitCode}`);
              return;
            }
            if (updater.install === undefined) {
              log.error('the verified update cannot be installed: this updater has no install step');
              return;
            }
            log.info(`installing Cancel Desk ${staged}`);
            updater.install(true, false);
          });
          log.info(`${trust.linuxPackage} updates are installed only when signed with the update key built into this copy`);
          break;
        }
        default:
          missingCase(trust);
      }
      break;
    default:
      missingCase(trust);
  }

  const check = (): void => {
    (useNotify ? updater.checkForUpdatesAndNotify() : updater.checkForUpdates()).catch((error: unknown) => {
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
  cancelSchedule = schedule(check, CHECK_EVERY_MS);
  return { stop: () => cancelSchedule() };
}
