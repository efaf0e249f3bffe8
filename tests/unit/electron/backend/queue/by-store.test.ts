import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import { queueCsvCells } from '../../../../../electron/backend/queue/export';
import { toQueueRow } from '../../../../../electron/backend/queue/queries';
import { VIEW_IDS, type ViewId } from '../../../../../shared/domain/views';
import { QueueListInputSchema, type QueuePage, type QueueRow, type QueueSort } from '../../../../../shared/ipc/contract';
import { startDesk, type Desk } from '../../../../support/desk';

/**
 * One queue over several stores (design.md §6b): the demo marketplace is one store, so a third of
 * its requests are moved to a second store in the cache, and a backend started on that cache
 * serves every store together and each on its own.
 */
const OTHER = 'lantern-home';

let desk: Desk;
let backend: Backend;
let all: CachedRequest[];

beforeAll(async () => {
  desk = await startDesk({ seed: 5, orders: 600 });
  const first = desk.backend;
  const rows = await first.db.requests.toArray();
  const moved = rows.filter((_row, position) => position % 3 === 0).map((row) => ({ ...row, storeId: OTHER }));
  await first.db.requests.bulkPut(moved);
  // One conflict in each store: the conflicts view and the counts filter them by store.
  const conflicted = [moved[0], rows.find((row) => row.storeId !== OTHER && !moved.some((other) => other.id === row.id))];
  await first.db.conflicts.bulkPut(
    conflicted.map((row) => ({ requestId: row?.id ?? '', outboxId: null, detectedAt: '2026-01-01T00:00:00.000Z', what: 'moved', localState: null, remoteState: 'withdrawn' })),
  );
  await first.close();
  backend = desk.openBackend();
  await backend.start();
  await backend.whenFullyLoaded();
  all = await backend.db.requests.toArray();
});

afterAll(async () => {
  await desk.close();
});

function inView(request: CachedRequest, view: ViewId): boolean {
  if (view === 'all') return true;
  if (view === 'buyer_replied') return (request.buyerRepliedAt ?? null) !== null;
  return request.view === view;
}

