import type { Order } from '../../shared/domain/order';
import type { CancelRequest, RequestState } from '../../shared/domain/request';
import type { Money } from '../../shared/money';
import { instantMs, toInstant, type Clock } from '../../shared/domain/time';
import type { Dataset } from './data';
import { RecordStore, type Versioned } from './store';
import { SellerUploads } from './seller-evidence';

/**
 * The demo marketplace's in-memory state: orders and requests (each a change feed, overall and
 * per store), evidence, and the stamp source that keeps every change after the previous one.
 */

/** A table plus one feed per store, written together. */
export class Table<T extends Versioned & { readonly storeId: string }> {
  readonly all: RecordStore<T>;
  private readonly stores = new Map<string, RecordStore<T>>();

  constructor(records: readonly T[]) {
    this.all = new RecordStore(records);
    const grouped = new Map<string, T[]>();
    for (const record of records) {
      const group = grouped.get(record.storeId);
      if (group === undefined) grouped.set(record.storeId, [record]);
      else group.push(record);
    }
    for (const [storeId, group] of grouped) this.stores.set(storeId, new RecordStore(group));
  }

  get size(): number {
    return this.all.size;
  }

  get(id: string): T | undefined {
    return this.all.get(id);
  }

  /** The feed of one store (empty when the store has no records). */
  store(storeId: string): RecordStore<T> {
    let store = this.stores.get(storeId);
    if (store === undefined) {
      store = new RecordStore<T>();
      this.stores.set(storeId, store);
    }
    return store;
  }

  storeIds(): string[] {
    return [...this.stores.keys()].sort();
  }

  put(record: T): void {
    const previous = this.all.get(record.id);
    if (previous !== undefined && previous.storeId !== record.storeId) {
      throw new RangeError(`Record ${record.id} cannot move from ${previous.storeId} to ${record.storeId}.`);
    }
    this.all.put(record);
    this.store(record.storeId).put(record);
  }

  /** Every record in feed order. */
  list(): T[] {
    return this.all.list();
  }
}

/** Who made a change. */
export type Actor = 'seller' | 'buyer' | 'platform';

export const LEDGER_ACTIONS = [
  // The seller, through /v1.
  'accept',
  'refuse',
  'request_evidence',
  'offer',
  'escalate',
  // The buyer, as time passes or through /_sim.
  'open',
  'withdraw',
  'submit_proof',
  'accept_offer',
  'refuse_offer',
  'buyer_escalate',
  // The platform, at deadlines.
  'auto_accept',
  'decide_for_buyer',
  'decide_for_seller',
  'take_over',
  'settle_refund',
  'refund_failed',
  // The seller again, after a failed refund.
  'retry_refund',
  // The seller writes to the buyer: in the history, but not a change (the version stays).
  'message',
] as const;
export type LedgerAction = (typeof LEDGER_ACTIONS)[number];

/** One applied change: the marketplace's record for exactly-once checks. */
export interface LedgerEntry {
  /** 1, 2, 3... in the order changes were applied. */
  readonly seq: number;
  /** The request's updatedAt after the change. */
  readonly at: string;
  readonly actor: Actor;
  readonly action: LedgerAction;
  readonly requestId: string;
  readonly orderId: string;
  readonly storeId: string;
  /** Null when the change opened the request. */
  readonly fromState: RequestState | null;
  readonly toState: RequestState;
  /** The request's version after the change. */
  readonly requestVersion: number;
  /** Money sent back to the buyer by this change; null when none. */
  readonly refund: Money | null;
  /** The seller's Idempotency-Key, for seller actions (null when the marketplace ignores keys). */
  readonly idempotencyKey: string | null;
  /** What else the change carried (refusal reason and memo, offer, proof due date...). */
  readonly details: Readonly<Record<string, unknown>>;
}

export class SimState {
  /** Every change applied since the simulator started (the seeded history is not in it). */
  readonly ledger: LedgerEntry[] = [];
  readonly orders: Table<Order>;
  readonly requests: Table<CancelRequest>;
  /** Evidence id -> the request it belongs to. */
  readonly evidenceOwners = new Map<string, string>();
  /** The seller's own uploads (seller-evidence.ts), named by refusals and offers. */
  readonly sellerUploads = new SellerUploads();
  /** Request id -> its ledger entries, oldest first: a request's history without a ledger scan. */
  private readonly ledgerByRequest = new Map<string, LedgerEntry[]>();
  private lastStampMs: number;

  constructor(
    dataset: Dataset,
    private readonly clock: Clock,
    /** Added to clock time: admin "advance" moves the marketplace's time without the clock. */
    private offsetMs = 0,
  ) {
    this.orders = new Table(dataset.orders);
    this.requests = new Table(dataset.requests);
    let last = Number.NEGATIVE_INFINITY;
    for (const order of dataset.orders) last = Math.max(last, instantMs(order.updatedAt));
    for (const request of dataset.requests) {
      last = Math.max(last, instantMs(request.updatedAt));
      for (const evidence of request.evidence) this.evidenceOwners.set(evidence.id, request.id);
    }
    this.lastStampMs = Number.isFinite(last) ? last : this.now() - 1;
  }

  /** The marketplace's current time in epoch ms. */
  now(): number {
    return this.clock.now() + this.offsetMs;
  }

  /** Moves the marketplace's own time forward (admin endpoint); the injected clock is untouched. */
  shiftTime(ms: number): void {
    this.offsetMs += ms;
  }

  /**
   * The updatedAt for a change happening now: the current time, or 1 ms after the previous
   * change when several land in the same millisecond. Strictly increasing, so an incremental
   * reader that has seen (updatedAt, id) never misses a later change.
   */
  stamp(): string {
    this.lastStampMs = Math.max(this.now(), this.lastStampMs + 1);
    return toInstant(this.lastStampMs);
  }

  appendLedger(entry: Omit<LedgerEntry, 'seq'>): LedgerEntry {
    const full: LedgerEntry = { seq: this.ledger.length + 1, ...entry };
    this.ledger.push(full);
    const entries = this.ledgerByRequest.get(full.requestId);
    if (entries === undefined) this.ledgerByRequest.set(full.requestId, [full]);
    else entries.push(full);
    return full;
  }

  /** The ledger entries of one request, oldest first (none when it has not changed since start). */
  ledgerOf(requestId: string): readonly LedgerEntry[] {
    return this.ledgerByRequest.get(requestId) ?? [];
  }

  putOrder(order: Order): void {
    this.orders.put(order);
  }

  putRequest(request: CancelRequest): void {
    this.requests.put(request);
    for (const evidence of request.evidence) this.evidenceOwners.set(evidence.id, request.id);
  }
}
