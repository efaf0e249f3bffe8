import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import type { ManualClock } from '../../../../../electron/simulator/clock';
import type { Simulator } from '../../../../../electron/simulator/server';
import { dispatchCall } from '../../../../../shared/ipc/dispatch';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk | undefined;
let simulator: Simulator;
let backend: Backend;
let clock: ManualClock;

/** The demo marketplace and a synced backend on one manual clock, with this undo window. */
async function startBackend(undoWindowSeconds: number): Promise<void> {
  desk = await startDesk({ seed: 8, orders: 600, policy: { undoWindowSeconds } });
  ({ simulator, backend, clock } = desk);
}

/** Lets the undo window pass and waits until the outbox has delivered what is due. */
const deliver = (): Promise<void> => (desk as Desk).deliver();
const find: Desk['find'] = (predicate) => (desk as Desk).find(predicate);
const ledgerFor: Desk['sellerLedger'] = (requestId) => (desk as Desk).sellerLedger(requestId);

afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

describe('decisions: each action through the contract, delivered once', () => {
  it('accept refunds the quote, audited with the rules version, and reaches the marketplace once', async () => {
    await startBackend(10);
    const target = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    const result = await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    expect(result).toMatchObject({ done: 1, skipped: 0, items: [{ requestId: target.id, status: 'done', state: 'accepted' }] });
    expect(result.batchId).not.toBeNull();
    const amount = result.items[0]?.status === 'done' ? result.items[0].amount : null;
    expect(amount?.amountMinor).toBeGreaterThan(0);

    // Pending locally, nothing sent yet: the undo window holds it.
    expect((await backend.db.requests.get(target.id))?.local?.state).toBe('accepted');
    expect(ledgerFor(target.id)).toEqual([]);
    const [decision] = (await backend.handle('requests.get', { requestId: target.id })).audit;
    expect(decision).toMatchObject({ actor: 'seller', action: 'accept', stateBefore: 'requested', stateAfter: 'accepted', amount });
    expect(decision?.rulesVersion).toMatch(/^\d+\.\d+\.\d+$/);

    await deliver();
    const applied = ledgerFor(target.id);
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ action: 'accept', refund: amount });
    const detail = await backend.handle('requests.get', { requestId: target.id });
    expect(detail.request.state).toBe('accepted');
    expect(detail.local).toBeNull();
    expect(detail.audit.map((entry) => entry.action)).toEqual(['delivered', 'accept']);
    expect((await backend.handle('outbox.summary', {})).pending).toBe(0);
  });

  it('refuse, ask for proof, offer and escalate each reach the marketplace with their parameters', async () => {
    await startBackend(0);
    const disputes = (await backend.db.requests.toArray()).filter((row) => row.kind === 'dispute' && row.state === 'requested' && row.local === null);
    const [proof, offer, escalate] = disputes;
    const shippedCancel = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    if (proof === undefined || offer === undefined || escalate === undefined) throw new Error('not enough open disputes');

    await backend.handle('decisions.decide', {
      requestIds: [shippedCancel.id],
      action: { type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'JD0123456789' },
    });
    await backend.handle('decisions.decide', { requestIds: [proof.id], action: { type: 'request_proof', message: 'Please send a photo of the damage.' } });
    const offerAmount = { amountMinor: Math.max(1, Math.floor(offer.requestedAmount.amountMinor / 2)), currency: offer.requestedAmount.currency };
    await backend.handle('decisions.decide', { requestIds: [offer.id], action: { type: 'offer', amount: offerAmount } });
    await backend.handle('decisions.decide', { requestIds: [escalate.id], action: { type: 'escalate' } });
    await deliver();

    expect(ledgerFor(shippedCancel.id)).toMatchObject([{ action: 'refuse', toState: 'refused' }]);
    expect(ledgerFor(proof.id)).toMatchObject([{ action: 'request_evidence', toState: 'proof_requested' }]);
    expect(ledgerFor(offer.id)).toMatchObject([{ action: 'offer', toState: 'offer_made' }]);
    expect(ledgerFor(escalate.id)).toMatchObject([{ action: 'escalate', toState: 'escalated' }]);
    expect((await backend.db.requests.get(offer.id))?.offer).toEqual(offerAmount);
  });

  it('a bulk decision plans every item, skips with reasons, and writes one batch', async () => {
    await startBackend(10);
    const rows = (await backend.db.requests.toArray()).slice(0, 40);
    const result = await backend.handle('decisions.decide', { requestIds: [...rows.map((row) => row.id), 'r-nope'], action: { type: 'accept' } });
    expect(result.done + result.skipped).toBe(41);
    expect(result.items.find((item) => item.requestId === 'r-nope')).toMatchObject({ status: 'skipped', code: 'not_found' });
    const batch = await backend.db.batches.get(result.batchId ?? '');
    expect(batch?.requestIds).toHaveLength(result.done);
    expect(await backend.db.outbox.where('batchId').equals(result.batchId ?? '').count()).toBe(result.done);
    expect(result.totals.reduce((sum, total) => sum + total.count, 0)).toBe(result.done);
  });
});