async function pageThrough(view: ViewId, sort: QueueSort, storeId: string | null, search = ''): Promise<{ rows: QueueRow[]; total: number }> {
  const rows: QueueRow[] = [];
  let cursor: string | null = null;
  let total: number;
  do {
    const page: QueuePage = await backend.handle('queue.list', QueueListInputSchema.parse({ view, sort, search, cursor, limit: 41, storeId }));
    rows.push(...page.rows);
    total = page.total;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { rows, total };
}

/** A buyer's first name that some request of each store has: a search with matches in both. */
function searchInBothStores(): { target: CachedRequest; word: string } {
  const first = (row: CachedRequest): string => (row.buyerName.split(/\s+/)[0] ?? '').toLowerCase();
  for (const target of all) {
    const word = first(target);
    if (target.storeId !== OTHER || word.length < 3) continue;
    if (all.some((row) => row.storeId === 'main' && first(row) === word)) return { target, word };
  }
  throw new Error('no buyer name in both stores');
}

describe('the queue by store', () => {
  it('has requests of both stores to work with', () => {
    expect(all.filter((row) => row.storeId === OTHER).length).toBeGreaterThan(30);
    expect(all.filter((row) => row.storeId === 'main').length).toBeGreaterThan(30);
  });

  it.each<[ViewId, QueueSort]>([
    ['all', 'time_left'],
    ['needs_reply', 'amount'],
    ['done', 'requested_at'],
  ])('%s by %s pages one store\'s rows only, in the view\'s order, with that store\'s total', async (view, sort) => {
    const together = await pageThrough(view, sort, null);
    for (const storeId of ['main', OTHER]) {
      const mine = await pageThrough(view, sort, storeId);
      const expected = together.rows.filter((row) => row.storeId === storeId).map((row) => row.requestId);
      expect(expected.length).toBeGreaterThan(0);
      expect(mine.rows.map((row) => row.requestId)).toEqual(expected);
      expect(mine.total).toBe(expected.length);
    }
    // From an offset too (the virtual list jumps).
    const jumped = await backend.handle('queue.list', QueueListInputSchema.parse({ view, sort, limit: 5, offset: 3, storeId: OTHER }));
    const expected = together.rows.filter((row) => row.storeId === OTHER).slice(3, 8);
    expect(jumped.rows.map((row) => row.requestId)).toEqual(expected.map((row) => row.requestId));
  });

  it('a store with no request has an empty queue', async () => {
    const page = await backend.handle('queue.list', QueueListInputSchema.parse({ view: 'all', storeId: 'harbor-goods' }));
    expect(page).toMatchObject({ rows: [], total: 0, nextCursor: null });
  });

  it('searches and shows conflicts within the store', async () => {
    const { target, word } = searchInBothStores();
    const everywhere = await pageThrough('all', 'time_left', null, word);
    const there = await pageThrough('all', 'time_left', OTHER, word);
    expect(there.rows.map((row) => row.requestId)).toContain(target.id);
    expect(there.rows.map((row) => row.requestId)).toEqual(everywhere.rows.filter((row) => row.storeId === OTHER).map((row) => row.requestId));
    expect(await pageThrough('all', 'time_left', 'main', word)).toMatchObject({ rows: everywhere.rows.filter((row) => row.storeId === 'main') });

    const conflicts = await pageThrough('conflicts', 'time_left', null);
    expect(conflicts.rows.map((row) => row.storeId).sort()).toEqual([OTHER, 'main']);
    expect((await pageThrough('conflicts', 'time_left', OTHER)).rows.map((row) => row.storeId)).toEqual([OTHER]);
  });

  it('selects all of one store (queue.ids), in the order the queue pages it', async () => {
    for (const [view, search] of [['needs_reply', ''], ['all', searchInBothStores().word]] as const) {
      const paged = await pageThrough(view, 'time_left', OTHER, search);
      const answer = await backend.handle('queue.ids', { view, sort: 'time_left', search, storeId: OTHER });
      expect(answer.ids).toEqual(paged.rows.map((row) => row.requestId));
      expect(answer.total).toBe(paged.total);
      expect(answer.ids.length).toBeGreaterThan(0);
    }
  });

  it('exports one store: its rows only, named in the file, the Store column filled', async () => {
    const paged = await pageThrough('all', 'amount', OTHER);
    const file = await backend.handle('queue.exportCsv', { view: 'all', sort: 'amount', search: '', storeId: OTHER });
    expect(file.rows).toBe(paged.rows.length);
    expect(file.fileName).toMatch(/^cancel-desk-queue-all-lantern-home-\d{4}-/);
    const lines = file.csv.split('\r\n').slice(1, -1);
    expect(lines.map((line) => line.split(',')[0])).toEqual(paged.rows.map((row) => row.requestId));
    expect(lines.every((line) => line.split(',')[2] === OTHER)).toBe(true);
  });

  it('writes the store by the name a resolver gives', () => {
    const [row] = all;
    if (row === undefined) throw new Error('no request');
    const name = (storeId: string): string => (storeId === OTHER ? 'Lantern Home' : storeId);
    expect(queueCsvCells({ ...toQueueRow(row), storeId: OTHER }, 0, name)[2]).toBe('Lantern Home');
    expect(queueCsvCells({ ...toQueueRow(row), storeId: 'main' }, 0, name)[2]).toBe('main');
  });

  it('counts each store per view; the stores add up to the queue counts', async () => {
    const byStore = await backend.handle('queue.storeCounts', {});
    const counts = await backend.handle('queue.counts', {});
    expect(Object.keys(byStore).sort()).toEqual([OTHER, 'main']);
    for (const view of VIEW_IDS) {
      for (const storeId of ['main', OTHER]) {
        const expected = view === 'conflicts' ? 1 : all.filter((row) => row.storeId === storeId && inView(row, view)).length;
        expect(byStore[storeId]?.[view], `${storeId} ${view}`).toBe(expected);
      }
      expect((byStore.main?.[view] ?? 0) + (byStore[OTHER]?.[view] ?? 0), view).toBe(counts[view]);
    }
  });
});
