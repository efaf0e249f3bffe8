import { randomUUID } from 'node:crypto';
import { toInstant, instantMs, type Clock } from '../../../shared/domain/time';
import { viewOfState } from '../../../shared/domain/views';
import { DeskError } from '../../../shared/errors';
import type { ActionPlan } from '../../../shared/rules/actions';
import { planBulk, type BulkAction, type BulkItem, type BulkParams } from '../../../shared/rules/bulk';
import type { Policy } from '../../../shared/rules/policy';
import type { SellerActionType } from '../../../shared/rules/states';
import type { DecisionItem, DecisionResult, UndoResult } from '../../../shared/ipc/contract';
import type { AuditEntry, BatchRow, CacheDb, OutboxEntry } from '../cache/db';
import { toRemoteRequest, type CachedRequest } from '../cache/records';
import type { ViewMove } from '../queue/counts';

export interface DecisionDeps {
  db: CacheDb;
  clock: Clock;
  /** Makes every committed transaction durable (fsync) before the seller is answered. */
  flush: () => Promise<void>;
  policy: () => Policy;
  onRequestsChanged: (moves: ViewMove[]) => void;
  /** The outbox has new entries (the dispatcher wakes up). */
  onOutboxChanged: () => void;
  newId?: () => string;
}

/** The marketplace call a planned action becomes; `expectedVersion` guards against stale state. */
export function marketplaceCall(plan: ActionPlan, expectedVersion: number): Pick<OutboxEntry, 'endpoint' | 'body'> {
  const action = plan.action;
  switch (action.type) {
    case 'accept':
      return { endpoint: 'accept', body: { expectedVersion, amount: plan.refund } };
    case 'refuse': {
      const tracking = action.carrier !== undefined && action.trackingNumber !== undefined ? { carrier: action.carrier, number: action.trackingNumber } : undefined;
      return { endpoint: 'refuse', body: { expectedVersion, reason: action.reason, memo: action.note ?? '', ...(tracking ? { tracking } : {}) } };
    }
    case 'request_proof':
      return { endpoint: 'request-evidence', body: { expectedVersion, message: action.message ?? '', dueAt: action.dueAt } };
    case 'offer':
      return { endpoint: 'offer', body: { expectedVersion, amount: action.amount } };
    case 'escalate':
      return { endpoint: 'escalate', body: { expectedVersion } };
  }
}

function auditParams(action: BulkAction): Record<string, unknown> {
  const { type: _type, ...params } = action;
  return params;
}

/**
 * The seller decides on one or many requests. The rules plan each item (done, or skipped with
 * the reason); then ONE transaction writes every new local state, audit entry and outbox entry,
 * and it is fsynced before the answer: a decision the seller saw accepted is never lost.
 */
