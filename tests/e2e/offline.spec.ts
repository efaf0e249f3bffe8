import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { createSimulator } from '../../electron/simulator/server';
import { TEST_START_MS } from '../support/desk';
import { createTimeline, installPageClock, startAtArgs } from '../support/e2e-clock';
import { startHost, watchPageErrors } from './host';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('with the marketplace down and no cache, the app opens and says it is retrying', async ({ page }) => {
  const checkErrors = watchPageErrors(page);
  const timeline = createTimeline();
  const host = await startHost([...startAtArgs(timeline), '--marketplace-url', `http://127.0.0.1:${await closedPort()}`, '--marketplace-token', 'x']);
  try {
    await installPageClock(page, timeline);
    await page.goto(host.url);
    await expect(page.locator('[data-sync-state="unreachable"]')).toContainText('Offline: marketplace unreachable');
    await expect(page.locator('[data-sync-state="unreachable"]')).toContainText('retrying');
    await expect(page.getByText('Nothing here')).toBeVisible();
    checkErrors();
  } finally {
    expect(await host.stop()).toBe(0);
  }
});

test('with the marketplace down after a sync, the app opens on the cache', async ({ page }) => {
  const checkErrors = watchPageErrors(page);
  const timeline = createTimeline();
  const simulator = await createSimulator({ seed: 11, orders: 200, clock: timeline, startMs: TEST_START_MS });
  const first = await startHost([...startAtArgs(timeline), '--marketplace-url', simulator.url, '--marketplace-token', simulator.token]);
  let cachedRows: string[];
  try {
    await installPageClock(page, timeline);
    await page.goto(first.url);
    await expect(page.locator('[data-sync-state="idle"]')).toBeVisible();
    await expect(page.locator('.queue-body .queue-row[data-request-id]').first()).toBeVisible();
    cachedRows = await page.locator('.queue-body .queue-row[data-request-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-request-id') ?? ''));
    // Leave before the host stops, so the page does not log a lost connection.
    await page.goto('about:blank');
  } finally {
    expect(await first.stop()).toBe(0);
  }
  const deadUrl = simulator.url;
  await simulator.close();

  // The same data folder, later on the same timeline.
  const second = await startHost([...startAtArgs(timeline), '--marketplace-url', deadUrl, '--marketplace-token', simulator.token], first.dataDir);
  try {
    await page.goto(second.url);
    await expect(page.locator('[data-sync-state="unreachable"]')).toBeVisible();
    const rows = page.locator('.queue-body .queue-row[data-request-id]');
    await expect(rows).toHaveCount(cachedRows.length);
    expect(await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-request-id') ?? ''))).toEqual(cachedRows);
    checkErrors();
  } finally {
    expect(await second.stop()).toBe(0);
  }
});
