import { VIEW_IDS, type ViewId } from '../../../shared/domain/views';
import type { ViewCounts } from '../../../shared/ipc/contract';
import type { CacheDb } from '../cache/db';
import type { QueueIndex } from './memory-index';

/**
 * Each store's count per view (the store filter beside the views): the sizes of its scope in the
 * queue's in-memory orders, and its conflicts, which are few by nature, read from the cache and
 * joined to their requests. A store that never had a request is absent (the renderer shows 0).
 */
export async function storeCounts(db: CacheDb, index: QueueIndex): Promise<Record<string, ViewCounts>> {
  const conflicts = await db.conflicts.toArray();
  const conflicted = await db.requests.bulkGet(conflicts.map((conflict) => conflict.requestId));
  const conflictsByStore = new Map<string, number>();
  for (const request of conflicted) {
    if (request !== undefined) conflictsByStore.set(request.storeId, (conflictsByStore.get(request.storeId) ?? 0) + 1);
  }
  const result: Record<string, ViewCounts> = {};
  for (const storeId of new Set([...index.storeIds(), ...conflictsByStore.keys()])) {
    const counts: Partial<Record<ViewId, number>> = {};
    for (const view of VIEW_IDS) counts[view] = view === 'conflicts' ? (conflictsByStore.get(storeId) ?? 0) : index.size(view, storeId);
    result[storeId] = counts as ViewCounts;
  }
  return result;
}
