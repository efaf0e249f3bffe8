import { VIEW_IDS, type StateViewId } from '../../../shared/domain/views';
import type { CachedRequest } from '../cache/records';

/** The fields a queue sorts by (amountKey is negated: ascending is largest first). */
export type SortField = 'respondBy' | 'amountKey' | 'requestedAt';
const FIELDS: readonly SortField[] = ['respondBy', 'amountKey', 'requestedAt'];
const STATE_VIEWS = VIEW_IDS.filter((view): view is StateViewId => view !== 'all' && view !== 'conflicts' && view !== 'buyer_replied');

/** The views the index orders: each state view, "all", and the "Buyer replied" overlay. */
export type IndexedView = StateViewId | 'all' | 'buyer_replied';

interface Entry {
  readonly id: string;
  readonly view: StateViewId;
  readonly respondBy: string;
  readonly requestedAt: string;
  readonly amountKey: number;
  /** In the "Buyer replied" overlay (the row's buyerRepliedAt is set). */
  readonly replied: boolean;
  /** The desk store the request belongs to: the scope it is listed in besides every store's. */
  readonly storeId: string;
}

/** One scope's sorted lists (every store together, or one store): by sort field, then by view. */
type Scope = Readonly<Record<SortField, Readonly<Record<IndexedView, Entry[]>>>>;

function emptyScope(): Scope {
  const byView = (): Record<IndexedView, Entry[]> => {
    const lists: Partial<Record<IndexedView, Entry[]>> = { all: [], buyer_replied: [] };
    for (const view of STATE_VIEWS) lists[view] = [];
    return lists as Record<IndexedView, Entry[]>;
  };
  return { respondBy: byView(), amountKey: byView(), requestedAt: byView() };
}

function listOf(scope: Scope, view: IndexedView, field: SortField): Entry[] {
  return scope[field][view];
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
 *
 * The lists exist per scope: every store together, and each store on its own (design.md §6b: one
 * queue, filtered by store). A store's scope is made when its first row arrives; the entries are
 * shared between scopes, only the arrays are per scope (a few pointers per request and list).
 */
export class QueueIndex {
  private readonly entries = new Map<string, Entry>();
  /** Every store together. */
  private everyStore: Scope = emptyScope();
  /** Each store on its own, by store id. */
  private readonly byStore = new Map<string, Scope>();

  private clear(): void {
    this.entries.clear();
    this.everyStore = emptyScope();
    this.byStore.clear();
  }

  /** A scope to read: every store (null), or one store (undefined while it has never had a row). */
  private scope(storeId: string | null): Scope | undefined {
    return storeId === null ? this.everyStore : this.byStore.get(storeId);
  }

  /** A store's own scope, made when its first row arrives. */
  private ownScope(storeId: string): Scope {
    let own = this.byStore.get(storeId);
    if (own === undefined) {
      own = emptyScope();
      this.byStore.set(storeId, own);
    }
    return own;
  }

  /** The lists an entry belongs in, by one field: in every store's scope and its own store's. */
  private listsOf(entry: Entry, field: SortField): Entry[][] {
    const lists: Entry[][] = [];
    for (const scope of [this.everyStore, this.ownScope(entry.storeId)]) {
      lists.push(listOf(scope, 'all', field), listOf(scope, entry.view, field));
      if (entry.replied) lists.push(listOf(scope, 'buyer_replied', field));
    }
    return lists;
  }

  /** Builds every order from the whole table at once (start-up). */
  load(rows: Iterable<CachedRequest>): void {
    this.clear();
    for (const row of rows) this.entries.set(row.id, entryOf(row));
    const all = [...this.entries.values()];
    for (const field of FIELDS) {
      // Sorted once; each entry then joins its lists in that order (appending keeps them sorted).
      // Written out rather than through listsOf: this runs for every request at start-up.
      // A copy of the table's order each time: re-sorting one array already sorted by another field is much slower.
      const sorted = [...all].sort((a, b) => compare(a, b, field));
      const every = this.everyStore[field];
      for (const entry of sorted) {
        const own = this.ownScope(entry.storeId)[field];
        every.all.push(entry);
        every[entry.view].push(entry);
        own.all.push(entry);
        own[entry.view].push(entry);
        if (entry.replied) {
          every.buyer_replied.push(entry);
          own.buyer_replied.push(entry);
        }
      }
    }
  }

  /** Moves these rows to where their new values sort (call after their transaction committed). */
  apply(rows: readonly CachedRequest[]): void {
    for (const row of rows) {
      const next = entryOf(row);
      const previous = this.entries.get(row.id);
      if (previous !== undefined && sameKeys(previous, next)) continue;
      for (const field of FIELDS) {
        // A row whose store changed leaves the old store's scope for the new one's.
        if (previous !== undefined) for (const list of this.listsOf(previous, field)) this.remove(list, previous, field);
        for (const list of this.listsOf(next, field)) this.insert(list, next, field);
      }
      this.entries.set(row.id, next);
    }
  }

  /** The stores that have had a row since the index was built (each has its own scope). */
  storeIds(): string[] {
    return [...this.byStore.keys()];
  }

  /** How many requests the view holds, in every store (storeId null) or in one. */
  size(view: IndexedView, storeId: string | null = null): number {
    const scope = this.scope(storeId);
    return scope === undefined ? 0 : listOf(scope, view, 'respondBy').length;
  }

  /** Ids of up to `limit` requests after the cursor (value, id), in the view's order, in every store or one. */
  page(view: IndexedView, field: SortField, after: readonly [string | number, string] | null, limit: number, storeId: string | null = null): string[] {
    const scope = this.scope(storeId);
    if (scope === undefined) return [];
    const list = listOf(scope, view, field);
    const start = after === null ? 0 : lowerBound(list, field, after[0], after[1], false);
    return list.slice(start, start + limit).map((entry) => entry.id);
  }

  /** Ids of up to `limit` requests from position `start` of the view's order, in every store or one. */
  slice(view: IndexedView, field: SortField, start: number, limit: number, storeId: string | null = null): string[] {
    const scope = this.scope(storeId);
    if (scope === undefined) return [];
    return listOf(scope, view, field)
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
  return { id: row.id, view: row.view, respondBy: row.respondBy, requestedAt: row.requestedAt, amountKey: row.amountKey, replied: (row.buyerRepliedAt ?? null) !== null, storeId: row.storeId };
}

function sameKeys(a: Entry, b: Entry): boolean {
  return a.view === b.view && a.respondBy === b.respondBy && a.requestedAt === b.requestedAt && a.amountKey === b.amountKey && a.replied === b.replied && a.storeId === b.storeId;
}
