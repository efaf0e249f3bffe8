import Dexie, { type IndexableType } from 'dexie';
import { z } from 'zod';
import type { StateViewId } from '../../../shared/domain/views';
import { DeskError } from '../../../shared/errors';
import type { ChannelParsedInput, QueuePage, QueueRow, QueueSort } from '../../../shared/ipc/contract';
import type { CacheDb } from '../cache/db';
import type { CachedRequest } from '../cache/records';
import type { ViewCounter } from './counts';

/** The most matches a search reads before it asks the seller to narrow it. */
export const SEARCH_LIMIT = 2_000;
const MIN_SEARCH_CHARS = 2;

type SortField = 'respondBy' | 'amountKey' | 'requestedAt';
const SORTS: Readonly<Record<QueueSort, { field: SortField; descending: boolean }>> = {
  time_left: { field: 'respondBy', descending: false },
  amount: { field: 'amountKey', descending: true },
  requested_at: { field: 'requestedAt', descending: false },
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
  };
}

/** One page of a view in its sort order, read straight off a compound index, with a stable cursor. */
export async function listQueue(db: CacheDb, counter: ViewCounter, input: ChannelParsedInput<'queue.list'>): Promise<QueuePage> {
  const { view, sort, limit } = input;
  if (view === 'conflicts') {
    // Few by nature (the marketplace moved a request under a decision): read whole, sorted here.
    const conflicts = await db.conflicts.toArray();
    const rows = (await db.requests.bulkGet(conflicts.map((conflict) => conflict.requestId))).filter((row) => row !== undefined);
    return pageInMemory(rows, input, rows.length, false);
  }
  if (input.search !== '') return searchQueue(db, input);
  const { field, descending } = SORTS[sort];
  const after = input.cursor === null ? null : decodeCursor(input.cursor, KeyCursorSchema);
  const stateView: StateViewId | null = view === 'all' ? null : view;
  const prefix: IndexableType[] = stateView === null ? [] : [stateView];
  const index = stateView === null ? `[${field}+id]` : `[view+${field}+id]`;
  const low = [...prefix, Dexie.minKey, Dexie.minKey];
  const high = [...prefix, Dexie.maxKey, Dexie.maxKey];
  let range: ReturnType<typeof db.requests.toCollection>;
  if (descending) {
    range = db.requests
      .where(index)
      .between(low, after === null ? high : [...prefix, ...after], true, after === null)
      .reverse();
  } else {
    range = db.requests.where(index).between(after === null ? low : [...prefix, ...after], high, after === null, true);
  }
  const requests = await range.limit(limit).toArray();
  const last = requests.at(-1);
  return {
    rows: requests.map(toQueueRow),
    nextCursor: last !== undefined && requests.length === limit ? encodeCursor([last[field], last.id]) : null,
    total: counter.get(view),
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
  const candidates = await db.requests.where('terms').startsWith(first).distinct().limit(SEARCH_LIMIT + 1).toArray();
  const truncated = candidates.length > SEARCH_LIMIT;
  const matches = candidates
    .slice(0, SEARCH_LIMIT)
    .filter((request) => input.view === 'all' || request.view === input.view)
    .filter((request) => words.every((word) => request.terms.some((term) => term.startsWith(word))));
  return pageInMemory(matches, input, matches.length, truncated);
}

/** Sorts a small set of rows as the view would and serves one page of it by offset. */
function pageInMemory(rows: CachedRequest[], input: ChannelParsedInput<'queue.list'>, total: number, truncated: boolean): QueuePage {
  const { field, descending } = SORTS[input.sort];
  rows.sort((a, b) => {
    const order = a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return descending ? -order : order;
  });
  const offset = input.cursor === null ? 0 : decodeCursor(input.cursor, OffsetCursorSchema).offset;
  const page = rows.slice(offset, offset + input.limit);
  const nextOffset = offset + page.length;
  return {
    rows: page.map(toQueueRow),
    nextCursor: nextOffset < rows.length ? encodeCursor({ offset: nextOffset }) : null,
    total,
    truncated,
  };
}
