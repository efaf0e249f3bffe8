import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Issue, Order } from '../../../../../electron/simulator/aliexpress/model';
import { renderEvidencePng } from '../../../../../electron/simulator/png';
import { DAY, authorize, bodyOf, callSync, errorOf, start, type Answer, type Started } from './helpers';

/** The seller's actions (§5.4, §5.7–§5.9): their effects, ledger entries and business errors. */

const ACCEPT = 'aliexpress.trade.seller.order.acceptcancel';
const REFUSE = 'aliexpress.trade.seller.order.refusecancel';
const AGREE = 'aliexpress.issue.solution.agree';
const SAVE = 'aliexpress.issue.solution.save';
const UPLOAD = 'aliexpress.issue.image.upload';
const DETAIL = 'aliexpress.issue.detail.get';

let started: Started;
let token: string;
beforeEach(async () => {
  started = await start({ orders: 30 });
  token = (await authorize(started)).access_token;
});
afterEach(async () => {
  await started.sandbox.close();
});

const state = () => started.sandbox.state;
const ledger = () => state().ledger;

function inCancel(): Order {
  const order = [...state().orders.values()].find((candidate) => candidate.status === 'IN_CANCEL');
  if (order === undefined) throw new Error('no IN_CANCEL order');
  return order;
}

function waitingIssue(type: 'refund' | 'return_and_refund'): Issue {
  const issue = [...state().issues.values()].find(
    (candidate) => candidate.reverseStatus === 'wait_for_seller_response' && candidate.solutions[0]?.type === type,
  );
  if (issue === undefined) throw new Error(`no ${type} dispute waiting for the seller`);
  return issue;
}

function cancelCall(api: string, order: Order, extra: Record<string, unknown> = {}, login = order.buyer.loginId): Promise<Answer> {
  const fields = Object.entries({ memo: undefined, ...extra }).filter(([, value]) => value !== undefined).map(([key, value]) => `,"${key}":${JSON.stringify(value)}`);
  return callSync(started, api, { param_order_cancel_request: `{"buyer_login_id":${JSON.stringify(login)},"order_id":${order.id}${fields.join('')}}` }, { token });
}

function resultOf(answer: Answer, api: string): Record<string, unknown> {
  return bodyOf(answer, api).result as Record<string, unknown>;
}

function detail(issue: Issue): Promise<Record<string, unknown>> {
  return callSync(started, DETAIL, { issue_id: issue.id, buyer_login_id: issue.buyerLoginId }, { token, simplify: true }).then(
    (answer) => answer.json.result_object as Record<string, unknown>,
  );
}

