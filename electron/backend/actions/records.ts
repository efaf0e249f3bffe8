import { withRefundedPartsOf } from './refund-parts';
import Dexie from 'dexie';
import { toInstant, type Clock } from '../../../shared/domain/time';
import { toCsv } from '../../../shared/csv';
import { DeskError } from '../../../shared/errors';
import type { AuditEntryView, ChannelParsedInput, OutboxSummary, RequestDetail } from '../../../shared/ipc/contract';
import { add, toDecimalString, type Money } from '../../../shared/money';
import { DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../shared/domain/marketplace';
import type { Order } from '../../../shared/domain/order';
import { allowedActions } from '../../../shared/rules/actions';
import type { Policy } from '../../../shared/rules/policy';
import { recommend, type HistoryEntry } from '../../../shared/rules/recommend';
import { isTerminal, stateExplanation } from '../../../shared/rules/states';
import { allowedActionsWithoutOrder, recommendWithoutOrder } from '../../../shared/rules/without-order';
import type { AuditEntry, CacheDb, OutboxEntry, QuarantinedRow } from '../cache/db';
import { toRemoteRequest, type CachedRequest } from '../cache/records';
import { setAsideOrders } from '../sync/quarantine';
import { fileNamePart } from '../file-names';

/** What the rules panel is evaluated with: the store policy, the backend's clock, the store's marketplace. */
export interface RulesDeps {
  policy: () => Policy;
  /** A store's own policy, or the seller's (`policy`) when absent. */
  storePolicy?: (storeId: string) => Policy;
  clock: Clock;
  /** What each store's marketplace can do (what it lacks is blocked); the demo marketplace's when absent. */
  capabilities?: (storeId: string) => MarketplaceCapabilities;
}

/** What the detail pane shows for one request: the record, its order, our own notes and log, and the rules panel. */
export async function requestDetail(db: CacheDb, requestId: string, rules: RulesDeps): Promise<RequestDetail> {
  const row = await db.requests.get(requestId);
  if (row === undefined) throw new DeskError('not_found', `There is no request ${requestId} in the cache.`);
  const [order, conflict, notes, audit, outbox] = await Promise.all([
    db.orders.get(row.orderId),
    db.conflicts.get(requestId),
    db.notes.where('requestId').equals(requestId).sortBy('seq'),
    db.audit.where('requestId').equals(requestId).reverse().sortBy('seq'),
    row.local === null ? undefined : db.outbox.get(row.local.outboxId),
  ]);
  const request = toRemoteRequest(row);
  const setAside = (await setAsideOrders(db, [{ id: row.orderId, cached: order }])).get(row.orderId);
  return {
    request,
    order: order ?? null,
    local: row.local,
    conflict: conflict === undefined ? null : { what: conflict.what, detectedAt: conflict.detectedAt, localState: conflict.localState, remoteState: conflict.remoteState },
    notes: notes.map((note) => ({ at: note.at, text: note.text })),
    audit: audit.map(toAuditView),
    assignee: row.assignee,
    orderSetAside: setAside === undefined ? null : { reason: setAside.reason, excerpt: setAside.excerpt, receivedAt: setAside.receivedAt },
    rules: await rulesPanel(db, row, order, setAside, outbox, rules),
    capabilities: (rules.capabilities ?? (() => DEMO_CAPABILITIES))(row.storeId),
    policy: rules.storePolicy?.(row.storeId) ?? rules.policy(),
  };
}

/**
 * The rules panel: every action allowed or blocked with its sentence, and the recommendation
 * (with the buyer's other requests as history). Unavailable, with the reason, while the rules
 * cannot speak for the request: its order is not synced, a decision of ours is pending, or
 * nothing can happen to it any more. When the order was set aside at sync (malformed), what the
 * request alone allows, with accepting and offers blocked (shared/rules/without-order.ts).
 */
async function rulesPanel(
  db: CacheDb,
  row: CachedRequest,
  order: Order | undefined,
  setAside: QuarantinedRow | undefined,
  outbox: OutboxEntry | undefined,
  deps: RulesDeps,
): Promise<RequestDetail['rules']> {
  if (order === undefined && setAside === undefined) {
    return { available: false, code: 'order_missing', message: `The order ${row.orderId} has not been synced yet; the rules need it. Sync and look again.` };
  }
  if (row.local !== null) {
    const held = outbox === undefined || outbox.status === 'held';
    return {
      available: false,
      code: 'decision_pending',
      message: held
        ? `Your decision (${row.local.state.replaceAll('_', ' ')}) is waiting to be sent; undo it first to decide differently.`
        : `Your decision (${row.local.state.replaceAll('_', ' ')}) is being sent to the marketplace; the rules apply again once it answers.`,
    };
  }
  const request = toRemoteRequest(row);
  if (isTerminal(request.state)) {
    return { available: false, code: 'request_final', message: `Nothing more can be decided here: ${stateExplanation(request)}.` };
  }
  const now = deps.clock.now();
  const policy = deps.storePolicy?.(request.storeId) ?? deps.policy();
  const capabilities = (deps.capabilities ?? (() => DEMO_CAPABILITIES))(request.storeId);
  try {
    if (setAside !== undefined || order === undefined) {
      return {
        available: true,
        evaluatedAt: toInstant(now),
        actions: allowedActionsWithoutOrder(request, policy, now, capabilities),
        recommendation: recommendWithoutOrder(request, policy, now, { reason: setAside?.reason ?? '', cachedVersion: order?.version ?? null }),
      };
    }
    const history = await buyerHistory(db, order, request.id);
    // The rules see earlier refunds attributed to lines and shipping where that is known.
    const ruled = (await withRefundedPartsOf(db, order)) ?? order;
    return {
      available: true,
      evaluatedAt: toInstant(now),
      actions: allowedActions(ruled, request, policy, now, capabilities),
      recommendation: recommend(ruled, request, history, policy, now, capabilities),
    };
  } catch (error) {
    // The cache holds validated records, so this is a rules input problem worth showing as such.
    if (error instanceof DeskError) return { available: false, code: error.code, message: error.message };
    throw error;
  }
}

/**
 * The buyer's other requests, through the orders' index by buyer (schema v6) and the requests'
 * index by order: equality reads only, a handful of rows, whatever the size of the cache.
 */
export async function buyerHistory(db: CacheDb, order: Order, exceptRequestId: string): Promise<HistoryEntry[]> {
  const orderIds = await db.orders.where('buyer.id').equals(order.buyer.id).primaryKeys();
  // One equality read per order (getAll), not anyOf: fake-indexeddb walks cursors slowly.
  const rows = (await Promise.all(orderIds.map((orderId) => db.requests.where('orderId').equals(orderId).toArray()))).flat();
  return rows
    .filter((row) => row.id !== exceptRequestId)
    .map((row) => ({ id: row.id, orderId: row.orderId, kind: row.kind, reason: row.reason, requestedAt: row.requestedAt, state: row.state }));
}

export function toAuditView(entry: AuditEntry): AuditEntryView {
  return { ...entry, seq: entry.seq ?? 0 };
}

/** Newest first, per request or for everything, paged by sequence number. */
export async function listAudit(db: CacheDb, input: ChannelParsedInput<'audit.list'>): Promise<AuditEntryView[]> {
  const upper = input.before ?? Dexie.maxKey;
  if (input.requestId !== null) {
    const entries = await db.audit.where('requestId').equals(input.requestId).reverse().sortBy('seq');
    return entries.filter((entry) => input.before === null || (entry.seq ?? 0) < input.before).slice(0, input.limit).map(toAuditView);
  }
  const entries = await db.audit.where('seq').below(upper).reverse().limit(input.limit).toArray();
  return entries.map(toAuditView);
}

const AUDIT_HEADER = ['seq', 'at', 'actor', 'action', 'request', 'order', 'buyer', 'batch', 'state before', 'state after', 'amount', 'currency', 'rules version', 'message', 'details'];

/** The audit log as a CSV a spreadsheet opens safely (RFC 4180, UTF-8 with BOM, formulas neutralised). */
export async function auditCsv(db: CacheDb, clock: Clock, requestId: string | null): Promise<{ fileName: string; csv: string; rows: number }> {
  const entries = requestId === null ? await db.audit.orderBy('seq').toArray() : await db.audit.where('requestId').equals(requestId).sortBy('seq');
  const requestIds = [...new Set(entries.map((entry) => entry.requestId))];
  const buyers = new Map((await db.requests.bulkGet(requestIds)).map((row, index) => [requestIds[index], row?.buyerName ?? '']));
  const rows = entries.map((entry) => [
    entry.seq ?? null,
    entry.at,
    entry.actor,
    entry.action,
    entry.requestId,
    entry.orderId,
    buyers.get(entry.requestId) ?? '',
    entry.batchId,
    entry.stateBefore,
    entry.stateAfter,
    entry.amount === null ? null : toDecimalString(entry.amount),
    entry.amount?.currency ?? null,
    entry.rulesVersion,
    entry.message,
    JSON.stringify(entry.params),
  ]);
  const stamp = toInstant(clock.now()).slice(0, 19).replaceAll(':', '-');
  // The request id comes from the marketplace: made safe like the queue export's search (no `../`, no controls).
  const which = requestId === null ? '' : `-${fileNamePart(requestId) || 'request'}`;
  return { fileName: `cancel-desk-audit${which}-${stamp}.csv`, csv: toCsv(AUDIT_HEADER, rows), rows: rows.length };
}

export async function outboxSummary(db: CacheDb): Promise<OutboxSummary> {
  // Equality reads (getAll), no anyOf or count cursors: fake-indexeddb walks cursors slowly.
  const [held, sending, retry, failed, conflicts, refunds, failedRefunds, unknown] = await Promise.all([
    db.outbox.where('status').equals('held').primaryKeys(),
    db.outbox.where('status').equals('sending').primaryKeys(),
    db.outbox.where('status').equals('retry').primaryKeys(),
    db.outbox.where('status').equals('failed').toArray(),
    db.conflicts.count(),
    db.refunds.where('status').equals('pending').toArray(),
    db.refunds.where('status').equals('failed').toArray(),
    db.outbox.where('status').equals('unknown').toArray(),
  ]);
  const pending = held.length + sending.length + retry.length;
  const refundsPending = new Map<string, { amount: Money; count: number }>();
  for (const refund of refunds) {
    const total = refundsPending.get(refund.amount.currency);
    refundsPending.set(refund.amount.currency, total === undefined ? { amount: refund.amount, count: 1 } : { amount: add(total.amount, refund.amount), count: total.count + 1 });
  }
  return {
    pending,
    failed: failed.map((entry) => ({
      id: entry.id,
      requestId: entry.requestId,
      orderId: entry.orderId,
      endpoint: entry.endpoint,
      code: entry.lastError?.code ?? 'unknown',
      message: entry.lastError?.message ?? '',
      at: entry.settledAt ?? entry.createdAt,
    })),
    conflicts,
    unknown: unknown.map((entry) => ({
      id: entry.id,
      requestId: entry.requestId,
      orderId: entry.orderId,
      endpoint: entry.endpoint,
      message: entry.lastError?.message ?? 'The marketplace cannot say whether this decision was applied.',
      at: entry.settledAt ?? entry.nextAttemptAt ?? entry.createdAt,
    })),
    refundsPending: [...refundsPending.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, total]) => ({ currency, amount: total.amount, count: total.count })),
    refundsFailed: failedRefunds.map((refund) => ({
      requestId: refund.requestId,
      orderId: refund.orderId,
      amount: refund.amount,
      failure: refund.failure ?? 'The marketplace could not pay this refund out.',
      at: refund.updatedAt,
    })),
  };
}
