import { toInstant, type Clock } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';
import type { CacheDb } from '../cache/db';

const WAITING = new Set(['held', 'sending', 'retry', 'unknown']);

/**
 * A removed store's records leave the cache: its requests and orders, their messages, evidence
 * rows, conflicts and search terms. Its audit log stays (and says the store was removed), as do
 * the outbox's history and the refunds. Refused while any of its decisions still waits to be sent.
 */
export async function removeStoreRecords(db: CacheDb, storeId: string, clock: Clock): Promise<{ requestsRemoved: number; auditEntriesKept: number }> {
  return db.transaction('rw', [db.requests, db.orders, db.messages, db.evidence, db.conflicts, db.searchTerms, db.outbox, db.audit], async () => {
    const requests = (await db.requests.toArray()).filter((row) => row.storeId === storeId);
    const ids = requests.map((row) => row.id);
    const idSet = new Set(ids);
    const waiting = (await db.outbox.toArray()).filter((entry) => idSet.has(entry.requestId) && WAITING.has(entry.status));
    if (waiting.length > 0) {
      throw new DeskError(
        'store_busy',
        `${waiting.length} ${waiting.length === 1 ? 'decision' : 'decisions'} of this store still ${waiting.length === 1 ? 'waits' : 'wait'} to be sent or checked; remove the store once the outbox has settled them.`,
      );
    }
    const orderIds = await db.orders.where('storeId').equals(storeId).primaryKeys();
    await db.requests.bulkDelete(ids);
    await db.orders.bulkDelete(orderIds);
    for (const id of ids) {
      await db.messages.where('requestId').equals(id).delete();
      await db.evidence.where('requestId').equals(id).delete();
      await db.searchTerms.where('requestId').equals(id).delete();
    }
    await db.conflicts.bulkDelete(ids);
    const auditEntriesKept = ids.length === 0 ? 0 : await db.audit.where('requestId').anyOf(ids).count();
    await db.audit.add({
      at: toInstant(clock.now()),
      actor: 'seller',
      action: 'remove_store',
      requestId: '',
      orderId: '',
      batchId: null,
      params: { storeId, requestsRemoved: ids.length },
      amount: null,
      rulesVersion: null,
      stateBefore: null,
      stateAfter: null,
      message: `Removed the store ${storeId}: ${ids.length} requests left the queue; their audit log (${auditEntriesKept} entries) is kept.`,
    });
    return { requestsRemoved: ids.length, auditEntriesKept };
  });
}
