/**
 * AliExpress records in the shapes the protocol reference gives (§5.2 findorderbyid, §5.6
 * issue.detail.get), as the lossless parser hands them over: ids past 2^53 as digit strings,
 * money as decimal strings or MoneyStr with cents, times as Los Angeles wall times.
 */

export const ORDER_ID = '8123456789012345678';
export const ISSUE_ID = '1160045860056286123';

const moneyStr = (amount: string, cent: number, currency = 'USD') => ({ amount, cent, cent_factor: 100, currency_code: currency });

/** An order paid and waiting to ship, its buyer asking to cancel. */
export function inCancelOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ORDER_ID,
    order_status: 'IN_CANCEL',
    logistics_status: 'WAIT_SELLER_SEND_GOODS',
    gmt_create: '2026-11-20 09:15:00',
    gmt_modified: '2026-11-30 18:00:05',
    gmt_pay_success: '2026-11-20 09:16:30',
    over_time_left: '2026-12-02 18:00:05',
    cancel_request_reason: 'I found a better price elsewhere',
    buyerloginid: 'us1234567',
    buyer_signer_fullname: 'Ada Lovelace',
    buyer_info: { login_id: 'us1234567', first_name: 'Ada', last_name: 'Lovelace', country: 'us' },
    order_amount: moneyStr('27.50', 2750),
    logistics_amount: moneyStr('2.50', 250),
    child_order_list: {
      aeop_tp_child_order_dto: [
        { child_order_id: '8123456789012345679', product_id: 1005001234567890, product_count: 2, product_price: moneyStr('15.00', 1500), sku_code: 'LAMP-RED', product_name: 'Red lamp' },
      ],
    },
    opr_log_dto_list: [{ action_type: 'buyer_apply_cancel', gmt_create: '2026-11-30 18:00:05' }],
    ...overrides,
  };
}

/** A dispute after delivery: the buyer asks $20 back of a $45 cap, with two photos. */
export function issueDetail(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ISSUE_ID,
    order_id: '8123456789012345679',
    parent_order_id: ORDER_ID,
    buyer_login_id: 'us1234567',
    issue_status: 'processing',
    reverse_detail_status: 'wait_for_seller_response',
    issue_reason: 'Item is damaged or broken',
    gmt_create: '2026-11-25 10:00:00',
    refund_money_max: '45.00',
    refund_money_max_currency: 'USD',
    timeout_trigger_time: '2026-11-30 10:00:00',
    buyer_solution_list: {
      solution_api_dto: [
        { id: 5001, issue_id: ISSUE_ID, solution_type: 'refund', status: 'wait_seller_accept', refund_money: '20.00', refund_money_currency: 'USD', gmt_create: '2026-11-25 10:00:00' },
      ],
    },
    seller_solution_list: [],
    platform_solution_list: [],
    process_dto_list: [
      {
        action_type: 'initiate',
        submit_member_type: 'buyer',
        content: 'The lamp arrived with a cracked shade.',
        gmt_create: '2026-11-25 10:00:00',
        attachments: [
          { file_path: 'https://ae.example/evidence/crack.jpg', owner: 'buyer', gmt_create: '2026-11-25 10:00:00' },
          { file_path: 'https://ae.example/evidence/box.png?x=1', owner: 'buyer', gmt_create: '2026-11-25 10:01:00' },
          { file_path: 'https://ae.example/evidence/label.png', owner: 'seller', gmt_create: '2026-11-26 10:01:00' },
        ],
      },
    ],
    ...overrides,
  };
}
