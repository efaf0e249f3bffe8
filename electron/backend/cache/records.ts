import { phaseOf, type Order, type Phase } from '../../../shared/domain/order';
import type { CancelRequest, RequestState } from '../../../shared/domain/request';
import { viewOfState, type StateViewId } from '../../../shared/domain/views';
import { currencyExponent, type Money } from '../../../shared/money';

/**
 * A request as cached: the marketplace's record plus what the queue needs from its order, so a
 * queue page reads one table (and restart can serve the queue before orders are loaded).
 */
export interface CachedRequest extends CancelRequest {
  /** The view of the state the seller sees: the pending local decision's, else the marketplace's. */
  view: StateViewId;
  /** The seller's decision not yet confirmed by the marketplace; null when there is none. */
  local: LocalDecision | null;
  /** Who works this request (local only for now). */
  assignee: string | null;
  buyerName: string;
  buyerCountry: string;
  /** From the order's status; null until the order is synced. */
  phase: Phase | null;
  /**
   * Sort key for "amount", largest first: minus the requested amount in 1/10,000 of a major unit
   * (nominal, no FX). Negated so the index is read forwards (fake-indexeddb walks cursors slowly).
   */
  amountKey: number;
  /** Lower-case search terms: order id, request id, buyer name (whole and by word), SKUs. */
  terms: string[];
  /**
   * When the buyer last wrote, while that message is newer than anything else that happened to the
   * request and the seller has not answered (a message or a decision) since: the "Buyer replied"
   * view. Null or absent (rows from before) otherwise.
   */
  buyerRepliedAt?: string | null;
  /**
   * A proof request the desk tracks itself, on a marketplace that has no proof endpoint (it went
   * to the buyer as a message): while the marketplace's request stays at the version it was asked
   * at, the row shows it proof requested with this due date. Null or absent otherwise.
   */
  deskProofRequest?: DeskProofRequest | null;
}

/** A proof request sent as a message (capabilities.proofRequest 'message'), tracked by the desk. */
export interface DeskProofRequest {
  message: string;
  dueAt: string;
  /** The outbox entry of the message that asked for it (undo and failure take it back). */
  outboxId: string;
  /** The marketplace version it was asked at: a newer one means the case moved on. */
  baseVersion: number;
}

/** A decision made here and waiting in the outbox (or being sent). */
export interface LocalDecision {
  state: RequestState;
  batchId: string;
  outboxId: string;
  decidedAt: string;
  /** The marketplace version the decision was made against (sent as expectedVersion). */
  baseVersion: number;
  /** The "buyer replied" flag the decision answered (undo gives it back); absent in rows from before. */
  answeredReply?: string | null;
}

const SORT_KEY_DECIMALS = 4;

/** Nominal size of an amount, comparable across currencies by face value (not by exchange rate). */
export function amountSortKey(money: Money): number {
  return money.amountMinor * 10 ** (SORT_KEY_DECIMALS - currencyExponent(money.currency));
}

/** Search terms, lower-cased and de-duplicated; long names are capped so the index stays small. */
export function searchTerms(request: Pick<CancelRequest, 'id' | 'orderId'>, order: Order | undefined): string[] {
  const terms = new Set<string>([request.orderId.toLowerCase(), request.id.toLowerCase()]);
  if (order !== undefined) {
    const name = order.buyer.name.toLowerCase().trim().slice(0, 100);
    if (name !== '') terms.add(name);
    for (const word of name.split(/\s+/)) if (word.length > 1) terms.add(word);
    for (const line of order.lines) terms.add(line.sku.toLowerCase());
  }
  return [...terms];
}

/**
 * The cache row for a marketplace record. What is ours alone (a pending decision, the assignee)
 * is carried over from the row it replaces.
 */
export function toCachedRequest(remote: CancelRequest, order: Order | undefined, previous?: CachedRequest): CachedRequest {
  const local = previous?.local ?? null;
  const deskProof = previous?.deskProofRequest ?? null;
  const tracked = deskProof !== null && remote.version === deskProof.baseVersion && (remote.state === 'requested' || remote.state === 'proof_requested');
  const request: CancelRequest = tracked ? { ...remote, state: 'proof_requested', proofRequest: { message: deskProof.message, dueAt: deskProof.dueAt } } : remote;
  const replied = previous?.buyerRepliedAt ?? null;
  return {
    ...request,
    view: viewOfState(local?.state ?? request.state),
    local,
    assignee: previous?.assignee ?? null,
    buyerName: order?.buyer.name ?? '',
    buyerCountry: order?.buyer.country ?? '',
    phase: order === undefined ? null : phaseOf(order),
    amountKey: -amountSortKey(request.requestedAmount),
    terms: searchTerms(request, order),
    // Anything newer at the marketplace (a decision delivered, the buyer's proof) answers it.
    buyerRepliedAt: replied !== null && replied > request.updatedAt ? replied : null,
    deskProofRequest: tracked ? deskProof : null,
  };
}

/** One search term of one request: the search index, a table of its own (see schema v4). */
export interface SearchTermRow {
  term: string;
  requestId: string;
}

/**
 * Writes request rows and keeps the search index in step: terms a row no longer has are removed,
 * new ones added. `before` holds the rows as they were (undefined for new ones). Call it inside a
 * transaction that includes `requests` and `searchTerms`.
 */
export async function putRequests(
  db: { requests: { bulkPut(rows: CachedRequest[]): Promise<unknown> }; searchTerms: { bulkDelete(keys: Array<[string, string]>): Promise<unknown>; bulkPut(rows: SearchTermRow[]): Promise<unknown> } },
  rows: CachedRequest[],
  before: ReadonlyArray<CachedRequest | undefined>,
): Promise<void> {
  await db.requests.bulkPut(rows);
  const removed: Array<[string, string]> = [];
  const added: SearchTermRow[] = [];
  rows.forEach((row, index) => {
    const old = new Set(before[index]?.terms ?? []);
    const now = new Set(row.terms);
    for (const term of old) if (!now.has(term)) removed.push([term, row.id]);
    for (const term of now) if (!old.has(term)) added.push({ term, requestId: row.id });
  });
  if (removed.length > 0) await db.searchTerms.bulkDelete(removed);
  if (added.length > 0) await db.searchTerms.bulkPut(added);
}

/** The marketplace's record, without what the cache added. */
export function toRemoteRequest(cached: CachedRequest): CancelRequest {
  const {
    view: _view,
    local: _local,
    assignee: _assignee,
    buyerName: _buyerName,
    buyerCountry: _buyerCountry,
    phase: _phase,
    amountKey: _amountKey,
    terms: _terms,
    buyerRepliedAt: _buyerRepliedAt,
    deskProofRequest: _deskProofRequest,
    ...request
  } = cached;
  return request;
}
