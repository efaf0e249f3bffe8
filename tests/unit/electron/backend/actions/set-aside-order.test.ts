import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../../../shared/domain/order';
import type { CancelRequest } from '../../../../../shared/domain/request';
import { instantMs } from '../../../../../shared/domain/time';
import type { RequestDetail } from '../../../../../shared/ipc/contract';
import type { ActionOption } from '../../../../../shared/rules/actions';
import { replyDeadlineMs } from '../../../../../shared/rules/phase';
import { buyerReasonInfo } from '../../../../../shared/rules/reasons';
import { startDesk, type Desk } from '../../../../support/desk';

const DAY = 86_400_000;

let desk: Desk | null = null;
afterEach(async () => {
  await desk?.close();
  desk = null;
});

/** An open request of `kind` in the demo marketplace, a day or more from its deadline. */
function openRequest(current: Desk, kind: CancelRequest['kind'], fits: (request: CancelRequest) => boolean = () => true): CancelRequest {
  const now = current.clock.now();
  const found = current.simulator.state.requests
    .list()
    .find((request) => request.kind === kind && request.state === 'requested' && replyDeadlineMs(request) > now + DAY && fits(request));
  if (found === undefined) throw new Error(`no open ${kind} in the demo data fits this test`);
  return found;
}

/** The marketplace changes the order and sends it from now on with a 10,000-character buyer name. */
function malform(current: Desk, orderId: string): Order {
  const state = current.simulator.state;
  const order = state.orders.get(orderId);
  if (order === undefined) throw new Error(`no order ${orderId}`);
  state.putOrder({ ...order, buyer: { ...order.buyer, name: 'x'.repeat(10_000) }, version: order.version + 1, updatedAt: state.stamp() });
  return order;
}

function option<A extends ActionOption['action']>(detail: RequestDetail, action: A): Extract<ActionOption, { action: A }> {
  if (!detail.rules.available) throw new Error(`the rules panel is unavailable: ${detail.rules.message}`);
  const found = detail.rules.actions.find((candidate) => candidate.action === action);
  if (found === undefined) throw new Error(`no ${action} option`);
  return found as Extract<ActionOption, { action: A }>;
}

/** A desk whose first sync meets these orders malformed: they are set aside, their requests arrive. */
async function deskWithSetAside(pick: (current: Desk) => CancelRequest[]): Promise<{ current: Desk; requests: CancelRequest[] }> {
  const current = await startDesk({ seed: 8, orders: 600, sync: false });
  desk = current;
  const requests = pick(current);
  for (const request of requests) malform(current, request.orderId);
  await current.backend.handle('sync.now', { full: false });
  return { current, requests };
}

