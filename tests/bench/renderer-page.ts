/**
 * What the renderer bench runs inside Chromium. It is page code, but tests/bench is type-checked
 * with Node's globals only (tsconfig.node.json), so the probe travels as JavaScript source and the
 * Node side talks to it through the small typed surface below.
 *
 * Key to paint: a capture-phase keydown listener (it runs before the app's own) takes the event's
 * timeStamp, watches the queue with a MutationObserver until the focused row is another one, then
 * waits for the next requestAnimationFrame and a MessageChannel task after it (the task that runs
 * once that frame has been painted) and records the delta as a performance.measure.
 *
 * Scroll: scrollTop moves by a fixed step in every animation frame from the top to the end;
 * frame durations are the deltas of the rAF timestamps, with long animation frames observed
 * alongside where Chromium reports them.
 */

/** The queue's rows, as the app marks them (QueueList.vue). */
export const SCROLLER = '[data-testid="queue-scroll"]';
export const ROWS = `${SCROLLER} [role="row"][data-request-id]`;
/** A row rendered while its page is not loaded yet: a row with an index but no request (the header is row 1). */
export const PLACEHOLDER_ROWS = `${SCROLLER} [role="row"][aria-rowindex]:not([data-request-id]):not([aria-rowindex="1"])`;

export interface KeySample {
  key: string;
  /** keydown's timeStamp to the task after the frame that painted the newly focused row. */
  ms: number;
  /** keydown's timeStamp to our listener: how long the input waited for the main thread. */
  inputDelayMs: number;
}

export interface ScrollOptions {
  /** Scroll step as a share of the viewport's height. */
  fraction: number;
  /** At most this many frames: the step grows when the queue is longer (it never skips a screen while fraction <= 1). */
  maxFrames: number;
}

/** A long animation frame (or long task, where Chromium has no LoAF) seen while scrolling. */
export interface LongFrame {
  duration: number;
  /** From the frame's rendering start to its end (rAF callbacks, style, layout, paint). */
  renderMs: number;
  /** Style and layout at the end of the frame. */
  layoutMs: number;
  /** The script that ran longest in the frame, e.g. "DIV.onscroll 172 ms". */
  topScript: string | null;
}

export interface ScrollResult {
  /** rAF timestamp deltas: the frame durations. */
  frames: number[];
  longFrames: LongFrame[];
  longFrameType: string | null;
  framesWithPlaceholders: number;
  step: number;
  distance: number;
  viewport: number;
  durationMs: number;
}

export interface BenchProbe {
  waitForKeys(count: number, timeoutMs: number): Promise<void>;
  keySamples(): KeySample[];
  measureCount(): number;
  scrollAll(options: ScrollOptions): Promise<ScrollResult>;
  scrollBox(): { viewport: number; height: number };
}

/** The page's global scope once PROBE_SOURCE ran: callbacks to page.evaluate cast globalThis to it. */
export interface ProbeScope {
  __deskBench: BenchProbe;
}

