import Dexie, { type EntityTable } from 'dexie';
import * as fakeIndexedDb from 'fake-indexeddb';
import type { Order } from '../../../shared/domain/order';
import type { CachedRequest, SearchTermRow } from './records';
import { CACHE_SCHEMA, type SchemaVersion } from './schema';

export type { CachedRequest } from './records';

/** What of a refund went to each line and to shipping. */
export type RefundParts = NonNullable<Order['refundedParts']>;

/** Per-resource sync progress: where the next page starts. */
export interface SyncMark {
  resource: string;
  /** updated_since for the next pass (inclusive). */
  since: string | null;
  /** The cursor of the page in progress, when a pass was interrupted. */
  cursor: string | null;
  lastSyncAt: string | null;
}

/**
 * A record the marketplace sent that failed validation, kept with the reason: one row per record
 * (its latest copy; '' ids are told apart by their excerpt), gone once a valid copy arrives.
 */
export interface QuarantinedRow {
  seq?: number;
  resource: 'orders' | 'requests' | 'messages';
  recordId: string;
  /** The malformed copy's version, when it had a readable one (absent in rows written before schema v7). */
  version?: number | null;
  reason: string;
  receivedAt: string;
  /** The start of the raw record, for a person to look at. */
  excerpt: string;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

/** unknown: the marketplace cannot say whether an attempt landed; the seller decides (never resent on its own). */
export type OutboxStatus = 'held' | 'sending' | 'retry' | 'done' | 'failed' | 'conflict' | 'cancelled' | 'unknown';

/** One decision to deliver: its id is the Idempotency-Key, its body is what is sent. */
export interface OutboxEntry {
  id: string;
  batchId: string;
  requestId: string;
  orderId: string;
  /** Which marketplace endpoint: accept, refuse, request-evidence, offer, escalate. */
  endpoint: 'accept' | 'refuse' | 'request-evidence' | 'offer' | 'escalate' | 'retry-refund' | 'message';
  body: Record<string, unknown>;
  /** The seller's action as decided, to decide again if the seller retries a failure. */
  decision: Record<string, unknown>;
  status: OutboxStatus;
  /** Not sent before this (the undo window); then as soon as possible. */
  dueAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: { code: string; message: string } | null;
  /** The marketplace's answer once delivered. */
  answer: unknown;
  createdAt: string;
  settledAt: string | null;
  /** For a refund: what of it goes to each line and to shipping (from the quote decided). */
  refundParts?: RefundParts | null;
  /** The last attempt may have reached the marketplace: its state is read before anything is sent again. */
  uncertain?: boolean;
}

export interface AuditEntry {
  seq?: number;
  at: string;
  actor: 'seller' | 'app' | 'marketplace';
  action: string;
  requestId: string;
  orderId: string;
  batchId: string | null;
  params: Record<string, unknown>;
  amount: { amountMinor: number; currency: string } | null;
  rulesVersion: string | null;
  stateBefore: string | null;
  stateAfter: string | null;
  message: string;
}

export interface BatchRow {
  id: string;
  createdAt: string;
  undoUntil: string;
  action: string;
  requestIds: string[];
  state: 'open' | 'undone';
}

export interface ConflictRow {
  requestId: string;
  outboxId: string | null;
  detectedAt: string;
  /** What changed, for a person: "The buyer withdrew the request at 10:42." */
  what: string;
  localState: string | null;
  remoteState: string;
}

export interface NoteRow {
  seq?: number;
  requestId: string;
  at: string;
  text: string;
}

export interface EvidenceRow {
  id: string;
  requestId: string;
  fileName: string;
  contentType: string;
  bytes: number;
  submittedAt: string;
  /** Where the file is under the data folder once fetched; null until then. */
  path: string | null;
  /** 1 once the file is on disk (an indexable mirror of `path !== null`), 2 when Cancel Desk refused it (never fetched again). */
  fetched: 0 | 1 | 2;
  /** Why the file was refused (a video, not an image, too large), as a clause; null or absent (rows from before) otherwise. */
  refused?: string | null;
}

export interface RefundRow {
  id: string;
  requestId: string;
  orderId: string;
  outboxId: string | null;
  amount: { amountMinor: number; currency: string };
  /** retried: failed, and the seller asked again (a new refund row follows). */
  status: 'pending' | 'completed' | 'failed' | 'retried';
  /** Why it failed, as the marketplace said. */
  failure: string | null;
  updatedAt: string;
  /** What of it went to each line and to shipping, where this app decided it (absent: unknown). */
  parts?: RefundParts | null;
}

/** One message of a conversation with a buyer: synced from the marketplace, or written here and on its way. */
export interface MessageRow {
  id: string;
  requestId: string;
  from: 'buyer' | 'seller';
  text: string;
  at: string;
  /** received: synced from the marketplace; pending: sent from this desk, in the outbox (outboxId); sent: the marketplace has it. */
  status: 'received' | 'pending' | 'sent' | 'failed';
  outboxId: string | null;
}

/** A photo the seller attached to a decision (refuse, offer): stored under the data folder, then uploaded. */
export interface SellerEvidenceRow {
  id: string;
  requestId: string;
  fileName: string;
  contentType: string;
  bytes: number;
  /** The file's name under the data folder's seller-evidence folder. */
  path: string;
  addedAt: string;
  /** The decision it went with, once decided; null while only attached in a dialog. */
  outboxId: string | null;
  /** When the marketplace took it (the decision was delivered). */
  sentAt: string | null;
}

/** A store: a marketplace kind, how to reach it, its own sync state (its syncMarks), an optional policy. */
export interface StoreRow {
  id: string;
  name: string;
  kind: 'demo' | 'aliexpress';
  /** embedded: a demo marketplace the app starts itself (its address changes each run); url: a marketplace's API. */
  endpoint: { embedded: string } | { url: string };
  paused: boolean;
  /**
   * This store's own policy (a whole policy, validated again when read; the undo window stays the
   * seller's); null: the seller's policy.
   */
  policy: unknown;
  /** This store's own message templates; null or absent: the seller's. */
  messageTemplates?: unknown;
  createdAt: string;
  /** Removed stores keep their requests' audit log; their requests leave the queue. */
  removedAt: string | null;
}

export type CacheDb = Dexie & {
  orders: EntityTable<Order, 'id'>;
  requests: EntityTable<CachedRequest, 'id'>;
  syncMarks: EntityTable<SyncMark, 'resource'>;
  quarantine: EntityTable<QuarantinedRow, 'seq'>;
  settings: EntityTable<SettingRow, 'key'>;
  outbox: EntityTable<OutboxEntry, 'id'>;
  audit: EntityTable<AuditEntry, 'seq'>;
  batches: EntityTable<BatchRow, 'id'>;
  conflicts: EntityTable<ConflictRow, 'requestId'>;
  notes: EntityTable<NoteRow, 'seq'>;
  evidence: EntityTable<EvidenceRow, 'id'>;
  refunds: EntityTable<RefundRow, 'id'>;
  searchTerms: Dexie.Table<SearchTermRow, [string, string]>;
  messages: EntityTable<MessageRow, 'id'>;
  sellerEvidence: EntityTable<SellerEvidenceRow, 'id'>;
  stores: EntityTable<StoreRow, 'id'>;
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