describe('decisions: bad input changes nothing', () => {
  it.each([
    ['a negative amount', { type: 'offer', amount: { amountMinor: -100, currency: 'USD' } }, 'amountMinor'],
    ['a fractional amount', { type: 'offer', amount: { amountMinor: 10.5, currency: 'USD' } }, 'amountMinor'],
    ['an unknown action', { type: 'delete' }, 'type'],
  ])('%s is refused at the boundary naming the field', async (_label, action, field) => {
    const result = await dispatchCall('decisions.decide', { requestIds: ['r-000001'], action }, () => Promise.resolve(null));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(result)).toContain(field);
  });

  it('over the cap, missing tracking, an unknown id, a wrong state and a duplicate each name the rule', async () => {
    await startBackend(10);
    const dispute = await find((row) => row.kind === 'dispute' && row.state === 'requested');
    const cancel = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    const done = await find((row) => row.state === 'withdrawn' || row.state === 'closed_by_platform' || row.state === 'refunded');
    const before = { outbox: await backend.db.outbox.count(), audit: await backend.db.audit.count() };

    const overCap = { amountMinor: dispute.refundMax.amountMinor + 1, currency: dispute.refundMax.currency };
    await expect(backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'offer', amount: overCap } })).rejects.toMatchObject({
      message: expect.stringMatching(/too much|at most/i) as string,
    });
    await expect(backend.handle('decisions.decide', { requestIds: [cancel.id], action: { type: 'refuse', reason: 'already_shipped' } })).rejects.toMatchObject({
      message: expect.stringMatching(/carrier|tracking/i) as string,
    });
    await expect(backend.handle('decisions.decide', { requestIds: ['r-999999'], action: { type: 'accept' } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(backend.handle('decisions.decide', { requestIds: [done.id], action: { type: 'accept' } })).rejects.toMatchObject({
      code: expect.any(String) as string,
    });
    expect({ outbox: await backend.db.outbox.count(), audit: await backend.db.audit.count() }).toEqual(before);

    await backend.handle('decisions.decide', { requestIds: [cancel.id], action: { type: 'accept' } });
    await expect(backend.handle('decisions.decide', { requestIds: [cancel.id], action: { type: 'accept' } })).rejects.toMatchObject({ code: 'decision_pending' });
    expect(await backend.db.outbox.count()).toBe(before.outbox + 1);
  });
});

describe('undo', () => {
  it('inside the window sends nothing and restores every state exactly; after it, undo is refused', async () => {
    await startBackend(10);
    const rows = (await backend.db.requests.toArray()).filter((row) => row.state === 'requested' && row.kind === 'cancel').slice(0, 5);
    const before = await backend.db.requests.bulkGet(rows.map((row) => row.id));
    const countsBefore = await backend.handle('queue.counts', {});
    const batch = await backend.handle('decisions.decide', { requestIds: rows.map((row) => row.id), action: { type: 'accept' } });
    expect(batch.done).toBe(5);
    expect((await backend.handle('queue.counts', {})).needs_reply).toBe(countsBefore.needs_reply - 5);

    expect(await backend.handle('decisions.undo', { batchId: batch.batchId ?? '' })).toEqual({ batchId: batch.batchId, undone: 5 });
    expect(await backend.db.requests.bulkGet(rows.map((row) => row.id))).toEqual(before);
    expect(await backend.handle('queue.counts', {})).toEqual(countsBefore);
    await deliver();
    expect(rows.flatMap((row) => ledgerFor(row.id))).toEqual([]);
    expect((await backend.db.audit.toArray()).filter((entry) => entry.action === 'undo')).toHaveLength(5);

    const second = await backend.handle('decisions.decide', { requestIds: [rows[0]?.id ?? ''], action: { type: 'accept' } });
    await deliver();
    await expect(backend.handle('decisions.undo', { batchId: second.batchId ?? '' })).rejects.toMatchObject({ code: 'undo_expired' });
    expect(ledgerFor(rows[0]?.id ?? '')).toHaveLength(1);
  });
});

