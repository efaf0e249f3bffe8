import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../../../electron/simulator/aliexpress/model';
import { formatPacific } from '../../../../../electron/simulator/aliexpress/pacific';
import { DAY, authorize, bodyOf, callSync, errorOf, start, type Answer, type Started } from './helpers';

/** Order list and detail (§5.1–§5.3, §6): paging, windows, statuses, shapes, lossless ids. */

const LIST = 'aliexpress.trade.seller.orderlist.get';
const FIND = 'aliexpress.trade.new.redefining.findorderbyid';

let started: Started;
let token: string;
beforeAll(async () => {
  started = await start({ orders: 60 });
  token = (await authorize(started)).access_token;
});
afterAll(async () => {
  await started.sandbox.close();
});

const orders = (): Order[] => [...started.sandbox.state.orders.values()];
const pacific = (ms: number): string => formatPacific(ms);

function list(q: Record<string, unknown>, simplify = true): Promise<Answer> {
  return callSync(started, LIST, { param_aeop_order_query: JSON.stringify(q) }, { token, simplify });
}

function resultOf(answer: Answer): Record<string, unknown> {
  return answer.json.result as Record<string, unknown>;
}

function ids(answer: Answer): string[] {
  // Read from the raw text: the ids do not fit a JS number.
  return [...answer.text.matchAll(/"order_id":(\d+),"buyer_login_id"/g)].map((match) => match[1] ?? '');
}

