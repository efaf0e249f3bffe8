import { afterEach, describe, expect, it } from 'vitest';
import { admin, authorize, bodyOf, callSync, errorOf, start, type Started } from './helpers';

/** Injected faults (§6, brief step e): lost answers still applied, errors not applied, the throttle. */

const LIST = 'aliexpress.trade.seller.orderlist.get';
const ACCEPT = 'aliexpress.trade.seller.order.acceptcancel';
const query = { param_aeop_order_query: JSON.stringify({ current_page: 1, page_size: 1 }) };

let started: Started | null = null;
afterEach(async () => {
  await started?.sandbox.close();
  started = null;
});

async function ready(options: Parameters<typeof start>[0] = {}): Promise<{ s: Started; token: string }> {
  started = await start(options);
  return { s: started, token: (await authorize(started)).access_token };
}

describe('faults', () => {
  it('a lost answer: the socket closes unanswered, yet the action is applied and in the ledger', async () => {
    const { s, token } = await ready();
    const order = [...s.sandbox.state.orders.values()].find((candidate) => candidate.status === 'IN_CANCEL');
    if (order === undefined) throw new Error('no IN_CANCEL order');
    expect(s.sandbox.setFaults({ lostAnswerRate: 1 })).toMatchObject({ lostAnswerRate: 1, errorRate: 0 });
    const call = callSync(s, ACCEPT, { param_order_cancel_request: `{"buyer_login_id":"${order.buyer.loginId}","order_id":${order.id}}` }, { token });
    await expect(call).rejects.toThrow();
    expect(order.status).toBe('FINISH');
    expect(s.sandbox.state.ledger.filter((entry) => entry.orderId === order.id).map((entry) => entry.kind)).toEqual(['seller_action', 'refund']);
    // The connector finds out by reading; with the fault off the read answers.
    s.sandbox.setFaults({});
    const detail = await callSync(s, 'aliexpress.trade.new.redefining.findorderbyid', { param1: `{"order_id":${order.id}}` }, { token, simplify: true });
    expect((detail.json.target as Record<string, unknown>).order_status).toBe('FINISH');
  });

  it("lostAnswerScope 'actions' loses only the answers of the seller's actions: reads answer", async () => {
    const { s, token } = await ready();
    const order = [...s.sandbox.state.orders.values()].find((candidate) => candidate.status === 'IN_CANCEL');
    if (order === undefined) throw new Error('no IN_CANCEL order');
    s.sandbox.setFaults({ lostAnswerRate: 1, lostAnswerScope: 'actions' });
    const read = await callSync(s, 'aliexpress.trade.new.redefining.findorderbyid', { param1: `{"order_id":${order.id}}` }, { token, simplify: true });
    expect((read.json.target as Record<string, unknown>).order_status).toBe('IN_CANCEL');
    await expect(callSync(s, ACCEPT, { param_order_cancel_request: `{"buyer_login_id":"${order.buyer.loginId}","order_id":${order.id}}` }, { token })).rejects.toThrow();
    expect(order.status).toBe('FINISH');
  });

  it('errorRate answers ISP or SYSTEM errors and applies nothing', async () => {
    const { s, token } = await ready();
    const order = [...s.sandbox.state.orders.values()].find((candidate) => candidate.status === 'IN_CANCEL');
    if (order === undefined) throw new Error('no IN_CANCEL order');
    await admin(s, '/_sandbox/faults', { errorRate: 1 });
    const seen = new Set<string>();
    for (let attempt = 0; attempt < 12; attempt++) {
      const answer = await callSync(s, ACCEPT, { param_order_cancel_request: `{"buyer_login_id":"${order.buyer.loginId}","order_id":${order.id}}` }, { token });
      const error = errorOf(answer);
      seen.add(`${String(error.type)}:${String(error.code)}`);
    }
    expect(seen).toEqual(new Set(['ISP:ServiceUnavailable', 'SYSTEM:UnknownRuntimeException']));
    expect(order.status).toBe('IN_CANCEL');
    expect(s.sandbox.state.ledger).toEqual([]);
  });

  it('apiCallLimit refuses calls with ApiCallLimit', async () => {
    const { s, token } = await ready();
    const set = await admin(s, '/_sandbox/faults', { apiCallLimit: 1 });
    expect(set.json).toEqual({ lostAnswerRate: 0, lostAnswerScope: 'all', errorRate: 0, apiCallLimit: 1, callsPerSecond: 0 });
    expect((await admin(s, '/_sandbox/faults')).json).toEqual(set.json);
    expect(errorOf(await callSync(s, LIST, query, { token }))).toMatchObject({
      type: 'ISV',
      code: 'ApiCallLimit',
      msg: 'Api access frequency exceeds the limit. this ban will last 1 seconds',
    });
    expect((await admin(s, '/_sandbox/faults', { apiCallLimit: 2 })).status).toBe(400);
  });

  it('callsPerSecond: the call over the limit and every call for the next second are refused', async () => {
    const { s, token } = await ready({ callsPerSecond: 3 });
    // The token call counted too: start a fresh second.
    s.clock.advance(1000);
    const ok = (answer: Awaited<ReturnType<typeof callSync>>): boolean => bodyOf(answer, LIST).result !== undefined;
    for (let index = 0; index < 3; index++) expect(ok(await callSync(s, LIST, query, { token }))).toBe(true);
    s.clock.advance(500);
    expect(errorOf(await callSync(s, LIST, query, { token })).code).toBe('ApiCallLimit');
    // The first three calls are a second old now, but the ban runs one second from the refusal.
    s.clock.advance(500);
    expect(errorOf(await callSync(s, LIST, query, { token })).code).toBe('ApiCallLimit');
    s.clock.advance(500);
    expect(ok(await callSync(s, LIST, query, { token }))).toBe(true);
  });
});
