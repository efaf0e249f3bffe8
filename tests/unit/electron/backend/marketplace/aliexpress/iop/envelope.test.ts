import { describe, expect, it } from 'vitest';
import { iopList, iopListAt, readIopAnswer, wrapperKey, type IopAnswerInput } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/envelope';
import { IopError, iopFailureOutcome, cleanMarketplaceText } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/error';
import { DeskError } from '../../../../../../../shared/errors';

const API = 'aliexpress.trade.seller.order.refusecancel';

function read(text: string, overrides: Partial<IopAnswerInput> = {}): ReturnType<typeof readIopAnswer> {
  return readIopAnswer({ gateway: 'sync', api: API, status: 200, text, ...overrides });
}

function failure(text: string, overrides: Partial<IopAnswerInput> = {}): IopError {
  const answer = read(text, overrides);
  if (answer.ok) throw new Error(`expected an error, got ${JSON.stringify(answer.body)}`);
  return answer.error;
}

function success(text: string, overrides: Partial<IopAnswerInput> = {}): Readonly<Record<string, unknown>> {
  const answer = read(text, overrides);
  if (!answer.ok) throw answer.error;
  return answer.body;
}

describe('readIopAnswer: success shapes', () => {
  it('unwraps <api>_response and keeps ids exact (§4.1)', () => {
    const answer = read('{"aliexpress_trade_seller_order_refusecancel_response":{"result":{"success":true,"target":true},"request_id":"210101cd17036054742456317"}}');
    expect(answer).toEqual({ ok: true, body: { result: { success: true, target: true }, request_id: '210101cd17036054742456317' }, requestId: '210101cd17036054742456317' });
  });

  it('reads the simplified shape, whatever simplify asked for (§4.2)', () => {
    const body = success('{"result":{"success":true,"target":true,"order_id":8123456789012345678},"request_id":"r1"}');
    expect(body).toEqual({ result: { success: true, target: true, order_id: '8123456789012345678' }, request_id: 'r1' });
  });

  it('takes a single *_response member not named after the API, and says so', () => {
    const facts: string[] = [];
    const body = success('{"aliexpress_message_send_result_response":{"result":{"success":true}}}', { api: 'aliexpress/message/send', onUnconfirmed: (fact) => facts.push(fact) });
    expect(body).toEqual({ result: { success: true } });
    expect(facts).toEqual(['AliExpress wrapped its answer to aliexpress/message/send in "aliexpress_message_send_result_response", not "aliexpress_message_send_response".']);
  });

  it('reads a flat /rest answer with code "0" (§3.2)', () => {
    const answer = readIopAnswer({
      gateway: 'rest',
      api: '/auth/token/create',
      status: 200,
      text: '{"access_token":"50000a","expire_time":1714192160000,"user_id":"200042362","code":"0","request_id":"212a69f317116001605067741"}',
    });
    expect(answer).toEqual({
      ok: true,
      body: { access_token: '50000a', expire_time: 1714192160000, user_id: '200042362', code: '0', request_id: '212a69f317116001605067741' },
      requestId: '212a69f317116001605067741',
    });
  });

  it('does not take a simplified body field named code for an error', () => {
    expect(success('{"code":"ABC","result":{"success":true}}')).toEqual({ code: 'ABC', result: { success: true } });
  });

  it('names the wrapper after the API', () => {
    expect(wrapperKey('aliexpress.issue.detail.get')).toBe('aliexpress_issue_detail_get_response');
    expect(wrapperKey('aliexpress/message/send')).toBe('aliexpress_message_send_response');
  });
});

