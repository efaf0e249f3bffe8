import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { formatTimeLeft, toInstant, type Clock } from '../../shared/domain/time';
import { formatMoney, fromDecimal } from '../../shared/money';
import { startE2eDesk, type E2eDesk } from './desk';
import { installPageClock } from '../support/e2e-clock';
import { watchPageErrors, type HostProcess } from './host';

/**
 * Insights on the browser host (issue 8): every chart draws, each has its table, the range
 * picker changes the numbers, and every export downloads a CSV whose rows are the screen's.
 */

let desk: E2eDesk;
let timeline: Clock;
let host: HostProcess;

test.beforeAll(async () => {
  // Buyers hold still: the figures must not move between the screen and the file.
  desk = await startE2eDesk({ seed: 8, orders: 1_500, buyers: { active: false } });
  ({ timeline, host } = desk);
});

test.afterAll(async () => {
  await desk.close();
});

const CHARTS = ['requestsPerDay', 'outcomes', 'responseTime', 'refundsPerWeek', 'topSkus'] as const;
const TABLES = [...CHARTS, 'repeatCancellers'] as const;
type TableId = (typeof TABLES)[number];

/** RFC 4180 as the app writes it: CRLF rows, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else field += char;
  }
  expect(field, 'the file ends with CRLF').toBe('');
  expect(row).toEqual([]);
  return rows;
}

async function download(page: Page, trigger: () => Promise<void>): Promise<{ name: string; rows: string[][] }> {
  const [file] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const path = await file.path();
  const bytes = await readFile(path);
  expect([...bytes.subarray(0, 3)], 'UTF-8 BOM').toEqual([0xef, 0xbb, 0xbf]);
  return { name: file.suggestedFilename(), rows: parseCsv(bytes.subarray(3).toString('utf8')) };
}

async function tableOf(page: Page, chart: TableId): Promise<{ header: string[]; rows: string[][] }> {
  const table = page.locator(`[data-table="insight-${chart}-table"]`);
  const header = await table.locator('thead th').allTextContents();
  const rows = await table.locator('tbody tr').evaluateAll((elements) =>
    elements.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
  );
  return { header: header.map((text) => text.trim()), rows };
}

const day = (iso: string): string => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00.000Z`));
const count = (text: string): number => Number(text.replaceAll(',', ''));
const money = (amount: string, currency: string): string => formatMoney(fromDecimal(amount, currency, 'halfEven'), 'en-US');

/** How a CSV cell reads on screen, per figure and column. */
function shown(chart: TableId, header: string, cell: string, row: string[]): string {
  switch (chart) {
    case 'requestsPerDay':
      return header === 'Day' ? day(cell) : cell;
    case 'outcomes':
      return header === 'Share (%)' ? `${Number(cell).toFixed(1)}%` : cell;
    case 'responseTime': {
      const unit = row[2] ?? '';
      if (header !== 'Value') return cell;
      if (cell === '') return '—';
      if (unit === 'ms') return formatTimeLeft(Number(cell));
      if (unit === 'requests') return cell;
      return money(cell, unit);
    }
    case 'refundsPerWeek':
      if (header === 'Week starting') return day(cell);
      return header === 'Amount' ? money(cell, row[1] ?? '') : cell;
    case 'repeatCancellers':
      if (header === 'Last request') return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(cell));
      // A name a spreadsheet would run as a formula is kept as text with an apostrophe.
      return header === 'Buyer' ? cell.replace(/^'(?=[=+\-@\t\r])/, '') : cell;
    case 'topSkus':
      return cell;
    default:
      return chart satisfies never;
  }
}

/** The numbers of the screen's table, in the CSV's columns (the table has no unit column, the CSV no percent sign). */
function expectFileMatchesTable(chart: TableId, file: string[][], table: { header: string[]; rows: string[][] }): void {
  const [header = [], ...rows] = file;
  expect(rows.length, `${chart}: one file row per table row`).toBe(table.rows.length);
  for (const [index, row] of rows.entries()) {
    const onScreen = table.rows[index] ?? [];
    const fromFile = header
      .map((name, column) => ({ name, text: shown(chart, name, row[column] ?? '', row) }))
      .filter(({ name }) => name !== 'Unit or currency')
      .map(({ name, text }) => (chart === 'responseTime' && name.startsWith('Share') && text !== '' ? `${Number(text).toFixed(1)}%` : text));
    const numeric = (text: string) => (/^[\d,.]+$/.test(text) ? String(count(text)) : text);
    expect(fromFile.map(numeric), `${chart} row ${String(index)}`).toEqual(onScreen.map(numeric));
  }
}

async function openInsights(page: Page): Promise<void> {
  await page.goto(host.url);
  await expect(page.locator('[data-sync-state="idle"]')).toBeVisible();
  await page.locator('.queue-scroll').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page.locator('#insights-title')).toBeFocused();
  await expect(page.locator('.insights')).toHaveAttribute('aria-busy', 'false');
}

