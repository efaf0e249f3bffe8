import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import { viewOfState } from '../../shared/domain/views';
import { COMMANDS } from '../../shared/commands';
import { DESK_EVENTS, DESK_METHODS } from '../../shared/ipc/api';
import { createSimulator } from '../../electron/simulator/server';
import { findElectronBinary } from '../../scripts/electron-binary';
import { byTimeLeft, fetchAllFromMarketplace } from '../support/marketplace';

const binary = findElectronBinary();
if ('missing' in binary) {
  console.log(`[tests/electron] skipped: ${binary.missing}. These tests run wherever the binary exists.`);
}

// Chromium refuses to start as root with its OS sandbox on; the renderer's own sandboxing
// (sandbox: true, no Node) is still what the checks below observe.
const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];

/** The binary's path; these tests are skipped without it, so reaching here without one is a bug. */
function electronPath(): string {
  if (!('path' in binary)) throw new Error(`no Electron binary (${binary.missing}), yet a real-Electron test ran`);
  return binary.path;
}

async function launch(userData: string): Promise<{ app: ElectronApplication; page: Page }> {
  const app = await electron.launch({
    executablePath: electronPath(),
    args: [...rootArgs, '.'],
    env: { ...process.env, CANCEL_DESK_USER_DATA: userData },
  });
  const page = await app.firstWindow();
  return { app, page };
}

test.describe('the real Electron app', () => {
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');

  test('opens one hardened window on the embedded demo marketplace and shows its queue', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'desk-electron-'));
    const { app, page } = await launch(userData);
    try {
      await expect(page.locator('[data-sync-state="idle"]')).toBeVisible({ timeout: 30_000 });

      // No Node in the renderer (nodeIntegration off, sandboxed, isolated).
      for (const name of ['require', 'process', 'module', 'Buffer', 'global', 'ipcRenderer', 'electron']) {
        expect(await page.evaluate((global) => typeof (globalThis as Record<string, unknown>)[global], name), name).toBe('undefined');
      }
      // window.desk is exactly the contract's named methods, frozen.
      const deskKeys = await page.evaluate(() => Object.keys((globalThis as unknown as { desk: object }).desk).sort());
      expect(deskKeys).toEqual([...Object.keys(DESK_METHODS), ...Object.keys(DESK_EVENTS)].sort());
      expect(await page.evaluate(() => Object.isFrozen((globalThis as unknown as { desk: object }).desk))).toBe(true);

      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      expect(await app.evaluate(({ webContents }) => webContents.getAllWebContents().length)).toBe(1);

      // The CSP holds: no inline script runs, nothing is fetched from another origin.
      expect(
        await page.evaluate(() => {
          const script = document.createElement('script');
          script.textContent = 'globalThis.__injected = true';
          document.head.append(script);
          return (globalThis as { __injected?: boolean }).__injected === true;
        }),
      ).toBe(false);
      // A fetch elsewhere is refused by the CSP itself (an offline machine would fail it anyway).
      const violated = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            document.addEventListener('securitypolicyviolation', (event) => resolve(`${event.violatedDirective} ${event.blockedURI}`), { once: true });
            fetch('https://example.com/').catch(() => undefined);
          }),
      );
      expect(violated).toMatch(/^connect-src https:\/\/example\.com/);

      // Permissions are denied, both the check and the request.
      expect(await page.evaluate(() => navigator.permissions.query({ name: 'notifications' }).then((status) => status.state))).toBe('denied');
      expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');

      // No new window, and navigation away is blocked.
      expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      // The main process refuses it (will-navigate prevented), and the page is the same document.
      const navigation = app.evaluate(
        ({ webContents }) =>
          new Promise<{ url: string; prevented: boolean }>((resolve) => {
            webContents.getAllWebContents()[0]?.once('will-navigate', (event, url) => {
              // Our listener runs after the app's guard: whether it prevented the navigation shows here.
              setImmediate(() => resolve({ url, prevented: event.defaultPrevented }));
            });
          }),
      );
      await page.evaluate(() => {
        (globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true;
        (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
      });
      expect(await navigation).toEqual({ url: 'https://example.com/', prevented: true });
      await expect(page).toHaveURL(/^app:\/\/desk\//);
      expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

      // The menu comes from the command catalogue.
      const paletteLabel = await app.evaluate(({ Menu }, id) => Menu.getApplicationMenu()?.getMenuItemById(id)?.label ?? null, 'app.palette');
      expect(paletteLabel).toBe(COMMANDS.find((command) => command.id === 'app.palette')?.title);

      // The same seed and size as the embedded demo: the same requests, in the same order.
      const reference = await createSimulator({ seed: 42, orders: 2_000 });
      try {
        const [orders, requests] = await Promise.all([
          fetchAllFromMarketplace<Order>(reference, 'orders'),
          fetchAllFromMarketplace<CancelRequest>(reference, 'requests'),
        ]);
        const orderIds = new Set(orders.map((order) => order.id));
        const expected = requests
          .filter((request) => viewOfState(request.state) === 'needs_reply' && orderIds.has(request.orderId))
          .sort(byTimeLeft)
          .map((request) => request.orderId);
        // The queue is a virtual list: the rows in the window are the most urgent ones, in order.
        const rows = page.locator('.queue-body .queue-row[data-request-id] .order-id');
        await expect(rows.first()).toBeVisible();
        const onScreen = (await rows.allTextContents()).map((text) => text.trim());
        expect(onScreen.length).toBeGreaterThan(5);
        expect(onScreen).toEqual(expected.slice(0, onScreen.length));
      } finally {
        await reference.close();
      }
    } finally {
      await app.close();
    }
  });

  test('a second launch on the same profile hands over to the first and exits', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'desk-electron-'));
    const { app, page } = await launch(userData);
    try {
      await expect(page.locator('[data-sync-state]')).toBeVisible({ timeout: 30_000 });
      const second = spawn(electronPath(), [...rootArgs, '.'], { env: { ...process.env, CANCEL_DESK_USER_DATA: userData }, stdio: 'ignore' });
      const [code] = (await once(second, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    } finally {
      await app.close();
    }
  });

  test('reopens the window where it was left', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'desk-electron-'));
    const first = await launch(userData);
    await first.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.setBounds({ x: 40, y: 60, width: 1100, height: 700 }));
    await first.app.close();
    const second = await launch(userData);
    try {
      const bounds = await second.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getBounds());
      expect(bounds).toEqual({ x: 40, y: 60, width: 1100, height: 700 });
    } finally {
      await second.app.close();
    }
  });
});