describe('readIopAnswer: error envelopes (§4.3, §4.4)', () => {
  it('error_response with a config code says what to check', () => {
    const error = failure('{"error_response":{"type":"ISV","code":"IncompleteSignature","msg":"The request signature does not conform to platform standards","request_id":"210101cd17036054742456317"}}');
    expect(error).toBeInstanceOf(IopError);
    expect(error).toBeInstanceOf(DeskError);
    expect(error.kind).toBe('config');
    expect(error.code).toBe('marketplace_config');
    expect(error.iopCode).toBe('IncompleteSignature');
    expect(error.requestId).toBe('210101cd17036054742456317');
    expect(error.message).toBe(
      "AliExpress refused the app's settings (IncompleteSignature: The request signature does not conform to platform standards): check that the App Secret in Settings is the one the AliExpress developer console shows for this app.",
    );
  });

  it.each([
    ['InvalidAppKey', /App Key in Settings/],
    ['AppKeyNotExist', /App Key in Settings/],
    ['InvalidTimestamp', /clock/],
    ['AppWhiteIpLimit', /IP whitelist/],
    ['InsufficientPermission', /permission/],
    ['InvalidApiPath', /gateway address/],
  ])('%s is a config error', (code, advice) => {
    const error = failure(JSON.stringify({ error_response: { type: 'ISV', code, msg: 'x' } }));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(advice);
  });

  it('a numeric code 15 with an isv sub_code is rejected, with the sub message', () => {
    const error = failure('{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数"}}');
    expect(error.kind).toBe('rejected');
    expect(error.code).toBe('marketplace_error');
    expect(error.iopCode).toBe('15');
    expect(error.subCode).toBe('isv.invalid-parameter');
    expect(error.marketplaceMessage).toBe('非法参数');
    expect(error.message).toBe(`AliExpress refused ${API}: 非法参数 (15 / isv.invalid-parameter).`);
    expect(iopFailureOutcome(error)).toEqual({ kind: 'rejected', code: 'isv.invalid-parameter', message: error.message });
  });

  it('a numeric code 15 with an isp sub_code, or none, may have been applied', () => {
    expect(failure('{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.remote-service-timeout"}}').kind).toBe('unclear');
    expect(failure('{"error_response":{"code":15,"msg":"Remote service error"}}').kind).toBe('unclear');
  });

  it('the flat GOP error on /rest (IllegalAccessToken) is a token error', () => {
    const error = failure('{"type":"ISV","code":"IllegalAccessToken","message":"The specified access token is invalid or expired","request_id":"0ba2887315178178017221014"}', {
      gateway: 'rest',
      api: '/auth/token/refresh',
    });
    expect(error.kind).toBe('token');
    expect(error.code).toBe('credentials_rejected');
    expect(iopFailureOutcome(error).kind).toBe('not_sent');
  });

  it('recognises a refused token by its message alone, as the PHP SDK does', () => {
    expect(failure('{"error_response":{"code":"X","msg":"The specified access token is invalid or expired"}}').kind).toBe('token');
  });

  it('a flat GOP error on /sync is an error too, and is reported as unconfirmed', () => {
    const facts: string[] = [];
    const error = failure('{"type":"ISV","code":"MissingParameter","message":"param_order_cancel_request is missing"}', { onUnconfirmed: (fact) => facts.push(fact) });
    expect(error.kind).toBe('rejected');
    expect(facts).toEqual([`AliExpress answered ${API} on /sync with a flat GOP error (MissingParameter).`]);
  });

  it('ApiCallLimit reads the ban length; AppCallLimit without one waits 1 s', () => {
    const banned = failure('{"error_response":{"type":"ISV","code":"ApiCallLimit","msg":"Api access frequency exceeds the limit. this ban will last 3 seconds"}}');
    expect(banned.kind).toBe('rate_limited');
    expect(banned.code).toBe('rate_limited');
    expect(banned.retryAfterMs).toBe(3000);
    expect(banned.message).toBe('AliExpress asked Cancel Desk to slow down (ApiCallLimit); it can call again in 3 s.');
    expect(iopFailureOutcome(banned).kind).toBe('not_sent');
    expect(failure('{"error_response":{"code":"AppCallLimit","msg":"limited"}}').retryAfterMs).toBe(1000);
    expect(failure('{"error_response":{"code":7,"sub_code":"accesscontrol.limited-by-api-access-count","msg":"App Call Limited","sub_msg":"This ban will last 1 second"}}').retryAfterMs).toBe(1000);
    expect(failure('{"error_response":{"code":"ApiCallLimit"}}', { retryAfter: '5' }).retryAfterMs).toBe(5000);
  });

  it('UnknownRuntimeException, ISP and SYSTEM errors may have been applied', () => {
    for (const text of [
      '{"error_response":{"code":"UnknownRuntimeException","msg":"boom"}}',
      '{"error_response":{"type":"ISP","code":"SomethingElse"}}',
      '{"type":"SYSTEM","code":"ServiceUnavailable","message":"busy"}',
    ]) {
      const error = failure(text);
      expect(error.kind).toBe('unclear');
      expect(iopFailureOutcome(error).kind).toBe('unknown');
    }
  });

  it('an unknown ISV code is rejected; an unknown code of no type is unclear; both are reported', () => {
    const facts: string[] = [];
    const onUnconfirmed = (fact: string): void => void facts.push(fact);
    expect(failure('{"error_response":{"type":"ISV","code":"OrderStatusError","msg":"wrong status"}}', { onUnconfirmed }).kind).toBe('rejected');
    expect(failure('{"error_response":{"code":"Mystery"}}', { onUnconfirmed }).kind).toBe('unclear');
    expect(facts).toEqual([
      `AliExpress answered ${API} with an unknown error code (OrderStatusError, type ISV, HTTP 200); read as rejected.`,
      `AliExpress answered ${API} with an unknown error code (Mystery, type none, HTTP 200); read as unclear.`,
    ]);
  });

  it('does not take a code named like an Object member for a known one', () => {
    expect(failure('{"error_response":{"type":"ISV","code":"toString"}}').kind).toBe('rejected');
    expect(failure('{"error_response":{"code":"constructor"}}').kind).toBe('unclear');
  });

  it('MissingParameter and InvalidParameter are rejected', () => {
    expect(failure('{"error_response":{"code":"MissingParameter"}}').kind).toBe('rejected');
    expect(failure('{"error_response":{"code":"InvalidParameter"}}').kind).toBe('rejected');
  });

  it('an error envelope with an HTTP error status is classified by its code, and reported', () => {
    const facts: string[] = [];
    const error = failure('{"error_response":{"code":"IllegalAccessToken"}}', { status: 400, onUnconfirmed: (fact) => facts.push(fact) });
    expect(error.kind).toBe('token');
    expect(error.status).toBe(400);
    expect(facts).toEqual([`AliExpress sent an error envelope (IllegalAccessToken) with HTTP 400 for ${API}.`]);
  });

  it('cleans control and bidi characters out of the marketplace message', () => {
    const error = failure(JSON.stringify({ error_response: { code: 'InvalidParameter', msg: 'bad\n\u202eevil\u0007 text' } }));
    expect(error.marketplaceMessage).toBe('bad evil text');
    expect(cleanMarketplaceText('x'.repeat(400))).toHaveLength(300);
    expect(cleanMarketplaceText('\n')).toBeNull();
    expect(cleanMarketplaceText({})).toBeNull();
  });
});

