import { afterEach, describe, expect, it } from 'vitest';
import { admin, authorize, bodyOf, callRest, callSync, start, type Started } from './helpers';

/** Buyer messages (§5.11): send, cursor paging, errors inside `result`, on /sync and /rest. */

const SEND = 'aliexpress/message/send';
const LIST = 'aliexpress/message/list';

let started: Started | null = null;
afterEach(async () => {
  await started?.sandbox.close();
  started = null;
});

async function ready(): Promise<{ s: Started; token: string; buyerId: string; orderId: string }> {
  started = await start({ orders: 20 });
  const order = [...started.sandbox.state.orders.values()][0];
  if (order === undefined) throw new Error('no order');
  return { s: started, token: (await authorize(started)).access_token, buyerId: order.buyer.accountId, orderId: order.id };
}

type Result = { success: boolean; error_code?: string; data?: Record<string, unknown> };

describe('IM', () => {
  it('sends a text and pages the conversation newest first by cursor', async () => {
    const { s, token, buyerId, orderId } = await ready();
    for (let index = 0; index < 3; index++) {
      expect((await admin(s, '/_sandbox/buyer-message', { orderId, text: `buyer ${index}` })).status).toBe(201);
      s.clock.advance(1000);
    }
    const dto = JSON.stringify({ buyer_id: buyerId, template_id: 1, message_content_dto: { txt: 'Hello from the seller' } });
    const sent = bodyOf(await callSync(s, SEND, { im_send_message_dto: dto }, { token }), SEND).result as Result;
    expect(sent.success).toBe(true);
    expect(s.sandbox.state.ledger.at(-1)).toMatchObject({ kind: 'seller_action', api: SEND, orderId });
    const pages: string[][] = [];
    let cursor: Record<string, unknown> = {};
    for (;;) {
      const answer = await callSync(s, LIST, { im_query_message_dto: JSON.stringify({ buyer_id: buyerId, page_size: 2, ...cursor }) }, { token, simplify: true });
      const data = (answer.json.result as Result).data ?? {};
      const messages = data.message_list as Array<Record<string, unknown>>;
      pages.push(messages.map((message) => String((JSON.parse(String(message.content)) as { txt?: string }).txt)));
      if (data.has_more !== true) break;
      const lastId = /"last_message_id":(\d+)/.exec(answer.text)?.[1] ?? '';
      cursor = { start_time: data.next_start_time, last_message_id: lastId };
    }
    expect(pages.flat().slice(0, 4)).toEqual(['Hello from the seller', 'buyer 2', 'buyer 1', 'buyer 0']);
    expect(pages[0]).toHaveLength(2);
  });

  it('the list entries name who wrote (11 buyer, 12 seller) with bare 16-digit ids', async () => {
    const { s, token, buyerId } = await ready();
    await admin(s, '/_sandbox/buyer-message', { buyerId, text: 'Where is my parcel?' });
    const answer = await callRest(s, `/${LIST}`, { im_query_message_dto: JSON.stringify({ buyer_id: buyerId }) }, { token });
    expect(answer.json.code).toBe('0');
    const first = ((answer.json.result as Result).data?.message_list as Array<Record<string, unknown>>)[0];
    expect(first).toMatchObject({ from_account_type: 11, to_account_type: 12, template_id: 1, type: 1, send_time: s.clock.now() });
    expect(answer.text).toMatch(/"message_id":9[1-9]\d{14},/);
  });

  it('refuses unknown buyers, templates, empty and long texts and big pages inside result', async () => {
    const { s, token, buyerId } = await ready();
    const send = async (dto: Record<string, unknown>): Promise<Result> =>
      (await callSync(s, SEND, { im_send_message_dto: JSON.stringify(dto) }, { token, simplify: true })).json.result as Result;
    expect(await send({ buyer_id: '1', template_id: 1, message_content_dto: { txt: 'hi' } })).toMatchObject({ success: false, error_code: 'BUYER_NOT_FOUND' });
    expect(await send({ buyer_id: buyerId, template_id: 2 })).toMatchObject({ error_code: 'TEMPLATE_NOT_SUPPORTED' });
    expect(await send({ buyer_id: buyerId, template_id: 1, message_content_dto: { txt: ' ' } })).toMatchObject({ error_code: 'CONTENT_EMPTY' });
    expect(await send({ buyer_id: buyerId, template_id: 1, message_content_dto: { txt: 'x'.repeat(2001) } })).toMatchObject({ error_code: 'CONTENT_TOO_LONG' });
    expect(await send({ buyer_id: buyerId, template_id: 3 })).toMatchObject({ error_code: 'CONTENT_EMPTY' });
    expect(await send({ buyer_id: buyerId, template_id: 10007 })).toMatchObject({ error_code: 'CONTENT_EMPTY' });
    expect(await send({ buyer_id: buyerId, template_id: 3, message_content_dto: { img_url: 'https://example.com/a.png', width: 10, height: 10 } })).toMatchObject({ success: true });
    expect(await send({ buyer_id: buyerId, template_id: 10007, message_content_dto: { order_id: '9100000000000001' } })).toMatchObject({ success: true });
    const big = (await callSync(s, LIST, { im_query_message_dto: JSON.stringify({ buyer_id: buyerId, page_size: 21 }) }, { token, simplify: true })).json.result as Result;
    expect(big).toMatchObject({ success: false, error_code: 'PAGE_SIZE_INVALID' });
  });

  it('the admin buyer-message needs exactly one of buyerId and orderId, and a known one', async () => {
    const { s, buyerId, orderId } = await ready();
    expect((await admin(s, '/_sandbox/buyer-message', { buyerId, orderId, text: 'x' })).status).toBe(400);
    expect((await admin(s, '/_sandbox/buyer-message', { text: 'x' })).status).toBe(400);
    expect((await admin(s, '/_sandbox/buyer-message', { orderId: '1', text: 'x' })).status).toBe(404);
  });
});
