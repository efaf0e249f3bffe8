import { MAX_BATCH, QueueListInputSchema, type ChannelParsedInput, type QueueIds, type QueueSort } from '../../../shared/ipc/contract';
import type { CacheDb } from '../cache/db';
import type { ViewCounter } from './counts';
import type { QueueIndex, SortField } from './memory-index';
import { listQueue, SEARCH_LIMIT } from './queries';

const SORT_FIELDS = { time_left: 'respondBy', amount: 'amountKey', requested_at: 'requestedAt' } as const satisfies Record<QueueSort, SortField>;

/**
 * Every id of a view (or of a search within it; in one store or all) in the view's sort order, at most MAX_BATCH: what
 * "select all" selects. A view is one slice of the in-memory order (no cursor over the cache); a
 * search and the conflicts view are small by construction (SEARCH_LIMIT, conflicts) and go
 * through the queue's own query, so they match exactly what the queue shows.
 */
export async function listQueueIds(db: CacheDb, counter: ViewCounter, index: QueueIndex, input: ChannelParsedInput<'queue.ids'>): Promise<QueueIds> {
  const { view, sort, search, storeId } = input;
  if (view !== 'conflicts' && search === '') {
    return { ids: index.page(view, SORT_FIELDS[sort], null, MAX_BATCH, storeId), total: index.size(view, storeId) };
  }
  // The queue's query, read as one page (the channel's own page limit is for the renderer).
  const query = QueueListInputSchema.parse({ view, sort, search, storeId });
  const page = await listQueue(db, counter, index, { ...query, limit: Math.max(SEARCH_LIMIT, MAX_BATCH) });
  return { ids: page.rows.slice(0, MAX_BATCH).map((row) => row.requestId), total: page.total };
}