describe('readIopAnswer: business errors inside result (§4.3)', () => {
  it('success: false is rejected with the marketplace message', () => {
    const error = failure(
      '{"aliexpress_trade_seller_order_refusecancel_response":{"result":{"success":false,"target":false,"error_code":"ORDER_STATUS_ERROR","error_message":"The order is not in cancellation"},"request_id":"r2"}}',
    );
    expect(error.kind).toBe('rejected');
    expect(error.iopCode).toBe('ORDER_STATUS_ERROR');
    expect(error.requestId).toBe('r2');
    expect(error.message).toBe(`AliExpress did not apply ${API}: The order is not in cancellation (ORDER_STATUS_ERROR).`);
  });

  it('target: false alone is rejected too', () => {
    const error = failure('{"result":{"success":true,"target":false}}');
    expect(error.kind).toBe('rejected');
    expect(error.message).toBe(`AliExpress did not apply ${API}: it gave no reason.`);
  });

  it('result_success: false (address lists) is rejected', () => {
    const error = failure('{"result_success":false,"result_error_code":"E1","error_desc":"no addresses"}');
    expect(error.kind).toBe('rejected');
    expect(error.message).toBe(`AliExpress did not apply ${API}: no addresses (E1).`);
  });

  it('an object target (an order detail) is not a business error', () => {
    expect(success('{"result":{"success":true,"target":{"id":1}}}')).toEqual({ result: { success: true, target: { id: 1 } } });
  });
});

