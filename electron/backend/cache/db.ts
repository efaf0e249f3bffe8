import Dexie, { type EntityTable } from 'dexie';
import * as fakeIndexedDb from 'fake-indexeddb';
import type { Order } from '../../../shared/domain/order';
import type { CancelRequest } from '../../../shared/domain/request';
import type { StateViewId } from '../../../shared/domain/views';

/** A request as cached: the marketplace's record plus the queue view it belongs to. */
export interface CachedRequest extends CancelRequest {
  view: StateViewId;
}

/** Per-resource sync progress: where the next page starts. */
export interface SyncMark {
  resource: string;
  /** updated_since for the next pass (inclusive). */
  since: string | null;
  /** The cursor of the page in progress, when a pass was interrupted. */
  cursor: string | null;
  lastSyncAt: string | null;
}

export type CacheDb = Dexie & {
  orders: EntityTable<Order, 'id'>;
  requests: EntityTable<CachedRequest, 'id'>;
  syncMarks: EntityTable<SyncMark, 'resource'>;
};

/**
 * fake-indexeddb's own typings name DOM types, which the node-side scope does not load; this is
 * the part of them Dexie needs.
 */
interface IndexedDbEngine {
  IDBFactory: new () => { open(...args: never[]): unknown };
  IDBKeyRange: {
    bound(...args: never[]): unknown;
    lowerBound(...args: never[]): unknown;
    upperBound(...args: never[]): unknown;
  };
}
const engine = fakeIndexedDb as unknown as IndexedDbEngine;

/** Opens the cache on its own in-memory IndexedDB (durability is the snapshot's job). */
export function openCacheDb(name = 'cancel-desk'): CacheDb {
  const db = new Dexie(name, { indexedDB: new engine.IDBFactory(), IDBKeyRange: engine.IDBKeyRange }) as CacheDb;
  db.version(1).stores({
    orders: 'id, storeId, updatedAt',
    requests: 'id, orderId, view, [view+respondBy+id], [view+requestedAt+id], [respondBy+id], [requestedAt+id]',
    syncMarks: 'resource',
  });
  return db;
}
