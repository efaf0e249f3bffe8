import Dexie from 'dexie';
import { OrderSchema } from '../../../shared/domain/order';
import type { Random } from '../../../shared/domain/random';
import { instantMs, toInstant, type Clock } from '../../../shared/domain/time';
import { DeskError, errorDetail, toErrorShape } from '../../../shared/errors';
import { describeIssues } from '../../../shared/ipc/dispatch';
import type { AuditEntry, CacheDb, OutboxEntry, RefundRow } from '../cache/db';
import { putRequests, toCachedRequest } from '../cache/records';
import type { Logger } from '../log';
import type { ActOutcome, ActionCall, AppliedResult, Attachment, MarketplaceAdapter, ReadOutcome } from '../marketplace/adapter';
import { backoffDelay, Semaphore } from '../marketplace/http-client';
import type { ViewMove } from '../queue/counts';
import { sentPhotos } from './attachments';
import { describeRemoteChange } from './conflicts';

export interface DispatcherDeps {
  db: CacheDb;
  clock: Clock;
  /** The marketplace behind the seam, for a desk of one store (tests); the dispatcher never speaks a wire format itself. */
  adapter?: MarketplaceAdapter;
  /** The adapter of a request's store, or why none can act now (paused, no credentials): the entry waits. */
  adapterFor?: (storeId: string | undefined) => MarketplaceAdapter | { unavailable: string };
  flush: () => Promise<void>;
  log: Logger;
  onRequestsChanged: (moves: ViewMove[]) => void;
  onOutboxChanged: () => void;
  onConflicts?: (count: number) => void;
  concurrency?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Randomness for the retry jitter: the real one at the edges, a seeded one in tests. */
  random: Random;
  /**
   * The seller's photos of an entry (refuse, offer), read from the data folder just before it is
   * sent; a DeskError `photo_missing` fails the entry with its sentence, nothing sent.
   */
  attachments?: (entry: OutboxEntry) => Promise<readonly Attachment[]>;
}

/** What one delivery attempt came to. */
type Outcome =
  | { kind: 'done' }
  /** Try again later; `uncertain`: the last attempt may have landed, so read before sending again. */
  | { kind: 'retry'; code: string; message: string; uncertain: boolean }
  /** `local`: the desk could not send it as decided (a photo gone from the data folder); nothing left. */
  | { kind: 'failed'; code: string; message: string; local?: boolean }
  | { kind: 'conflict' }
  /** The marketplace's state cannot say whether it landed: the seller decides (never resent on its own). */
  | { kind: 'unknown'; code: string; message: string };

/**
 * Delivers the outbox to the marketplace through its adapter, a few at a time, with backoff.
 * Exactly-once by reconciliation, not by trust: an attempt whose outcome is unclear (timeout,
 * dropped connection, 5xx, a crash between sending and recording the answer) is never sent again
 * blindly. The next attempt first reads the marketplace's state (readOutcome): applied -> recorded
 * as delivered; not applied -> sent; cannot tell -> the entry waits for the seller. The entry's id
 * still goes out as an Idempotency-Key where a marketplace honours one: a second line of defence.
 */
export class Dispatcher {
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly inFlight: Semaphore;
  /** Entries this process is sending right now ('sending' in the outbox, but not left over from a crash). */
  private readonly active = new Set<string>();

  constructor(private readonly deps: DispatcherDeps) {
    this.inFlight = new Semaphore(deps.concurrency ?? 4);
  }

