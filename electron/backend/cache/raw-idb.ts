import * as fakeIndexedDb from 'fake-indexeddb';
import { DeskError } from '../../../shared/errors';

/**
 * The part of IndexedDB (as fake-indexeddb implements it) that the durable cache drives directly,
 * below Dexie: loading a snapshot and reading one for compaction go straight to the object
 * stores, so they are neither journaled nor slowed by Dexie's middleware. fake-indexeddb's own
 * typings name DOM types, which the node-side scope does not load; these are structural stand-ins.
 */
export interface RawRequest {
  readonly result: unknown;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: ((event: { preventDefault(): void }) => void) | null;
}

export interface RawKeyRange {
  includes(key: unknown): boolean;
}

export interface RawObjectStore {
  readonly keyPath: string | string[] | null;
  put(value: unknown, key?: unknown): RawRequest;
  delete(query: unknown): RawRequest;
  clear(): RawRequest;
  count(query?: unknown): RawRequest;
  getAll(query?: unknown, count?: number): RawRequest;
  getAllKeys(query?: unknown, count?: number): RawRequest;
}

export interface RawTransaction {
  readonly mode: string;
  readonly error: unknown;
  objectStore(name: string): RawObjectStore;
  addEventListener(type: 'complete' | 'abort' | 'error', listener: () => void): void;
  abort(): void;
}

export interface RawDatabase {
  transaction(storeNames: string | string[], mode: 'readonly' | 'readwrite'): RawTransaction;
}

export interface RawKeyRangeFactory {
  only(value: unknown): RawKeyRange;
  bound(lower: unknown, upper: unknown, lowerOpen?: boolean, upperOpen?: boolean): RawKeyRange;
  lowerBound(lower: unknown, open?: boolean): RawKeyRange;
  upperBound(upper: unknown, open?: boolean): RawKeyRange;
}

export interface RawIndexedDb {
  IDBFactory: new () => { open(...args: never[]): unknown };
  IDBKeyRange: RawKeyRangeFactory;
}

export const rawIndexedDb = fakeIndexedDb as unknown as RawIndexedDb;

/** Whether a DBCore transaction handed to a middleware is a raw IndexedDB transaction we can watch. */
export function isRawTransaction(value: unknown): value is RawTransaction {
  return (
    typeof value === 'object' &&
    value !== null &&
    'mode' in value &&
    typeof value.mode === 'string' &&
    'addEventListener' in value &&
    typeof value.addEventListener === 'function' &&
    'objectStore' in value &&
    typeof value.objectStore === 'function'
  );
}

/** Resolves when the transaction commits; rejects (with its error) when it aborts. */
export function whenDone(transaction: RawTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.addEventListener('complete', () => resolve());
    transaction.addEventListener('abort', () => {
      const cause = transaction.error instanceof Error ? transaction.error.message : 'aborted';
      reject(new DeskError('cache_load_failed', `${what} failed inside the in-memory database: ${cause}.`));
    });
  });
}
