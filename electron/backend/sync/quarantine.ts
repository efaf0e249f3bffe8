import Dexie from 'dexie';
import { toCsv } from '../../../shared/csv';
import type { Order } from '../../../shared/domain/order';
import { toInstant, type Clock } from '../../../shared/domain/time';
import type { SetAsideList, SetAsideRecord } from '../../../shared/ipc/contract';
import type { CacheDb, QuarantinedRow } from '../cache/db';
import type { QuarantinedRecord } from '../marketplace/listing';

/**
 * Records set aside at sync ("quarantine"): what the marketplace sent that failed validation,
 * kept with the reason instead of applied. One row per record: a newer malformed copy replaces
 * the row, an older one (a replayed page) leaves it, and a valid copy at least as new takes the
 * record off the list. Records without a readable id are told apart by their excerpt.
 */

export type SetAsideResource = QuarantinedRow['resource'];

function idKey(resource: SetAsideResource, recordId: string): string {
  return `${resource}\n${recordId}`;
}

/** What one page changed in the list, applied to the in-memory ids once its transaction commits. */
export interface SetAsideChange {
  readonly changed: boolean;
  commit(): void;
}

/**
 * The sync engine's side: the ids set aside are kept in memory, so a page of valid records is
 * checked against them without reading the table (which is empty almost always).
 */
export class SetAsideBook {
  private ids: Set<string> | null = null;

  constructor(private readonly db: CacheDb) {}

  /** Reads the ids set aside (once). */
  async load(): Promise<void> {
    if (this.ids !== null) return;
    const keys = await this.db.quarantine.orderBy('[resource+recordId]').keys();
    this.ids = new Set(keys.map((key) => idKey(...(key as unknown as [SetAsideResource, string]))));
  }

  /**
   * Takes off the list what a valid copy in `valid` replaces, and writes `malformed`. Call inside
   * the page's transaction (quarantine, orders, requests), after the valid records are applied.
   */
  async settle(
    resource: SetAsideResource,
    valid: ReadonlyArray<{ id: string; version: number }>,
    malformed: readonly QuarantinedRecord[],
    receivedAt: string,
  ): Promise<SetAsideChange> {
    const { db } = this;
    const known = this.ids ?? new Set<string>();
    const added = new Set<string>();
    const removed = new Set<string>();
    let changed = false;
    const rowsOf = (recordId: string): Promise<QuarantinedRow[]> => db.quarantine.where('[resource+recordId]').equals([resource, recordId]).toArray();

    for (const item of valid) {
      const key = idKey(resource, item.id);
      if (!known.has(key)) continue;
      const rows = await rowsOf(item.id);
      // An older valid copy (a replayed page) does not replace a newer malformed one.
      const replaced = rows.filter((row) => row.version === undefined || row.version === null || item.version >= row.version);
      if (replaced.length === 0) continue;
      await db.quarantine.bulkDelete(replaced.map((row) => row.seq ?? -1));
      changed = true;
      if (replaced.length === rows.length) {
        removed.add(key);
        added.delete(key);
      }
    }

    for (const record of malformed) {
      const row: QuarantinedRow = {
        resource,
        recordId: record.id ?? '',
        version: record.version,
        reason: record.reason,
        excerpt: record.excerpt,
        receivedAt,
      };
      const existing = await rowsOf(row.recordId);
      if (row.recordId === '') {
        // No id to match a later copy by: the same excerpt is the same record seen again.
        await db.quarantine.bulkDelete(existing.filter((other) => other.excerpt === row.excerpt).map((other) => other.seq ?? -1));
        await db.quarantine.add(row);
        changed = true;
        continue;
      }
      const cached: { version: number } | undefined =
        resource === 'orders' ? await db.orders.get(row.recordId) : resource === 'requests' ? await db.requests.get(row.recordId) : undefined;
      // A stale malformed copy of a record held valid at the same version or newer: nothing is missing.
      if (cached !== undefined && record.version !== null && cached.version >= record.version) continue;
      // An older malformed copy after a newer one keeps the newer one's row.
      if (existing.some((other) => other.version !== undefined && other.version !== null && record.version !== null && other.version > record.version)) continue;
      await db.quarantine.bulkDelete(existing.map((other) => other.seq ?? -1));
      await db.quarantine.add(row);
      changed = true;
      const key = idKey(resource, row.recordId);
      added.add(key);
      removed.delete(key);
    }

    return {
      changed,
      commit: () => {
        if (this.ids === null) return;
        for (const key of removed) this.ids.delete(key);
        for (const key of added) this.ids.add(key);
      },
    };
  }
}

