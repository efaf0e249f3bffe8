/**
 * The renderer's figures (design.md §11), measured in Chromium against the browser host serving
 * the built renderer with the demo marketplace at each bench size:
 * - key_to_paint_p95_ms@<size>: j (and some k) to the frame that painted the newly focused row,
 *   p95 of 240 presses per run, beside the same measure on a blank page that flips one attribute;
 * - scroll_max_frame_ms@<size>: the worst frame while scrolling the 'All' view from top to end,
 *   beside the same scroll over a static page of equal height.
 * The host's data folder is kept in the temp folder per size, so a later bench starts from it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { figure, median, type Figure } from './harness';
import { buildRendererIfStale, startRendererHost, type RendererHost } from './renderer-host';
import { baselinePage, PROBE_SOURCE, ROWS, SCROLLER, type KeySample, type LongFrame, type ProbeScope, type ScrollOptions, type ScrollResult } from './renderer-page';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // One page at a time is measured: nothing may throttle its timers or frames.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
const VIEWPORT = { width: 1280, height: 800 };
/** 200 j and 40 k: every sixth key goes back up. */
const KEY_PRESSES = 240;
const KEY_TIMEOUT_MS = 10_000;
/** Half a screen per frame, unless that takes more frames than this: then bigger steps, never more than a screen. */
const SCROLL: ScrollOptions = { fraction: 0.5, maxFrames: 2_000 };
const READY_TIMEOUT_MS = 10 * 60_000;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function ms(value: number): string {
  return `${Math.round(value * 10) / 10} ms`;
}

function keyFor(press: number): string {
  return press % 6 === 5 ? 'k' : 'j';
}

interface RunResult {
  keys: KeySample[];
  scroll: ScrollResult;
}

/** Presses j/k one at a time, each after the previous one's paint, and answers the page's samples. */
async function pressKeys(page: Page): Promise<KeySample[]> {
  await page.evaluate(PROBE_SOURCE);
  for (let press = 0; press < KEY_PRESSES; press += 1) {
    await page.keyboard.press(keyFor(press));
    await page.evaluate(
      ({ count, timeout }) => (globalThis as unknown as ProbeScope).__deskBench.waitForKeys(count, timeout),
      { count: press + 1, timeout: KEY_TIMEOUT_MS },
    );
  }
  const samples = await page.evaluate(() => (globalThis as unknown as ProbeScope).__deskBench.keySamples());
  const measures = await page.evaluate(() => (globalThis as unknown as ProbeScope).__deskBench.measureCount());
  if (samples.length !== KEY_PRESSES || measures !== KEY_PRESSES) throw new Error(`expected ${KEY_PRESSES} key samples, got ${samples.length} (${measures} measures)`);
  return samples;
}

function scrollAll(page: Page): Promise<ScrollResult> {
  return page.evaluate((options) => (globalThis as unknown as ProbeScope).__deskBench.scrollAll(options), SCROLL);
}

/** Opens the app, waits for the first sync to be done, shows 'All' with the grid focused; answers its row count. */
async function openApp(browser: Browser, url: string): Promise<{ page: Page; rows: number }> {
  const page = await browser.newPage({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(url);
    // Idle after a sync (not the idle before the first one), and the views counted.
    await page.locator('footer.status-bar[data-sync-state="idle"]', { hasText: 'last sync' }).waitFor({ timeout: READY_TIMEOUT_MS });
    await page.locator('[data-count="all"]').filter({ hasText: /\d/ }).waitFor({ timeout: READY_TIMEOUT_MS });
    await page.locator('[data-view="all"]').click();
    await page.locator(`${ROWS}[data-focused="true"]`).waitFor({ timeout: 60_000 });
    const rows = Number.parseInt((await page.locator('[data-count="all"]').innerText()).replace(/\D/g, ''), 10);
    if (!(rows > 0)) throw new Error('the All view is empty');
    await page.locator(SCROLLER).focus();
    // The detail pane has shown the focused request (its first read is done).
    await page.locator('.detail-pane[aria-busy="false"] .detail-title').waitFor({ timeout: 60_000 });
    if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);
    return { page, rows };
  } catch (error) {
    await page.close();
    throw error;
  }
}

async function measureApp(browser: Browser, url: string): Promise<RunResult & { rows: number; box: { viewport: number; height: number } }> {
  const { page, rows } = await openApp(browser, url);
  try {
    const keys = await pressKeys(page);
    const scroll = await scrollAll(page);
    const box = await page.evaluate(() => (globalThis as unknown as ProbeScope).__deskBench.scrollBox());
    return { keys, scroll, rows, box };
  } finally {
    await page.close();
  }
}

async function measureBaseline(browser: Browser, box: { viewport: number; height: number }): Promise<RunResult> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.setContent(baselinePage(box.viewport, box.height));
    await page.locator(SCROLLER).focus();
    const keys = await pressKeys(page);
    const scroll = await scrollAll(page);
    return { keys, scroll };
  } finally {
    await page.close();
  }
}

