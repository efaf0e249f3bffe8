import { partsOfQuote, withRefundedParts } from './refund-parts';
import { randomUUID } from 'node:crypto';
import { DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../shared/domain/marketplace';
import type { Order } from '../../../shared/domain/order';
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
import type { AuditEntry, BatchRow, CacheDb, OutboxEntry, QuarantinedRow, SellerEvidenceRow } from '../cache/db';
import { toRemoteRequest, type CachedRequest } from '../cache/records';
import type { ViewMove } from '../queue/counts';
import { setAsideOrders } from '../sync/quarantine';
import { proofRequestMessage } from '../../../shared/rules/message';
import { localMessageId } from '../sync/messages';
import { undoneMessage } from './messages';
import { attachmentIdsOf, photosFor } from './attachments';

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
  /** Removes the files of photos whose decision was undone (their rows go in the undo's transaction). */
  discardPhotos?: (paths: readonly string[]) => Promise<void>;
  /**
   * What each store's marketplace can do: the rules block an action it lacks and a text longer
   * than it takes. The demo marketplace's when absent; a backend with several stores passes
   * each store's adapter's capabilities.
   */
  capabilities?: (storeId: string) => MarketplaceCapabilities;
  /**
   * The policy the rules apply to a store's requests: the store's own, or the seller's (`policy`)
   * when absent. The undo window is always the seller's.
   */
  storePolicy?: (storeId: string) => Policy;
}

/** The policy per store, as the deps give them (each store's looked up once per call). */
export type StorePolicy = (storeId: string) => Policy;

export function storePolicy(deps: Pick<DecisionDeps, 'policy' | 'storePolicy'>): StorePolicy {
  const known = new Map<string, Policy>();
  return (storeId) => {
    let policy = known.get(storeId);
    if (policy === undefined) {
      policy = deps.storePolicy?.(storeId) ?? deps.policy();
      known.set(storeId, policy);
    }
    return policy;
  };
}

/** Capabilities per store, as the deps give them: the demo marketplace's for every store by default. */
export type StoreCapabilities = (storeId: string) => MarketplaceCapabilities;

export function storeCapabilities(deps: Pick<DecisionDeps, 'capabilities'>): StoreCapabilities {
  return deps.capabilities ?? (() => DEMO_CAPABILITIES);
}

/**
 * The marketplace call a planned action becomes; `expectedVersion` guards against stale state.
 * On a marketplace without a proof endpoint (`proofRequest: 'message'`), asking for proof is a
 * message to the buyer with the due date in words, sent with when it was decided (`decidedAt`,
 * which tells a lost answer's message apart); the desk tracks the proof request itself.
 */