  /** Looks at the outbox now (after a decision, an undo, a retry, or on start). */
  wake(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.running = this.run()
      .catch((error: unknown) => this.deps.log.error(`dispatcher: ${errorDetail(error)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          void this.scheduleNext();
        }
      });
  }

  /** Stops between requests: what is being sent finishes, nothing new starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    while (this.running !== null) await this.running;
  }

  /** Resolves when nothing is being sent and nothing is due now (tests, benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      while (this.running !== null) await this.running;
      if ((await this.dueEntries()).length === 0) return;
      this.wake();
    }
  }

  private async dueEntries(): Promise<OutboxEntry[]> {
    const { db, clock } = this.deps;
    const now = toInstant(clock.now());
    const [held, sending, retry] = await Promise.all([
      db.outbox.where('[status+dueAt]').between(['held', Dexie.minKey], ['held', now], true, true).toArray(),
      db.outbox.where('status').equals('sending').toArray(),
      db.outbox.where('status').equals('retry').toArray(),
    ]);
    const dueRetries = retry.filter((entry) => (entry.nextAttemptAt ?? entry.dueAt) <= now);
    return [...sending, ...held, ...dueRetries].filter((entry) => !this.active.has(entry.id));
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const due = await this.dueEntries();
      if (due.length === 0) return;
      const claimed = await this.claim(due);
      if (claimed.length === 0) continue;
      try {
        // Nothing leaves the machine before it is on disk: the decisions behind these entries
        // (request state, audit entry, the entry itself) and the claims are fsynced first, once
        // for the whole round. decide() flushes too, but only before it answers the seller, and
        // this loop can find a just-committed entry in between.
        await this.deps.flush();
      } catch (error) {
        for (const entry of claimed) this.active.delete(entry.id);
        throw error;
      }
      await Promise.all(
        claimed.map((entry) =>
          this.inFlight.run(async () => {
            try {
              if (!this.stopped) await this.deliver(entry);
            } finally {
              this.active.delete(entry.id);
            }
          }),
        ),
      );
      // The round's settled states are durable before the entries count as done (idle()).
      await this.deps.flush();
    }
  }

  /**
   * Claims what is still due (an undo or another pass may have settled it since it was read):
   * 'sending', one more attempt, and this process's. A claimed entry that a crash interrupts is
   * sent again under the same key after restart.
   */
  private async claim(candidates: readonly OutboxEntry[]): Promise<OutboxEntry[]> {
    const { db, clock } = this.deps;
    const now = toInstant(clock.now());
    const claimed = await db.transaction('rw', db.outbox, async () => {
      const current = await db.outbox.bulkGet(candidates.map((entry) => entry.id));
      const due = current.filter(
        (entry): entry is OutboxEntry =>
          entry !== undefined &&
          !this.active.has(entry.id) &&
          ['held', 'retry', 'sending'].includes(entry.status) &&
          !(entry.status === 'held' && entry.dueAt > now),
      );
      // An entry still 'sending' that this process did not claim was cut off by a crash: it may
      // have reached the marketplace.
      const next = due.map((entry): OutboxEntry => ({ ...entry, status: 'sending', attempts: entry.attempts + 1, uncertain: entry.uncertain === true || entry.status === 'sending' }));
      await db.outbox.bulkPut(next);
      return next;
    });
    for (const entry of claimed) this.active.add(entry.id);
    return claimed;
  }

  /** Sleeps until the next entry falls due (the end of an undo window, or a retry time). */
  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    const { db, clock } = this.deps;
    const [held, retry] = await Promise.all([
      db.outbox.where('[status+dueAt]').between(['held', Dexie.minKey], ['held', Dexie.maxKey]).first(),
      db.outbox.where('status').equals('retry').toArray(),
    ]);
    const times = [held?.dueAt, ...retry.map((entry) => entry.nextAttemptAt ?? entry.dueAt)].filter((at): at is string => at !== undefined);
    if (times.length === 0 || this.stopped) return;
    const next = Math.min(...times.map(instantMs));
    this.cancelTimer?.();
    this.cancelTimer = clock.setTimer(Math.max(0, next - clock.now()), () => {
      this.cancelTimer = null;
      this.wake();
    });
  }

  /** Sends one claimed entry and records what came of it. */
  private async deliver(entry: OutboxEntry): Promise<void> {
    const outcome = await this.send(entry);
    await this.settle(entry, outcome);
  }

  /** The adapter of the entry's store (its request's), or why none can act now. */
  private async adapterOf(entry: OutboxEntry): Promise<MarketplaceAdapter | { unavailable: string }> {
    if (this.deps.adapterFor === undefined) return this.deps.adapter ?? { unavailable: 'No marketplace is connected.' };
    const row = await this.deps.db.requests.get(entry.requestId);
    return this.deps.adapterFor(row?.storeId);
  }

  private async send(entry: OutboxEntry): Promise<Outcome> {
    const adapter = await this.adapterOf(entry);
    if ('unavailable' in adapter) {
      // Nothing was sent: it waits, as it was (an unclear earlier attempt stays unclear).
      return { kind: 'retry', code: 'store_unavailable', message: adapter.unavailable, uncertain: entry.uncertain === true };
    }
    const call = actionCall(entry);
    if (entry.uncertain === true) {
      let read: ReadOutcome;
      try {
        read = await adapter.readOutcome(call);
      } catch (error) {
        // Nothing is resent before we know the first attempt did not land: read again later.
        const shape = toErrorShape(error);
        return { kind: 'retry', code: shape.code, message: `Could not yet check whether an earlier attempt landed: ${shape.message}`, uncertain: true };
      }
      switch (read.kind) {
        case 'applied':
          await this.applyAnswer(entry, read.result);
          return { kind: 'done' };
        case 'cannot_tell':
          return { kind: 'unknown', code: 'outcome_unknown', message: cannotTellSentence(entry, adapter.capabilities.name, read.reason) };
        case 'not_applied':
          break;
      }
    }
    let outcome: ActOutcome;
    try {
      const attachments = await this.attachmentsOf(entry);
      if ('failed' in attachments) return attachments.failed;
      outcome = await adapter.act(attachments.list.length > 0 ? { ...call, attachments: attachments.list } : call);
    } catch (error) {
      // An adapter that throws may have sent: treat it as unclear.
      const shape = toErrorShape(error);
      return { kind: 'retry', code: shape.code, message: shape.message, uncertain: true };
    }
    switch (outcome.kind) {
      case 'applied':
        await this.applyAnswer(entry, outcome.result);
        return { kind: 'done' };
      case 'not_sent':
        return { kind: 'retry', code: outcome.code, message: outcome.message, uncertain: false };
      case 'unknown':
        return { kind: 'retry', code: outcome.code, message: outcome.message, uncertain: true };
      case 'conflict':
        await this.recordConflict(entry);
        return { kind: 'conflict' };
      case 'rejected':
        if (outcome.code === 'idempotency_mismatch') {
          this.deps.log.error(`BUG: idempotency key ${entry.id} was reused with another body for request ${entry.requestId}`);
        }
        return { kind: 'failed', code: outcome.code, message: outcome.message };
    }
  }

  /** The entry's photos with their bytes, or the failure that keeps it from being sent at all. */
  private async attachmentsOf(entry: OutboxEntry): Promise<{ list: readonly Attachment[] } | { failed: Outcome }> {
    if (this.deps.attachments === undefined || (entry.endpoint !== 'refuse' && entry.endpoint !== 'offer')) return { list: [] };
    try {
      return { list: await this.deps.attachments(entry) };
    } catch (error) {
      const shape = toErrorShape(error);
      if (error instanceof DeskError && error.code === 'photo_missing') return { failed: { kind: 'failed', code: shape.code, message: shape.message, local: true } };
      // A disk that could not be read now (not a missing file): nothing was sent, try later.
      return { failed: { kind: 'retry', code: shape.code, message: `The photos could not be read: ${shape.message}`, uncertain: entry.uncertain === true } };
    }
  }

  private async applyAnswer(entry: OutboxEntry, applied: AppliedResult): Promise<void> {
    const { db, clock } = this.deps;
    const at = toInstant(clock.now());
    // The marketplace's copies, as the desk store's own (sync stamps its records the same way).
    const storeId = (await db.requests.get(entry.requestId))?.storeId ?? applied.request.storeId;
    const answer = { ...applied, request: { ...applied.request, storeId } };
    const parsedOrder = OrderSchema.safeParse(applied.order);
    const order = parsedOrder.success ? { ...parsedOrder, data: { ...parsedOrder.data, storeId } } : parsedOrder;
    if (!order.success) {
      this.deps.log.warn(`the marketplace applied ${entry.endpoint} on ${entry.requestId}; its copy of order ${entry.orderId} is malformed and was not stored: ${describeIssues(order.error).slice(0, 200)}`);
    }
    const moves = await db.transaction('rw', [db.requests, db.orders, db.refunds, db.audit, db.searchTerms, db.sellerEvidence], async () => {
      const current = await db.requests.get(entry.requestId);
      const knownOrder = await db.orders.get(answer.request.orderId);
      if (order.success && (knownOrder === undefined || order.data.version >= knownOrder.version)) await db.orders.put(order.data);
      const mine = current?.local?.outboxId === entry.id;
      const base = current === undefined ? undefined : { ...current, local: mine ? null : current.local };
      const fresher = current === undefined || answer.request.version >= current.version;
      const row = fresher ? toCachedRequest(answer.request, order.success ? order.data : knownOrder, base) : base;
      if (row !== undefined) await putRequests(db, [row], [current]);
      if (answer.refund !== null) {
        const refund: RefundRow = {
          id: `refund-${entry.id}`,
          requestId: entry.requestId,
          orderId: entry.orderId,
          outboxId: entry.id,
          amount: answer.refund,
          status: answer.request.state === 'refunded' ? 'completed' : 'pending',
          failure: null,
          updatedAt: at,
          parts: entry.refundParts ?? null,
        };
        await db.refunds.put(refund);
      }
      const delivered = this.auditOf(entry, 'delivered', `The marketplace applied it: the request is now ${answer.request.state.replaceAll('_', ' ')}.`, answer.request.state);
      // What went with it: the photos are marked sent, and the timeline names them.
      const photos = await sentPhotos(db, entry, at);
      await db.audit.add(photos.length > 0 ? { ...delivered, params: { ...delivered.params, photos } } : delivered);
      return current === undefined || row === undefined ? [] : [{ before: current.view, after: row.view, row }];
    });
    if (moves.length > 0) this.deps.onRequestsChanged(moves);
  }

  /** 409 on the version: fetch the request as it is now and tell the seller what changed. */
  private async recordConflict(entry: OutboxEntry): Promise<void> {
    const { db, clock } = this.deps;
    let fresh = null;
    try {
      const adapter = await this.adapterOf(entry);
      const copy = 'unavailable' in adapter ? null : await adapter.fetchRequest(entry.requestId, entry.orderId);
      const storeId = (await this.deps.db.requests.get(entry.requestId))?.storeId;
      fresh = copy === null ? null : { ...copy, storeId: storeId ?? copy.storeId };
    } catch (error) {
      this.deps.log.warn(`could not refresh request ${entry.requestId} after a conflict: ${errorDetail(error)}`);
    }
    const at = toInstant(clock.now());
    const moves = await db.transaction('rw', [db.requests, db.orders, db.conflicts, db.audit, db.searchTerms], async () => {
      const current = await db.requests.get(entry.requestId);
      if (current === undefined) return [];
      const order = await db.orders.get(current.orderId);
      const base = { ...current, local: current.local?.outboxId === entry.id ? null : current.local };
      const row = fresh !== null && fresh.version >= current.version ? toCachedRequest(fresh, order, base) : base;
      await putRequests(db, [row], [current]);
      const what =
        fresh !== null ? describeRemoteChange(current, fresh) : 'The marketplace says the request changed since the decision was made; sync to see how.';
      await db.conflicts.put({ requestId: entry.requestId, outboxId: entry.id, detectedAt: at, what, localState: current.local?.state ?? null, remoteState: row.state });
      await db.audit.add(this.auditOf(entry, 'conflict', `Not applied: ${what}`, row.state));
      return [{ before: current.view, after: row.view, row }];
    });
    this.deps.onRequestsChanged(moves);
    this.deps.onConflicts?.(1);
  }

  private async settle(entry: OutboxEntry, outcome: Outcome): Promise<void> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const at = toInstant(now);
    // get + put, not update(): Dexie's update walks a cursor, which fake-indexeddb makes slow.
    const patch = async (changes: Partial<OutboxEntry>): Promise<void> => {
      const current = await db.outbox.get(entry.id);
      if (current !== undefined) await db.outbox.put({ ...current, ...changes });
    };
    const moves = await db.transaction('rw', [db.outbox, db.requests, db.audit, db.orders, db.searchTerms, db.refunds], async () => {
      switch (outcome.kind) {
        case 'done':
          await patch({ status: 'done', settledAt: at, lastError: null, uncertain: false });
          return [];
        case 'unknown': {
          await patch({ status: 'unknown', settledAt: null, lastError: { code: outcome.code, message: outcome.message }, uncertain: true });
          const current = await db.requests.get(entry.requestId);
          await db.audit.add(this.auditOf(entry, 'outcome_unknown', outcome.message, current?.state ?? null));
          return [];
        }
        case 'conflict':
          await patch({ status: 'conflict', settledAt: at });
          return [];
        case 'retry': {
          const delay = backoffDelay(entry.attempts, this.deps.retryBaseMs ?? 1_000, this.deps.retryCapMs ?? 5 * 60_000, this.deps.random);
          await patch({ status: 'retry', nextAttemptAt: toInstant(now + delay), lastError: { code: outcome.code, message: outcome.message }, uncertain: outcome.uncertain });
          return [];
        }
        case 'failed': {
          await patch({ status: 'failed', settledAt: at, lastError: { code: outcome.code, message: outcome.message } });
          if (entry.endpoint === 'retry-refund') {
            // The retry itself was refused: the refund shows as failed again, to be looked at.
            const retried = (await db.refunds.where('requestId').equals(entry.requestId).toArray()).filter((refund) => refund.status === 'retried');
            await db.refunds.bulkPut(retried.map((refund) => ({ ...refund, status: 'failed' as const, failure: outcome.message, updatedAt: at })));
          }
          // The decision did not happen: the request shows the marketplace's state again.
          const current = await db.requests.get(entry.requestId);
          if (current?.local?.outboxId !== entry.id) return [];
          // A proof request asked in this message did not happen either (deskProofRequest).
          const back = toCachedRequest(current, await db.orders.get(current.orderId), { ...current, local: null, deskProofRequest: null });
          await putRequests(db, [back], [current]);
          await db.audit.add(this.auditOf(entry, 'failed', outcome.local === true ? `Not sent: ${outcome.message}` : `The marketplace refused it: ${outcome.message}`, current.state));
          return [{ before: current.view, after: back.view, row: back }];
        }
      }
    });
    if (outcome.kind === 'retry') this.deps.log.warn(`outbox ${entry.id} (${entry.endpoint} ${entry.requestId}) will be retried: ${outcome.message}`);
    // No fsync per entry: the round flushes once when all its entries are settled (run()). A
    // settlement lost in a crash leaves the entry 'sending', which is read before it is resent.
    if (moves.length > 0) this.deps.onRequestsChanged(moves);
    this.deps.onOutboxChanged();
  }

  private auditOf(entry: OutboxEntry, action: string, message: string, stateAfter: string | null): AuditEntry {
    return {
      at: toInstant(this.deps.clock.now()),
      actor: 'marketplace',
      action,
      requestId: entry.requestId,
      orderId: entry.orderId,
      batchId: entry.batchId,
      params: { outboxId: entry.id, endpoint: entry.endpoint },
      amount: null,
      rulesVersion: null,
      stateBefore: null,
      stateAfter,
      message,
    };
  }
}

/** What the seller reads when the marketplace cannot say whether a decision landed. */
function cannotTellSentence(entry: OutboxEntry, marketplace: string, reason: string): string {
  const what = entry.endpoint === 'accept' || entry.endpoint === 'retry-refund' ? 'this refund' : entry.endpoint === 'message' ? 'this message' : 'this decision';
  return `We cannot tell whether ${what} reached ${marketplace} (${reason}): check order ${entry.orderId} there, then mark it sent or send it again.`;
}

/** An outbox entry as the adapter sees it (its photos are read just before `act`: attachmentsOf). */
export function actionCall(entry: OutboxEntry): ActionCall {
  return { id: entry.id, requestId: entry.requestId, orderId: entry.orderId, action: entry.endpoint, body: entry.body };
}
