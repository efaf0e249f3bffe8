import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import { DeskError } from '../../../shared/errors';
import { MAX_FRAME_PAYLOAD_BYTES } from './frame';
import { type CacheKey, describeKey, isCacheKey } from './keys';
import { isRawTransaction } from './raw-idb';

/**
 * Captures every committed write transaction of a Dexie database, generically, with a DBCore
 * middleware placed below all of Dexie's own (so it sees exactly what reaches IndexedDB: puts from
 * put/bulkPut/modify/update, deletes, and range deletes from clear() and Collection.delete()).
 *
 * Values are turned into JSON when the write is issued (IndexedDB clones them at that moment
 * too, so a caller changing the object afterwards changes neither), and only the writes that
 * succeeded are kept. When the transaction commits, `committed` is called synchronously, from
 * IndexedDB's complete event and before Dexie resolves the transaction's promise, so whoever
 * awaits the transaction and then calls flush() finds the record already queued.
 *
 * A write whose key or value cannot be journaled is refused before it happens. A write that
 * fails half-way (IndexedDB threw after some rows were written) aborts its transaction, so
 * memory never holds a change the journal does not.
 */

/** What one committed transaction changed, per table, for loaders that must not overwrite it. */
export type TouchedWrite =
  | { table: string; kind: 'keys'; keys: readonly CacheKey[] }
  | { table: string; kind: 'range'; lower: CacheKey | undefined; upper: CacheKey | undefined; lowerOpen: boolean; upperOpen: boolean }
  | { table: string; kind: 'clear' };

export interface CapturedTransaction {
  /** The JSON of each journal op, in the order the writes happened. */
  readonly ops: readonly string[];
  readonly touched: readonly TouchedWrite[];
}

export interface CaptureSink {
  /** A write transaction committed (only those that wrote something are reported). Must not throw. */
  committed(transaction: CapturedTransaction): void;
  /** The capture could not journal a committed transaction: durability is broken from here on. */
  failed(error: DeskError): void;
}

const MIDDLEWARE_NAME = 'DurableCacheJournal';
/** Dexie's own middlewares sit at levels -1 to 2; below them all, we see what IndexedDB sees. */
const MIDDLEWARE_LEVEL = -100;
const RANGE_NEVER = 4;
const RANGE_ANY = 3;

class TransactionCapture {
  readonly ops: string[] = [];
  readonly touched: TouchedWrite[] = [];
  bytes = 0;
  pending = 0;

  add(op: string, touched: TouchedWrite): void {
    this.ops.push(op);
    this.touched.push(touched);
    this.bytes += op.length;
  }
}

function abortQuietly(transaction: DBCoreTransaction): void {
  try {
    transaction.abort();
  } catch {
    // Already finished or aborting: there is nothing left to undo.
  }
}

function unsupportedKey(table: string, key: unknown): DeskError {
  return new DeskError(
    'cache_unsupported_key',
    `A record for table ${table} has ${describeKey(key)} as its key; the durable cache keeps only strings, finite numbers and arrays of them as keys.`,
  );
}

