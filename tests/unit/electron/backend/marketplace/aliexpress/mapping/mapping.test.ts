import { describe, expect, it } from 'vitest';
import { cancellationFromDetail, cancelOrderIdOf, cancelRequestId } from '../../../../../../../electron/backend/marketplace/aliexpress/mapping/cancellations';
import { disputeFromDetail, evidenceIdOf, issueIdOf, parseEvidenceId } from '../../../../../../../electron/backend/marketplace/aliexpress/mapping/disputes';
import { deskOrderStatus, orderFromDetail, orderIdOf } from '../../../../../../../electron/backend/marketplace/aliexpress/mapping/orders';
import { cancelReason, disputeReason } from '../../../../../../../electron/backend/marketplace/aliexpress/mapping/reasons';
import { money } from '../../../../../../../shared/money';
import { ISSUE_ID, ORDER_ID, inCancelOrder, issueDetail } from './fixtures';

const STORE = 'lantern-ae';
const usd = (minor: number) => money(minor, 'USD');

describe('AliExpress orders in the desk', () => {
  it('reads an order detail exactly: 19-digit ids, money from cents, Los Angeles times as instants, the buyer, the coupon', () => {
    const order = orderFromDetail(inCancelOrder(), STORE);
    expect(order).toMatchObject({
      id: ORDER_ID,
      storeId: STORE,
      status: 'awaiting_shipment',
      currency: 'USD',
      buyer: { id: 'us1234567', name: 'Ada Lovelace', country: 'US' },
      lines: [{ lineId: '8123456789012345679', sku: 'LAMP-RED', title: 'Red lamp', qty: 2, unitPrice: usd(1500) }],
      shipping: usd(250),
      // 2 × 15.00 + 2.50 listed, 27.50 paid: 5.00 of coupons.
      discount: usd(500),
      paid: usd(2750),
      refunded: usd(0),
      placedAt: '2026-11-20T17:15:00.000Z',
      paidAt: '2026-11-20T17:16:30.000Z',
      shippedAt: null,
      updatedAt: '2026-12-01T02:00:05.000Z',
      tracking: null,
    });
    expect(order.version).toBe(Date.parse('2026-12-01T02:00:05.000Z') / 1000);
  });

  it('maps every order status with the logistics status to where the goods are', () => {
    expect(deskOrderStatus('PLACE_ORDER_SUCCESS', null, false)).toBe('awaiting_payment');
    expect(deskOrderStatus('RISK_CONTROL', null, false)).toBe('awaiting_shipment');
    expect(deskOrderStatus('IN_CANCEL', 'WAIT_SELLER_SEND_GOODS', false)).toBe('awaiting_shipment');
    expect(deskOrderStatus('WAIT_BUYER_ACCEPT_GOODS', 'SELLER_SEND_GOODS', false)).toBe('shipped');
    expect(deskOrderStatus('WAIT_BUYER_ACCEPT_GOODS', null, false)).toBe('shipped');
    expect(deskOrderStatus('IN_ISSUE', 'BUYER_ACCEPT_GOODS', false)).toBe('delivered');
    expect(deskOrderStatus('FINISH', 'WAIT_SELLER_SEND_GOODS', true)).toBe('cancelled');
    expect(deskOrderStatus('FINISH', 'BUYER_ACCEPT_GOODS', true)).toBe('completed');
  });

  it('reads shipment and tracking from the logistics list', () => {
    const order = orderFromDetail(
      inCancelOrder({
        order_status: 'WAIT_BUYER_ACCEPT_GOODS',
        logistics_status: 'SELLER_SEND_GOODS',
        logistic_info_list: { aeop_order_logistics_info: [{ logistics_service_name: 'Cainiao', logistics_no: 'LP0001', gmt_send: '2026-11-21 08:00:00' }] },
      }),
      STORE,
    );
    expect(order).toMatchObject({ status: 'shipped', shippedAt: '2026-11-21T16:00:00.000Z', tracking: { carrier: 'Cainiao', number: 'LP0001' } });
  });

  it('sets aside what it cannot read, naming the field: an unknown status, a paid total above the lines, a lossy id, a missing buyer, a line in another currency', () => {
    expect(() => orderFromDetail(inCancelOrder({ order_status: 'ON_THE_MOON' }), STORE)).toThrow(/order_status .*a status Cancel Desk does not know/);
    expect(() => orderFromDetail(inCancelOrder({ order_amount: { amount: '99.00', cent: 9900, cent_factor: 100, currency_code: 'USD' } }), STORE)).toThrow(/order_amount as more than its lines and shipping/);
    // What a JSON.parse would have made of the id: a float that lost its last digits.
    expect(() => orderFromDetail(inCancelOrder({ id: Number(ORDER_ID) }), STORE)).toThrow(/lose digits/);
    expect(() => orderFromDetail(inCancelOrder({ buyerloginid: undefined, buyer_info: undefined }), STORE)).toThrow(/without the buyer/);
    const euroLine = { child_order_id: '1', product_count: 1, product_price: { amount: '30.00', cent: 3000, cent_factor: 100, currency_code: 'EUR' } };
    expect(() => orderFromDetail(inCancelOrder({ child_order_list: [euroLine] }), STORE)).toThrow(/in EUR on an order in USD/);
    expect(orderIdOf(inCancelOrder())).toBe(ORDER_ID);
    expect(orderIdOf('garbage')).toBeNull();
  });
});

