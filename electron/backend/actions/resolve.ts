import { toInstant } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';
import { putRequests, toCachedRequest } from '../cache/records';
import type { DecisionDeps } from './decide';

/**
 * The seller settles a decision whose outcome the marketplace could not tell: after checking on
 * the marketplace, either it arrived (mark sent: recorded as delivered, never sent again), or it
 * did not (send again: one more attempt, which the marketplace's version check still guards).
 */
export async function resolveUnknown(
  deps: Pick<DecisionDeps, 'db' | 'clock' | 'flush' | 'onRequestsChanged' | 'onOutboxChanged'>,
  outboxId: string,
  resolution: 'mark_sent' | 'send_again',
): Promise<{ status: 'done' | 'retry' }> {
  const { db, clock } = deps;
  const at = toInstant(clock.now());
  const moves = await db.transaction('rw', [db.outbox, db.requests, db.orders, db.audit, db.searchTerms], async () => {
    const entry = await db.outbox.get(outboxId);
    if (entry === undefined) throw new DeskError('not_found', `There is no outbox entry ${outboxId}.`);
    if (entry.status !== 'unknown') {
      throw new DeskError('not_unknown', `This decision is ${entry.status}; only one whose outcome the marketplace could not tell is settled by hand.`);
    }
    const row = await db.requests.get(entry.requestId);
    const audit = {
      at, actor: 'seller' as const, requestId: entry.requestId, orderId: entry.orderId, batchId: entry.batchId,
      params: { outboxId, endpoint: entry.endpoint }, amount: null, rulesVersion: null, stateBefore: row?.state ?? null,
    };
    if (resolution === 'send_again') {
      await db.outbox.put({ ...entry, status: 'retry', uncertain: false, nextAttemptAt: at, settledAt: null });
      await db.audit.add({ ...audit, action: 'send_again', stateAfter: row?.state ?? null, message: 'Checked on the marketplace: not applied; sent again.' });
      return [];
    }
    await db.outbox.put({ ...entry, status: 'done', uncertain: false, settledAt: at, lastError: null, answer: { markedSentBySeller: true } });
    await db.audit.add({ ...audit, action: 'marked_sent', stateAfter: row?.state ?? null, message: 'Checked on the marketplace: applied; marked sent (the next sync brings its state).' });
    if (row === undefined || row.local?.outboxId !== outboxId) return [];
    // The decision is no longer waiting: the request shows the marketplace's state until sync brings the new one.
    const next = toCachedRequest(row, await db.orders.get(row.orderId), { ...row, local: null });
    await putRequests(db, [next], [row]);
    return [{ before: row.view, after: next.view, row: next }];
  });
  await deps.flush();
  if (moves.length > 0) deps.onRequestsChanged(moves);
  deps.onOutboxChanged();
  return { status: resolution === 'mark_sent' ? 'done' : 'retry' };
}
