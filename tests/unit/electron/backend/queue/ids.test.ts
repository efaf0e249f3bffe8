import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import type { ViewId } from '../../../../../shared/domain/views';
import { QueueListInputSchema, type QueuePage, type QueueRow, type QueueSort } from '../../../../../shared/ipc/contract';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk;
let backend: Backend;

beforeAll(async () => {
  desk = await startDesk({ seed: 11, orders: 500 });
  ({ backend } = desk);
});

afterAll(async () => {
  await desk.close();
});

/** The whole view as the queue pages it (the reference). */
async function pagedIds(view: ViewId, sort: QueueSort, search = ''): Promise<string[]> {
  const rows: QueueRow[] = [];
  let cursor: string | null = null;
  do {
    const page: QueuePage = await backend.handle('queue.list', QueueListInputSchema.parse({ view, sort, search, cursor, limit: 37 }));
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return rows.map((row) => row.requestId);
}

describe('queue.ids: every id of a view, in its order', () => {
  it.each<[ViewId, QueueSort]>([
    ['all', 'time_left'],
    ['all', 'amount'],
    ['needs_reply', 'requested_at'],
    ['done', 'amount'],
  ])('%s by %s: the ids the queue pages, and its total', async (view, sort) => {
    const answer = await backend.handle('queue.ids', { view, sort, search: '', storeId: null });
    const expected = await pagedIds(view, sort);
    expect(expected.length).toBeGreaterThan(0);
    expect(answer).toEqual({ ids: expected, total: expected.length });
  });

  it('within a search, the matches in the view order; a decision moves ids between views at once', async () => {
    const [first] = await pagedIds('all', 'time_left');
    const row = await backend.db.requests.get(first ?? '');
    if (row === undefined) throw new Error('no request');
    const search = row.orderId;
    const answer = await backend.handle('queue.ids', { view: 'all', sort: 'amount', search, storeId: null });
    expect(answer.ids).toEqual(await pagedIds('all', 'amount', search));
    expect(answer.ids).toContain(row.id);
    expect(answer.total).toBe(answer.ids.length);

    const needsReply = await backend.handle('queue.ids', { view: 'needs_reply', sort: 'time_left', search: '', storeId: null });
    const plan = await backend.handle('decisions.plan', { requestIds: needsReply.ids.slice(0, 100), action: { type: 'accept' } });
    const target = plan.items.find((item) => item.status === 'will_do')?.requestId;
    if (target === undefined) throw new Error('nothing in Needs reply can be accepted');
    await backend.handle('decisions.decide', { requestIds: [target], action: { type: 'accept' } });
    const after = await backend.handle('queue.ids', { view: 'needs_reply', sort: 'time_left', search: '', storeId: null });
    expect(after.ids).not.toContain(target);
    expect(after.total).toBe(needsReply.total - 1);
  });

  it('rejects a search too short to use, as the queue does', async () => {
    await expect(backend.handle('queue.ids', { view: 'all', sort: 'time_left', search: 'x', storeId: null })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