describe('AliExpress cancellations in the desk', () => {
  it('an order IN_CANCEL is a cancellation waiting for the seller: the buyer words, the deadline AliExpress gives, the whole payment', () => {
    const raw = inCancelOrder();
    const request = cancellationFromDetail(raw, orderFromDetail(raw, STORE));
    expect(request).toMatchObject({
      id: cancelRequestId(ORDER_ID),
      orderId: ORDER_ID,
      kind: 'cancel',
      state: 'requested',
      reason: 'found_cheaper',
      buyerMessage: 'I found a better price elsewhere',
      requestedAt: '2026-12-01T02:00:05.000Z',
      respondBy: '2026-12-03T02:00:05.000Z',
      requestedAmount: usd(2750),
      refundMax: usd(2750),
      resolution: null,
    });
    expect(cancelOrderIdOf(request?.id ?? '')).toBe(ORDER_ID);
  });

  it('without a deadline from AliExpress, the 48 hours its rules give', () => {
    const raw = inCancelOrder({ over_time_left: undefined });
    expect(cancellationFromDetail(raw, orderFromDetail(raw, STORE))?.respondBy).toBe('2026-12-03T02:00:05.000Z');
  });

  it('how it ended, from the order log: refused, accepted and refunded, withdrawn, cancelled by the platform on time-out', () => {
    const ended = (status: string, action: string, extra: Record<string, unknown> = {}, operator = 'seller') => {
      const raw = inCancelOrder({ order_status: status, opr_log_dto_list: [{ action_type: 'buyer_apply_cancel', gmt_create: '2026-11-30 18:00:05' }, { action_type: action, operator, gmt_create: '2026-12-01 08:00:00' }], gmt_modified: '2026-12-01 08:00:00', ...extra });
      return cancellationFromDetail(raw, orderFromDetail(raw, STORE));
    };
    expect(ended('WAIT_SELLER_SEND_GOODS', 'seller_refuse_cancel')).toMatchObject({ state: 'refused', resolution: { outcome: 'refused', by: 'seller', decidedAt: '2026-12-01T16:00:00.000Z' } });
    const refunded = { refund_info: { refund_status: 'refund_ok', refund_cash_amt: { amount: '27.50', cent: 2750, cent_factor: 100, currency_code: 'USD' } } };
    expect(ended('FINISH', 'seller_accept_cancel', refunded)).toMatchObject({ state: 'refunded', resolution: { outcome: 'refunded', amount: usd(2750), by: 'seller' } });
    expect(ended('FINISH', 'cancel_order_close_trade', refunded)).toMatchObject({ state: 'refunded', resolution: { by: 'seller' } });
    expect(ended('FINISH', 'cancel_order_close_trade', refunded, 'system')).toMatchObject({ state: 'auto_accepted', resolution: { by: 'platform' } });
    expect(ended('WAIT_SELLER_SEND_GOODS', 'buyer_close_cancel')).toMatchObject({ state: 'withdrawn', resolution: { by: 'buyer' } });
    // An order that never saw a cancellation has none.
    const plain = inCancelOrder({ order_status: 'WAIT_SELLER_SEND_GOODS', opr_log_dto_list: [] });
    expect(cancellationFromDetail(plain, orderFromDetail(plain, STORE))).toBeNull();
  });

  it("reads the buyer's reason from their words, and keeps a change of mind for words it does not know", () => {
    expect(cancelReason('Shipping takes too long')).toBe('shipping_too_slow');
    expect(cancelReason('I need to change the shipping address')).toBe('wrong_address');
    expect(cancelReason('Ordered by mistake')).toBe('ordered_by_mistake');
    expect(cancelReason('Payment problem')).toBe('payment_issue');
    expect(cancelReason('Я передумал')).toBe('changed_mind');
    expect(disputeReason('Product not received')).toBe('not_received');
    expect(disputeReason('Item is counterfeit')).toBe('counterfeit');
    expect(disputeReason('Parts are missing')).toBe('missing_parts');
    expect(disputeReason('Received the wrong item')).toBe('wrong_item');
    expect(disputeReason('Produto diferente do anúncio')).toBe('not_as_described');
  });
});

