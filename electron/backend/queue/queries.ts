import Dexie from 'dexie';
import { z } from 'zod';
import { phaseOf } from '../../../shared/domain/order';
import { VIEW_IDS, type ViewId } from '../../../shared/domain/views';
import { DeskError } from '../../../shared/errors';
import type { ChannelParsedInput, QueuePage, QueueRow, QueueSort, ViewCounts } from '../../../shared/ipc/contract';
import type { CacheDb, CachedRequest } from '../cache/db';

const CursorSchema = z.tuple([z.string().max(64), z.string().max(64)]);

/** An opaque cursor: the (sort key, id) of the last row served. */
function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new DeskError('invalid_input', 'The queue cursor is not one this app issued; reload the queue.');
  }
}

function sortField(sort: QueueSort): 'respondBy' | 'requestedAt' {
  switch (sort) {
    case 'time_left':
      return 'respondBy';
    case 'requested_at':
      return 'requestedAt';
  }
}

/** One page of a view, in index order, with a stable cursor. */
export async function listQueue(db: CacheDb, input: ChannelParsedInput<'queue.list'>): Promise<QueuePage> {
  const { view, sort, limit } = input;
  if (view === 'conflicts') {
    // Conflicts come with decisions (a later issue): none can exist yet.
    return { rows: [], nextCursor: null, total: 0 };
  }
  const field = sortField(sort);
  const after = input.cursor === null ? null : decodeCursor(input.cursor);
  let requests: CachedRequest[];
  if (view === 'all') {
    const index = db.requests.where(`[${field}+id]`);
    const range = after === null ? index.above([Dexie.minKey, Dexie.minKey]) : index.above(after);
    requests = await range.limit(limit).toArray();
  } else {
    const lower = after === null ? [view, Dexie.minKey, Dexie.minKey] : [view, ...after];
    requests = await db.requests
      .where(`[view+${field}+id]`)
      .between(lower, [view, Dexie.maxKey, Dexie.maxKey], after === null, true)
      .limit(limit)
      .toArray();
  }
  const orders = await db.orders.bulkGet(requests.map((request) => request.orderId));
  const rows: QueueRow[] = requests.map((request, index) => {
    const order = orders[index];
    return {
      requestId: request.id,
      orderId: request.orderId,
      storeId: request.storeId,
      kind: request.kind,
      reason: request.reason,
      state: request.state,
      phase: order === undefined ? null : phaseOf(order),
      buyerName: order?.buyer.name ?? '',
      buyerCountry: order?.buyer.country ?? '',
      amount: request.requestedAmount,
      requestedAt: request.requestedAt,
      respondBy: request.respondBy,
    };
  });
  const last = requests.at(-1);
  const nextCursor = last !== undefined && requests.length === limit ? encodeCursor(last[field], last.id) : null;
  const total = view === 'all' ? await db.requests.count() : await db.requests.where('view').equals(view).count();
  return { rows, nextCursor, total };
}

/** The number of requests in every view. */
export async function countViews(db: CacheDb): Promise<ViewCounts> {
  const entries = await Promise.all(
    VIEW_IDS.map(async (view: ViewId): Promise<[ViewId, number]> => {
      if (view === 'conflicts') return [view, 0];
      if (view === 'all') return [view, await db.requests.count()];
      return [view, await db.requests.where('view').equals(view).count()];
    }),
  );
  return Object.fromEntries(entries) as ViewCounts;
}