/** Everything the page's CSP blocked (the renderer sets zod jitless, so not even its eval probe). */
async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test.beforeEach(async ({ page }) => {
  // The range presets count days back from the page's today: the timeline's, on any date.
  await installPageClock(page, timeline);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample} at ${event.sourceFile}:${String(event.lineNumber)}:${String(event.columnNumber)}`));
  });
});

test('every chart draws with data beside its table, and Esc goes back to the queue', async ({ page }) => {
  const checkErrors = watchPageErrors(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openInsights(page);

  for (const chart of CHARTS) {
    // Refunds draw one small chart per currency; the others one chart.
    const canvases = await page.locator(`[data-chart="${chart}"] canvas`).all();
    expect(canvases.length, `${chart} has a chart`).toBeGreaterThan(0);
    for (const canvas of canvases) {
      await expect(canvas).toBeVisible();
      // Drawn: some pixel is not transparent (Chart.js draws once the canvas has its size).
      await expect
        .poll(() =>
          canvas.evaluate((element: HTMLCanvasElement) => {
            const context = element.getContext('2d');
            if (context === null || element.width === 0) return 0;
            const pixels = context.getImageData(0, 0, element.width, element.height).data;
            let inked = 0;
            for (let index = 3; index < pixels.length; index += 4) if ((pixels[index] ?? 0) > 0) inked += 1;
            return inked;
          }),
        )
        .toBeGreaterThan(200);
    }
    const table = await tableOf(page, chart);
    expect(table.rows.length, `${chart} has rows`).toBeGreaterThan(0);
  }
  expect((await tableOf(page, 'repeatCancellers')).header).toEqual(['Buyer', 'Buyer ID', 'Requests', 'Last request']);
  // Every table is in the tab order.
  await expect(page.locator('.figure-table[tabindex="0"]')).toHaveCount(6);
  await page.locator('.figure-table').first().focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-export'))).toBe('outcomes');

  // Chart.js sizes canvases through the CSSOM only: the strict CSP has nothing to block.
  expect(await cspViolations(page)).toEqual([]);

  await page.locator('#insights-title').focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('.insights')).toHaveCount(0);
  await expect(page.locator('.queue-scroll')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page.locator('.insights')).toBeVisible();
  await page.locator('#insights-title').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page.locator('.queue-heading')).toContainText('All');
  await expect(page.locator('.insights')).toHaveCount(0);
  checkErrors();
});

test('the range picker changes the numbers', async ({ page }) => {
  const checkErrors = watchPageErrors(page);
  await openInsights(page);
  const total = async (): Promise<number> => (await tableOf(page, 'outcomes')).rows.reduce((sum, row) => sum + count(row[1] ?? '0'), 0);

  await page.locator('[data-preset="7"]').click();
  await expect(page.locator('[data-preset="7"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-table="insight-requestsPerDay-table"] tbody tr')).toHaveCount(7);
  const week = await total();

  await page.locator('[data-preset="90"]').click();
  await expect(page.locator('[data-table="insight-requestsPerDay-table"] tbody tr')).toHaveCount(90);
  const quarter = await total();
  expect(week).toBeGreaterThan(0);
  expect(quarter).toBeGreaterThan(week);
  const perDay = await tableOf(page, 'requestsPerDay');
  expect(perDay.rows.reduce((sum, row) => sum + count(row[1] ?? '0'), 0)).toBe(quarter);
  checkErrors();
});

test('each export downloads a CSV whose rows are the screen\'s', async ({ page }) => {
  const checkErrors = watchPageErrors(page);
  await openInsights(page);
  await page.locator('[data-preset="90"]').click();
  await expect(page.locator('[data-table="insight-requestsPerDay-table"] tbody tr')).toHaveCount(90);
  await expect(page.locator('.insights')).toHaveAttribute('aria-busy', 'false');

  // The last 90 days up to the page's today, which is the timeline's (the test runs for minutes).
  const today = toInstant(timeline.now()).slice(0, 10);
  const firstDay = toInstant(Date.parse(`${today}T00:00:00.000Z`) - 89 * 86_400_000).slice(0, 10);
  for (const chart of TABLES) {
    const table = await tableOf(page, chart);
    const file = await download(page, () => page.locator(`[data-export="${chart}"]`).click());
    expect(file.name).toMatch(/^insights-[a-z-]+-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.name.endsWith(`-${firstDay}-to-${today}.csv`), `${file.name}: the range ends on the timeline's today`).toBe(true);
    expectFileMatchesTable(chart, file.rows, table);
  }

  // The audit log and the queue view, from the palette (they have no keys).
  const audit = await download(page, async () => {
    await page.keyboard.press('Control+k');
    await page.keyboard.type('Export the audit log');
    await page.keyboard.press('Enter');
  });
  expect(audit.name).toMatch(/^cancel-desk-audit-.*\.csv$/);
  expect(audit.rows[0]?.length).toBeGreaterThan(2);

  await page.keyboard.press('Escape');
  await expect(page.locator('.insights')).toHaveCount(0);
  await page.locator('[data-view="all"]').click();
  // The view has switched once its total is the view list's count of All (read too early, the
  // total is still the previous view's).
  await expect(page.locator('.queue-heading')).toContainText('All');
  const shownTotal = Number((await page.locator('[data-count="all"]').innerText()).replace(/\D/g, ''));
  expect(shownTotal).toBeGreaterThan(0);
  await expect.poll(async () => Number((await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))).toBe(shownTotal);
  const firstRows = await page
    .locator('.queue-body .queue-row[data-request-id]')
    .evaluateAll((rows) => rows.slice(0, 10).map((row) => row.getAttribute('data-request-id')));
  const queue = await download(page, async () => {
    await page.keyboard.press('Control+k');
    await page.keyboard.type('Export the queue view');
    await page.keyboard.press('Enter');
  });
  const [header = [], ...rows] = queue.rows;
  expect(header.slice(0, 2)).toEqual(['request', 'order']);
  expect(rows).toHaveLength(shownTotal);
  expect(rows.slice(0, firstRows.length).map((row) => row[0])).toEqual(firstRows);
  expect(await cspViolations(page)).toEqual([]);
  checkErrors();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no serious or critical axe violation on Insights (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openInsights(page);
    await expect(page.locator('[data-chart="requestsPerDay"] canvas')).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
    expect(serious).toEqual([]);
  });
}
