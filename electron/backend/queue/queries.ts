import Dexie from 'dexie';
import { z } from 'zod';
import { DeskError } from '../../../shared/errors';
import type { ChannelParsedInput, QueuePage, QueueRow, QueueSort } from '../../../shared/ipc/contract';
import { closedAtOf } from '../../../shared/rules/standing';
import type { CacheDb } from '../cache/db';
import type { CachedRequest } from '../cache/records';
import type { ViewCounter } from './counts';
import type { QueueIndex, SortField } from './memory-index';

/** The most matches a search reads before it asks the seller to narrow it. */
export const SEARCH_LIMIT = 2_000;
const MIN_SEARCH_CHARS = 2;


function compareBy(a: CachedRequest, b: CachedRequest, field: SortField): number {
  if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
/** Every sort reads its index forwards (amountKey is negated, so forwards is largest first). */
const SORTS: Readonly<Record<QueueSort, { field: SortField }>> = {
  time_left: { field: 'respondBy' },
  amount: { field: 'amountKey' },
  requested_at: { field: 'requestedAt' },
};

const KeyCursorSchema = z.tuple([z.union([z.string().max(64), z.number()]), z.string().max(64)]);
const OffsetCursorSchema = z.object({ offset: z.number().int().min(0) });

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new DeskError('invalid_input', 'The queue cursor is not one this app issued for this view and sort; reload the queue.');
  }
}

export function toQueueRow(request: CachedRequest): QueueRow {
  return {
    requestId: request.id,
    orderId: request.orderId,
    storeId: request.storeId,
    kind: request.kind,
    reason: request.reason,
    state: request.state,
    phase: request.phase,
    buyerName: request.buyerName,
    buyerCountry: request.buyerCountry,
    amount: request.requestedAmount,
    requestedAt: request.requestedAt,
    respondBy: request.respondBy,
    proofDueAt: request.proofRequest?.dueAt ?? null,
    localState: request.local?.state ?? null,
    closedAt: closedAtOf(request),
    buyerRepliedAt: request.buyerRepliedAt ?? null,
  };
}

/** In the store the queue is filtered by (every store when null). */
function inStore(request: CachedRequest, storeId: string | null): boolean {
  return storeId === null || request.storeId === storeId;
}

/** One page of a view in its sort order, from the in-memory orders, with a stable cursor. */
export async function listQueue(db: CacheDb, counter: ViewCounter, index: QueueIndex, input: ChannelParsedInput<'queue.list'>): Promise<QueuePage> {
  const { view, sort, limit } = input;
  if (view === 'conflicts') {
    // Few by nature (the marketplace moved a request under a decision): read whole, sorted here.
    const conflicts = await db.conflicts.toArray();
    const rows = (await db.requests.bulkGet(conflicts.map((conflict) => conflict.requestId)))
      .filter((row) => row !== undefined)
      .filter((row) => inStore(row, input.storeId));
    return pageInMemory(rows, input, rows.length, false);
  }
  if (input.search !== '') return searchQueue(db, input);
  const { field } = SORTS[sort];
  const after = input.cursor === null ? null : decodeCursor(input.cursor, KeyCursorSchema);
  const { storeId } = input;
  const ids =
    after === null && typeof input.offset === 'number' ? index.slice(view, field, input.offset, limit, storeId) : index.page(view, field, after, limit, storeId);
  const requests = (await db.requests.bulkGet(ids)).filter((row) => row !== undefined);
  const last = requests.at(-1);
  return {
    rows: requests.map(toQueueRow),
    nextCursor: last !== undefined && requests.length === limit ? encodeCursor([last[field], last.id]) : null,
    total: storeId === null ? counter.get(view) : index.size(view, storeId),
    truncated: false,
  };
}

/** Search by order id, buyer name or SKU (word prefixes), within a view, in the view's sort. */
async function searchQueue(db: CacheDb, input: ChannelParsedInput<'queue.list'>): Promise<QueuePage> {
  const words = input.search.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const [first = ''] = [...words].sort((a, b) => b.length - a.length);
  if (first.length < MIN_SEARCH_CHARS) {
    throw new DeskError('invalid_input', `Type at least ${MIN_SEARCH_CHARS} characters to search.`);
  }
  const hits = await db.searchTerms
    .where('[term+requestId]')
    .between([first, Dexie.minKey], [`${first}\uffff`, Dexie.maxKey])
    .limit(SEARCH_LIMIT + 1)
    .toArray();
  const truncated = hits.length > SEARCH_LIMIT;
  const ids = [...new Set(hits.slice(0, SEARCH_LIMIT).map((hit) => hit.requestId))];
  const candidates = (await db.requests.bulkGet(ids)).filter((row) => row !== undefined);
  const matches = candidates
    .filter((request) => inStore(request, input.storeId))
    .filter((request) => input.view === 'all' || (input.view === 'buyer_replied' ? (request.buyerRepliedAt ?? null) !== null : request.view === input.view))
    .filter((request) => words.every((word) => request.terms.some((term) => term.startsWith(word))));
  return pageInMemory(matches, input, matches.length, truncated);
}

/** Sorts a small set of rows as the view would and serves one page of it by offset. */
function pageInMemory(rows: CachedRequest[], input: ChannelParsedInput<'queue.list'>, total: number, truncated: boolean): QueuePage {
  const { field } = SORTS[input.sort];
  rows.sort((a, b) => compareBy(a, b, field));
  const offset = input.cursor === null ? (typeof input.offset === 'number' ? input.offset : 0) : decodeCursor(input.cursor, OffsetCursorSchema).offset;
  const page = rows.slice(offset, offset + input.limit);
  const nextOffset = offset + page.length;
  return {
    rows: page.map(toQueueRow),
    nextCursor: nextOffset < rows.length ? encodeCursor({ offset: nextOffset }) : null,
    total,
    truncated,
  };
}