describe('aliexpress.trade.seller.orderlist.get', () => {
  it('pages 1-based through every order but FINISH, newest created first', async () => {
    const expected = orders()
      .filter((order) => order.status !== 'FINISH')
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((order) => order.id);
    const seen: string[] = [];
    const first = resultOf(await list({ current_page: 1, page_size: 7 }));
    expect(first).toMatchObject({ success: true, current_page: 1, page_size: 7, total_count: expected.length, total_page: Math.ceil(expected.length / 7) });
    for (let page = 1; page <= Number(first.total_page); page++) seen.push(...ids(await list({ current_page: page, page_size: 7 })));
    expect(seen).toEqual(expected);
    const beyond = resultOf(await list({ current_page: Number(first.total_page) + 1, page_size: 7 }));
    expect(beyond.target_list).toEqual([]);
    const wrapped = bodyOf(await list({ current_page: 99, page_size: 7 }, false), LIST);
    expect((wrapped.result as Record<string, unknown>).target_list).toEqual({});
  });

  it.each([
    [{ current_page: 1, page_size: 51 }, 'page_size'],
    [{ current_page: 1, page_size: 0 }, 'page_size'],
    [{ current_page: 0, page_size: 10 }, 'current_page'],
    [{ page_size: 10 }, 'current_page'],
    [{ current_page: 1, page_size: 10, order_status: 'SHIPPED' }, 'SHIPPED'],
    [{ current_page: 1, page_size: 10, create_date_start: '2026-11-01T00:00:00Z' }, 'create_date_start'],
    [{ current_page: 1, page_size: 10, create_date_start: '2026-11-20 00:00:00', create_date_end: '2026-11-10 00:00:00' }, 'after'],
  ])('refuses %j in result (InvalidParameter)', async (q, word) => {
    const result = resultOf(await list(q));
    expect(result).toMatchObject({ success: false, error_code: 'InvalidParameter' });
    expect(String(result.error_message)).toContain(word);
  });

  it('a query that is not JSON is a gateway InvalidParameter', async () => {
    const answer = await callSync(started, LIST, { param_aeop_order_query: '{current_page:1' }, { token });
    expect(errorOf(answer)).toMatchObject({ type: 'ISV', code: 'InvalidParameter' });
    const missing = await callSync(started, LIST, {}, { token });
    expect(errorOf(missing)).toMatchObject({ code: 'MissingParameter' });
  });

  it('windows: at most 180 days; FINISH only when asked for and within 30 days', async () => {
    const now = started.clock.now();
    const tooLong = resultOf(await list({ current_page: 1, page_size: 10, create_date_start: pacific(now - 181 * DAY), create_date_end: pacific(now) }));
    expect(tooLong).toMatchObject({ success: false, error_code: 'DateRangeTooLong' });
    const finishNoWindow = resultOf(await list({ current_page: 1, page_size: 10, order_status: 'FINISH' }));
    expect(finishNoWindow).toMatchObject({ success: false, error_code: 'DateRangeTooLong' });
    const finishLong = resultOf(await list({ current_page: 1, page_size: 10, order_status: 'FINISH', modified_date_start: pacific(now - 31 * DAY) }));
    expect(finishLong).toMatchObject({ success: false, error_code: 'DateRangeTooLong' });
    const from = now - 30 * DAY;
    const finished = await list({ current_page: 1, page_size: 50, order_status_list: ['FINISH'], modified_date_start: pacific(from), modified_date_end: pacific(now) });
    const expected = orders().filter((order) => order.status === 'FINISH' && order.modifiedAt >= Math.floor(from / 1000) * 1000);
    expect(resultOf(finished)).toMatchObject({ success: true, total_count: expected.length });
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(ids(finished))).toEqual(new Set(expected.map((order) => order.id)));
  });

  it('filters by status list (array or comma text), buyer and creation window', async () => {
    const inCancel = orders().filter((order) => order.status === 'IN_CANCEL');
    expect(inCancel.length).toBeGreaterThan(1);
    expect(resultOf(await list({ current_page: 1, page_size: 50, order_status: 'IN_CANCEL' })).total_count).toBe(inCancel.length);
    const both = orders().filter((order) => order.status === 'IN_CANCEL' || order.status === 'IN_ISSUE').length;
    expect(resultOf(await list({ current_page: 1, page_size: 50, order_status_list: ['IN_CANCEL', 'IN_ISSUE'] })).total_count).toBe(both);
    expect(resultOf(await list({ current_page: 1, page_size: 50, order_status_list: 'IN_CANCEL,IN_ISSUE' })).total_count).toBe(both);
    const buyer = inCancel[0]?.buyer.loginId ?? '';
    expect(ids(await list({ current_page: 1, page_size: 50, buyer_login_id: buyer }))).toContain(inCancel[0]?.id);
    const now = started.clock.now();
    const recent = await list({ current_page: 1, page_size: 50, create_date_start: pacific(now - 3 * DAY), create_date_end: pacific(now) });
    const expected = orders().filter((order) => order.status !== 'FINISH' && order.createdAt >= Math.floor((now - 3 * DAY) / 1000) * 1000);
    expect(new Set(ids(recent))).toEqual(new Set(expected.map((order) => order.id)));
  });

  it('writes ids beyond 2^53 as bare JSON numbers, unchanged', async () => {
    const answer = await list({ current_page: 1, page_size: 50 });
    const written = ids(answer);
    expect(written.length).toBeGreaterThan(10);
    for (const id of written) {
      expect(id).toMatch(/^9[1-9]\d{14}$/);
      expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(started.sandbox.state.orders.has(id)).toBe(true);
    }
    // At least one id is odd, which no double can hold: JSON.parse changes it.
    const odd = written.find((id) => Number(id.slice(-1)) % 2 === 1) ?? '';
    expect(String(Number(odd))).not.toBe(odd);
  });

  it('shapes an order item as §5.1 says: SimpleMoney strings, Pacific times, deadlines in ms', async () => {
    const order = orders().find((candidate) => candidate.status === 'IN_CANCEL');
    if (order === undefined || order.cancel === null) throw new Error('no IN_CANCEL order');
    const answer = await list({ current_page: 1, page_size: 50, buyer_login_id: order.buyer.loginId, order_status: 'IN_CANCEL' });
    const item = (resultOf(answer).target_list as Record<string, unknown>[])[0] ?? {};
    expect(item).toMatchObject({
      order_status: 'IN_CANCEL',
      buyer_login_id: order.buyer.loginId,
      gmt_create: pacific(order.createdAt),
      gmt_update: pacific(order.modifiedAt),
      timeout_left_time: order.cancel.deadlineAt - started.clock.now(),
      pay_amount: { amount: expect.stringMatching(/^\d+(\.\d{2})?$/) as unknown, currency_code: order.currency },
    });
    expect(String(item.gmt_create)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const escrow = (item.escrow_fee as Record<string, string>).amount ?? '';
    expect(escrow.split('.')[1]?.length ?? 0).toBeGreaterThanOrEqual(2);
  });
});

