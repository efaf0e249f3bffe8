import { afterEach, describe, expect, it } from 'vitest';
import { withRefundedParts } from '../../../../../electron/backend/actions/refund-parts';
import { add, money, sum } from '../../../../../shared/money';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

describe('earlier refunds, attributed from what this app refunded', () => {
  it('an accept keeps its parts (lines and shipping, summing to the refund) with the refund it makes', async () => {
    desk = await startDesk({ seed: 8, orders: 600, policy: { undoWindowSeconds: 0 } });
    const target = await desk.find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    const decided = await desk.backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    await desk.deliver();
    const amount = decided.items[0]?.status === 'done' ? decided.items[0].amount : null;
    const refund = await desk.backend.db.refunds.where('requestId').equals(target.id).first();
    if (refund?.parts == null || amount === null) throw new Error('the accept made no refund with parts');
    const order = await desk.backend.db.orders.get(target.orderId);
    // Before shipment shipping is refunded too: every part is there, and they add up to the refund exactly.
    expect(refund.parts.shipping).toEqual(order?.shipping);
    expect(refund.parts.lines.map((line) => line.lineId).sort()).toEqual(order?.lines.map((line) => line.lineId).sort());
    expect(add(sum(refund.parts.lines.map((line) => line.amount), amount.currency), refund.parts.shipping)).toEqual(amount);
  });

  it('orders get the parts of the refunds this app made (pending or paid), not of failed ones; a marketplace breakdown wins', async () => {
    desk = await startDesk({ seed: 8, orders: 60 });
    const [order, other] = await desk.backend.db.orders.limit(2).toArray();
    if (order === undefined || other === undefined) throw new Error('no orders');
    const currency = order.currency;
    const line = order.lines[0]?.lineId ?? '';
    const refund = (id: string, status: 'pending' | 'completed' | 'failed' | 'retried', amountMinor: number, shippingMinor: number) => ({
      id,
      requestId: `r-${id}`,
      orderId: order.id,
      outboxId: null,
      amount: money(amountMinor + shippingMinor, currency),
      status,
      failure: null,
      updatedAt: '2026-11-26T09:00:00.000Z',
      parts: { shipping: money(shippingMinor, currency), lines: [{ lineId: line, amount: money(amountMinor, currency) }] },
    });
    await desk.backend.db.refunds.bulkPut([refund('a', 'completed', 300, 100), refund('b', 'pending', 200, 0), refund('c', 'failed', 999, 999), refund('d', 'retried', 999, 0)]);
    const refunded = { ...order, refunded: money(600, currency), refundedParts: null };
    const reported = { ...other, refunded: money(50, other.currency), refundedParts: { shipping: money(50, other.currency), lines: [] } };
    const [attributed, untouched, missing] = await withRefundedParts(desk.backend.db, [refunded, reported, undefined]);
    expect(attributed?.refundedParts).toEqual({
      shipping: money(100, currency),
      lines: expect.arrayContaining([
        { lineId: line, amount: money(300, currency) },
        { lineId: line, amount: money(200, currency) },
      ]) as unknown,
    });
    expect(attributed?.refundedParts?.lines).toHaveLength(2);
    expect(untouched).toBe(reported);
    expect(missing).toBeUndefined();
  });
});
