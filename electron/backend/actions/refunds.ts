import { randomUUID } from 'node:crypto';
import { toInstant } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';
import type { OutboxEntry } from '../cache/db';
import type { DecisionDeps } from './decide';

/**
 * Asks the marketplace again for a refund it reported as failed. Only a failure the marketplace
 * has reported counts: a refund still pending, or one whose fate is unknown, is never sent twice.
 * The retry goes out under a new Idempotency-Key (the old one stays bound to the failed payout).
 */
export async function retryRefund(deps: DecisionDeps, requestId: string): Promise<{ outboxId: string }> {
  const { db, clock } = deps;
  const at = toInstant(clock.now());
  const outboxId = (deps.newId ?? randomUUID)();
  await db.transaction('rw', [db.requests, db.refunds, db.outbox, db.audit], async () => {
    const row = await db.requests.get(requestId);
    if (row === undefined) throw new DeskError('not_found', `There is no request ${requestId} in the cache.`);
    const refunds = await db.refunds.where('requestId').equals(requestId).toArray();
    const failed = refunds.find((refund) => refund.status === 'failed');
    if (failed === undefined || row.resolution?.outcome !== 'refund_failed') {
      throw new DeskError('refund_not_failed', 'Only a refund the marketplace reported as failed can be retried; this one is not (or not yet known to be).');
    }
    if (row.local !== null) throw new DeskError('decision_pending', 'A decision on this request is already waiting to be sent.');
    const entry: OutboxEntry = {
      id: outboxId,
      batchId: `retry-${outboxId}`,
      requestId,
      orderId: row.orderId,
      endpoint: 'retry-refund',
      body: { expectedVersion: row.version },
      decision: { type: 'retry_refund' },
      status: 'held',
      dueAt: at,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      answer: null,
      createdAt: at,
      settledAt: null,
    };
    await db.outbox.add(entry);
    await db.refunds.put({ ...failed, status: 'retried', updatedAt: at });
    await db.audit.add({
      at,
      actor: 'seller',
      action: 'retry_refund',
      requestId,
      orderId: row.orderId,
      batchId: null,
      params: { outboxId, failedRefund: failed.id },
      amount: failed.amount,
      rulesVersion: null,
      stateBefore: row.state,
      stateAfter: row.state,
      message: 'Asked the marketplace to pay the failed refund again.',
    });
  });
  await deps.flush();
  deps.onOutboxChanged();
  return { outboxId };
}
