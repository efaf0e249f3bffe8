import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import { amountSortKey, type CachedRequest } from '../../../../../electron/backend/cache/records';
import { VIEW_IDS, type ViewId } from '../../../../../shared/domain/views';
import type { QueuePage, QueueRow, QueueSort } from '../../../../../shared/ipc/contract';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk;
let backend: Backend;
let all: CachedRequest[];

beforeAll(async () => {
  desk = await startDesk({ seed: 4, orders: 800 });
  ({ backend } = desk);
  all = await backend.db.requests.toArray();
});

afterAll(async () => {
  await desk.close();
});

async function readAll(view: ViewId, sort: QueueSort, limit: number, search = ''): Promise<QueueRow[]> {
  const rows: QueueRow[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page: QueuePage = await backend.handle('queue.list', { view, sort, limit, cursor, search, storeId: null });
    rows.push(...page.rows);
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  return rows;
}

function compare(sort: QueueSort): (a: CachedRequest, b: CachedRequest) => number {
  const id = (a: CachedRequest, b: CachedRequest): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case 'time_left':
      return (a, b) => (a.respondBy < b.respondBy ? -1 : a.respondBy > b.respondBy ? 1 : id(a, b));
    case 'requested_at':
      return (a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : id(a, b));
    case 'amount':
      // Largest first; amountKey holds the negated amount.
      return (a, b) => (a.amountKey !== b.amountKey ? a.amountKey - b.amountKey : id(a, b));
  }
}

/** Whether a request is in a view: its state view, or an overlay (all; buyer replied: its flag). */
function inView(request: CachedRequest, view: ViewId): boolean {
  if (view === 'all') return true;
  if (view === 'buyer_replied') return (request.buyerRepliedAt ?? null) !== null;
  return request.view === view;
}

describe('queue queries', () => {
  const sorts: QueueSort[] = ['time_left', 'amount', 'requested_at'];
  const views = VIEW_IDS.filter((view) => view !== 'conflicts');

  it.each(views.flatMap((view) => sorts.map((sort) => [view, sort] as const)))(
    'view %s sorted by %s pages through every request exactly once, in order',
    async (view, sort) => {
      const expected = all.filter((request) => inView(request, view)).sort(compare(sort));
      const rows = await readAll(view, sort, 23);
      expect(rows.map((row) => row.requestId)).toEqual(expected.map((request) => request.id));
      const first = await backend.handle('queue.list', { view, sort, limit: 5, cursor: null, search: '', storeId: null });
      expect(first.total).toBe(expected.length);
    },
  );

  it('serves a page from any offset, the same rows the cursors reach (a virtual list jumping ahead)', async () => {
    for (const sort of sorts) {
      const expected = all.filter((request) => request.view === 'needs_reply').sort(compare(sort));
      const middle = Math.floor(expected.length / 2);
      const page = await backend.handle('queue.list', { view: 'needs_reply', sort, limit: 7, cursor: null, offset: middle, search: '', storeId: null });
      expect(page.rows.map((row) => row.requestId)).toEqual(expected.slice(middle, middle + 7).map((request) => request.id));
      const past = await backend.handle('queue.list', { view: 'needs_reply', sort, limit: 7, cursor: null, offset: expected.length, search: '', storeId: null });
      expect(past.rows).toEqual([]);
    }
  });

  it('counts every view, and the state views add up to all', async () => {
    const counts = await backend.handle('queue.counts', {});
    for (const view of views) {
      expect(counts[view]).toBe(all.filter((request) => inView(request, view)).length);
    }
    expect(counts.conflicts).toBe(0);
  });

  it('finds a request by order id, by buyer name and by SKU, within the view', async () => {
    const target = all.find((request) => request.view === 'needs_reply' && request.buyerName.length > 3);
    if (target === undefined) throw new Error('no open request with a buyer');
    const byOrder = await readAll('all', 'time_left', 50, target.orderId.toUpperCase());
    expect(byOrder.map((row) => row.requestId)).toContain(target.id);

    const firstName = target.buyerName.split(/\s+/)[0] ?? '';
    const byName = await readAll('needs_reply', 'time_left', 50, firstName.toLowerCase());
    expect(byName.map((row) => row.requestId)).toContain(target.id);
    for (const row of byName) expect(row.buyerName.toLowerCase()).toContain(firstName.toLowerCase());
    expect(byName.every((row) => all.find((request) => request.id === row.requestId)?.view === 'needs_reply')).toBe(true);

    const order = await backend.db.orders.get(target.orderId);
    const sku = order?.lines[0]?.sku ?? '';
    const bySku = await readAll('all', 'amount', 10, sku);
    expect(bySku.map((row) => row.requestId)).toContain(target.id);
  });

  it('refuses a one-letter search and a cursor from elsewhere with clear errors', async () => {
    await expect(backend.handle('queue.list', { view: 'all', sort: 'time_left', limit: 5, cursor: null, search: 'a', storeId: null })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(backend.handle('queue.list', { view: 'all', sort: 'amount', limit: 5, cursor: 'eyJ4Ijox', search: '', storeId: null })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('puts the largest amount first', async () => {
    const page = await backend.handle('queue.list', { view: 'all', sort: 'amount', limit: 20, cursor: null, search: '', storeId: null });
    const nominal = page.rows.map((row) => amountSortKey(row.amount));
    expect(nominal).toEqual([...nominal].sort((a, b) => b - a));
  });

  it('sorts amounts by face value across currencies (JPY 0 decimals, KWD 3)', () => {
    expect(amountSortKey({ amountMinor: 1_999, currency: 'USD' })).toBe(199_900);
    expect(amountSortKey({ amountMinor: 1_999, currency: 'JPY' })).toBe(19_990_000);
    expect(amountSortKey({ amountMinor: 1_999, currency: 'KWD' })).toBe(19_990);
  });
});