export async function decide(deps: DecisionDeps, requestIds: readonly string[], action: BulkAction): Promise<DecisionResult> {
  const { db, clock } = deps;
  const now = clock.now();
  const ids = [...new Set(requestIds)];
  const newId = deps.newId ?? randomUUID;
  const policy = deps.policy();
  const batchId = newId();
  const undoUntil = toInstant(now + policy.undoWindowSeconds * 1000);

  const result = await db.transaction('rw', [db.requests, db.orders, db.outbox, db.audit, db.batches], async () => {
    const rows = await db.requests.bulkGet(ids);
    const orders = await db.orders.bulkGet(rows.map((row) => row?.orderId ?? ''));
    const items: DecisionItem[] = [];
    const candidates: Array<{ row: CachedRequest; item: BulkItem }> = [];
    ids.forEach((id, index) => {
      const row = rows[index];
      const order = orders[index];
      if (row === undefined) {
        items.push({ requestId: id, status: 'skipped', code: 'not_found', message: `There is no request ${id} in the cache; sync and try again.` });
      } else if (order === undefined) {
        items.push({ requestId: id, status: 'skipped', code: 'order_missing', message: `The order of request ${id} has not been synced yet.` });
      } else if (row.local !== null) {
        items.push({
          requestId: id,
          status: 'skipped',
          code: 'decision_pending',
          message: 'A decision on this request is already waiting to be sent; undo it first to change it.',
        });
      } else {
        candidates.push({ row, item: { order, request: toRemoteRequest(row) } });
      }
    });
    const { type, ...params } = action;
    const plan = planBulk(
      candidates.map((candidate) => candidate.item),
      type,
      params as BulkParams<SellerActionType>,
      policy,
      now,
    );
    const decidedAt = toInstant(now);
    const outbox: OutboxEntry[] = [];
    const audit: AuditEntry[] = [];
    const updated: CachedRequest[] = [];
    const moves: ViewMove[] = [];
    for (const planned of plan.items) {
      const candidate = candidates[planned.index];
      if (candidate === undefined) continue;
      const { row } = candidate;
      if (planned.status === 'skipped') {
        items.push({ requestId: row.id, status: 'skipped', code: planned.code, message: planned.message });
        continue;
      }
      const outboxId = newId();
      const call = marketplaceCall(planned.plan, row.version);
      outbox.push({
        id: outboxId,
        batchId,
        requestId: row.id,
        orderId: row.orderId,
        ...call,
        decision: { ...action },
        status: 'held',
        dueAt: undoUntil,
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        answer: null,
        createdAt: decidedAt,
        settledAt: null,
      });
      const next: CachedRequest = {
        ...row,
        local: { state: planned.plan.to, batchId, outboxId, decidedAt, baseVersion: row.version },
        view: viewOfState(planned.plan.to),
      };
      updated.push(next);
      moves.push({ before: row.view, after: next.view, row: next });
      audit.push({
        at: decidedAt,
        actor: 'seller',
        action: action.type,
        requestId: row.id,
        orderId: row.orderId,
        batchId,
        params: { ...auditParams(action), ...call.body },
        amount: planned.amount,
        rulesVersion: planned.plan.rulesVersion,
        stateBefore: row.state,
        stateAfter: planned.plan.to,
        message: planned.plan.summary,
      });
      items.push({ requestId: row.id, status: 'done', state: planned.plan.to, amount: planned.amount, summary: planned.plan.summary });
    }
    if (updated.length > 0) {
      await db.requests.bulkPut(updated);
      await db.outbox.bulkAdd(outbox);
      await db.audit.bulkAdd(audit);
      const batch: BatchRow = { id: batchId, createdAt: decidedAt, undoUntil, action: action.type, requestIds: updated.map((row) => row.id), state: 'open' };
      await db.batches.add(batch);
    }
    const order = new Map(ids.map((id, index) => [id, index]));
    items.sort((a, b) => (order.get(a.requestId) ?? 0) - (order.get(b.requestId) ?? 0));
    return { items, moves, done: updated.length, totals: plan.totals.map((total) => ({ currency: total.currency, amount: total.amount, count: total.count })) };
  });

  if (ids.length === 1 && result.done === 0) {
    const [only] = result.items;
    if (only?.status === 'skipped') throw new DeskError(only.code, only.message);
  }
  if (result.done > 0) {
    await deps.flush();
    deps.onRequestsChanged(result.moves);
    deps.onOutboxChanged();
  }
  return {
    batchId: result.done > 0 ? batchId : null,
    undoUntil: result.done > 0 ? undoUntil : null,
    done: result.done,
    skipped: result.items.length - result.done,
    items: result.items,
    totals: result.totals,
  };
}

/**
 * Takes a whole batch back while its undo window is open: nothing was sent, every request
 * returns to exactly the state it had, and the undo is audited. After the window, nothing changes.
 */
export async function undo(deps: DecisionDeps, batchId: string): Promise<UndoResult> {
  const { db, clock } = deps;
  const now = clock.now();
  const outcome = await db.transaction('rw', [db.requests, db.outbox, db.audit, db.batches], async () => {
    const batch = await db.batches.get(batchId);
    if (batch === undefined) throw new DeskError('not_found', `There is no decision batch ${batchId}.`);
    if (batch.state === 'undone') throw new DeskError('already_undone', 'These decisions were undone already.');
    if (now >= instantMs(batch.undoUntil)) {
      throw new DeskError('undo_expired', `The undo window closed at ${batch.undoUntil.slice(11, 19)} UTC; the decisions are being sent to the marketplace.`);
    }
    const entries = await db.outbox.where('batchId').equals(batchId).toArray();
    const sending = entries.filter((entry) => entry.status === 'sending' || entry.status === 'done');
    if (sending.length > 0) {
      throw new DeskError('undo_expired', `${sending.length} of these decisions already went to the marketplace; nothing was undone.`);
    }
    const held = entries.filter((entry) => entry.status === 'held');
    const rows = await db.requests.bulkGet(held.map((entry) => entry.requestId));
    const at = toInstant(now);
    const restored: CachedRequest[] = [];
    const moves: ViewMove[] = [];
    const audit: AuditEntry[] = [];
    held.forEach((entry, index) => {
      const row = rows[index];
      if (row === undefined || row.local?.outboxId !== entry.id) return;
      const back: CachedRequest = { ...row, local: null, view: viewOfState(row.state) };
      restored.push(back);
      moves.push({ before: row.view, after: back.view, row: back });
      audit.push({
        at,
        actor: 'seller',
        action: 'undo',
        requestId: row.id,
        orderId: row.orderId,
        batchId,
        params: { undid: batch.action },
        amount: null,
        rulesVersion: null,
        stateBefore: row.local.state,
        stateAfter: row.state,
        message: `Undid "${batch.action}" before it was sent.`,
      });
    });
    await db.outbox.bulkPut(held.map((entry) => ({ ...entry, status: 'cancelled' as const, settledAt: at })));
    await db.requests.bulkPut(restored);
    await db.audit.bulkAdd(audit);
    await db.batches.put({ ...batch, state: 'undone' });
    return { moves, undone: restored.length };
  });
  await deps.flush();
  deps.onRequestsChanged(outcome.moves);
  deps.onOutboxChanged();
  return { batchId, undone: outcome.undone };
}
