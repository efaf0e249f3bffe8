import { describe, expect, it } from 'vitest';
import { OrderSchema, phaseOf } from '../../../../shared/domain/order';
import { makeOrder } from '../factories';

describe('phaseOf', () => {
  it('reads the moment from the status', () => {
    expect(phaseOf(makeOrder({ status: 'awaiting_payment' }))).toBe('before_payment');
    expect(phaseOf(makeOrder({ status: 'awaiting_shipment' }))).toBe('before_shipment');
    expect(phaseOf(makeOrder({ status: 'shipped' }))).toBe('after_shipment');
  });

  it('places a cancelled order by what happened before it ended', () => {
    const cancelled = makeOrder({ status: 'cancelled' });
    expect(phaseOf({ ...cancelled, paidAt: null, shippedAt: null })).toBe('before_payment');
    expect(phaseOf({ ...cancelled, paidAt: cancelled.placedAt, shippedAt: null })).toBe('before_shipment');
    expect(phaseOf({ ...cancelled, paidAt: cancelled.placedAt, shippedAt: cancelled.placedAt })).toBe('after_shipment');
  });

  it('the factory builds valid orders', () => {
    for (const status of ['awaiting_payment', 'awaiting_shipment', 'delivered', 'cancelled'] as const) {
      expect(OrderSchema.safeParse(makeOrder({ status })).success).toBe(true);
    }
  });
});
