import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import { formatTimeLeft, instantMs, type Clock } from '../../shared/domain/time';
import { viewOfState } from '../../shared/domain/views';
import { formatMoney } from '../../shared/money';
import type { Simulator } from '../../electron/simulator/server';
import { startE2eDesk, type E2eDesk } from './desk';
import { installPageClock } from '../support/e2e-clock';
import { byTimeLeft, fetchAllFromMarketplace } from '../support/marketplace';
import { watchPageErrors, type HostProcess } from './host';

let desk: E2eDesk;
let timeline: Clock;
let simulator: Simulator;
let host: HostProcess;

test.beforeAll(async () => {
  desk = await startE2eDesk({ seed: 7, orders: 300 });
  ({ timeline, simulator, host } = desk);
});

test.afterAll(async () => {
  await desk.close();
});

test('the queue shows the open requests exactly as the demo marketplace serves them', async ({ page }) => {
  const checkErrors = watchPageErrors(page);
  const [orders, requests] = await Promise.all([
    fetchAllFromMarketplace<Order>(simulator, 'orders'),
    fetchAllFromMarketplace<CancelRequest>(simulator, 'requests'),
  ]);
  const ordersById = new Map(orders.map((order) => [order.id, order]));
  const open = requests
    .filter((request) => viewOfState(request.state) === 'needs_reply')
    .sort(byTimeLeft);
  expect(open.length).toBeGreaterThan(10);
  expect(open.length).toBeLessThanOrEqual(200);

  // The queue is a virtual list: a window tall enough shows every row at once.
  await page.setViewportSize({ width: 1280, height: open.length * 36 + 400 });
  const pageClock = await installPageClock(page, timeline);
  await page.goto(host.url);
  await expect(page.locator('[data-sync-state="idle"]')).toBeVisible();
  const rows = page.locator('.queue-body .queue-row[data-request-id]');
  await expect(rows).toHaveCount(open.length);
  await expect(page.locator('[data-count="needs_reply"]')).toHaveText(String(open.length));
  // The token is read once and kept out of the address bar.
  expect(page.url()).not.toContain('token=');

  // The countdowns tick every second: hold the page's time still (they tick once more, at that
  // instant) and read them at a known instant.
  const now = await pageClock.pause(2_000);
  const [firstOpen] = open;
  if (firstOpen === undefined) throw new Error('no open request');
  await expect(rows.first().locator('.time-left').first()).toHaveText(new RegExp(`^${formatTimeLeft(instantMs(firstOpen.respondBy) - now)}`));
  const onScreen = await rows.evaluateAll((elements) =>
    elements.map((row) => ({
      requestId: row.getAttribute('data-request-id'),
      orderId: row.querySelector('.order-id')?.textContent?.trim(),
      buyer: row.querySelector('.buyer')?.textContent?.trim(),
      amount: row.querySelector('.amount')?.textContent?.trim(),
      respondBy: row.querySelector('.time-left')?.getAttribute('data-respond-by'),
      timeLeft: row.querySelector('.time-left')?.firstChild?.textContent?.trim(),
    })),
  );
  await pageClock.resume();
  expect(onScreen.map((row) => row.requestId)).toEqual(open.map((request) => request.id));
  for (const [index, request] of open.entries()) {
    const row = onScreen[index];
    expect(row?.orderId).toBe(request.orderId);
    expect(row?.buyer).toBe(ordersById.get(request.orderId)?.buyer.name.trim());
    expect(row?.amount).toBe(formatMoney(request.requestedAmount, 'en-US'));
    expect(row?.respondBy).toBe(request.respondBy);
    expect(row?.timeLeft).toBe(formatTimeLeft(instantMs(request.respondBy) - now));
  }
  checkErrors();
});

test('views switch and show their own requests', async ({ page }) => {
  const checkErrors = watchPageErrors(page);
  const requests = await fetchAllFromMarketplace<CancelRequest>(simulator, 'requests');
  await installPageClock(page, timeline);
  await page.goto(host.url);
  await page.locator('[data-view="all"]').click();
  await expect(page.locator('.queue-heading')).toContainText('All');
  await expect(page.locator('[data-count="all"]')).toHaveText(String(requests.length));
  await expect(page.getByTestId('queue-total')).toHaveText(` · ${requests.length}`);
  // Only what the window shows is in the page; the first row is the most urgent of all.
  const rendered = await page.locator('.queue-body .queue-row[data-request-id]').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(requests.length);
  const first = [...requests].sort(byTimeLeft)[0];
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', first?.id ?? '');
  // The queue's own Export CSV button downloads the whole view, not only what is on screen.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="queue"]').click()]);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const lines = csv.trimEnd().split('\r\n');
  expect(lines).toHaveLength(requests.length + 1);
  expect(csv).toContain(first?.orderId ?? '-');
  checkErrors();
});