describe('cancellation requests', () => {
  it('acceptcancel cancels the order and refunds everything once', async () => {
    const order = inCancel();
    const before = ledger().length;
    started.clock.advance(60_000);
    expect(resultOf(await cancelCall(ACCEPT, order), ACCEPT)).toEqual({ success: true, target: true });
    expect(order).toMatchObject({ status: 'FINISH', endReason: 'buyer_cancel_order', cancel: null, modifiedAt: started.clock.now() });
    const entries = ledger().slice(before);
    expect(entries.map((entry) => [entry.kind, entry.api])).toEqual([
      ['seller_action', ACCEPT],
      ['refund', ACCEPT],
    ]);
    const total = order.lines.reduce((sum, line) => sum + line.unitPriceMinor * line.count, order.shippingMinor);
    expect(entries[1]).toMatchObject({ orderId: order.id, amountMinor: total, currency: order.currency });
    const detail = await callSync(started, 'aliexpress.trade.new.redefining.findorderbyid', { param1: `{"order_id":${order.id}}` }, { token, simplify: true });
    const refundInfo = (detail.json.target as Record<string, unknown>).refund_info as Record<string, Record<string, unknown>>;
    expect(refundInfo.refund_cash_amt).toMatchObject({ cent: total, currency_code: order.currency });
    const again = resultOf(await cancelCall(ACCEPT, order), ACCEPT);
    expect(again).toMatchObject({ success: false, target: false, error_code: 'ORDER_NOT_IN_CANCEL' });
    expect(ledger().length).toBe(before + 2);
  });

  it('refusecancel needs a memo of 1 to 512 characters and puts the order back', async () => {
    const order = inCancel();
    expect(resultOf(await cancelCall(REFUSE, order), REFUSE)).toMatchObject({ success: false, error_code: 'MEMO_REQUIRED' });
    expect(resultOf(await cancelCall(REFUSE, order, { memo: '   ' }), REFUSE)).toMatchObject({ success: false, error_code: 'MEMO_REQUIRED' });
    expect(resultOf(await cancelCall(REFUSE, order, { memo: 'x'.repeat(513) }), REFUSE)).toMatchObject({ success: false, error_code: 'MEMO_TOO_LONG' });
    expect(order.status).toBe('IN_CANCEL');
    const memo = 'Товар уже отправлен — already shipped';
    expect(resultOf(await cancelCall(REFUSE, order, { memo: memo.padEnd(512, '.') }), REFUSE)).toEqual({ success: true, target: true });
    expect(order).toMatchObject({ status: 'WAIT_SELLER_SEND_GOODS', cancel: null });
    expect(ledger().at(-1)).toMatchObject({ kind: 'seller_action', api: REFUSE, orderId: order.id, details: { memo: memo.padEnd(512, '.') } });
    expect(ledger().some((entry) => entry.kind === 'refund' && entry.orderId === order.id)).toBe(false);
  });

  it('refuses other buyers, unknown orders and orders with no request', async () => {
    const order = inCancel();
    expect(resultOf(await cancelCall(ACCEPT, order, {}, 'someone'), ACCEPT)).toMatchObject({ error_code: 'BUYER_NOT_MATCH' });
    const unknown = await callSync(started, ACCEPT, { param_order_cancel_request: '{"buyer_login_id":"x","order_id":9100000000000001}' }, { token });
    expect(resultOf(unknown, ACCEPT)).toMatchObject({ success: false, error_code: 'ORDER_NOT_FOUND' });
    const shipped = [...state().orders.values()].find((candidate) => candidate.status === 'WAIT_BUYER_ACCEPT_GOODS');
    if (shipped === undefined) throw new Error('no shipped order');
    expect(resultOf(await cancelCall(ACCEPT, shipped), ACCEPT)).toMatchObject({ error_code: 'ORDER_NOT_IN_CANCEL' });
    expect(errorOf(await callSync(started, ACCEPT, { param_order_cancel_request: '{"order_id":1}' }, { token })).code).toBe('MissingParameter');
  });
});