describe('AliExpress disputes in the desk', () => {
  it("an issue is a dispute: the buyer's solution is the ask, the cap, the trigger time, the buyer's photos, the opening words", () => {
    const request = disputeFromDetail(issueDetail(), STORE);
    expect(request).toMatchObject({
      id: `issue-${ISSUE_ID}`,
      orderId: ORDER_ID,
      kind: 'dispute',
      reason: 'damaged',
      buyerMessage: 'The lamp arrived with a cracked shade.',
      requestedAt: '2026-11-25T18:00:00.000Z',
      respondBy: '2026-11-30T18:00:00.000Z',
      requestedAmount: usd(2000),
      refundMax: usd(4500),
      state: 'requested',
      offer: null,
      resolution: null,
    });
    expect(request.evidence.map((file) => [file.fileName, file.contentType, file.kind])).toEqual([
      ['crack.jpg', 'image/jpeg', 'photo'],
      ['box.png', 'image/png', 'photo'],
    ]);
    expect(parseEvidenceId(request.evidence[1]?.id ?? '')).toEqual({ issueId: ISSUE_ID, index: 1, buyerLoginId: 'us1234567' });
    expect(issueIdOf(request.id)).toBe(ISSUE_ID);
    expect(evidenceIdOf(ISSUE_ID, 'x'.repeat(100), 0)).toHaveLength(64);
  });

  it('where the dispute stands: an offer waiting for the buyer, refused by the buyer, with the platform, withdrawn', () => {
    const offer = { id: 6001, solution_type: 'refund', status: 'wait_buyer_accept', refund_money: '12.00', refund_money_currency: 'USD', gmt_create: '2026-11-26 09:00:00' };
    expect(disputeFromDetail(issueDetail({ seller_solution_list: [offer] }), STORE)).toMatchObject({ state: 'offer_made', offer: usd(1200), updatedAt: '2026-11-26T17:00:00.000Z' });
    const refusedOffer = { ...offer, status: 'buyer_refused' };
    const ask = { id: 5001, solution_type: 'refund', status: 'buyer_refused', refund_money: '20.00', refund_money_currency: 'USD', gmt_create: '2026-11-25 10:00:00' };
    expect(disputeFromDetail(issueDetail({ seller_solution_list: [refusedOffer], buyer_solution_list: [ask] }), STORE).state).toBe('refused_by_buyer');
    expect(disputeFromDetail(issueDetail({ reverse_detail_status: 'wait_for_AE_feedback' }), STORE).state).toBe('escalated');
    expect(disputeFromDetail(issueDetail({ issue_status: 'canceled_issue' }), STORE)).toMatchObject({ state: 'withdrawn', resolution: { outcome: 'withdrawn', by: 'buyer' } });
  });

  it('how it ended: agreed, decided for the buyer when the seller did not answer, by the platform, refused with no refund', () => {
    const reached = (reachedType: string, owner: 'buyer_solution_list' | 'platform_solution_list' = 'buyer_solution_list', refund = '20.00') =>
      disputeFromDetail(
        issueDetail({
          issue_status: 'finish',
          reverse_detail_status: refund === '0.00' ? 'refund_reject' : 'refund_success',
          buyer_solution_list: [],
          [owner]: [{ id: 5001, solution_type: 'refund', status: 'reached', reached_type: reachedType, refund_money: refund, refund_money_currency: 'USD', gmt_create: '2026-11-25 10:00:00', reached_time: '2026-11-27 10:00:00' }],
        }),
        STORE,
      );
    expect(reached('negotiation_consensus')).toMatchObject({ state: 'refunded', resolution: { outcome: 'refunded', amount: usd(2000), by: 'seller', decidedAt: '2026-11-27T18:00:00.000Z' } });
    expect(reached('seller_reponse_timeout')).toMatchObject({ state: 'auto_accepted', resolution: { outcome: 'decided_by_platform', by: 'platform' } });
    expect(reached('platform_arbitrate', 'platform_solution_list')).toMatchObject({ state: 'closed_by_platform', resolution: { by: 'platform' } });
    expect(reached('negotiation_consensus', 'buyer_solution_list', '0.00')).toMatchObject({ state: 'refused', resolution: { outcome: 'refused', amount: null } });
  });

  it('sets aside an issue it cannot read: no buyer, an unknown solution status, a cap in another currency than the ask', () => {
    expect(() => disputeFromDetail(issueDetail({ buyer_login_id: undefined }), STORE)).toThrow(/without the buyer/);
    const odd = [{ id: 1, solution_type: 'refund', status: 'pondering', refund_money: '1.00', refund_money_currency: 'USD', gmt_create: '2026-11-25 10:00:00' }];
    expect(() => disputeFromDetail(issueDetail({ buyer_solution_list: odd }), STORE)).toThrow(/status .*does not know/);
    expect(() => disputeFromDetail(issueDetail({ refund_money_max_currency: 'EUR' }), STORE)).toThrow(/refund_money_max in EUR while the buyer asks in USD/);
  });
});