/**
 * The row of each order whose marketplace copy is set aside, by order id: the rules cannot use
 * such an order (or only an older copy of it is cached). A valid copy at least as new as the
 * set-aside one (written since, e.g. from a decision's answer) is the latest, and counts as valid.
 */
export async function setAsideOrders(db: CacheDb, orders: ReadonlyArray<{ id: string; cached: Order | undefined }>): Promise<Map<string, QuarantinedRow>> {
  const found = new Map<string, QuarantinedRow>();
  if (orders.length === 0) return found;
  let candidates: readonly string[];
  if (orders.length === 1) {
    candidates = orders.map((order) => order.id);
  } else {
    // Many (a bulk decision): the index's keys say which orders are on the list, in one read.
    const keys = await db.quarantine.where('[resource+recordId]').between(['orders', Dexie.minKey], ['orders', Dexie.maxKey]).keys();
    const listed = new Set(keys.map((key) => (key as unknown as [string, string])[1]));
    candidates = [...new Set(orders.map((order) => order.id))].filter((id) => listed.has(id));
  }
  const cachedOf = new Map(orders.map((order) => [order.id, order.cached]));
  for (const id of candidates) {
    const row = (await db.quarantine.where('[resource+recordId]').equals(['orders', id]).toArray()).at(-1);
    if (row === undefined) continue;
    const cached = cachedOf.get(id);
    if (cached !== undefined && row.version !== undefined && row.version !== null && cached.version >= row.version) continue;
    found.set(id, row);
  }
  return found;
}

async function requestIdsHeldBack(db: CacheDb, row: QuarantinedRow): Promise<string[]> {
  if (row.recordId === '') return [];
  if (row.resource === 'orders') return (await db.requests.where('orderId').equals(row.recordId).primaryKeys()).sort();
  // A message set aside holds nothing back: the request is decided without it.
  if (row.resource === 'messages') return [];
  return (await db.requests.get(row.recordId)) === undefined ? [] : [row.recordId];
}

async function toRecord(db: CacheDb, row: QuarantinedRow): Promise<SetAsideRecord> {
  return {
    seq: row.seq ?? 0,
    resource: row.resource,
    recordId: row.recordId,
    reason: row.reason,
    excerpt: row.excerpt,
    receivedAt: row.receivedAt,
    requestIds: await requestIdsHeldBack(db, row),
  };
}

/** The records set aside, newest first, with the requests each holds back. */
export async function listSetAside(db: CacheDb, limit: number): Promise<SetAsideList> {
  const [total, rows] = await Promise.all([db.quarantine.count(), db.quarantine.toCollection().reverse().limit(limit).toArray()]);
  return { total, records: await Promise.all(rows.map((row) => toRecord(db, row))) };
}

export const SET_ASIDE_CSV_HEADER = ['resource', 'id', 'reason', 'excerpt', 'set aside at', 'requests held back'];

const RESOURCE_WORDS: Readonly<Record<SetAsideResource, string>> = { orders: 'order', requests: 'request', messages: 'message' };

/**
 * Every record set aside as CSV a spreadsheet opens safely (shared/csv.ts: RFC 4180, UTF-8 with
 * BOM, formulas neutralised), newest first like the list. Ids, reasons and excerpts come from the
 * marketplace: they are cells like any other untrusted text.
 */
export async function setAsideCsv(db: CacheDb, clock: Clock): Promise<{ fileName: string; csv: string; rows: number }> {
  const rows = await db.quarantine.toCollection().reverse().toArray();
  const records = await Promise.all(rows.map((row) => toRecord(db, row)));
  const cells = records.map((record) => [
    RESOURCE_WORDS[record.resource],
    record.recordId,
    record.reason,
    record.excerpt,
    record.receivedAt,
    record.requestIds.join(' '),
  ]);
  const stamp = toInstant(clock.now()).slice(0, 19).replaceAll(':', '-');
  return { fileName: `cancel-desk-set-aside-${stamp}.csv`, csv: toCsv(SET_ASIDE_CSV_HEADER, cells), rows: cells.length };
}