describe('disputes', () => {
  it('lists disputes with paging, filters and the §4.1 wrapper', async () => {
    const API = 'aliexpress.issue.issuelist.get';
    const all = [...state().issues.values()];
    const first = bodyOf(await callSync(started, API, { query_dto: JSON.stringify({ current_page: 1, page_size: 2 }) }, { token }), API);
    expect(first).toMatchObject({ current_page: 1, page_size: 2, total_item: all.length });
    expect((first.data_list as Record<string, unknown>).issue_api_issue_dto).toHaveLength(2);
    const processing = (await callSync(started, API, { query_dto: JSON.stringify({ issue_status: 'processing' }) }, { token, simplify: true })).json;
    expect(processing.total_item).toBe(all.filter((issue) => issue.status === 'processing').length);
    const issue = waitingIssue('refund');
    const byChild = (await callSync(started, API, { query_dto: `{"order_no":${issue.childId}}` }, { token, simplify: true }));
    expect(byChild.text).toContain(`"issue_id":${issue.id}`);
    const byParent = (await callSync(started, API, { query_dto: JSON.stringify({ order_no: issue.orderId, buyer_login_id: issue.buyerLoginId }) }, { token, simplify: true })).json;
    expect(byParent.total_item).toBeGreaterThanOrEqual(1);
    expect((await callSync(started, API, {}, { token, simplify: true })).json).toMatchObject({ current_page: 1, page_size: 20 });
    for (const q of [{ page_size: 51 }, { current_page: 0 }, { issue_status: 'open' }]) {
      expect(errorOf(await callSync(started, API, { query_dto: JSON.stringify(q) }, { token }))).toMatchObject({ code: 15, sub_code: 'isv.invalid-parameter' });
    }
  });

  it('detail needs buyer_login_id and issue_id, and answers the §5.6 fields', async () => {
    const issue = waitingIssue('refund');
    expect(errorOf(await callSync(started, DETAIL, { issue_id: issue.id }, { token })).code).toBe('MissingParameter');
    expect(errorOf(await callSync(started, DETAIL, { buyer_login_id: issue.buyerLoginId, issue_id: 'abc' }, { token })).code).toBe('InvalidParameter');
    expect(errorOf(await callSync(started, DETAIL, { buyer_login_id: 'other', issue_id: issue.id }, { token }))).toMatchObject({ code: 15, sub_code: 'isv.issue-not-found' });
    const wrapped = await callSync(started, DETAIL, { issue_id: issue.id, buyer_login_id: issue.buyerLoginId }, { token });
    const object = bodyOf(wrapped, DETAIL).result_object as Record<string, unknown>;
    expect(wrapped.text).toContain(`"id":${issue.id},"order_id":${issue.childId},"parent_order_id":${issue.orderId}`);
    expect(object).toMatchObject({
      issue_status: 'processing',
      reverse_detail_status: 'wait_for_seller_response',
      timeout_type: 'WAIT_SOLUTION_TIMEOUT',
      refund_money_max_currency: issue.currency,
      seller_solution_list: {},
    });
    const buyerSolutions = (object.buyer_solution_list as Record<string, unknown>).solution_api_dto as Record<string, unknown>[];
    expect(buyerSolutions[0]).toMatchObject({ status: 'wait_seller_accept', solution_owner: 'buyer', seller_accept_time: '', refund_money_post_currency: 'USD' });
    expect((object.process_dto_list as Record<string, unknown>).api_issue_process_dto).toEqual(expect.any(Array));
  });

  it('agree on a refund: paid once, the dispute ends refund_success, the order finishes', async () => {
    const issue = waitingIssue('refund');
    const solution = issue.solutions[0];
    if (solution === undefined) throw new Error('no solution');
    const before = ledger().length;
    const answer = await callSync(started, AGREE, { buyer_login_id: issue.buyerLoginId, issue_id: issue.id, solution_id: solution.id }, { token });
    expect(bodyOf(answer, AGREE).result_object).toBe(true);
    expect(issue).toMatchObject({ status: 'finish', reverseStatus: 'refund_success' });
    expect(solution).toMatchObject({ status: 'reached', reachedType: 'negotiation_consensus', sellerAcceptAt: started.clock.now() });
    const refunds = ledger().slice(before).filter((entry) => entry.kind === 'refund');
    expect(refunds).toEqual([expect.objectContaining({ api: AGREE, issueId: issue.id, amountMinor: solution.refundMinor, currency: issue.currency })]);
    expect(state().orders.get(issue.orderId)?.status).toBe('FINISH');
    const again = await callSync(started, AGREE, { buyer_login_id: issue.buyerLoginId, issue_id: issue.id, solution_id: solution.id }, { token });
    expect(errorOf(again)).toMatchObject({ code: 15, sub_code: 'isv.issue-not-processing', sub_msg: expect.any(String) as unknown });
  });

  it('agree on a return needs a return address; then the refund comes when the goods are back', async () => {
    const issue = waitingIssue('return_and_refund');
    const solution = issue.solutions[0];
    if (solution === undefined) throw new Error('no solution');
    const base = { buyer_login_id: issue.buyerLoginId, issue_id: issue.id, solution_id: solution.id };
    expect(errorOf(await callSync(started, AGREE, base, { token })).sub_code).toBe('isv.return-address-required');
    expect(errorOf(await callSync(started, AGREE, { ...base, return_address_id: '123' }, { token })).sub_code).toBe('isv.return-address-not-found');
    const sender = state().seller.addresses.find((address) => address.kind === 'sender');
    expect(errorOf(await callSync(started, AGREE, { ...base, return_address_id: sender?.addressId ?? '' }, { token })).sub_code).toBe('isv.return-address-not-found');
    expect(errorOf(await callSync(started, AGREE, { ...base, solution_id: '1' }, { token })).sub_code).toBe('isv.solution-not-found');
    const refundAddress = state().seller.addresses.find((address) => address.kind === 'refund');
    const ok = await callSync(started, AGREE, { ...base, return_address_id: refundAddress?.addressId ?? '' }, { token });
    expect(bodyOf(ok, AGREE).result_object).toBe(true);
    expect(issue).toMatchObject({ status: 'processing', reverseStatus: 'wait_for_buyer_return' });
    const refunded = () => ledger().filter((entry) => entry.kind === 'refund' && entry.issueId === issue.id);
    expect(refunded()).toHaveLength(0);
    started.clock.advance(4 * DAY);
    expect(issue).toMatchObject({ status: 'finish', reverseStatus: 'return_success' });
    expect(refunded()).toEqual([expect.objectContaining({ api: 'platform:return_received', amountMinor: solution.refundMinor })]);
  });

  it('save adds a counter-offer (refusing the buyer solution) after checking amount, currency and text', async () => {
    const issue = waitingIssue('refund');
    const buyerSolution = issue.solutions[0];
    if (buyerSolution === undefined) throw new Error('no solution');
    const max = issue.refundMaxMinor;
    const decimal = (minor: number): string => (issue.currency === 'JPY' ? String(minor) : (minor / 100).toFixed(2));
    const dto = (extra: Record<string, unknown>): string =>
      JSON.stringify({
        add_seller_solution: true,
        buyer_login_id: issue.buyerLoginId,
        issue_id: issue.id,
        buyer_solution_id: buyerSolution.id,
        refund_amount: decimal(Math.floor(max / 2)),
        refund_amount_currency: issue.currency,
        solution_context: 'Half back: the item works.',
        ...extra,
      });
    const save = (extra: Record<string, unknown>) => callSync(started, SAVE, { param_dto: dto(extra) }, { token });
    expect(errorOf(await save({ refund_amount: decimal(max + 1) })).sub_code).toBe('isv.refund-amount-exceeds-max');
    expect(errorOf(await save({ refund_amount_currency: issue.currency === 'EUR' ? 'USD' : 'EUR' })).sub_code).toBe('isv.currency-mismatch');
    expect(errorOf(await save({ refund_amount: '1.234' })).sub_code).toBe('isv.refund-amount-invalid');
    expect(errorOf(await save({ refund_amount: '-1' })).sub_code).toBe('isv.refund-amount-invalid');
    expect(errorOf(await save({ solution_context: '' })).sub_code).toBe('isv.solution-context-invalid');
    expect(errorOf(await save({ solution_context: 'x'.repeat(513) })).sub_code).toBe('isv.solution-context-invalid');
    expect(errorOf(await save({ buyer_solution_id: '5' })).sub_code).toBe('isv.solution-not-found');
    expect(errorOf(await save({ refund_amount_currency: undefined })).code).toBe('MissingParameter');
    if (!issue.reason.snad) expect(errorOf(await save({ add_solution_type: 'return_and_refund' })).sub_code).toBe('isv.solution-type-not-allowed');
    expect(errorOf(await save({ add_solution_type: 'exchange' })).code).toBe('InvalidParameter');
    const before = ledger().length;
    expect(bodyOf(await save({}), SAVE).result_object).toBe(true);
    const seller = issue.solutions.find((candidate) => candidate.owner === 'seller');
    expect(seller).toMatchObject({ status: 'wait_buyer_accept', refundMinor: Math.floor(max / 2), version: 1 });
    expect(buyerSolution.status).toBe('reach_cancle');
    expect(issue.reverseStatus).toBe('wait_for_buyer_response');
    expect(ledger().slice(before)).toEqual([expect.objectContaining({ kind: 'seller_action', api: SAVE, issueId: issue.id })]);
    expect(errorOf(await save({})).sub_code).toBe('isv.issue-not-waiting-seller');
    // Modify the offer while the buyer has not answered.
    const modify = JSON.stringify({
      add_seller_solution: 'false',
      buyer_login_id: issue.buyerLoginId,
      issue_id: issue.id,
      modify_seller_solution_id: seller?.id,
      refund_amount: decimal(Math.floor(max / 3)),
      refund_amount_currency: issue.currency,
      solution_context: 'A third back.',
    });
    expect(bodyOf(await callSync(started, SAVE, { param_dto: modify }, { token }), SAVE).result_object).toBe(true);
    expect(seller).toMatchObject({ version: 2, refundMinor: Math.floor(max / 3), content: 'A third back.' });
    const unknown = JSON.stringify({ ...JSON.parse(modify), modify_seller_solution_id: '77' });
    expect(errorOf(await callSync(started, SAVE, { param_dto: unknown }, { token })).sub_code).toBe('isv.solution-not-found');
  });

  it('the buyer answers a counter-offer in time: accepted (refund of the offer) or arbitrated by AliExpress', async () => {
    const settled = new Set<string>();
    for (const issue of [...state().issues.values()].filter((candidate) => candidate.reverseStatus === 'wait_for_seller_response')) {
      const buyerSolution = issue.solutions[0];
      if (buyerSolution === undefined || buyerSolution.type !== 'refund') continue;
      const dto = JSON.stringify({
        add_seller_solution: true,
        buyer_login_id: issue.buyerLoginId,
        issue_id: issue.id,
        buyer_solution_id: buyerSolution.id,
        refund_amount: '0',
        refund_amount_currency: issue.currency,
        solution_context: 'No refund: see the photos.',
      });
      expect(bodyOf(await callSync(started, SAVE, { param_dto: dto }, { token }), SAVE).result_object).toBe(true);
      settled.add(issue.id);
    }
    started.clock.advance(7 * DAY);
    for (const id of settled) {
      const issue = state().issues.get(id);
      expect(issue?.status).toBe('finish');
      const refunds = ledger().filter((entry) => entry.kind === 'refund' && entry.issueId === id);
      const reached = issue?.solutions.find((solution) => solution.status === 'reached');
      expect(['negotiation_consensus', 'platform_arbitrate']).toContain(reached?.reachedType);
      expect(refunds.length).toBe(reached !== undefined && reached.refundMinor > 0 ? 1 : 0);
      expect(issue?.reverseStatus).toBe(refunds.length === 1 ? 'refund_success' : 'refund_reject');
    }
  });

  it('image.upload attaches the photo to the process log as the seller; the sandbox serves it', async () => {
    const issue = waitingIssue('refund');
    const png = renderEvidencePng('seller-photo');
    const fields = { buyer_login_id: issue.buyerLoginId, issue_id: issue.id, extension: 'png' };
    for (const style of ['php', 'python'] as const) {
      const answer = await callSync(started, UPLOAD, fields, { token, style, file: { name: 'image_bytes', filename: 'photo.png', type: 'image/png', bytes: png } });
      expect(bodyOf(answer, UPLOAD).result_object, style).toBe(true);
    }
    const processes = (await detail(issue)).process_dto_list as Record<string, unknown>[];
    const attachments = processes[0]?.attachments as Record<string, unknown>[];
    expect(processes[0]).toMatchObject({ submit_member_type: 'seller' });
    expect(attachments[0]).toMatchObject({ owner: 'seller', file_path: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/\d{12}\.png$/) as unknown });
    const served = await fetch(String(attachments[0]?.file_path));
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const file = (bytes: Uint8Array) => ({ name: 'image_bytes', filename: 'x', type: 'application/octet-stream', bytes });
    expect(errorOf(await callSync(started, UPLOAD, { ...fields, extension: 'exe' }, { token, file: file(png) })).sub_code).toBe('isv.extension-invalid');
    expect(errorOf(await callSync(started, UPLOAD, fields, { token, file: file(Buffer.from('not an image at all')) })).sub_code).toBe('isv.image-invalid');
    expect(errorOf(await callSync(started, UPLOAD, fields, { token, file: file(Buffer.alloc(5 * 1024 * 1024 + 1, 0x89)) })).sub_code).toBe('isv.image-too-large');
    expect(errorOf(await callSync(started, UPLOAD, fields, { token, style: 'php' })).code).toBe('MissingParameter');
  });

  it('serves the seeded buyer photos as PNGs', async () => {
    const withPhoto = [...state().issues.values()].find((issue) => issue.processes.some((process) => process.attachments.length > 0));
    if (withPhoto === undefined) throw new Error('no dispute with photos');
    const processes = (await detail(withPhoto)).process_dto_list as Record<string, unknown>[];
    const path = processes.flatMap((process) => process.attachments as Record<string, unknown>[])[0]?.file_path;
    const served = await fetch(String(path));
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('ended disputes take no actions', async () => {
    const ended = [...state().issues.values()].find((issue) => issue.status !== 'processing');
    if (ended === undefined) throw new Error('no ended dispute');
    const answer = await callSync(started, AGREE, { buyer_login_id: ended.buyerLoginId, issue_id: ended.id, solution_id: ended.solutions[0]?.id ?? '1' }, { token });
    expect(errorOf(answer).sub_code).toBe('isv.issue-not-processing');
  });
});

describe('buyer moves through the admin API', () => {
  it('a buyer asks to cancel an order to ship; unanswered, it is granted 48 h later', async () => {
    const { admin } = await import('./helpers');
    const order = [...state().orders.values()].find((candidate) => candidate.status === 'WAIT_SELLER_SEND_GOODS');
    if (order === undefined) throw new Error('no order to ship');
    expect((await admin(started, '/_sandbox/cancel-request', { orderId: order.id })).status).toBe(201);
    expect(order).toMatchObject({ status: 'IN_CANCEL', cancel: { reason: 'I no longer need the item', previousStatus: 'WAIT_SELLER_SEND_GOODS' } });
    expect(ledger().at(-1)).toMatchObject({ kind: 'buyer', api: 'buyer:request_cancel', orderId: order.id });
    expect((await admin(started, '/_sandbox/cancel-request', { orderId: order.id })).status).toBe(409);
    expect((await admin(started, '/_sandbox/cancel-request', { orderId: '1' })).status).toBe(404);
    started.clock.advance(2 * DAY);
    expect(order.status).toBe('FINISH');
  });

  it('a buyer opens a dispute on a shipped order; the seller sees it in the list', async () => {
    const { admin } = await import('./helpers');
    const order = [...state().orders.values()].find((candidate) => candidate.status === 'WAIT_BUYER_ACCEPT_GOODS' && state().issuesOf(candidate.id).length === 0);
    if (order === undefined) throw new Error('no shipped order');
    const opened = await admin(started, '/_sandbox/dispute', { orderId: order.id, solutionType: 'return_and_refund' });
    expect(opened.status).toBe(201);
    const issue = state().issues.get(String(opened.json.issueId));
    expect(issue).toMatchObject({ status: 'processing', reverseStatus: 'wait_for_seller_response', createdAt: started.clock.now() });
    expect(order.status).toBe('IN_ISSUE');
    expect((await admin(started, '/_sandbox/dispute', { orderId: order.id })).status).toBe(409);
    expect((await admin(started, '/_sandbox/dispute', { orderId: '1' })).status).toBe(404);
    const list = await callSync(started, 'aliexpress.issue.issuelist.get', { query_dto: JSON.stringify({ issue_status: 'processing', page_size: 50 }) }, { token });
    expect(list.text).toContain(`"issue_id":${issue?.id ?? 'none'}`);
  });
});
