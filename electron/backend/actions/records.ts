import Dexie from 'dexie';
import { toInstant, type Clock } from '../../../shared/domain/time';
import { toCsv } from '../../../shared/csv';
import { DeskError } from '../../../shared/errors';
import type { AuditEntryView, ChannelParsedInput, OutboxSummary, RequestDetail } from '../../../shared/ipc/contract';
import { add, toDecimalString, type Money } from '../../../shared/money';
import type { AuditEntry, CacheDb } from '../cache/db';
import { toRemoteRequest } from '../cache/records';

/** What the detail pane shows for one request: the record, its order, and our own notes and log. */
export async function requestDetail(db: CacheDb, requestId: string): Promise<RequestDetail> {
  const row = await db.requests.get(requestId);
  if (row === undefined) throw new DeskError('not_found', `There is no request ${requestId} in the cache.`);
  const [order, conflict, notes, audit] = await Promise.all([
    db.orders.get(row.orderId),
    db.conflicts.get(requestId),
    db.notes.where('requestId').equals(requestId).sortBy('seq'),
    db.audit.where('requestId').equals(requestId).reverse().sortBy('seq'),
  ]);
  return {
    request: toRemoteRequest(row),
    order: order ?? null,
    local: row.local,
    conflict: conflict === undefined ? null : { what: conflict.what, detectedAt: conflict.detectedAt, localState: conflict.localState, remoteState: conflict.remoteState },
    notes: notes.map((note) => ({ at: note.at, text: note.text })),
    audit: audit.map(toAuditView),
    assignee: row.assignee,
  };
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
  return { fileName: `cancel-desk-audit${requestId === null ? '' : `-${requestId}`}-${stamp}.csv`, csv: toCsv(AUDIT_HEADER, rows), rows: rows.length };
}

export async function outboxSummary(db: CacheDb): Promise<OutboxSummary> {
  // Equality reads (getAll), no anyOf or count cursors: fake-indexeddb walks cursors slowly.
  const [held, sending, retry, failed, conflicts, refunds, failedRefunds] = await Promise.all([
    db.outbox.where('status').equals('held').primaryKeys(),
    db.outbox.where('status').equals('sending').primaryKeys(),
    db.outbox.where('status').equals('retry').primaryKeys(),
    db.outbox.where('status').equals('failed').toArray(),
    db.conflicts.count(),
    db.refunds.where('status').equals('pending').toArray(),
    db.refunds.where('status').equals('failed').toArray(),
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