describe('aliexpress.trade.new.redefining.findorderbyid', () => {
  function find(orderId: string, extra: Record<string, unknown> = {}, simplify = false): Promise<Answer> {
    return callSync(started, FIND, { param1: `{"order_id":${orderId}${Object.entries(extra).map(([k, v]) => `,"${k}":${JSON.stringify(v)}`).join('')}}` }, { token, simplify });
  }

  it('reads a bare 16-digit order id losslessly and answers the detail with MoneyStr', async () => {
    const order = orders().find((candidate) => candidate.status === 'IN_CANCEL');
    if (order === undefined || order.cancel === null) throw new Error('no IN_CANCEL order');
    const answer = await find(order.id);
    expect(answer.text).toContain(`"id":${order.id},`);
    const target = bodyOf(answer, FIND).target as Record<string, unknown>;
    expect(target).toMatchObject({
      order_status: 'IN_CANCEL',
      cancel_request_reason: order.cancel.reason,
      over_time_left: pacific(order.cancel.deadlineAt),
      buyerloginid: order.buyer.loginId,
      gmt_create: pacific(order.createdAt),
    });
    const amount = target.order_amount as Record<string, unknown>;
    expect(amount).toMatchObject({ currency_code: order.currency, cent_factor: order.currency === 'JPY' ? 1 : 100 });
    expect(Number(amount.cent) / Number(amount.cent_factor)).toBe(Number(amount.amount));
    const children = (target.child_order_list as Record<string, unknown>).aeop_tp_child_order_dto as Record<string, unknown>[];
    expect(children).toHaveLength(order.lines.length);
    expect(children[0]?.child_order_id).toBe(order.lines[0]?.childId);
    expect((target.opr_log_dto_list as Record<string, unknown>).aeop_tp_operation_log_dto).toEqual(expect.any(Array));
  });

  it('takes the id as a string too, and honours ext_info_bit_flag', async () => {
    const order = orders().find((candidate) => candidate.shippedAt !== null && candidate.refunds.length > 0);
    if (order === undefined) throw new Error('no refunded shipped order');
    const all = bodyOf(await callSync(started, FIND, { param1: JSON.stringify({ order_id: order.id }) }, { token }), FIND).target as Record<string, unknown>;
    expect(all).toHaveProperty('refund_info');
    expect(all).toHaveProperty('buyer_info');
    expect(all).toHaveProperty('logistic_info_list');
    const issueOnly = (await find(order.id, { ext_info_bit_flag: 1 }, true)).json.target as Record<string, unknown>;
    expect(issueOnly).not.toHaveProperty('refund_info');
    expect(issueOnly).not.toHaveProperty('buyer_info');
    expect(issueOnly).not.toHaveProperty('logistic_info_list');
    const refundOnly = (await find(order.id, { ext_info_bit_flag: 16 }, true)).json.target as Record<string, unknown>;
    expect(refundOnly.refund_info).toMatchObject({ refund_status: 'refund_ok' });
  });

  it('an unknown order is a code 15 business error; a missing id is MissingParameter', async () => {
    expect(errorOf(await find('9999999999999999'))).toMatchObject({ code: 15, msg: 'Remote service error', sub_code: 'isv.order-not-found' });
    expect(errorOf(await callSync(started, FIND, { param1: '{}' }, { token }))).toMatchObject({ code: 'MissingParameter', msg: expect.stringContaining('param1.order_id') as unknown });
    expect(errorOf(await callSync(started, FIND, { param1: '{"order_id":"12a"}' }, { token })).code).toBe('InvalidParameter');
  });
});

describe('aliexpress.logistics.redefining.getlogisticsselleraddresses', () => {
  const API = 'aliexpress.logistics.redefining.getlogisticsselleraddresses';
  it('lists the asked address kinds, as a JSON array, a bare word or nothing', async () => {
    const refund = bodyOf(await callSync(started, API, { seller_address_query: '["refund"]' }, { token }), API);
    const entries = (refund.refund_seller_address_list as Record<string, unknown>).refundselleraddresslist as Record<string, unknown>[];
    expect(entries).toHaveLength(2);
    expect(refund).not.toHaveProperty('sender_seller_address_list');
    expect(refund.result_success).toBe(true);
    const pickup = bodyOf(await callSync(started, API, { seller_address_query: 'pickup' }, { token }), API);
    expect(Object.keys(pickup)).toContain('pickup_seller_address_list');
    const every = (await callSync(started, API, {}, { token, simplify: true })).json;
    expect(every.sender_seller_address_list).toEqual(expect.any(Array));
    const comma = (await callSync(started, API, { seller_address_query: 'sender, refund' }, { token, simplify: true })).json;
    expect(Object.keys(comma).filter((key) => key.endsWith('_list')).sort()).toEqual(['refund_seller_address_list', 'sender_seller_address_list']);
  });
});
