import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_KEY, HOUR, admin, authorize, bodyOf, callRest, callSync, errorOf, signParams, start, type Started } from './helpers';

/** The gateway's checks and envelopes (§1, §4): every rejection, both shapes, every SDK's way of sending. */

const LIST = 'aliexpress.trade.seller.orderlist.get';
const query = { param_aeop_order_query: JSON.stringify({ current_page: 1, page_size: 5 }) };

let started: Started;
let token: string;
beforeAll(async () => {
  started = await start();
  token = (await authorize(started)).access_token;
});
afterAll(async () => {
  await started.sandbox.close();
});

describe('gateway rejections', () => {
  it('answers HTTP 200 JSON with a 25-character request id', async () => {
    const answer = await callSync(started, LIST, query, { token: 'nope' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(String(errorOf(answer).request_id)).toMatch(/^21[0-9a-f]{6}\d{17}$/);
  });

  it('MissingParameter without app_key, InvalidAppKey for another key', async () => {
    const missing = await callSync(started, LIST, query, { token, extra: { app_key: '' } });
    expect(errorOf(missing)).toMatchObject({ type: 'ISV', code: 'MissingParameter' });
    const other = await callSync(started, LIST, query, { token, extra: { app_key: '87654321' } });
    expect(errorOf(other)).toMatchObject({ type: 'ISV', code: 'InvalidAppKey' });
  });

  it('InvalidTimestamp beyond 7200 s either way or unreadable; epoch ms and ISO …Z inside it pass', async () => {
    const now = started.clock.now();
    for (const timestamp of [String(now - 7_201_000), String(now + 7_201_000), 'yesterday', '2026-11-26 17:00:00', String(Math.floor(now / 1000))]) {
      const answer = await callSync(started, LIST, query, { token, timestamp });
      expect(errorOf(answer).code, timestamp).toBe('InvalidTimestamp');
    }
    const missing = await callSync(started, LIST, query, { token, extra: { timestamp: '' } });
    expect(errorOf(missing).code).toBe('MissingParameter');
    for (const timestamp of [String(now - 7_199_000), new Date(now + 7_000_000).toISOString(), new Date(now).toISOString().replace('.000', '')]) {
      const answer = await callSync(started, LIST, query, { token, timestamp });
      expect(bodyOf(answer, LIST).result, timestamp).toMatchObject({ success: true });
    }
  });

  it('IncompleteSignature for a wrong, lower-case or missing sign and for sign_method other than sha256', async () => {
    const good = signParams({ app_key: APP_KEY, method: LIST, session: token, sign_method: 'sha256', timestamp: String(started.clock.now()), ...query });
    const cases = [
      { sign: good.toLowerCase() },
      { sign: good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A') },
      { sign: '' },
      { extra: { sign_method: 'md5' } },
      { extra: { sign_method: 'HmacSHA256' } },
    ];
    for (const options of cases) {
      const answer = await callSync(started, LIST, query, { token, ...options });
      expect(errorOf(answer).code, JSON.stringify(options)).toBe('IncompleteSignature');
    }
    const wrongSecret = await callSync(started, LIST, query, { token, sign: signParams({ app_key: APP_KEY }, '', { secret: 'other' }) });
    expect(errorOf(wrongSecret).code).toBe('IncompleteSignature');
  });

  it('IllegalAccessToken for an unknown token, MissingParameter for none', async () => {
    const unknown = await callSync(started, LIST, query, { token: '50000unknown' });
    expect(errorOf(unknown)).toEqual({
      type: 'ISV',
      code: 'IllegalAccessToken',
      msg: 'The specified access token is invalid or expired',
      request_id: errorOf(unknown).request_id,
    });
    const none = await callSync(started, LIST, query, { token: null });
    expect(errorOf(none).code).toBe('MissingParameter');
  });

  it('InvalidApiPath for unknown APIs and for an API on the other gateway; MissingParameter without method', async () => {
    expect(errorOf(await callSync(started, 'aliexpress.nothing.here', {}, { token })).code).toBe('InvalidApiPath');
    expect(errorOf(await callSync(started, '/auth/token/create', { code: 'x' })).code).toBe('InvalidApiPath');
    const onRest = await callRest(started, LIST, query, { token, viaMethod: true });
    expect(onRest.json).toMatchObject({ type: 'ISV', code: 'InvalidApiPath' });
    const noMethod = await callRest(started, '', {}, { token });
    expect(noMethod.json.code).toBe('MissingParameter');
  });

  it('refuses a parameter repeated with different values and a body it cannot read', async () => {
    const params = { app_key: APP_KEY, method: LIST, session: token, sign_method: 'sha256', timestamp: String(started.clock.now()), ...query };
    const sign = signParams(params);
    const search = new URLSearchParams({ ...params, sign });
    const conflicting = await fetch(`${started.sandbox.url}/sync?method=other.api&${search.toString()}`, { method: 'POST' });
    expect(JSON.parse(await conflicting.text())).toMatchObject({ error_response: { code: 'InvalidParameter' } });
    const broken = await fetch(`${started.sandbox.url}/sync?${search.toString()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=zzz' },
      body: 'no boundary in here',
    });
    expect(JSON.parse(await broken.text())).toMatchObject({ error_response: { code: 'InvalidParameter' } });
  });

  it('other paths and methods are not the gateway', async () => {
    expect((await fetch(`${started.sandbox.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${started.sandbox.url}/sync`, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(`${started.sandbox.url}/files/nope.png`)).status).toBe(404);
  });
});

describe('how the SDKs send (§1.2) and the open questions (§9)', () => {
  it('Java (method twice, form body), Python (all in the body), PHP (multipart) and GET all work', async () => {
    for (const style of ['java', 'python', 'php', 'get'] as const) {
      const answer = await callSync(started, LIST, query, { token, style });
      expect(bodyOf(answer, LIST).result, style).toMatchObject({ success: true, current_page: 1 });
    }
  });

  it('takes the token as session or access_token on /sync (Q1)', async () => {
    const answer = await callSync(started, LIST, query, { token, tokenParam: 'access_token' });
    expect(bodyOf(answer, LIST).result).toMatchObject({ success: true });
  });

  it('verifies empty values signed either way (Q2)', async () => {
    const withEmpty = { ...query, buyer_login_id_unused: '' };
    for (const keepEmpty of [false, true]) {
      const answer = await callSync(started, LIST, withEmpty, { token, keepEmpty, style: 'python' });
      expect(bodyOf(answer, LIST).result, String(keepEmpty)).toMatchObject({ success: true });
    }
  });

  it('verifies a slash-named IM API on /sync with or without its name as prefix (Q3)', async () => {
    const buyerId = [...started.sandbox.state.orders.values()][0]?.buyer.accountId ?? '';
    const dto = { im_query_message_dto: JSON.stringify({ buyer_id: buyerId }) };
    for (const prefix of ['', 'aliexpress/message/list']) {
      const answer = await callSync(started, 'aliexpress/message/list', dto, { token, prefix });
      expect(bodyOf(answer, 'aliexpress/message/list').result, prefix).toMatchObject({ success: true });
    }
    const wrong = await callSync(started, 'aliexpress/message/list', dto, { token, prefix: '/aliexpress/message/list' });
    expect(errorOf(wrong).code).toBe('IncompleteSignature');
  });

  it('wraps with simplify=false and answers at the root with simplify=true (§4.1, §4.2)', async () => {
    const wrapped = await callSync(started, LIST, query, { token });
    const body = bodyOf(wrapped, LIST);
    expect(Object.keys(wrapped.json)).toEqual(['aliexpress_trade_seller_orderlist_get_response']);
    expect(body.request_id).toEqual(expect.any(String));
    const items = ((body.result as Record<string, unknown>).target_list as Record<string, unknown>).aeop_order_item_dto as Record<string, unknown>[];
    expect(items).toHaveLength(5);
    expect(items[0]?.product_list).toEqual({ aeop_order_product_dto: expect.any(Array) as unknown });
    const simple = await callSync(started, LIST, query, { token, simplify: true });
    const result = simple.json.result as Record<string, unknown>;
    expect(simple.json.request_id).toEqual(expect.any(String));
    expect(Array.isArray(result.target_list)).toBe(true);
    expect(Array.isArray((result.target_list as Record<string, unknown>[])[0]?.product_list)).toBe(true);
  });

  it('an unexpected failure is a SYSTEM error, not a crash', async () => {
    const orders = started.sandbox.state.orders;
    const order = [...orders.values()][0];
    if (order === undefined) throw new Error('no orders');
    const broken = { ...order, currency: 'XXX' };
    orders.set(order.id, broken);
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const answer = await callSync(started, 'aliexpress.trade.new.redefining.findorderbyid', { param1: JSON.stringify({ order_id: order.id }) }, { token });
      expect(errorOf(answer)).toMatchObject({ type: 'SYSTEM', code: 'UnknownRuntimeException' });
      expect(log).toHaveBeenCalledOnce();
    } finally {
      orders.set(order.id, order);
      log.mockRestore();
    }
  });
});

describe('the admin API', () => {
  it('needs the admin token', async () => {
    const answer = await admin(started, '/_sandbox/ledger', undefined, 'wrong-token');
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('reads the clock, refuses bad bodies and unknown endpoints', async () => {
    const clock = await admin(started, '/_sandbox/clock');
    expect(clock.json).toMatchObject({ nowMs: started.clock.now(), pacific: '2026-11-26 09:00:00' });
    expect((await admin(started, '/_sandbox/clock', '{nope')).status).toBe(400);
    expect((await admin(started, '/_sandbox/clock', { ms: -1 })).status).toBe(400);
    expect((await admin(started, '/_sandbox/ledger?after=x')).status).toBe(400);
    expect((await admin(started, '/_sandbox/nothing')).status).toBe(404);
  });

  it('issues authorization codes', async () => {
    const answer = await admin(started, '/_sandbox/code', {});
    expect(answer.status).toBe(201);
    expect(String(answer.json.code)).toMatch(/^3_12345678_[A-Za-z0-9]{28}$/);
    expect(answer.json.expiresAt).toBe(new Date(started.clock.now() + HOUR / 6).toISOString());
  });
});