export function marketplaceCall(
  plan: ActionPlan,
  expectedVersion: number,
  how: { readonly proofRequest?: MarketplaceCapabilities['proofRequest']; readonly decidedAt?: string } = {},
): Pick<OutboxEntry, 'endpoint' | 'body'> {
  const action = plan.action;
  switch (action.type) {
    case 'accept':
      return { endpoint: 'accept', body: { expectedVersion, amount: plan.refund } };
    case 'refuse': {
      const tracking = action.carrier !== undefined && action.trackingNumber !== undefined ? { carrier: action.carrier, number: action.trackingNumber } : undefined;
      return { endpoint: 'refuse', body: { expectedVersion, reason: action.reason, memo: action.note ?? '', ...(tracking ? { tracking } : {}) } };
    }
    case 'request_proof':
      if (how.proofRequest === 'message' && action.dueAt !== undefined) {
        return { endpoint: 'message', body: { text: proofRequestMessage(action.message ?? '', instantMs(action.dueAt)), decidedAt: how.decidedAt ?? null } };
      }
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

/** A request the rules will not decide, and the sentence why. */
export interface SkippedDecision {
  readonly status: 'skipped';
  readonly requestId: string;
  readonly orderId: string | null;
  readonly code: string;
  readonly message: string;
}

/** One request as the rules planned it: what deciding would do to it, or why it is skipped. */
export type PlannedDecision = { readonly status: 'will_do'; readonly row: CachedRequest; readonly plan: ActionPlan; readonly amount: Money | null } | SkippedDecision;

/**
 * A request the rules may plan, with its order as the rules see it (earlier refunds attributed);
 * `setAside` when the marketplace's latest copy of the order was set aside at sync: then it is
 * planned from the request alone, whatever older copy is cached.
 */
export interface PlanTarget {
  readonly status: 'ready';
  readonly row: CachedRequest;
  readonly order: Order | undefined;
  readonly setAside: QuarantinedRow | undefined;
}

/**
 * The requests to plan, once each in the order given; those no rule can plan (not in the cache,
 * order not synced, a decision already pending) are skipped with the sentence why. Call it inside
 * a transaction over `requests`, `orders`, `quarantine` and `refunds`.
 */
export async function planTargets(db: CacheDb, requestIds: readonly string[]): Promise<Array<PlanTarget | SkippedDecision>> {
  const ids = [...new Set(requestIds)];
  const rows = await db.requests.bulkGet(ids);
  // Earlier refunds attributed to lines and shipping where known, so none is refunded twice.
  const orders = await withRefundedParts(db, await db.orders.bulkGet(rows.map((row) => row?.orderId ?? '')));
  const setAside = await setAsideOrders(
    db,
    rows.flatMap((row, index) => (row === undefined ? [] : [{ id: row.orderId, cached: orders[index] }])),
  );
  return ids.map((id, index): PlanTarget | SkippedDecision => {
    const row = rows[index];
    const order = orders[index];
    if (row === undefined) {
      return { status: 'skipped', requestId: id, orderId: null, code: 'not_found', message: `There is no request ${id} in the cache; sync and try again.` };
    }
    const aside = setAside.get(row.orderId);
    if (order === undefined && aside === undefined) {
      return { status: 'skipped', requestId: id, orderId: row.orderId, code: 'order_missing', message: `The order of request ${id} has not been synced yet.` };
    }
    if (row.local !== null) return { status: 'skipped', requestId: id, orderId: row.orderId, code: 'decision_pending', message: DECISION_PENDING_MESSAGE };
    return { status: 'ready', row, order, setAside: aside };
  });
}

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
 * (shared/rules/without-order.ts), like its rules panel. Each request is checked against its
 * store's marketplace `capabilities`.
 */
export async function planDecisions(
  db: CacheDb,
  requestIds: readonly string[],
  action: BulkAction,
  policy: Policy | StorePolicy,
  now: number,
  capabilities: StoreCapabilities = () => DEMO_CAPABILITIES,
): Promise<DecisionPlanning> {
  const policyOf: StorePolicy = typeof policy === 'function' ? policy : () => policy;
  const targets = await planTargets(db, requestIds);
  const items: Array<PlannedDecision | undefined> = [];
  const candidates: Array<{ position: number; row: CachedRequest; item: BulkItem }> = [];
  targets.forEach((target, index) => {
    if (target.status === 'skipped') {
      items.push(target);
      return;
    }
    const { row, order } = target;
    if (order === undefined || target.setAside !== undefined) {
      const planned = planOrSkip(() => planWithoutOrder(toRemoteRequest(row), action, policyOf(row.storeId), now, capabilities(row.storeId)));
      items.push(
        planned.ok
          ? { status: 'will_do', row, plan: planned.value, amount: null }
          : { status: 'skipped', requestId: row.id, orderId: row.orderId, code: planned.error.code, message: planned.error.message },
      );
    } else {
      candidates.push({ position: index, row, item: { order, request: toRemoteRequest(row), capabilities: capabilities(row.storeId), policy: policyOf(row.storeId) } });
      items.push(undefined);
    }
  });
  const { type, ...params } = action;
  const plan = planBulk(
    candidates.map((candidate) => candidate.item),
    type,
    params as BulkParams<SellerActionType>,
    candidates[0]?.item.policy ?? policyOf(''),
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
export async function plan(deps: Pick<DecisionDeps, 'db' | 'clock' | 'policy' | 'storePolicy' | 'capabilities'>, requestIds: readonly string[], action: BulkAction): Promise<DecisionPlan> {
  const { db } = deps;
  const now = deps.clock.now();
  const policy = storePolicy(deps);
  const capabilities = storeCapabilities(deps);
  const planning = await db.transaction('r', [db.requests, db.orders, db.quarantine, db.refunds], () => planDecisions(db, requestIds, action, policy, now, capabilities));
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
  const capabilities = storeCapabilities(deps);
  return recordDecisions(deps, action.type, async (policy, now) => {
    const planning = await planDecisions(deps.db, requestIds, action, policy, now, capabilities);
    return {
      items: planning.items.map((item): DecisionToRecord => (item.status === 'will_do' ? { ...item, decision: action, auditParams: auditParams(action) } : item)),
      totals: planning.totals,
    };
  });
}

/** A planned decision as it is recorded: the action kept to decide again on a retry, and what the audit adds. */
export type DecisionToRecord =
  | (Extract<PlannedDecision, { status: 'will_do' }> & { readonly decision: BulkAction; readonly auditParams: Record<string, unknown> })
  | SkippedDecision;

/** The tables a decision reads (planning) and writes (recording), in one transaction. */
function decisionTables(db: CacheDb) {
  return [db.requests, db.orders, db.quarantine, db.refunds, db.outbox, db.audit, db.batches, db.sellerEvidence];
}

/**
 * Plans (with the policy and `now` it is given) and records in ONE transaction: every will-do
 * item's new local state, audit entry and outbox entry, under one batch `z` undoes as a whole;
 * fsynced before the answer. One request asked for and skipped is an error with its sentence.
 */
export async function recordDecisions(
  deps: DecisionDeps,
  batchAction: string,
  planning: (policy: StorePolicy, now: number) => Promise<{ items: readonly DecisionToRecord[]; totals: ReadonlyArray<{ currency: string; amount: Money; count: number }> }>,
): Promise<DecisionResult> {
  const { db, clock } = deps;
  const now = clock.now();
  const newId = deps.newId ?? randomUUID;
  const batchId = newId();
  // The undo window is the seller's, whichever stores the batch spans.
  const undoUntil = toInstant(now + deps.policy().undoWindowSeconds * 1000);

  const result = await db.transaction('rw', decisionTables(db), async () => {
    const planned = await planning(storePolicy(deps), now);
    const decidedAt = toInstant(now);
    const items: DecisionItem[] = [];
    const outbox: OutboxEntry[] = [];
    const audit: AuditEntry[] = [];
    const updated: CachedRequest[] = [];
    const moves: ViewMove[] = [];
    // The seller's photos go with their decision's outbox entry (the dispatcher uploads them).
    const photos: SellerEvidenceRow[] = [];
    for (const item of planned.items) {
      if (item.status === 'skipped') {
        items.push({ requestId: item.requestId, status: 'skipped', code: item.code, message: item.message });
        continue;
      }
      const { row } = item;
      const outboxId = newId();
      const call = marketplaceCall(item.plan, row.version, { proofRequest: storeCapabilities(deps)(row.storeId).proofRequest, decidedAt });
      const attached = await photosFor(db, row.id, attachmentIdsOf(item.decision));
      photos.push(...attached.map((photo) => ({ ...photo, outboxId })));
      const proof = item.plan.action;
      outbox.push({
        id: outboxId,
        batchId,
        requestId: row.id,
        orderId: row.orderId,
        ...call,
        decision: { ...item.decision },
        status: 'held',
        dueAt: undoUntil,
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        answer: null,
        createdAt: decidedAt,
        settledAt: null,
        // What of the refund goes to each line and to shipping: kept with the refund once it is made.
        refundParts: item.plan.quote !== null && item.plan.quote.total.amountMinor > 0 ? partsOfQuote(item.plan.quote) : null,
      });
      const next: CachedRequest = {
        ...row,
        local: { state: item.plan.to, batchId, outboxId, decidedAt, baseVersion: row.version, answeredReply: row.buyerRepliedAt ?? null },
        view: viewOfState(item.plan.to),
        // A decision answers the buyer's message (undo gives the flag back).
        buyerRepliedAt: null,
        // Asked in a message: the desk tracks the proof request and its due date.
        ...(call.endpoint === 'message' && proof.type === 'request_proof' && proof.dueAt !== undefined
          ? { deskProofRequest: { message: proof.message ?? '', dueAt: proof.dueAt, outboxId, baseVersion: row.version } }
          : {}),
      };
      updated.push(next);
      moves.push({ before: row.view, after: next.view, row: next });
      audit.push({
        at: decidedAt,
        actor: 'seller',
        action: item.plan.action.type,
        requestId: row.id,
        orderId: row.orderId,
        batchId,
        params: { ...item.auditParams, ...call.body, ...(attached.length > 0 ? { photos: attached.map((photo) => photo.fileName) } : {}) },
        amount: item.amount,
        rulesVersion: item.plan.rulesVersion,
        stateBefore: row.state,
        stateAfter: item.plan.to,
        message: item.plan.summary,
      });
      items.push({ requestId: row.id, status: 'done', state: item.plan.to, amount: item.amount, summary: item.plan.summary });
    }
    if (updated.length > 0) {
      await db.requests.bulkPut(updated);
      await db.outbox.bulkAdd(outbox);
      await db.audit.bulkAdd(audit);
      if (photos.length > 0) await db.sellerEvidence.bulkPut(photos);
      const batch: BatchRow = { id: batchId, createdAt: decidedAt, undoUntil, action: batchAction, requestIds: updated.map((row) => row.id), state: 'open' };
      await db.batches.add(batch);
    }
    return { items, moves, done: updated.length, totals: planned.totals };
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
  const outcome = await db.transaction('rw', [db.requests, db.outbox, db.audit, db.batches, db.messages, db.sellerEvidence], async () => {
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
      // A message to the buyer takes nothing back but itself (and the flag it answered).
      const message = row === undefined ? null : undoneMessage(row, entry, at);
      if (row !== undefined && message !== null) {
        restored.push(message.row);
        moves.push({ before: row.view, after: message.row.view, row: message.row });
        audit.push(message.audit);
        return;
      }
      if (row === undefined || row.local?.outboxId !== entry.id) return;
      const back: CachedRequest = {
        ...row,
        local: null,
        view: viewOfState(row.state),
        buyerRepliedAt: row.buyerRepliedAt ?? row.local.answeredReply ?? null,
        deskProofRequest: row.deskProofRequest?.outboxId === entry.id ? null : (row.deskProofRequest ?? null),
      };
      restored.push(back);
      moves.push({ before: row.view, after: back.view, row: back });
      audit.push({
        at,
        actor: 'seller',
        action: 'undo',
        requestId: row.id,
        orderId: row.orderId,
        batchId,
        params: { undid: undoneAction(entry, batch) },
        amount: null,
        rulesVersion: null,
        stateBefore: row.local.state,
        stateAfter: row.state,
        message: `Undid "${undoneAction(entry, batch)}" before it was sent.`,
      });
    });
    await db.outbox.bulkPut(held.map((entry) => ({ ...entry, status: 'cancelled' as const, settledAt: at })));
    await db.messages.bulkDelete(held.filter((entry) => entry.endpoint === 'message').map((entry) => localMessageId(entry.id)));
    // Photos of an undone decision were never sent and nothing names them now: they go too (a
    // new decision starts from an empty dialog); their files once this is durable.
    const cancelled = new Set(held.map((entry) => entry.id));
    const photos = (await db.sellerEvidence.bulkGet(held.flatMap((entry) => attachmentIdsOf(entry.decision)))).filter(
      (photo): photo is SellerEvidenceRow => photo !== undefined && photo.outboxId !== null && cancelled.has(photo.outboxId),
    );
    await db.sellerEvidence.bulkDelete(photos.map((photo) => photo.id));
    await db.requests.bulkPut(restored);
    await db.audit.bulkAdd(audit);
    await db.batches.put({ ...batch, state: 'undone' });
    return { moves, undone: restored.length, photoPaths: photos.map((photo) => photo.path) };
  });
  await deps.flush();
  if (outcome.photoPaths.length > 0) await deps.discardPhotos?.(outcome.photoPaths);
  deps.onRequestsChanged(outcome.moves);
  deps.onOutboxChanged();
  return { batchId, undone: outcome.undone };
}

/** The action an undo takes back: the entry's own (a batch of recommendations mixes them), else the batch's. */
function undoneAction(entry: OutboxEntry, batch: BatchRow): string {
  const type = entry.decision.type;
  return typeof type === 'string' ? type : batch.action;
}
