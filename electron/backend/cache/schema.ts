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
];

export const CACHE_SCHEMA_VERSION = CACHE_SCHEMA.at(-1)?.version ?? 1;

/** Tables the queue needs: loaded first on restart, so the seller can work while the rest loads. */
export const QUEUE_TABLES = ['requests', 'syncMarks', 'settings', 'conflicts', 'outbox', 'batches'] as const;
