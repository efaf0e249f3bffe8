import { toCsv, type CsvCell } from '../../../shared/csv';
import type { Phase } from '../../../shared/domain/order';
import { formatTimeLeft, instantMs, toInstant, type Clock } from '../../../shared/domain/time';
import { QueueListInputSchema, type ChannelParsedInput, type QueueRow } from '../../../shared/ipc/contract';
import { toDecimalString } from '../../../shared/money';
import { buyerReasonInfo } from '../../../shared/rules/reasons';
import type { CacheDb } from '../cache/db';
import { fileNamePart } from '../file-names';
import type { ViewCounter } from './counts';
import type { QueueIndex, SortField } from './memory-index';
import { listQueue, toQueueRow } from './queries';

const SORT_FIELDS = { time_left: 'respondBy', amount: 'amountKey', requested_at: 'requestedAt' } as const satisfies Record<ChannelParsedInput<'queue.exportCsv'>['sort'], SortField>;
/** Rows read from the cache per bulkGet (every read is a structured clone: in chunks, not one by one). */
const READ_CHUNK = 2_000;

/** The queue's own words for the phase and state columns (renderer/src/format), so the file reads like the screen. */
const PHASE_TITLES: Readonly<Record<Phase, string>> = {
  before_payment: 'Before payment',
  before_shipment: 'Before shipment',
  after_shipment: 'After shipment',
};

function humanize(code: string): string {
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const QUEUE_CSV_HEADER = ['request', 'order', 'store', 'buyer', 'country', 'reason', 'amount', 'currency', 'phase', 'state', 'requested at', 'respond by', 'time left'];

/** A store's name as the seller gave it, from its id. */
export type StoreNameOf = (storeId: string) => string;

/**
 * One queue row as CSV cells: the amount exact (decimal string from the money module), its currency
 * apart; the store by name (by id until the caller can name it).
 */
export function queueCsvCells(row: QueueRow, now: number, storeName: StoreNameOf = (storeId) => storeId): CsvCell[] {
  return [
    row.requestId,
    row.orderId,
    storeName(row.storeId),
    row.buyerName,
    row.buyerCountry,
    buyerReasonInfo(row.reason).label,
    toDecimalString(row.amount),
    row.amount.currency,
    row.phase === null ? '' : PHASE_TITLES[row.phase],
    humanize(row.state),
    row.requestedAt,
    row.respondBy,
    formatTimeLeft(instantMs(row.respondBy) - now),
  ];
}

/**
 * The whole view (or the search within it; of one store or all) as CSV, in the view's sort: the rows `queue.list` pages
 * through, all of them. RFC 4180, UTF-8 with BOM, formulas neutralised (shared/csv.ts), like the
 * audit export. A view is its in-memory order read in chunks; a search and the conflicts view go
 * through the queue's own query (small by construction: at most SEARCH_LIMIT matches; conflicts).
 */
export async function queueCsv(
  db: CacheDb,
  counter: ViewCounter,
  index: QueueIndex,
  clock: Clock,
  input: ChannelParsedInput<'queue.exportCsv'>,
  storeName?: StoreNameOf,
): Promise<{ fileName: string; csv: string; rows: number }> {
  const { view, sort, search, storeId } = input;
  let rows: QueueRow[];
  if (view !== 'conflicts' && search === '') {
    const field = SORT_FIELDS[sort];
    rows = [];
    for (let start = 0, size = index.size(view, storeId); start < size; start += READ_CHUNK) {
      const ids = index.slice(view, field, start, READ_CHUNK, storeId);
      const found = await db.requests.bulkGet(ids);
      for (const request of found) if (request !== undefined) rows.push(toQueueRow(request));
    }
  } else {
    // The queue's query read as one page (its page limit is the renderer's); a search stops at SEARCH_LIMIT itself.
    const page = await listQueue(db, counter, index, { ...QueueListInputSchema.parse({ view, sort, search, storeId }), limit: Number.MAX_SAFE_INTEGER });
    rows = page.rows;
  }
  const now = clock.now();
  const stamp = toInstant(now).slice(0, 19).replaceAll(':', '-');
  const store = storeId === null ? '' : `-${fileNamePart(storeId)}`;
  const slug = search === '' ? '' : `-search-${fileNamePart(search)}`;
  return {
    fileName: `cancel-desk-queue-${view}${store}${slug}-${stamp}.csv`,
    csv: toCsv(QUEUE_CSV_HEADER, rows.map((row) => queueCsvCells(row, now, storeName))),
    rows: rows.length,
  };
}
