import type { Transaction } from 'dexie';
import type { Order } from '../../../shared/domain/order';
import type { CancelRequest } from '../../../shared/domain/request';
import { toCachedRequest } from './records';

/**
 * The cache's schema, one entry per Dexie version. Never edit a shipped version: add a new one
 * with an upgrade function (design.md §4), and a test that upgrades data written at the old one.
 */
export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

export const CACHE_SCHEMA: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      orders: 'id, storeId, updatedAt',
      requests: 'id, orderId, view, [view+respondBy+id], [view+requestedAt+id], [respondBy+id], [requestedAt+id]',
      syncMarks: 'resource',
    },
  },
  {
    // Queue rows carry what the queue shows from the order; amount sort; search; quarantine.
    version: 2,
    stores: {
      requests:
        'id, orderId, view, [view+respondBy+id], [view+requestedAt+id], [view+amountKey+id], [respondBy+id], [requestedAt+id], [amountKey+id], *terms',
      quarantine: '++seq, resource, recordId',
      settings: 'key',
    },
    async upgrade(tx) {
      const orders = tx.table<Order, string>('orders');
      const requests = tx.table<CancelRequest, string>('requests');
      const all = await requests.toArray();
      const byOrder = await orders.bulkGet(all.map((request) => request.orderId));
      for (let start = 0; start < all.length; start += 1000) {
        await requests.bulkPut(
          all.slice(start, start + 1000).map((request, offset) => toCachedRequest(request, byOrder[start + offset])),
        );
      }
    },
  },
  {
    // Decisions (design.md §6): the outbox, the audit log, batches for undo, conflicts,
    // internal notes, evidence files and refunds. Queue rows gain the pending local decision.
    version: 3,
    stores: {
      outbox: 'id, batchId, requestId, status, [status+dueAt]',
      audit: '++seq, requestId, batchId, at',
      batches: 'id, createdAt',
      conflicts: 'requestId',
      notes: '++seq, requestId',
      evidence: 'id, requestId',
      refunds: 'id, requestId, status',
    },
    async upgrade(tx) {
      await tx
        .table<{ local?: unknown; assignee?: unknown }, string>('requests')
        .toCollection()
        .modify((row) => {
          row.local ??= null;
          row.assignee ??= null;
        });
    },
  },
  {
    // Restart speed: the queue's table keeps only the view-prefixed sort indexes ("all" merges the
    // views), search moves to a table of its own that loads after the queue, the amount key is
    // negated to be read forwards, and evidence waiting to be fetched gets an index.
    version: 4,
    stores: {
      requests: 'id, orderId, [view+respondBy+id], [view+requestedAt+id], [view+amountKey+id]',
      searchTerms: '[term+requestId], requestId',
      evidence: 'id, requestId, [fetched+id]',
    },
    async upgrade(tx) {
      const requests = tx.table<{ id: string; amountKey: number; terms?: string[] }, string>('requests');
      const rows = await requests.toArray();
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await requests.bulkPut(chunk.map((row) => ({ ...row, amountKey: -Math.abs(row.amountKey) })));
        await tx
          .table('searchTerms')
          .bulkPut(chunk.flatMap((row) => (row.terms ?? []).map((term) => ({ term, requestId: row.id }))));
      }
      await tx
        .table<{ path: string | null; fetched?: number }, string>('evidence')
        .toCollection()
        .modify((row) => {
          row.fetched = row.path === null ? 0 : 1;
        });
    },
  },
  {
    // The queue's sort orders are kept in memory (queue/memory-index.ts): the requests table
    // drops its sort indexes, which were most of the time it took to load on restart.
    version: 5,
    stores: {
      requests: 'id, orderId',
    },
  },
  {
    // The rules panel's recommendation reads the buyer's other requests: orders get an index by
    // buyer (equality reads of a few keys). It only loads with the orders, after the queue's
    // tables; measured at 100k orders it adds about 0.45 s to loading them (2.3 s -> 2.8 s).
    version: 6,
    stores: {
      orders: 'id, storeId, updatedAt, buyer.id',
    },
  },
  {
    // Records set aside at sync: one row per record, found by resource and id (the sync replaces a
    // record's row with its newer copy, and removes it when a valid copy arrives). Rows written
    // before were added again on every pass that saw the record: keep the latest of each.
    version: 7,
    stores: {
      quarantine: '++seq, resource, recordId, [resource+recordId]',
    },
    async upgrade(tx) {
      const quarantine = tx.table<{ seq: number; resource: string; recordId: string; excerpt: string }, number>('quarantine');
      const rows = await quarantine.toArray();
      const latest = new Map<string, number>();
      const superseded: number[] = [];
      for (const row of rows.sort((a, b) => a.seq - b.seq)) {
        const key = quarantineKey(row);
        const before = latest.get(key);
        if (before !== undefined) superseded.push(before);
        latest.set(key, row.seq);
      }
      await quarantine.bulkDelete(superseded);
    },
  },
  {
    // Several stores in one queue, the conversation with the buyer, and the seller's own photos.
    version: 8,
    stores: {
      stores: 'id',
      messages: 'id, requestId, [requestId+at], status',
      sellerEvidence: 'id, requestId, outboxId',
    },
  },
];

/** What tells two set-aside rows apart: the record's id, or for a record without one, its excerpt. */
export function quarantineKey(row: { resource: string; recordId: string; excerpt: string }): string {
  return row.recordId === '' ? `${row.resource}\n\n${row.excerpt}` : `${row.resource}\n${row.recordId}`;
}

export const CACHE_SCHEMA_VERSION = CACHE_SCHEMA.at(-1)?.version ?? 1;

/** Tables the queue needs: loaded first on restart, so the seller can work while the rest loads. */
export const QUEUE_TABLES = ['requests', 'syncMarks', 'settings', 'conflicts', 'outbox', 'batches', 'stores'] as const;
