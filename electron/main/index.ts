/**
 * Electron-only glue: lifecycle, the hardened window, the renderer's scheme, and binding the
 * backend (in its worker thread) to ipcMain. No business logic here.
 */
import { app, ipcMain, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackendWorker, type BackendClient } from './backend-client';
import { bindContract, forwardEvent } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
import { APP_ORIGIN, createMainWindow, denyAllPermissions } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const paths = {
  preload: join(here, '../preload/index.cjs'),
  renderer: join(here, '../renderer'),
  worker: join(here, 'backend-worker.js'),
};

registerAppScheme();
// A separate profile on demand (tests, a second seller account): must be set before ready.
if (process.env.CANCEL_DESK_USER_DATA) app.setPath('userData', process.env.CANCEL_DESK_USER_DATA);

/**
 * `npm run dev` serves the renderer from electron-vite's dev server (hot reload); everywhere
 * else it comes from the app:// scheme. Only that one origin may call the backend.
 */
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererEntry = devRendererUrl ?? `${APP_ORIGIN}/index.html`;
// (Node's URL gives custom schemes an origin of "null", hence APP_ORIGIN spelled out.)
const rendererOrigin = devRendererUrl === undefined ? APP_ORIGIN : new URL(devRendererUrl).origin;

let mainWindow: BrowserWindow | null = null;
let backend: BackendClient | null = null;

async function ready(): Promise<void> {
  denyAllPermissions();
  serveRenderer(paths.renderer);
  const client = startBackendWorker(paths.worker, {
    dataDir: app.getPath('userData'),
    appVersion: app.getVersion(),
    demo: { seed: 42, orders: 2_000 },
  });
  backend = client;
  bindContract(ipcMain, (channel, input) => client.call(channel, input), (event) => {
    const frameUrl = event.senderFrame?.url ?? '';
    return mainWindow !== null && event.sender === mainWindow.webContents && frameUrl.startsWith(`${rendererOrigin}/`);
  });
  client.onEvent((event, payload) => {
    if (mainWindow !== null) forwardEvent(mainWindow.webContents, event, payload);
  });
  mainWindow = createMainWindow(paths.preload);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  await mainWindow.loadURL(rendererEntry);
}

app.on('window-all-closed', () => app.quit());

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || backend === null) return;
  // Let the backend save its cache before the process goes.
  event.preventDefault();
  quitting = true;
  void backend.close().finally(() => app.quit());
});

app.whenReady().then(ready).catch((error: unknown) => {
  console.error(`[main] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