describe('the marketplace moves first', () => {
  it('a buyer who withdraws while an accept waits: no refund is sent, the conflict says what changed', async () => {
    await startBackend(10);
    const target = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    const withdrawn = await fetch(`${simulator.url}/_sim/requests/${target.id}/withdraw`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${simulator.adminToken}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(withdrawn.status).toBe(200);
    await deliver();

    expect(simulator.state.ledger.filter((entry) => entry.requestId === target.id && entry.refund !== null)).toEqual([]);
    const detail = await backend.handle('requests.get', { requestId: target.id });
    expect(detail.request.state).toBe('withdrawn');
    expect(detail.conflict?.what).toMatch(/^The buyer withdrew the request at \d\d:\d\d UTC/);
    const conflicts = await backend.handle('queue.list', { view: 'conflicts', sort: 'time_left', limit: 10, cursor: null, search: '', storeId: null });
    expect(conflicts.rows.map((row) => row.requestId)).toEqual([target.id]);
    expect((await backend.handle('queue.counts', {})).conflicts).toBe(1);
    expect(await backend.handle('conflicts.dismiss', { requestId: target.id })).toEqual({ dismissed: true });
    expect((await backend.handle('queue.counts', {})).conflicts).toBe(0);
  });

  it('the same idempotency key with a different body is reported as a bug and never retried', async () => {
    await startBackend(0);
    const [first, second] = (await backend.db.requests.toArray()).filter((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    if (first === undefined || second === undefined) throw new Error('not enough requests');
    const one = await backend.handle('decisions.decide', { requestIds: [first.id], action: { type: 'accept' } });
    await deliver();
    const sent = await backend.db.outbox.where('batchId').equals(one.batchId ?? '').first();
    // A bug that re-used the key for another request's decision:
    const two = await backend.handle('decisions.decide', { requestIds: [second.id], action: { type: 'accept' } });
    const entry = await backend.db.outbox.where('batchId').equals(two.batchId ?? '').first();
    if (sent === undefined || entry === undefined) throw new Error('no outbox entries');
    await backend.db.transaction('rw', backend.db.outbox, async () => {
      await backend.db.outbox.bulkDelete([entry.id, sent.id]);
      await backend.db.outbox.add({ ...entry, id: sent.id, requestId: first.id, body: { ...entry.body, expectedVersion: 999 } });
    });
    await deliver();
    const failed = await backend.handle('outbox.summary', {});
    expect(failed.failed).toMatchObject([{ code: 'idempotency_mismatch' }]);
    const attempts = (await backend.db.outbox.get(sent.id))?.attempts;
    clock.advance(3_600_000);
    await backend.dispatchIdle();
    expect((await backend.db.outbox.get(sent.id))?.attempts).toBe(attempts);
  });
});

describe('the audit log', () => {
  it('lists per request and globally, and exports a CSV a spreadsheet opens safely', async () => {
    await startBackend(0);
    const hostile = await find((row) => row.buyerName.startsWith('=') && row.state === 'requested' && row.local === null);
    const other = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment' && row.id !== hostile.id);
    await backend.handle('notes.add', { requestId: hostile.id, text: 'Called the buyer, "no answer", will retry' });
    await backend.handle('decisions.decide', { requestIds: [other.id], action: { type: 'accept' } });
    await deliver();

    const mine = await backend.handle('audit.list', { requestId: hostile.id, limit: 10, before: null });
    expect(mine.map((entry) => entry.action)).toEqual(['note']);
    const all = await backend.handle('audit.list', { requestId: null, limit: 10, before: null });
    expect(all.map((entry) => entry.action)).toEqual(['delivered', 'accept', 'note']);
    const older = await backend.handle('audit.list', { requestId: null, limit: 10, before: all[1]?.seq ?? 0 });
    expect(older.map((entry) => entry.action)).toEqual(['note']);

    const { csv, rows, fileName } = await backend.handle('audit.exportCsv', { requestId: null });
    expect(rows).toBe(3);
    expect(fileName).toMatch(/^cancel-desk-audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/);
    expect(csv.startsWith('\uFEFFseq,at,actor,action,request,order,buyer,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    const noteLine = lines.find((line) => line.includes(',note,')) ?? '';
    // The buyer's name starts with "=": it is written as text, never as a formula.
    expect(noteLine).toContain(`"'${hostile.buyerName.replaceAll('"', '""')}"`);
    expect(noteLine).not.toMatch(/,=/);
  });
});

describe('refund reconciliation', () => {
  it('tracks an accepted refund as pending until the marketplace reports it paid out', async () => {
    await startBackend(0);
    const target = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    const decided = await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    await deliver();
    const amount = decided.items[0]?.status === 'done' ? decided.items[0].amount : null;
    const pending = await backend.handle('outbox.summary', {});
    expect(pending.refundsPending).toEqual([{ currency: amount?.currency, amount, count: 1 }]);

    // The marketplace settles accepted refunds after a while; the next sync sees it.
    simulator.marketplace.advance(2 * 3_600_000);
    await backend.handle('sync.now', { full: false });
    expect((await backend.db.requests.get(target.id))?.state).toBe('refunded');
    expect((await backend.handle('outbox.summary', {})).refundsPending).toEqual([]);
    expect((await backend.db.refunds.where('requestId').equals(target.id).first())?.status).toBe('completed');
  });
});

describe('a refusal from the marketplace', () => {
  it('marks the decision failed with the marketplace message, shows the request as before, and can be retried', async () => {
    await startBackend(10);
    const dispute = await find((row) => row.kind === 'dispute' && row.state === 'requested' && row.requestedAmount.amountMinor > 100);
    const amount = { amountMinor: Math.floor(dispute.requestedAmount.amountMinor / 2), currency: dispute.requestedAmount.currency };
    const decided = await backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'offer', amount } });
    // The marketplace disagrees with what is sent (here: an amount above its cap, set by hand).
    const entry = await backend.db.outbox.where('batchId').equals(decided.batchId ?? '').first();
    if (entry === undefined) throw new Error('no outbox entry');
    await backend.db.outbox.put({ ...entry, body: { ...entry.body, amount: { ...amount, amountMinor: dispute.refundMax.amountMinor * 10 } } });
    await deliver();

    const summary = await backend.handle('outbox.summary', {});
    expect(summary.failed).toMatchObject([{ id: entry.id, requestId: dispute.id, code: 'amount_above_cap' }]);
    expect(summary.failed[0]?.message).toMatch(/above the refund cap/);
    const detail = await backend.handle('requests.get', { requestId: dispute.id });
    expect(detail.local).toBeNull();
    expect(detail.audit[0]).toMatchObject({ action: 'failed', actor: 'marketplace' });
    expect(ledgerFor(dispute.id)).toEqual([]);

    // Retry decides again under a new key, from the same action, and goes through.
    await expect(backend.handle('outbox.retry', { outboxId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    const retried = await backend.handle('outbox.retry', { outboxId: entry.id });
    expect(retried.done).toBe(1);
    await deliver();
    expect(ledgerFor(dispute.id)).toMatchObject([{ action: 'offer' }]);
    expect((await backend.handle('outbox.summary', {})).failed).toEqual([]);
    await expect(backend.handle('outbox.retry', { outboxId: entry.id })).rejects.toMatchObject({ code: 'not_failed' });
  });
});

describe('a refund the marketplace fails to pay out', () => {
  it('is surfaced as failed, cannot be retried before it is known to have failed, and is retried under a new key', async () => {
    await startBackend(0);
    simulator.setFaults({ refundFailRate: 1 });
    const target = await find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    await deliver();
    // Pending: its fate is not known yet, so it may not be sent again.
    await expect(backend.handle('refunds.retry', { requestId: target.id })).rejects.toMatchObject({ code: 'refund_not_failed' });

    simulator.marketplace.advance(2 * 3_600_000);
    await backend.handle('sync.now', { full: false });
    // Refunds the demo data had pending at the start fail too (the fault is the marketplace's): this test follows its own.
    const failed = await backend.handle('outbox.summary', {});
    expect(failed.refundsFailed.filter((refund) => refund.requestId === target.id)).toHaveLength(1);
    expect(failed.refundsPending).toEqual([]);

    simulator.setFaults({ refundFailRate: 0 });
    const { outboxId } = await backend.handle('refunds.retry', { requestId: target.id });
    await expect(backend.handle('refunds.retry', { requestId: target.id })).rejects.toMatchObject({ code: 'refund_not_failed' });
    await deliver();
    simulator.marketplace.advance(2 * 3_600_000);
    await backend.handle('sync.now', { full: false });

    const ledger = simulator.state.ledger.filter((entry) => entry.requestId === target.id).map((entry) => [entry.action, entry.idempotencyKey !== null]);
    expect(ledger).toEqual([
      ['accept', true],
      ['refund_failed', false],
      ['retry_refund', true],
      ['settle_refund', false],
    ]);
    const keys = simulator.state.ledger.filter((entry) => entry.requestId === target.id && entry.idempotencyKey !== null).map((entry) => entry.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect(keys).toContain(outboxId);
    const after = await backend.handle('outbox.summary', {});
    expect(after.refundsFailed.map((refund) => refund.requestId)).not.toContain(target.id);
    expect(after.refundsFailed).toHaveLength(failed.refundsFailed.length - 1);
    expect((await backend.db.requests.get(target.id))?.state).toBe('refunded');
  });
});
