import { randomUUID } from 'node:crypto';
import { DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../shared/domain/marketplace';
import { toInstant } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';
import type { MessageTemplate } from '../../../shared/messages/templates';
import type { MessageSent, Thread, ThreadMessage } from '../../../shared/ipc/contract';
import { messageTextViolation } from '../../../shared/rules/message';
import type { AuditEntry, MessageRow, OutboxEntry } from '../cache/db';
import type { CachedRequest } from '../cache/records';
import type { ViewMove } from '../queue/counts';
import { localMessageId, messageEntries } from '../sync/messages';
import type { DecisionDeps } from './decide';

/**
 * The conversation with the buyer (messages.list, messages.send). A message to the buyer goes the
 * way of a decision: on disk with its outbox entry before the seller is answered, held for the undo
 * window as a batch of its own (`decisions.undo` takes it back), then delivered once by the
 * dispatcher (the demo's readOutcome finds it in the request's history when an answer is lost).
 * The outbox is the truth about a message on its way; the marketplace's copy replaces it at sync.
 */

export type MessageDeps = Pick<DecisionDeps, 'db' | 'clock' | 'flush' | 'policy' | 'capabilities' | 'onRequestsChanged' | 'onOutboxChanged' | 'newId'>;

/** The store's marketplace capabilities, as decisions read them (the demo's when the deps name none). */
function capabilitiesOf(deps: Pick<MessageDeps, 'capabilities'>, storeId: string): MarketplaceCapabilities {
  return (deps.capabilities ?? (() => DEMO_CAPABILITIES))(storeId);
}

/** A message on its way as the thread shows it: the outbox entry's state is the message's. */
function entryMessage(entry: OutboxEntry): ThreadMessage | null {
  const base = { id: localMessageId(entry.id), from: 'seller' as const, text: typeof entry.body.text === 'string' ? entry.body.text : '', at: entry.createdAt };
  switch (entry.status) {
    case 'cancelled':
      return null;
    case 'held':
    case 'sending':
    case 'retry':
      return { ...base, status: 'pending', failure: null };
    case 'unknown':
      return { ...base, status: 'pending', failure: entry.lastError?.message ?? null };
    case 'done':
      return { ...base, status: 'sent', failure: null };
    case 'failed':
    case 'conflict':
      return { ...base, status: 'failed', failure: entry.lastError?.message ?? 'The marketplace did not take it.' };
  }
}

/** One request's conversation, oldest first: what sync brought, and what this desk is sending. */
export async function listThread(
  deps: Pick<MessageDeps, 'db' | 'capabilities'> & { templates?: (storeId: string) => readonly MessageTemplate[] },
  requestId: string,
): Promise<Thread> {
  const { db } = deps;
  const row = await db.requests.get(requestId);
  if (row === undefined) throw new DeskError('not_found', `There is no request ${requestId} in the cache.`);
  const capabilities = capabilitiesOf(deps, row.storeId);
  const rows = await db.messages.where('requestId').equals(requestId).toArray();
  const synced = rows.filter((message) => message.outboxId === null || message.id !== localMessageId(message.outboxId));
  const linked = new Set(synced.map((message) => message.outboxId));
  const messages: ThreadMessage[] = synced.map((message) => ({
    id: message.id,
    from: message.from,
    text: message.text,
    at: message.at,
    status: message.status,
    failure: null,
  }));
  // A message still on its way (or refused) until the marketplace's copy comes back with a sync.
  for (const entry of await messageEntries(db, requestId)) {
    if (linked.has(entry.id)) continue;
    const message = entryMessage(entry);
    if (message !== null) messages.push(message);
  }
  messages.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    requestId,
    messages,
    marketplace: { name: capabilities.name, messages: capabilities.messages, messageMax: capabilities.limits.messageMax },
    ...(deps.templates === undefined ? {} : { templates: deps.templates(row.storeId).map((template) => ({ ...template })) }),
  };
}

