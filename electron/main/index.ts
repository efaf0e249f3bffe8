/**
 * Electron-only glue: lifecycle, the hardened window, the renderer's scheme, the menu, the OS
 * integration, and binding the backend (in its worker thread) to ipcMain. No business logic here.
 */
import { app, ipcMain, Menu, net, safeStorage, screen, session, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { COMMANDS } from '../../shared/commands';
import type { Logger } from '../backend/log';
import { routeCall } from '../backend/shell-channels';
import { AppInfoSchema } from '../../shared/ipc/contract';
import { APP_ORIGIN } from './app-scheme';
import { startBackendWorker, type BackendClient } from './backend-client';
import { BUILD_INFO } from './build-info';
import { createDesktopConnection } from './connection';
import { DESKTOP_SETTINGS_FILE, loadDesktopSettings } from './desktop-settings';
import { needsReplyCount, showBadgeCount, showDeadlineNotification, showUpdateOfferNotification } from './desktop-integration';
import { bindContract, createSenderCheck, forwardEvent } from './ipc';
import { debuggingSwitches, ignoredOverrideMessage, launchOverrides } from './launch-guard';
import { createAppLog } from './logging';
import { chooseMarketplace } from './marketplace-choice';
import { buildMenuTemplate, type MenuPlatform } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { SignInLinks } from './external-links';
import { openInBrowser, openLinkOrSignIn } from './safe-shell';
import { createSecretStore } from './secret-store';
import { createStoreTokenKeeper } from './store-tokens';
import { closeWithin, SHUTDOWN_TIMEOUT_MS } from './shutdown';
import { decideUpdateTrust, parseInstallerFeed, resolveUpdateFeed, smallTextFetcher, startAutoUpdates, type AutoUpdates } from './updater';
import { captureWindowState, createMainWindow, denyAllPermissions, guardWebContents, type WindowGuards } from './window';
import { loadWindowState, placeWindow, saveWindowState, WINDOW_STATE_FILE } from './window-state';
import { CONFIGURED_STORE_ID } from './worker-protocol';

const here = dirname(fileURLToPath(import.meta.url));
const paths = {
  preload: join(here, '../preload/index.cjs'),
  renderer: join(here, '../renderer'),
  worker: join(here, 'backend-worker.js'),
};

// First of all, an installed app refuses what its launcher may not choose (launch-guard.ts): a
// debugging switch ends it here, and the development overrides in the environment are ignored.
const refusedSwitches = app.isPackaged ? debuggingSwitches(process.argv, process.platform) : [];
const launch = launchOverrides(process.env, app.isPackaged);

// Before anything else: every renderer sandboxed, our scheme privileged, the profile chosen.
app.enableSandbox();
registerAppScheme();
// A separate profile on demand (tests, a second seller account, in development): must be set
// before ready, and before the single-instance lock, which is per profile.
if (launch.userData !== null) app.setPath('userData', launch.userData);

/**
 * `npm run dev` serves the renderer from electron-vite's dev server (hot reload); everywhere
 * else it comes from the app:// scheme. Only that one origin may call the backend.
 */
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererEntry = devRendererUrl ?? `${APP_ORIGIN}/index.html`;
const rendererOrigin = devRendererUrl === undefined ? APP_ORIGIN : new URL(devRendererUrl).origin;

const appLog = createAppLog({ logsDir: join(app.getPath('userData'), 'logs'), consoleLevel: app.isPackaged ? false : 'info' });
const log: Logger = appLog.logger;
for (const name of launch.ignored) log.warn(ignoredOverrideMessage(name));

let mainWindow: BrowserWindow | null = null;
let backend: BackendClient | null = null;
let updates: AutoUpdates | null = null;
/** Saves the main window's position now (set once the window exists). */
let saveWindowNow: () => Promise<void> = () => Promise.resolve();

function focusMainWindow(): void {
  if (mainWindow === null) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** The sign-in pages the backend handed out (stores.signIn): a local sandbox's http page opens only as one of them. */
const signInLinks = new SignInLinks();

const guards: WindowGuards = {
  openLink: (url) => void openLinkOrSignIn(url, signInLinks, (message) => log.warn(message)),
  warn: (message) => log.warn(message),
};

function menuPlatform(): MenuPlatform {
  return process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
}

async function openMainWindow(): Promise<BrowserWindow> {
  const stateFile = join(app.getPath('userData'), WINDOW_STATE_FILE);
  const saved = await loadWindowState(stateFile);
  if (!saved.ok) log.warn(saved.message);
  const primary = screen.getPrimaryDisplay();
  const workAreas = [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)].map((display) => display.workArea);
  const window = createMainWindow(paths.preload, placeWindow(saved.ok ? saved.state : null, workAreas), guards);

  let saveTimer: NodeJS.Timeout | null = null;
  const persist = (): Promise<void> => {
    if (saveTimer !== null) clearTimeout(saveTimer);
    saveTimer = null;
    if (window.isDestroyed()) return Promise.resolve();
    return saveWindowState(stateFile, captureWindowState(window)).catch((error: unknown) =>
      log.warn(`could not save the window position: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  saveWindowNow = persist;
  const persistSoon = (): void => {
    if (saveTimer !== null) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void persist(), 500);
    saveTimer.unref();
  };
  window.on('resize', persistSoon);
  window.on('move', persistSoon);
  window.on('maximize', persistSoon);
  window.on('unmaximize', persistSoon);
  window.on('enter-full-screen', persistSoon);
  window.on('leave-full-screen', persistSoon);
  window.on('close', () => void persist());
  window.on('closed', () => {
    mainWindow = null;
  });
  return window;
}

async function ready(): Promise<void> {
  denyAllPermissions(session.defaultSession);
  const userData = app.getPath('userData');
  const settingsFile = join(userData, DESKTOP_SETTINGS_FILE);
  const desktop = await loadDesktopSettings(settingsFile);
  if (desktop.problem !== null) log.error(desktop.problem);
  if (desktop.settings.deadlineAlertHours !== undefined) {
    log.info(`deadlineAlertHours in ${DESKTOP_SETTINGS_FILE} is no longer read: set the deadline notifications in Settings`);
  }
  const secrets = createSecretStore(join(userData, 'secrets.json'), safeStorage);
  const marketplace = await chooseMarketplace({ settings: desktop.settings, env: process.env, allowUrlOverride: launch.marketplaceUrl, secrets, log });
  if (marketplace.kind === 'remote') appLog.addSecret(marketplace.token);
  // The stores' tokens: decrypted here for the worker, and stored here whenever it asks.
  const storeTokens = createStoreTokenKeeper({
    secrets,
    log,
    addSecret: (secret) => appLog.addSecret(secret),
    configured: marketplace.kind === 'remote' ? { storeId: CONFIGURED_STORE_ID, baseUrl: marketplace.baseUrl } : null,
  });

  serveRenderer(paths.renderer);
  const client = startBackendWorker(
    paths.worker,
    { dataDir: userData, appVersion: app.getVersion(), marketplace, storeTokens: await storeTokens.load() },
    log,
    (storeId, token) => storeTokens.save(storeId, token),
  );
  backend = client;
  const isTrustedSender = createSenderCheck(() => mainWindow?.webContents ?? null, rendererOrigin);
  // The connection channels are main's own (the token stays here); the rest go to the worker.
  const connection = createDesktopConnection({
    settingsFile,
    secrets,
    active: async () =>
      marketplace.kind === 'remote'
        ? { kind: 'remote', marketplaceUrl: marketplace.baseUrl }
        : { kind: 'demo', marketplaceUrl: AppInfoSchema.parse(await client.call('app.info', {})).marketplaceUrl },
    log,
  });
  bindContract(
    ipcMain,
    routeCall(connection, async (channel, input) => {
      const output = await client.call(channel, input);
      if (channel === 'stores.signIn') signInLinks.rememberAnswer(output);
      return output;
    }),
    isTrustedSender,
  );
  client.onEvent((event, payload) => {
    if (event === 'queue.changed') {
      const count = needsReplyCount(payload);
      if (count !== null) showBadgeCount(count, log);
    }
    if (mainWindow !== null) forwardEvent(mainWindow.webContents, event, payload);
  });
  client.onDeadlineAlert((alert) => showDeadlineNotification(alert, focusMainWindow, log));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(COMMANDS, {
        appName: app.getName(),
        platform: menuPlatform(),
        developerTools: !app.isPackaged,
        // The renderer runs the command (its registry knows `when` and `run`).
        onCommand: (id) => {
          if (mainWindow !== null) forwardEvent(mainWindow.webContents, 'command.invoke', { id });
        },
      }),
    ),
  );

  mainWindow = await openMainWindow();
  await mainWindow.loadURL(rendererEntry);
  log.info(`Cancel Desk ${app.getVersion()} started (data in ${userData})`);

  // The badge starts from the cached counts, before the first sync announces a change.
  client
    .whenReady()
    .then(() => client.call('queue.counts', {}))
    .then(
    (counts) => {
      const count = needsReplyCount({ counts });
      if (count !== null) showBadgeCount(count, log);
    },
    (error: unknown) => log.warn(`could not read the queue counts: ${error instanceof Error ? error.message : String(error)}`),
  );

  updates = await startUpdates(desktop.settings.updateFeedUrl);
}

/** A file electron-builder put in resources/ (null: none; resourcesPath is absent when main runs under plain Node in the smoke test). */
async function readResource(name: string): Promise<string | null> {
  if (typeof process.resourcesPath !== 'string') return null;
  try {
    return await readFile(join(process.resourcesPath, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    log.warn(`could not read ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

async function startUpdates(settingsUrl: string | null): Promise<AutoUpdates> {
  const installer = parseInstallerFeed(await readResource('app-update.yml'));
  const feed = resolveUpdateFeed({ isPackaged: app.isPackaged, settingsUrl, installer });
  const trust = decideUpdateTrust({
    platform: process.platform,
    // electron-updater tells a deb from an AppImage by this file too.
    linuxPackageType: process.platform === 'linux' ? await readResource('package-type') : null,
    publisherNames: installer.kind === 'generic' ? installer.publisherNames : [],
    updatePublicKey: BUILD_INFO.updatePublicKey,
    macSigned: BUILD_INFO.macSigned,
  });
  return startAutoUpdates({
    feed,
    trust,
    log,
    onQuit: (handler) => app.on('quit', (_event, exitCode) => handler(exitCode)),
    fetchSignature: smallTextFetcher((url, init) => net.fetch(url, init)),
    offer: (offer) =>
      showUpdateOfferNotification(
        offer,
        // The page is the update folder the app was built (or set) with: its host is allowed for this one link.
        () => void openInBrowser(offer.downloadPage, (message) => log.warn(message), new Set([new URL(offer.downloadPage).hostname])),
        log,
      ),
  });
}

if (refusedSwitches.length > 0) {
  // Nothing is set up: no window, no IPC, no backend. The log says why the app did not start.
  log.error(`Cancel Desk did not start: an installed copy refuses ${refusedSwitches.join(', ')} (remote debugging would expose the app and its marketplace token)`);
  process.stderr.write(`Cancel Desk does not start with ${refusedSwitches.join(', ')}.\n`);
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  // Another Cancel Desk runs on this profile: it comes to the front (second-instance), this one goes.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  // Every web contents ever created (windows, and anything a bug might open) gets the guards,
  // and every session denies permissions.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, guards));
  app.on('session-created', denyAllPermissions);
  app.on('window-all-closed', () => app.quit());

  let shutdown: 'running' | 'closing' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (shutdown === 'done' || backend === null) return;
    // Let the backend finish the request in flight, stop, and save before the process goes.
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    updates?.stop();
    const client = backend;
    const closing = closeWithin(() => client.close(), SHUTDOWN_TIMEOUT_MS, (delayMs, callback) => {
      const timer = setTimeout(callback, delayMs);
      return () => clearTimeout(timer);
    });
    void Promise.all([closing, saveWindowNow()]).then(([outcome]) => {
      if (outcome.kind === 'timed_out') log.error(`the backend did not close within ${outcome.afterMs} ms; quitting anyway`);
      if (outcome.kind === 'failed') log.error(`the backend did not close cleanly: ${outcome.message}`);
      if (outcome.kind === 'closed') log.info('the backend closed cleanly');
      shutdown = 'done';
      app.quit();
    });
  });
  // A promise nobody awaited that failed still reaches the log (redacted), not only stderr.
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection in main: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  // A terminal's Ctrl+C or the OS asking us to stop goes through the same clean shutdown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app.whenReady().then(ready).catch((error: unknown) => {
    log.error(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
}
