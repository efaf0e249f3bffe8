/**
 * An in-memory table kept in (updatedAt, id) order for the marketplace's change feed.
 *
 * The feed is an append-only log: a write puts the new version at the end (the simulator stamps
 * every change later than anything before it) and leaves the old entry behind as dead, so no
 * write moves other entries. Pages binary-search their start and skip dead entries; the log is
 * compacted when dead entries outnumber live ones.
 */

export interface Versioned {
  readonly id: string;
  readonly updatedAt: string;
}

/** A position in the feed: items strictly after it come next. */
export interface FeedKey {
  readonly updatedAt: string;
  readonly id: string;
}

interface Entry<T> {
  readonly updatedAt: string;
  readonly id: string;
  readonly record: T;
}

export interface FeedPage<T> {
  readonly items: T[];
  /** The key of the last item, or null when the feed has nothing after this page. */
  readonly lastKey: FeedKey | null;
  readonly hasMore: boolean;
}

export function compareKeys(a: FeedKey, b: FeedKey): number {
  if (a.updatedAt < b.updatedAt) return -1;
  if (a.updatedAt > b.updatedAt) return 1;
  if (a.id < b.id) return -1;
  if (a.id > b.id) return 1;
  return 0;
}

export class RecordStore<T extends Versioned> {
  private readonly byId = new Map<string, T>();
  private log: Entry<T>[] = [];
  private dead = 0;

  constructor(records: Iterable<T> = []) {
    for (const record of records) this.byId.set(record.id, record);
    this.log = [...this.byId.values()].map((record) => ({
      updatedAt: record.updatedAt,
      id: record.id,
      record,
    }));
    this.log.sort(compareKeys);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every record in feed order, (updatedAt, id) ascending. */
  list(): T[] {
    const records: T[] = [];
    for (const entry of this.log) if (this.isLive(entry)) records.push(entry.record);
    return records;
  }

  /** Every record in id order. */
  listById(): T[] {
    return [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Inserts or replaces a record. Its key must sort after every key already in the feed (the
   * simulator's change stamps guarantee it); anything else would let an incremental reader
   * miss the change, so it is refused.
   */
  put(record: T): void {
    const last = this.log[this.log.length - 1];
    if (last !== undefined && compareKeys(record, last) <= 0) {
      throw new RangeError(
        `Record ${record.id} at ${record.updatedAt} would sort before the end of the feed ` +
          `(${last.id} at ${last.updatedAt}); every change needs a later updatedAt.`,
      );
    }
    if (this.byId.has(record.id)) this.dead++;
    this.byId.set(record.id, record);
    this.log.push({ updatedAt: record.updatedAt, id: record.id, record });
    if (this.dead > 1024 && this.dead > this.byId.size) this.compact();
  }

  /** The latest updatedAt in the feed, or null when empty. */
  lastUpdatedAt(): string | null {
    return this.log[this.log.length - 1]?.updatedAt ?? null;
  }

  /**
   * Up to `limit` records with key >= (since, '') and key > `after`, in feed order.
   * O(log n + limit + dead entries skipped).
   */
  page(options: { since: string | null; after: FeedKey | null; limit: number }): FeedPage<T> {
    let start = 0;
    if (options.since !== null) start = this.lowerBound({ updatedAt: options.since, id: '' }, false);
    if (options.after !== null) start = Math.max(start, this.lowerBound(options.after, true));
    const items: T[] = [];
    let index = start;
    let lastKey: FeedKey | null = null;
    for (; index < this.log.length && items.length < options.limit; index++) {
      const entry = this.log[index] as Entry<T>;
      if (!this.isLive(entry)) continue;
      items.push(entry.record);
      lastKey = { updatedAt: entry.updatedAt, id: entry.id };
    }
    let hasMore = false;
    for (; index < this.log.length; index++) {
      if (this.isLive(this.log[index] as Entry<T>)) {
        hasMore = true;
        break;
      }
    }
    return { items, lastKey, hasMore };
  }

  /** Up to `count` live records just before `key`, in feed order (for duplicated-page faults). */
  before(key: FeedKey, count: number): T[] {
    const records: T[] = [];
    for (let index = this.lowerBound(key, false) - 1; index >= 0 && records.length < count; index--) {
      const entry = this.log[index] as Entry<T>;
      if (this.isLive(entry)) records.push(entry.record);
    }
    return records.reverse();
  }

  private isLive(entry: Entry<T>): boolean {
    return this.byId.get(entry.id) === entry.record;
  }

  /** First index whose key is >= key (or > key when `strict`). */
  private lowerBound(key: FeedKey, strict: boolean): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const comparison = compareKeys(this.log[middle] as Entry<T>, key);
      if (comparison < 0 || (strict && comparison === 0)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private compact(): void {
    this.log = this.log.filter((entry) => this.isLive(entry));
    this.dead = 0;
  }
}