/** Starts the host on this size's kept data folder; if it does not come up from it, once more from an empty one. */
async function startHost(size: number): Promise<{ host: RendererHost; dataDir: string }> {
  const dataDir = join(tmpdir(), 'desk-bench-renderer', `orders-${size}-seed-42`);
  await mkdir(dataDir, { recursive: true });
  try {
    return { host: await startRendererHost(size, dataDir), dataDir };
  } catch (error) {
    console.log(`the browser host did not start from ${dataDir} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): starting from an empty folder`);
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    return { host: await startRendererHost(size, dataDir), dataDir };
  }
}

function describeScroll(results: readonly ScrollResult[]): string {
  const frames = results.flatMap((result) => result.frames);
  const longFrames = results.flatMap((result) => result.longFrames);
  const first = results[0];
  const worst = Math.max(...frames);
  const over50 = frames.filter((frame) => frame > 50).length;
  const longest = longFrames.reduce<LongFrame | null>((worst, entry) => (worst === null || entry.duration > worst.duration ? entry : worst), null);
  const attribution = longest === null ? '' : `, longest ${ms(longest.duration)} (rendering ${ms(longest.renderMs)}, of it style and layout ${ms(longest.layoutMs)}; longest script: ${longest.topScript ?? 'none'})`;
  const long = first?.longFrameType == null ? 'no long-frame entries in this Chromium' : `${longFrames.length} ${first.longFrameType} entries${attribution}`;
  return `worst frame ${ms(worst)}, p99 ${ms(percentile(frames, 99))}, p50 ${ms(percentile(frames, 50))}, ${over50} of ${frames.length} frames over 50 ms; ${long}`;
}

/** Measures both figures at this size, BENCH_RUNS times, and adds them (baselines first) to figures. */
export async function measureRenderer(size: number, tag: string, runs: number, figures: Figure[]): Promise<void> {
  if (await buildRendererIfStale()) console.log('built the renderer (out/renderer was older than its sources)');
  const startedAt = performance.now();
  const { host, dataDir } = await startHost(size);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const app: RunResult[] = [];
    const blank: RunResult[] = [];
    let rows = 0;
    for (let run = 0; run < runs; run += 1) {
      const runStarted = performance.now();
      const measured = await measureApp(browser, host.url);
      if (run === 0) console.log(`renderer at ${tag}: the app was ready (synced, 'All' shown) ${ms(performance.now() - runStarted)} after the first page load`);
      rows = measured.rows;
      app.push(measured);
      blank.push(await measureBaseline(browser, measured.box));
    }

    const keyBaseline = figure(`blank_page_key_to_paint_p95_ms@${tag}`, 'ms', blank.map((run) => percentile(run.keys.map((sample) => sample.ms), 95)));
    const scrollBaseline = figure(`static_page_scroll_max_frame_ms@${tag}`, 'ms', blank.map((run) => Math.max(...run.scroll.frames)));
    figures.push(
      keyBaseline,
      figure(`key_to_paint_p95_ms@${tag}`, 'ms', app.map((run) => percentile(run.keys.map((sample) => sample.ms), 95)), keyBaseline),
      scrollBaseline,
      figure(`scroll_max_frame_ms@${tag}`, 'ms', app.map((run) => Math.max(...run.scroll.frames)), scrollBaseline),
    );

    const keys = app.flatMap((run) => run.keys);
    const blankKeys = blank.flatMap((run) => run.keys);
    const slowest = keys.reduce((worst, sample) => (sample.ms > worst.ms ? sample : worst), keys[0] ?? { key: '', ms: 0, inputDelayMs: 0 });
    console.log(
      `key to paint at ${tag} ('All', ${rows} rows; ${KEY_PRESSES} presses per run, 200 j and 40 k): p50 ${ms(percentile(keys.map((sample) => sample.ms), 50))}, p95 ${ms(percentile(keys.map((sample) => sample.ms), 95))}, max ${ms(slowest.ms)} (${slowest.key}), input delay p95 ${ms(percentile(keys.map((sample) => sample.inputDelayMs), 95))}; blank page p50 ${ms(percentile(blankKeys.map((sample) => sample.ms), 50))}, p95 ${ms(percentile(blankKeys.map((sample) => sample.ms), 95))}`,
    );
    const scroll = app[0]?.scroll;
    if (scroll !== undefined) {
      const halfScreen = scroll.step <= Math.floor(scroll.viewport / 2);
      console.log(
        `scroll at ${tag}: 'All', ${rows} rows, ${scroll.distance} px in steps of ${scroll.step} px per frame (${halfScreen ? 'half' : `${Math.round((scroll.step / scroll.viewport) * 100)} %, not half,`} of the ${scroll.viewport} px viewport${halfScreen ? '' : ` to stay near ${SCROLL.maxFrames} frames; every row still shows in at least one frame`}), ${median(app.map((run) => run.scroll.frames.length))} frames, ${ms(median(app.map((run) => run.scroll.durationMs)))} per run; ` +
          `${describeScroll(app.map((run) => run.scroll))}; frames with a 'Loading…' row rendered: ${median(app.map((run) => run.scroll.framesWithPlaceholders))}. Static page: ${describeScroll(blank.map((run) => run.scroll))}`,
      );
    }
    console.log(`renderer figures at ${tag} took ${Math.round((performance.now() - startedAt) / 1000)} s (data folder kept: ${dataDir})`);
  } finally {
    await browser.close();
    const code = await host.stop();
    if (code !== 0) console.log(`the browser host exited with ${code}`);
  }
}
