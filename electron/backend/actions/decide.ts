import { partsOfQuote, withRefundedParts } from './refund-parts';
import { randomUUID } from 'node:crypto';
import { toInstant, instantMs, type Clock } from '../../../shared/domain/time';
import { viewOfState } from '../../../shared/domain/views';
import { DeskError } from '../../../shared/errors';
import type { ActionPlan } from '../../../shared/rules/actions';
import type { RuleResult } from '../../../shared/rules/violations';
import { planBulk, type BulkAction, type BulkItem, type BulkParams } from '../../../shared/rules/bulk';
import type { Policy } from '../../../shared/rules/policy';
import type { SellerActionType } from '../../../shared/rules/states';
import { planWithoutOrder } from '../../../shared/rules/without-order';
import type { DecisionItem, DecisionPlan, DecisionResult, UndoResult } from '../../../shared/ipc/contract';
import type { Money } from '../../../shared/money';
import type { AuditEntry, BatchRow, CacheDb, OutboxEntry } from '../cache/db';
import { toRemoteRequest, type CachedRequest } from '../cache/records';
import type { ViewMove } from '../queue/counts';
import { setAsideOrders } from '../sync/quarantine';

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

/** One request as the rules planned it: what deciding would do to it, or why it is skipped. */
export type PlannedDecision =
  | { readonly status: 'will_do'; readonly row: CachedRequest; readonly plan: ActionPlan; readonly amount: Money | null }
  | { readonly status: 'skipped'; readonly requestId: string; readonly orderId: string | null; readonly code: string; readonly message: string };

export interface DecisionPlanning {
  /** One per distinct id, in the order the ids were given. */
  readonly items: readonly PlannedDecision[];
  /** Refund (accept) or offer totals per currency, sorted by currency code. */
  readonly totals: ReadonlyArray<{ currency: string; amount: Money; count: number }>;
}

/** The sentence for a request with a decision already waiting in the outbox. */
export const DECISION_PENDING_MESSAGE = 'A decision on this request is already waiting to be sent; undo it first to change it.';

/**
 * What deciding `action` on these requests does, item by item, from the cache as it is: the one
 * planning path of `decide` (which then writes it) and of `plan` (which only shows it). Call it
 * inside a transaction over `requests`, `orders`, `quarantine` and `refunds`, so what is planned is what is
 * written. A request whose order was set aside at sync is planned from the request alone
 * (shared/rules/without-order.ts), like its rules panel.
 */
