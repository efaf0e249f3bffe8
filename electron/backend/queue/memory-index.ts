import { VIEW_IDS, type StateViewId } from '../../../shared/domain/views';
import type { CachedRequest } from '../cache/records';

/** The fields a queue sorts by (amountKey is negated: ascending is largest first). */
export type SortField = 'respondBy' | 'amountKey' | 'requestedAt';
const FIELDS: readonly SortField[] = ['respondBy', 'amountKey', 'requestedAt'];
const STATE_VIEWS = VIEW_IDS.filter((view): view is StateViewId => view !== 'all' && view !== 'conflicts');

interface Entry {
  readonly id: string;
  readonly view: StateViewId;
  readonly respondBy: string;
  readonly requestedAt: string;
  readonly amountKey: number;
}

function compare(a: Entry, b: Entry, field: SortField): number {
  if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** First position in `list` whose entry sorts after (value, id); `inclusive` also stops at equal. */
function lowerBound(list: readonly Entry[], field: SortField, value: string | number, id: string, inclusive: boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = list[middle] as Entry;
    const order = entry[field] !== value ? (entry[field] < value ? -1 : 1) : entry.id < id ? -1 : entry.id > id ? 1 : 0;
    if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The queue's sort orders, kept in memory: for every state view and for "all", one array per sort
 * field, in (value, id) order, moved with every committed write. Reading a page is a binary search
 * and a slice; nothing is sorted at read time, and the cache needs no sort index of its own (which
 * is what made restarting slow: fake-indexeddb inserts index entries one by one).
 */
export class QueueIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly lists = new Map<string, Entry[]>();

  constructor() {
    this.clear();
  }

  private clear(): void {
    this.entries.clear();
    for (const field of FIELDS) {
      this.lists.set(`all|${field}`, []);
      for (const view of STATE_VIEWS) this.lists.set(`${view}|${field}`, []);
    }
  }

  private list(view: StateViewId | 'all', field: SortField): Entry[] {
    const list = this.lists.get(`${view}|${field}`);
    if (list === undefined) throw new RangeError(`No queue list for ${view} by ${field}.`);
    return list;
  }

  /** Builds every order from the whole table at once (start-up). */
  load(rows: Iterable<CachedRequest>): void {
    this.clear();
    for (const row of rows) this.entries.set(row.id, entryOf(row));
    const all = [...this.entries.values()];
    for (const field of FIELDS) {
      const sorted = [...all].sort((a, b) => compare(a, b, field));
      this.lists.set(`all|${field}`, sorted);
      for (const view of STATE_VIEWS) this.lists.set(`${view}|${field}`, sorted.filter((entry) => entry.view === view));
    }
  }

  /** Moves these rows to where their new values sort (call after their transaction committed). */
  apply(rows: readonly CachedRequest[]): void {
    for (const row of rows) {
      const next = entryOf(row);
      const previous = this.entries.get(row.id);
      if (previous !== undefined && sameKeys(previous, next)) continue;
      for (const field of FIELDS) {
        if (previous !== undefined) {
          this.remove(this.list('all', field), previous, field);
          this.remove(this.list(previous.view, field), previous, field);
        }
        this.insert(this.list('all', field), next, field);
        this.insert(this.list(next.view, field), next, field);
      }
      this.entries.set(row.id, next);
    }
  }

  size(view: StateViewId | 'all'): number {
    return this.list(view, 'respondBy').length;
  }

  /** Ids of up to `limit` requests after the cursor (value, id), in the view's order. */
  page(view: StateViewId | 'all', field: SortField, after: readonly [string | number, string] | null, limit: number): string[] {
    const list = this.list(view, field);
    const start = after === null ? 0 : lowerBound(list, field, after[0], after[1], false);
    return list.slice(start, start + limit).map((entry) => entry.id);
  }

  /** Ids of up to `limit` requests from position `start` of the view's order. */
  slice(view: StateViewId | 'all', field: SortField, start: number, limit: number): string[] {
    return this.list(view, field)
      .slice(start, start + limit)
      .map((entry) => entry.id);
  }

  private insert(list: Entry[], entry: Entry, field: SortField): void {
    list.splice(lowerBound(list, field, entry[field], entry.id, true), 0, entry);
  }

  private remove(list: Entry[], entry: Entry, field: SortField): void {
    const at = lowerBound(list, field, entry[field], entry.id, true);
    if (list[at]?.id === entry.id) list.splice(at, 1);
  }
}

function entryOf(row: CachedRequest): Entry {
  return { id: row.id, view: row.view, respondBy: row.respondBy, requestedAt: row.requestedAt, amountKey: row.amountKey };
}

function sameKeys(a: Entry, b: Entry): boolean {
  return a.view === b.view && a.respondBy === b.respondBy && a.requestedAt === b.requestedAt && a.amountKey === b.amountKey;
}
