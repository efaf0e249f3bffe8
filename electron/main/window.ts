import { BrowserWindow, type Session, type WebContents } from 'electron';
import { MIN_WINDOW_SIZE, type WindowPlacement, type WindowState } from './window-state';

export interface WindowGuards {
  /** Where a link the page tries to open in a new window goes (checked against the allow-list). */
  openLink(url: string): void;
  warn(message: string): void;
}

/**
 * design.md §10: no Node in the renderer, isolated and sandboxed. The options are spelled out in
 * the constructor call (not built elsewhere) so that static checkers (electronegativity) see them.
 */
export function createMainWindow(preload: string, placement: WindowPlacement, guards: WindowGuards): BrowserWindow {
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'Cancel Desk',
    backgroundColor: '#17181b',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // A middle click must not open a link in a new window behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // The window's own contents get the same guards as every other one (see guardWebContents);
  // installing them here too means they hold even before 'web-contents-created' has run.
  guardWebContents(window.webContents, guards);
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    if (placement.fullScreen) window.setFullScreen(true);
    window.show();
  });
  return window;
}

const guarded = new WeakSet<WebContents>();

/**
 * The app never navigates and never opens windows: any attempt (a dropped file, a link, an
 * injected script, a frame) is stopped; an allowed https link goes to the system browser.
 * Applied to every web contents the app creates (app 'web-contents-created').
 */
export function guardWebContents(contents: WebContents, guards: WindowGuards): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    guards.warn('blocked a navigation away from the app');
  });
  contents.on('will-frame-navigate', (event) => {
    // The renderer has no frames; a frame that appears anyway does not get to navigate.
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    guards.warn('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    guards.openLink(url);
    return { action: 'deny' };
  });
}

/** Denies every permission request and check (camera, notifications, HID, screen capture...) for a session. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}

/** The state to save for a window: its normal (un-maximised) bounds and how it is shown. */
export function captureWindowState(window: BrowserWindow): WindowState {
  const bounds = window.getNormalBounds();
  return {
    version: 1,
    bounds: { x: Math.round(bounds.x), y: Math.round(bounds.y), width: Math.round(bounds.width), height: Math.round(bounds.height) },
    maximized: window.isMaximized(),
    fullScreen: window.isFullScreen(),
  };
}
