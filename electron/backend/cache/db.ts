import Dexie, { type EntityTable } from 'dexie';
import * as fakeIndexedDb from 'fake-indexeddb';
import type { Order } from '../../../shared/domain/order';
import type { CachedRequest } from './records';
import { CACHE_SCHEMA, type SchemaVersion } from './schema';

export type { CachedRequest } from './records';

/** Per-resource sync progress: where the next page starts. */
export interface SyncMark {
  resource: string;
  /** updated_since for the next pass (inclusive). */
  since: string | null;
  /** The cursor of the page in progress, when a pass was interrupted. */
  cursor: string | null;
  lastSyncAt: string | null;
}

/** A record the marketplace sent that failed validation, kept with the reason. */
export interface QuarantinedRow {
  seq?: number;
  resource: 'orders' | 'requests';
  recordId: string;
  reason: string;
  receivedAt: string;
  /** The start of the raw record, for a person to look at. */
  excerpt: string;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export type CacheDb = Dexie & {
  orders: EntityTable<Order, 'id'>;
  requests: EntityTable<CachedRequest, 'id'>;
  syncMarks: EntityTable<SyncMark, 'resource'>;
  quarantine: EntityTable<QuarantinedRow, 'seq'>;
  settings: EntityTable<SettingRow, 'key'>;
};

/**
 * fake-indexeddb's own typings name DOM types, which the node-side scope does not load; this is
 * the part of them Dexie needs.
 */
export interface IndexedDbEngine {
  IDBFactory: new () => { open(...args: never[]): unknown };
  IDBKeyRange: {
    bound(...args: never[]): unknown;
    lowerBound(...args: never[]): unknown;
    upperBound(...args: never[]): unknown;
  };
}
export const indexedDbEngine = fakeIndexedDb as unknown as IndexedDbEngine;

/** Declares the schema's versions, up to `upTo` (all by default), on a Dexie instance. */
export function declareSchema(db: Dexie, schema: readonly SchemaVersion[] = CACHE_SCHEMA, upTo = Number.POSITIVE_INFINITY): void {
  for (const entry of schema) {
    if (entry.version > upTo) break;
    const version = db.version(entry.version).stores(entry.stores);
    if (entry.upgrade) version.upgrade(entry.upgrade);
  }
}

/** Opens the cache on its own in-memory IndexedDB (durability is the journal's job). */
export function openCacheDb(name = 'cancel-desk'): CacheDb {
  const db = new Dexie(name, { indexedDB: new indexedDbEngine.IDBFactory(), IDBKeyRange: indexedDbEngine.IDBKeyRange }) as CacheDb;
  declareSchema(db);
  return db;
}