/** Installs `window.__deskBench` (idempotent). Evaluate it after the page has loaded. */
export const PROBE_SOURCE = `(() => {
  if (window.__deskBench) return;
  const SCROLLER = ${JSON.stringify(SCROLLER)};
  const ROWS = ${JSON.stringify(ROWS)};
  const PLACEHOLDERS = ${JSON.stringify(PLACEHOLDER_ROWS)};
  const samples = [];
  let waiters = [];
  let pending = null;
  const settle = () => {
    waiters = waiters.filter((waiter) => {
      if (samples.length < waiter.count) return true;
      clearTimeout(waiter.timer);
      waiter.resolve();
      return false;
    });
  };
  const focusedId = () => document.querySelector(ROWS + '[data-focused="true"]')?.getAttribute('data-request-id') ?? null;
  const afterPaint = (callback) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => callback();
    channel.port2.postMessage(null);
  });

  window.addEventListener('keydown', (event) => {
    if (event.key !== 'j' && event.key !== 'k') return;
    const start = event.timeStamp;
    const inputDelayMs = performance.now() - start;
    const before = focusedId();
    if (pending !== null) pending.disconnect();
    const container = document.querySelector(SCROLLER) ?? document.body;
    const observer = new MutationObserver(() => {
      if (focusedId() === before) return;
      observer.disconnect();
      if (pending === observer) pending = null;
      afterPaint(() => {
        const end = performance.now();
        performance.mark('desk-bench:key', { startTime: start, detail: event.key });
        performance.measure('desk-bench:key-to-paint', { start, end, detail: event.key });
        samples.push({ key: event.key, ms: end - start, inputDelayMs });
        settle();
      });
    });
    observer.observe(container, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-focused', 'data-request-id'] });
    pending = observer;
  }, true);

  // A long animation frame: how long, how much of it was rendering, and the script that took most of it.
  const describeLongFrame = (entry) => {
    const end = entry.startTime + entry.duration;
    const scripts = [...(entry.scripts ?? [])].sort((a, b) => b.duration - a.duration);
    const top = scripts[0];
    return {
      duration: entry.duration,
      renderMs: entry.renderStart > 0 ? end - entry.renderStart : 0,
      layoutMs: entry.styleAndLayoutStart > 0 ? end - entry.styleAndLayoutStart : 0,
      topScript: top === undefined ? null : (top.invoker || top.invokerType) + ' ' + Math.round(top.duration) + ' ms',
    };
  };

  window.__deskBench = {
    waitForKeys(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const waiter = { count, resolve, timer: 0 };
        waiter.timer = setTimeout(() => {
          waiters = waiters.filter((item) => item !== waiter);
          reject(new Error('the focused row did not change within ' + timeoutMs + ' ms of key ' + count + ' (focused: ' + focusedId() + ')'));
        }, timeoutMs);
        waiters.push(waiter);
        settle();
      });
    },
    keySamples: () => samples.slice(),
    measureCount: () => performance.getEntriesByName('desk-bench:key-to-paint').length,
    scrollBox() {
      const element = document.querySelector(SCROLLER);
      return { viewport: element.clientHeight, height: element.scrollHeight };
    },
    scrollAll(options) {
      const element = document.querySelector(SCROLLER);
      const maxTop = () => element.scrollHeight - element.clientHeight;
      element.scrollTop = 0;
      const distance = maxTop();
      // Never more than a screen per frame: every row is on screen in at least one frame.
      const step = Math.max(1, Math.min(element.clientHeight, Math.max(Math.floor(element.clientHeight * options.fraction), Math.ceil(distance / options.maxFrames))));
      const types = PerformanceObserver.supportedEntryTypes ?? [];
      const longFrameType = types.includes('long-animation-frame') ? 'long-animation-frame' : types.includes('longtask') ? 'longtask' : null;
      const longFrames = [];
      const observer = longFrameType === null ? null : new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longFrames.push(describeLongFrame(entry));
      });
      const frames = [];
      let last = null;
      let first = 0;
      let warmup = 3;
      let tail = 0;
      let framesWithPlaceholders = 0;
      return new Promise((resolve) => {
        const frame = (now) => {
          if (warmup > 0) {
            warmup -= 1;
            if (warmup === 0) observer?.observe({ type: longFrameType });
            requestAnimationFrame(frame);
            return;
          }
          if (last === null) {
            first = now;
            performance.mark('desk-bench:scroll-start');
          } else frames.push(now - last);
          last = now;
          if (document.querySelector(PLACEHOLDERS) !== null) framesWithPlaceholders += 1;
          if (element.scrollTop >= maxTop() - 1) {
            // The end is on screen: a few more frames let the last rows render and be counted.
            tail += 1;
            if (tail > 3) {
              for (const entry of observer?.takeRecords() ?? []) longFrames.push(describeLongFrame(entry));
              observer?.disconnect();
              performance.measure('desk-bench:scroll', 'desk-bench:scroll-start');
              resolve({ frames, longFrames, longFrameType, framesWithPlaceholders, step, distance, viewport: element.clientHeight, durationMs: now - first });
              return;
            }
          } else element.scrollTop = Math.min(maxTop(), element.scrollTop + step);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
  };
})()`;

/**
 * The baselines' page: the same scroller and row markup with no app and no virtual list. Two rows
 * swap the focus on j/k (a trivial DOM change), above a static block as tall as the queue.
 */
export function baselinePage(viewport: number, height: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench baseline</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; }
  [data-testid="queue-scroll"] { height: ${viewport}px; overflow: auto; }
  [role="row"] { height: 36px; line-height: 36px; padding: 0 12px; }
  [data-focused="true"] { background: #dbeafe; }
  .tall { height: ${Math.max(0, height - 72)}px; background: repeating-linear-gradient(#fff 0 35px, #e5e7eb 35px 36px); }
</style></head>
<body>
  <div data-testid="queue-scroll" role="grid" tabindex="0">
    <div role="row" aria-rowindex="2" data-request-id="a" data-focused="true">row a</div>
    <div role="row" aria-rowindex="3" data-request-id="b">row b</div>
    <div class="tall"></div>
  </div>
  <script>
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'j' && event.key !== 'k') return;
      for (const row of document.querySelectorAll('[role="row"]')) {
        if (row.hasAttribute('data-focused')) row.removeAttribute('data-focused');
        else row.setAttribute('data-focused', 'true');
      }
    });
    document.querySelector('[data-testid="queue-scroll"]').focus();
  </script>
</body></html>`;
}