describe('readIopAnswer: bare HTTP statuses and unreadable bodies', () => {
  it('HTTP 500 with or without a body may have been applied', () => {
    for (const text of ['', '<html>Internal Server Error</html>', '{"whatever":1}']) {
      const error = failure(text, { status: 500 });
      expect(error.kind).toBe('unclear');
      expect(error.code).toBe('marketplace_error');
      expect(error.status).toBe(500);
    }
  });

  it('a non-JSON 200 may have been applied (invalid_payload)', () => {
    const error = failure('<?xml version="1.0"?><response/>');
    expect(error.kind).toBe('unclear');
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toBe(`AliExpress answered ${API} with an answer Cancel Desk cannot read (HTTP 200); it may have applied it.`);
    expect(failure('').message).toMatch(/with an empty answer/);
    expect(failure('[1,2]').kind).toBe('unclear');
  });

  it('HTTP 429 is rate limited, with Retry-After or 1 s', () => {
    expect(failure('', { status: 429, retryAfter: '2' }).retryAfterMs).toBe(2000);
    expect(failure('', { status: 429 }).retryAfterMs).toBe(1000);
  });

  it('401, 403 and 404 point at the settings; 408 is unclear; other 4xx are rejected', () => {
    expect(failure('', { status: 403 }).kind).toBe('config');
    expect(failure('', { status: 404 }).kind).toBe('config');
    expect(failure('', { status: 408 }).kind).toBe('unclear');
    expect(failure('not json', { status: 400 }).kind).toBe('rejected');
    expect(failure('{"ok":true}', { status: 413 }).kind).toBe('rejected');
  });
});

describe('iopList and iopListAt (§4.1, Q6)', () => {
  it('takes a plain array, the wrapped form, and nothing', () => {
    expect(iopList([1, 2])).toEqual([1, 2]);
    expect(iopList({ aeop_order_item_dto: [1] }, 'aeop_order_item_dto')).toEqual([1]);
    expect(iopList({ order_dto: [1] })).toEqual([1]);
    expect(iopList({ other_name: [3] }, 'aeop_order_item_dto')).toEqual([3]);
    expect(iopList(undefined)).toEqual([]);
    expect(iopList(null)).toEqual([]);
    expect(iopList({})).toEqual([]);
  });

  it('refuses shapes it cannot read', () => {
    for (const value of ['x', 5, { a: [1], b: [2] }, { a: { b: [1] } }]) {
      expect(() => iopList(value)).toThrow(DeskError);
    }
  });

  it("falls back to the list name minus its trailing s, as the Java SDK does", () => {
    const parent = { issues: { issue: [1], count: 1 }, target_list: { aeop_order_item_dto: [2] }, data_list: [3] };
    expect(iopListAt(parent, 'issues')).toEqual([1]);
    expect(iopListAt(parent, 'issues', 'wrong_name')).toEqual([1]);
    expect(iopListAt(parent, 'target_list', 'aeop_order_item_dto')).toEqual([2]);
    expect(iopListAt(parent, 'data_list', 'issue_api_issue_dto')).toEqual([3]);
    expect(iopListAt(parent, 'absent')).toEqual([]);
  });
});
