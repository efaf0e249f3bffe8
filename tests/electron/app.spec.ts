import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import { viewOfState } from '../../shared/domain/views';
import { DESK_EVENTS, DESK_METHODS } from '../../shared/ipc/api';
import { createSimulator } from '../../electron/simulator/server';
import { findElectronBinary } from '../../scripts/electron-binary';
import { byTimeLeft, fetchAllFromMarketplace } from '../support/marketplace';

const binary = findElectronBinary();
if ('missing' in binary) {
  console.log(`[tests/electron] skipped: ${binary.missing}. These tests run wherever the binary exists.`);
}

test.describe('the real Electron app', () => {
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');

  test('opens one hardened window on the embedded demo marketplace and shows its queue', async () => {
    if (!('path' in binary)) return;
    const userData = await mkdtemp(join(tmpdir(), 'desk-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: ['.'],
      env: { ...process.env, CANCEL_DESK_USER_DATA: userData },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.locator('[data-sync-state="idle"]')).toBeVisible({ timeout: 30_000 });

      // No Node in the renderer; window.desk is exactly the contract's named methods.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      const deskKeys = await page.evaluate(() => Object.keys((globalThis as unknown as { desk: object }).desk).sort());
      expect(deskKeys).toEqual([...Object.keys(DESK_METHODS), ...Object.keys(DESK_EVENTS)].sort());

      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

      // Navigation away is blocked.
      await page.evaluate(() => {
        (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
      });
      expect(page.url()).toMatch(/^app:\/\/desk\//);

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
          .slice(0, 200)
          .map((request) => request.orderId);
        const onScreen = await page.locator('tr.queue-row .order-id').allTextContents();
        expect(onScreen.map((text) => text.trim())).toEqual(expected);
      } finally {
        await reference.close();
      }
    } finally {
      await app.close();
    }
  });
});