export async function planDecisions(db: CacheDb, requestIds: readonly string[], action: BulkAction, policy: Policy, now: number): Promise<DecisionPlanning> {
  const ids = [...new Set(requestIds)];
  const rows = await db.requests.bulkGet(ids);
  // Earlier refunds attributed to lines and shipping where known, so none is refunded twice.
  const orders = await withRefundedParts(db, await db.orders.bulkGet(rows.map((row) => row?.orderId ?? '')));
  const setAside = await setAsideOrders(
    db,
    rows.flatMap((row, index) => (row === undefined ? [] : [{ id: row.orderId, cached: orders[index] }])),
  );
  const items: Array<PlannedDecision | undefined> = [];
  const candidates: Array<{ position: number; row: CachedRequest; item: BulkItem }> = [];
  ids.forEach((id, index) => {
    const row = rows[index];
    const order = orders[index];
    if (row === undefined) {
      items.push({ status: 'skipped', requestId: id, orderId: null, code: 'not_found', message: `There is no request ${id} in the cache; sync and try again.` });
    } else if (order === undefined && !setAside.has(row.orderId)) {
      items.push({ status: 'skipped', requestId: id, orderId: row.orderId, code: 'order_missing', message: `The order of request ${id} has not been synced yet.` });
    } else if (row.local !== null) {
      items.push({ status: 'skipped', requestId: id, orderId: row.orderId, code: 'decision_pending', message: DECISION_PENDING_MESSAGE });
    } else if (order === undefined || setAside.has(row.orderId)) {
      const planned = planOrSkip(() => planWithoutOrder(toRemoteRequest(row), action, policy, now));
      items.push(
        planned.ok
          ? { status: 'will_do', row, plan: planned.value, amount: null }
          : { status: 'skipped', requestId: id, orderId: row.orderId, code: planned.error.code, message: planned.error.message },
      );
    } else {
      candidates.push({ position: index, row, item: { order, request: toRemoteRequest(row) } });
      items.push(undefined);
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
  for (const planned of plan.items) {
    const candidate = candidates[planned.index];
    if (candidate === undefined) continue;
    const { row } = candidate;
    items[candidate.position] =
      planned.status === 'skipped'
        ? { status: 'skipped', requestId: row.id, orderId: row.orderId, code: planned.code, message: planned.message }
        : { status: 'will_do', row, plan: planned.plan, amount: planned.amount };
  }
  return {
    items: items.filter((item) => item !== undefined),
    totals: plan.totals.map((total) => ({ currency: total.currency, amount: total.amount, count: total.count })),
  };
}

/** A malformed item is skipped with its reason, as `planBulk` does, never a failed batch. */
function planOrSkip(planning: () => RuleResult<ActionPlan>): RuleResult<ActionPlan> {
  try {
    return planning();
  } catch (error) {
    if (error instanceof DeskError) return { ok: false, error: { code: 'invalid_input', message: error.message } };
    throw error;
  }
}

/** What `decide` would do with the same input, with nothing written: the plan the seller confirms. */
export async function plan(deps: Pick<DecisionDeps, 'db' | 'clock' | 'policy'>, requestIds: readonly string[], action: BulkAction): Promise<DecisionPlan> {
  const { db } = deps;
  const now = deps.clock.now();
  const policy = deps.policy();
  const planning = await db.transaction('r', [db.requests, db.orders, db.quarantine, db.refunds], () => planDecisions(db, requestIds, action, policy, now));
  const items = planning.items.map((item): DecisionPlan['items'][number] =>
    item.status === 'will_do'
      ? { requestId: item.row.id, orderId: item.row.orderId, status: 'will_do', amount: item.amount, summary: item.plan.summary }
      : { requestId: item.requestId, orderId: item.orderId, status: 'skipped', code: item.code, message: item.message },
  );
  const willDo = items.filter((item) => item.status === 'will_do').length;
  return { willDo, skipped: items.length - willDo, items, totals: [...planning.totals] };
}

/**
 * The seller decides on one or many requests. The rules plan each item (done, or skipped with
 * the reason); then ONE transaction writes every new local state, audit entry and outbox entry,
 * and it is fsynced before the answer: a decision the seller saw accepted is never lost.
 */
export async function decide(deps: DecisionDeps, requestIds: readonly string[], action: BulkAction): Promise<DecisionResult> {
  const { db, clock } = deps;
  const now = clock.now();
  const newId = deps.newId ?? randomUUID;
  const policy = deps.policy();
  const batchId = newId();
  const undoUntil = toInstant(now + policy.undoWindowSeconds * 1000);

  const result = await db.transaction('rw', [db.requests, db.orders, db.quarantine, db.refunds, db.outbox, db.audit, db.batches], async () => {
    const planning = await planDecisions(db, requestIds, action, policy, now);
    const decidedAt = toInstant(now);
    const items: DecisionItem[] = [];
    const outbox: OutboxEntry[] = [];
    const audit: AuditEntry[] = [];
    const updated: CachedRequest[] = [];
    const moves: ViewMove[] = [];
    for (const planned of planning.items) {
      if (planned.status === 'skipped') {
        items.push({ requestId: planned.requestId, status: 'skipped', code: planned.code, message: planned.message });
        continue;
      }
      const { row } = planned;
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
        // What of the refund goes to each line and to shipping: kept with the refund once it is made.
        refundParts: planned.plan.quote !== null && planned.plan.quote.total.amountMinor > 0 ? partsOfQuote(planned.plan.quote) : null,
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
    return { items, moves, done: updated.length, totals: planning.totals };
  });

  if (result.items.length === 1 && result.done === 0) {
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
    totals: [...result.totals],
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