/** The middleware to install with `db.use(...)` before the database opens. */
export function journalCaptureMiddleware(sink: CaptureSink, maxTransactionBytes = MAX_FRAME_PAYLOAD_BYTES - 1024): Middleware<DBCore> {
  const active = new WeakMap<object, TransactionCapture>();

  const mutate = (tableName: string, table: DBCoreTable, request: DBCoreMutateRequest, maxKey: unknown): Promise<DBCoreMutateResponse> => {
    const capture = active.get(request.trans);
    if (capture === undefined) {
      // Upgrade functions write inside the version-change transaction; recovery replays them by
      // running the upgrade again, so they are not journaled.
      if (isRawTransaction(request.trans) && request.trans.mode === 'versionchange') return table.mutate(request);
      return Promise.reject(new DeskError('internal', `A write to table ${tableName} happened outside any transaction the durable cache watches.`));
    }
    const keep = (op: string, touched: TouchedWrite): void => {
      capture.add(op, touched);
      if (capture.bytes > maxTransactionBytes) {
        abortQuietly(request.trans);
        throw new DeskError(
          'cache_transaction_too_large',
          `One transaction wrote more than ${Math.round(maxTransactionBytes / 1_048_576)} MB to the cache; write in smaller transactions (chunks of 500-2,000 rows).`,
        );
      }
    };
    const track = (promise: Promise<DBCoreMutateResponse>, onSuccess: (response: DBCoreMutateResponse) => void): Promise<DBCoreMutateResponse> => {
      capture.pending += 1;
      return promise.then(
        (response) => {
          capture.pending -= 1;
          onSuccess(response);
          return response;
        },
        (error: unknown) => {
          capture.pending -= 1;
          // IndexedDB may have written part of the request before it threw: undo all of it.
          abortQuietly(request.trans);
          throw error;
        },
      );
    };
    const name = JSON.stringify(tableName);

    switch (request.type) {
      case 'add':
      case 'put': {
        const values: readonly unknown[] = request.values;
        const givenKeys: readonly unknown[] | undefined = request.keys;
        const extractKey = table.schema.primaryKey.extractKey;
        const encoded: string[] = [];
        for (let index = 0; index < values.length; index += 1) {
          const value = values[index];
          const key: unknown = givenKeys?.[index] ?? (extractKey === null ? undefined : extractKey(value));
          if (key !== undefined && !isCacheKey(key)) return Promise.reject(unsupportedKey(tableName, key));
          const json = JSON.stringify(value);
          if (json === undefined) {
            return Promise.reject(new DeskError('cache_unsupported_value', `A record for table ${tableName} is not data that can be saved (${typeof value}).`));
          }
          encoded.push(json);
        }
        return track(table.mutate(request), (response) => {
          const failures: Readonly<Record<number, unknown>> = response.failures;
          const results: readonly unknown[] = response.results ?? [];
          const keys: CacheKey[] = [];
          const kept: string[] = [];
          for (let index = 0; index < encoded.length; index += 1) {
            if (failures[index] !== undefined && failures[index] !== null) continue;
            const key = results[index];
            if (!isCacheKey(key)) {
              abortQuietly(request.trans);
              throw unsupportedKey(tableName, key);
            }
            keys.push(key);
            kept.push(encoded[index] ?? 'null');
          }
          if (keys.length === 0) return;
          keep(`{"t":${name},"op":"put","keys":${JSON.stringify(keys)},"values":[${kept.join(',')}]}`, { table: tableName, kind: 'keys', keys });
        });
      }
      case 'delete': {
        const keys: readonly unknown[] = request.keys;
        const checked: CacheKey[] = [];
        for (const key of keys) {
          if (!isCacheKey(key)) return Promise.reject(unsupportedKey(tableName, key));
          checked.push(key);
        }
        return track(table.mutate(request), () => {
          if (checked.length > 0) keep(`{"t":${name},"op":"delete","keys":${JSON.stringify(checked)}}`, { table: tableName, kind: 'keys', keys: checked });
        });
      }
      case 'deleteRange': {
        const { range } = request;
        const type: number = range.type;
        if (type === RANGE_NEVER) return table.mutate(request);
        if (type === RANGE_ANY) {
          return track(table.mutate(request), () => keep(`{"t":${name},"op":"clear"}`, { table: tableName, kind: 'clear' }));
        }
        // Dexie spells "no bound" as -Infinity below and its MAX_KEY above.
        const lowerKey: unknown = range.lower;
        const upperKey: unknown = range.upper;
        const lower = lowerKey === undefined || lowerKey === Number.NEGATIVE_INFINITY ? undefined : lowerKey;
        const upper = upperKey === undefined || JSON.stringify(upperKey) === JSON.stringify(maxKey) ? undefined : upperKey;
        if (lower === undefined && upper === undefined) {
          return track(table.mutate(request), () => keep(`{"t":${name},"op":"clear"}`, { table: tableName, kind: 'clear' }));
        }
        if ((lower !== undefined && !isCacheKey(lower)) || (upper !== undefined && !isCacheKey(upper))) {
          return Promise.reject(unsupportedKey(tableName, lower !== undefined && !isCacheKey(lower) ? lower : upper));
        }
        const bounds = { lower, upper, lowerOpen: range.lowerOpen === true, upperOpen: range.upperOpen === true };
        return track(table.mutate(request), () =>
          keep(`{"t":${name},"op":"range",${JSON.stringify(bounds).slice(1, -1)}}`, { table: tableName, kind: 'range', ...bounds }),
        );
      }
    }
  };

  return {
    stack: 'dbcore',
    name: MIDDLEWARE_NAME,
    level: MIDDLEWARE_LEVEL,
    create(down: DBCore): Partial<DBCore> {
      return {
        ...down,
        transaction(stores, mode, options) {
          const transaction = down.transaction(stores, mode, options);
          if (mode !== 'readwrite') return transaction;
          if (!isRawTransaction(transaction)) {
            sink.failed(new DeskError('internal', 'The durable cache cannot watch this database: its transactions are not IndexedDB transactions.'));
            return transaction;
          }
          const capture = new TransactionCapture();
          active.set(transaction, capture);
          transaction.addEventListener('complete', () => {
            try {
              if (capture.pending > 0) {
                sink.failed(new DeskError('internal', 'A transaction committed while one of its writes was still being recorded.'));
                return;
              }
              if (capture.ops.length > 0) sink.committed(capture);
            } catch (error) {
              const detail = error instanceof Error ? error.message : String(error);
              sink.failed(error instanceof DeskError ? error : new DeskError('internal', `Recording a committed transaction failed: ${detail}`));
            }
          });
          return transaction;
        },
        table(tableName) {
          const table = down.table(tableName);
          return { ...table, mutate: (request) => mutate(tableName, table, request, down.MAX_KEY) };
        },
      };
    },
  };
}
