import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  FINISH_WINDOW_MS,
  OPEN_WINDOW_MS,
  decodeCursor,
  encodeCursor,
  nextCursor,
  startCursor,
  type FeedCursor,
} from '../../../../../../../electron/backend/marketplace/aliexpress/windows';

const NOW = Date.parse('2026-12-02T10:00:00.000Z');

/** Every window a walk reads, with one page each. */
function walk(start: FeedCursor): FeedCursor[] {
  const seen: FeedCursor[] = [];
  for (let cursor: FeedCursor | null = start; cursor !== null; cursor = nextCursor(cursor, 1)) {
    seen.push(cursor);
    if (seen.length > 1000) throw new Error('never ends');
  }
  return seen;
}

describe('walking the AliExpress order list by modification time', () => {
  it('a first sync reads the last 180 days of running orders in one window, then finished ones in windows of 30 days', () => {
    const windows = walk(startCursor(null, NOW));
    expect(windows[0]).toMatchObject({ phase: 'open', start: NOW - OPEN_WINDOW_MS, end: NOW, page: 1 });
    const finish = windows.filter((cursor) => cursor.phase === 'finish');
    expect(finish).toHaveLength(6);
    expect(finish.every((cursor) => cursor.end - cursor.start <= FINISH_WINDOW_MS)).toBe(true);
    expect(finish.at(-1)?.end).toBe(NOW);
  });

  it('from a mark, only the time since it; a mark older than the list keeps reads within its 180 days', () => {
    const since = new Date(NOW - 2 * DAY_MS).toISOString();
    expect(walk(startCursor(since, NOW)).map((cursor) => [cursor.phase, cursor.start, cursor.end])).toEqual([
      ['open', NOW - 2 * DAY_MS, NOW],
      ['finish', NOW - 2 * DAY_MS, NOW],
    ]);
    expect(startCursor(new Date(NOW - 400 * DAY_MS).toISOString(), NOW).start).toBe(NOW - 180 * DAY_MS);
  });

  it('pages through a window before moving on, and windows never overlap (whole seconds, both ends inclusive)', () => {
    const first = startCursor(null, NOW);
    expect(nextCursor(first, 3)).toMatchObject({ page: 2, start: first.start });
    const finishWindows = walk(startCursor(null, NOW)).filter((cursor) => cursor.phase === 'finish');
    for (let index = 1; index < finishWindows.length; index += 1) {
      expect(finishWindows[index]?.start).toBe((finishWindows[index - 1]?.end ?? 0) + 1000);
    }
  });

  it('a cursor survives a restart as text, and a foreign or corrupted one is a clear error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 9 }), (daysBack, pages) => {
        let cursor: FeedCursor | null = startCursor(new Date(NOW - daysBack * DAY_MS).toISOString(), NOW);
        while (cursor !== null) {
          expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
          cursor = nextCursor(cursor, pages);
        }
      }),
    );
    expect(() => decodeCursor('{"page":2}')).toThrow(/sync position is unreadable/);
    expect(() => decodeCursor('not json')).toThrow(/sync position is unreadable/);
  });
});