describe('a request whose order was set aside at sync', () => {
  it('says so in the detail, with the reason naming the field, and lets the seller do what needs no order data', async () => {
    const { current, requests } = await deskWithSetAside((fresh) => [openRequest(fresh, 'dispute', (request) => buyerReasonInfo(request.reason).proofUseful)]);
    const [dispute] = requests;
    if (dispute === undefined) throw new Error('no dispute');
    expect(await current.backend.db.orders.get(dispute.orderId)).toBeUndefined();

    const detail = await current.backend.handle('requests.get', { requestId: dispute.id });
    expect(detail.order).toBeNull();
    expect(detail.orderSetAside?.reason).toContain('buyer.name');
    expect(detail.orderSetAside?.receivedAt).toBeDefined();
    if (!detail.rules.available) throw new Error(`the rules panel says: ${detail.rules.message}`);
    // Never the old advice that cannot help.
    expect(JSON.stringify(detail.rules)).not.toContain('Sync and look again');

    // What needs the order's amounts stays blocked, saying exactly that.
    expect(option(detail, 'accept')).toMatchObject({ allowed: false, code: 'order_set_aside', refund: null });
    expect(option(detail, 'accept').message).toMatch(/^Cannot accept: the refund is worked out from the order's amounts .* order .* was set aside/);
    expect(option(detail, 'offer')).toMatchObject({ allowed: false, code: 'order_set_aside', range: null });
    expect(option(detail, 'offer').message).toContain(`order ${dispute.orderId} was set aside`);
    // What the request alone decides is open.
    expect(option(detail, 'request_proof')).toMatchObject({ allowed: true, dueDays: 3 });
    expect(option(detail, 'escalate')).toMatchObject({ allowed: true });
    const refuse = option(detail, 'refuse');
    expect(refuse.allowed).toBe(true);
    const reasons = Object.fromEntries(refuse.reasons.map((reason) => [reason.reason, reason]));
    expect(reasons.other).toMatchObject({ allowed: true, requires: ['note'] });
    expect(reasons.already_shipped).toMatchObject({ allowed: true, prefill: { carrier: null, trackingNumber: null } });
    // Nothing is recommended without the order; the first reason says which order, why, and what it blocks.
    expect(detail.rules.recommendation.action).toBeNull();
    expect(detail.rules.recommendation.urgency).toBe('normal');
    const [why] = detail.rules.recommendation.reasons;
    expect(why?.code).toBe('order_set_aside');
    expect(why?.message).toContain(`Order ${dispute.orderId} was set aside at sync`);
    expect(why?.message).toContain('buyer.name');
  });

  it('is decided and delivered once, although the marketplace answers with the malformed order', async () => {
    const { current, requests } = await deskWithSetAside((fresh) => [openRequest(fresh, 'dispute')]);
    const [dispute] = requests;
    if (dispute === undefined) throw new Error('no dispute');
    const result = await current.backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'escalate' } });
    expect(result).toMatchObject({ done: 1, skipped: 0 });
    await current.deliver();

    expect(current.sellerLedger(dispute.id).map((entry) => entry.action)).toEqual(['escalate']);
    const entries = await current.backend.db.outbox.where('requestId').equals(dispute.id).toArray();
    expect(entries.map((entry) => [entry.status, entry.lastError])).toEqual([['done', null]]);
    const row = await current.backend.db.requests.get(dispute.id);
    expect(row).toMatchObject({ state: 'escalated', local: null });
    // The malformed order was not stored from the answer either.
    expect(await current.backend.db.orders.get(dispute.orderId)).toBeUndefined();
  });

  it('lets a cancel be refused only with the tracking the seller types, and blocks what a cancel or the amounts rule out', async () => {
    const { current, requests } = await deskWithSetAside((fresh) => [openRequest(fresh, 'cancel')]);
    const [cancel] = requests;
    if (cancel === undefined) throw new Error('no cancel');
    const detail = await current.backend.handle('requests.get', { requestId: cancel.id });
    expect(option(detail, 'accept')).toMatchObject({ allowed: false, code: 'order_set_aside' });
    // The demo marketplace has none of these for a cancellation (DEMO_CAPABILITIES): its sentence says so.
    expect(option(detail, 'offer')).toMatchObject({ allowed: false, code: 'not_supported_by_marketplace', message: 'Demo marketplace has no partial-refund offer for cancellations before shipment.' });
    expect(option(detail, 'request_proof')).toMatchObject({ allowed: false, code: 'not_supported_by_marketplace', message: 'Demo marketplace has no proof request for cancellations before shipment.' });
    expect(option(detail, 'escalate')).toMatchObject({ allowed: false, code: 'not_supported_by_marketplace', message: 'Demo marketplace has no escalation for cancellations before shipment.' });
    const refuse = option(detail, 'refuse');
    expect(refuse.allowed).toBe(true);
    expect(refuse.reasons.filter((reason) => reason.allowed).map((reason) => reason.reason)).toEqual(['already_shipped']);

    const missing = current.backend.handle('decisions.decide', { requestIds: [cancel.id], action: { type: 'refuse', reason: 'already_shipped' } });
    await expect(missing).rejects.toMatchObject({ code: 'missing_field' });
    const accepted = current.backend.handle('decisions.decide', { requestIds: [cancel.id], action: { type: 'accept' } });
    await expect(accepted).rejects.toMatchObject({ code: 'order_set_aside' });
    const refused = await current.backend.handle('decisions.decide', {
      requestIds: [cancel.id],
      action: { type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'JD0001' },
    });
    expect(refused).toMatchObject({ done: 1, items: [{ status: 'done', state: 'refused', amount: null, summary: 'Refuse: Already shipped (DHL JD0001).' }] });
    await current.deliver();
    expect(current.sellerLedger(cancel.id)).toMatchObject([{ action: 'refuse', details: { tracking: { carrier: 'DHL', number: 'JD0001' } } }]);
  });

  it('is planned in a bulk beside ordinary requests: skipped for accept with the reason, included for escalate', async () => {
    const { current, requests } = await deskWithSetAside((fresh) => [openRequest(fresh, 'dispute')]);
    const [setAside] = requests;
    if (setAside === undefined) throw new Error('no dispute');
    const ordinary = await current.find((row) => row.kind === 'dispute' && row.state === 'requested' && row.phase !== null && row.orderId !== setAside.orderId && replyDeadlineMs(row) > current.clock.now() + DAY);
    const accept = await current.backend.handle('decisions.plan', { requestIds: [setAside.id, ordinary.id], action: { type: 'accept' } });
    expect(accept.items.find((item) => item.requestId === setAside.id)).toMatchObject({ status: 'skipped', code: 'order_set_aside' });
    const escalate = await current.backend.handle('decisions.plan', { requestIds: [setAside.id, ordinary.id], action: { type: 'escalate' } });
    expect(escalate).toMatchObject({ willDo: 2, skipped: 0 });
  });

  it('uses no older copy of the order for amounts, and says the copy shown is older', async () => {
    const current = await startDesk({ seed: 8, orders: 600 });
    desk = current;
    const dispute = openRequest(current, 'dispute');
    const older = malform(current, dispute.orderId);
    current.clock.advance(60_000);
    await current.backend.handle('sync.now', { full: false });

    const detail = await current.backend.handle('requests.get', { requestId: dispute.id });
    expect(detail.order?.version).toBe(older.version);
    expect(detail.orderSetAside?.reason).toContain('buyer.name');
    expect(option(detail, 'accept')).toMatchObject({ allowed: false, code: 'order_set_aside' });
    if (!detail.rules.available) throw new Error('unavailable');
    expect(detail.rules.recommendation.reasons[0]?.message).toContain(`older copy (version ${older.version})`);
    await expect(current.backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'accept' } })).rejects.toMatchObject({ code: 'order_set_aside' });
  });

  it('still says "not synced" for an order the marketplace never sent at all', async () => {
    const current = await startDesk({ seed: 8, orders: 600 });
    desk = current;
    const row = await current.find((candidate) => candidate.state === 'requested' && instantMs(candidate.respondBy) > current.clock.now());
    await current.backend.db.orders.delete(row.orderId);
    const detail = await current.backend.handle('requests.get', { requestId: row.id });
    expect(detail.orderSetAside ?? null).toBeNull();
    expect(detail.rules).toMatchObject({ available: false, code: 'order_missing' });
  });
});