/**
 * The seller writes to the buyer: refused with a sentence when the store's marketplace takes no
 * messages, or the text is empty or longer than it takes (the limit named). Otherwise ONE
 * transaction writes the outbox entry (body { text, decidedAt }), its batch, the audit entry and
 * the pending message, and answers the "buyer replied" flag; fsynced before the answer.
 */
export async function sendMessage(deps: MessageDeps, requestId: string, text: string): Promise<MessageSent> {
  const { db, clock } = deps;
  const now = clock.now();
  const newId = deps.newId ?? randomUUID;
  const decidedAt = toInstant(now);
  const undoUntil = toInstant(now + deps.policy().undoWindowSeconds * 1000);
  const batchId = newId();
  const outboxId = newId();
  const moves = await db.transaction('rw', [db.requests, db.outbox, db.audit, db.batches, db.messages], async (): Promise<ViewMove[]> => {
    const row = await db.requests.get(requestId);
    if (row === undefined) throw new DeskError('not_found', `There is no request ${requestId} in the cache; sync and try again.`);
    const problem = messageTextViolation(capabilitiesOf(deps, row.storeId), text);
    if (problem !== null) throw new DeskError(problem.code, problem.message);
    const entry: OutboxEntry = {
      id: outboxId,
      batchId,
      requestId: row.id,
      orderId: row.orderId,
      endpoint: 'message',
      body: { text, decidedAt },
      // The flag it answers, given back if the message is undone.
      decision: { type: 'message', buyerRepliedAt: row.buyerRepliedAt ?? null },
      status: 'held',
      dueAt: undoUntil,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      answer: null,
      createdAt: decidedAt,
      settledAt: null,
    };
    const pending: MessageRow = { id: localMessageId(outboxId), requestId: row.id, from: 'seller', text, at: decidedAt, status: 'pending', outboxId };
    const audit: AuditEntry = {
      at: decidedAt,
      actor: 'seller',
      action: 'message',
      requestId: row.id,
      orderId: row.orderId,
      batchId,
      params: { outboxId, text },
      amount: null,
      rulesVersion: null,
      stateBefore: row.state,
      stateAfter: row.state,
      message: `Wrote to the buyer (${text.length.toLocaleString('en-US')} characters).`,
    };
    await db.outbox.add(entry);
    await db.batches.add({ id: batchId, createdAt: decidedAt, undoUntil, action: 'message', requestIds: [row.id], state: 'open' });
    await db.messages.add(pending);
    await db.audit.add(audit);
    if ((row.buyerRepliedAt ?? null) === null) return [];
    const answered: CachedRequest = { ...row, buyerRepliedAt: null };
    await db.requests.put(answered);
    return [{ before: row.view, after: answered.view, row: answered }];
  });
  await deps.flush();
  if (moves.length > 0) deps.onRequestsChanged(moves);
  deps.onOutboxChanged();
  return {
    batchId,
    undoUntil,
    message: { id: localMessageId(outboxId), from: 'seller', text, at: decidedAt, status: 'pending', failure: null },
  };
}

/**
 * Undo of a message held in its window (called by `undo` for a message entry): the request gets
 * back the "buyer replied" flag the message answered (unless a newer one came since), and the
 * undo is audited. Null for an entry that is not a message.
 */
export function undoneMessage(row: CachedRequest, entry: OutboxEntry, at: string): { row: CachedRequest; audit: AuditEntry } | null {
  if (entry.endpoint !== 'message' || row.local?.outboxId === entry.id) return null;
  const answered = entry.decision.buyerRepliedAt;
  const back: CachedRequest = { ...row, buyerRepliedAt: row.buyerRepliedAt ?? (typeof answered === 'string' ? answered : null) };
  return {
    row: back,
    audit: {
      at,
      actor: 'seller',
      action: 'undo',
      requestId: row.id,
      orderId: row.orderId,
      batchId: entry.batchId,
      params: { undid: 'message', outboxId: entry.id },
      amount: null,
      rulesVersion: null,
      stateBefore: row.state,
      stateAfter: row.state,
      message: 'Took back a message to the buyer before it was sent.',
    },
  };
}
