import { afterEach, describe, expect, it } from 'vitest';
import { hmacSha256Upper, signatureBase, signatureMatches } from '../../../../../electron/simulator/aliexpress/signature';
import { callRest, callSync, errorOf, hmacUpper, start, type Started } from './helpers';

/** The vectors of protocol §2.2, checked against the sandbox's verifier and over HTTP. */

const VECTOR_MS = 1517820392000;

const A_STRING = '/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000';
const A_SIGN = '4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A';

const B1_PARAMS = {
  app_key: '12345678',
  format: 'json',
  method: 'aliexpress.trade.seller.order.refusecancel',
  param_order_cancel_request: '{"buyer_login_id":"us1234567","memo":"Item already shipped","order_id":8123456789012345}',
  partner_id: 'iop-sdk-java-20181207',
  session: 'test',
  sign_method: 'sha256',
  simplify: 'true',
  timestamp: '1517820392000',
  v: '2.0',
};
const B1_SIGN = '935FA4E1585653CE845674E0861A420C908724E3C33FE216486587D1845320D5';
const B2_SIGN = '0B162120700E7A1ACE556393280FB3B994DE1C2C49A07BF09FE79854667A371F';
const B3_PARAMS = {
  app_key: '12345678',
  method: 'aliexpress.trade.seller.order.refusecancel',
  param_order_cancel_request: '{"buyer_login_id":"ru1","memo":"Товар уже отправлен","order_id":1}',
  session: 'test',
  sign_method: 'sha256',
  timestamp: '1517820392000',
};
const B3_SIGN = '3097F1A857D0E199F98F0B8BDEC02070217D463CAB40EAF0F07AF476F05F0757';

let started: Started | null = null;
afterEach(async () => {
  await started?.sandbox.close();
  started = null;
});

describe('the signature vectors (§2.2)', () => {
  it('vector A: the published /rest vector, by the test signer and the sandbox', () => {
    expect(hmacUpper('helloworld', A_STRING)).toBe(A_SIGN);
    expect(hmacSha256Upper('helloworld', A_STRING)).toBe(A_SIGN);
    const params = new Map(Object.entries({ access_token: 'test', app_key: '123456', order_id: '1234', sign_method: 'sha256', timestamp: '1517820392000' }));
    expect(signatureBase('/order/get', params, false)).toBe(A_STRING);
    expect(signatureMatches('helloworld', ['/order/get'], params, A_SIGN)).toBe(true);
    expect(signatureMatches('helloworld', [''], params, A_SIGN)).toBe(false);
  });

  it('vectors B1 and B3: /sync without a prefix, UTF-8 values', () => {
    expect(signatureMatches('helloworld', [''], new Map(Object.entries(B1_PARAMS)), B1_SIGN)).toBe(true);
    expect(signatureMatches('helloworld', [''], new Map(Object.entries(B3_PARAMS)), B3_SIGN)).toBe(true);
    expect(signatureMatches('helloworld', [''], new Map(Object.entries(B3_PARAMS)), B3_SIGN.toLowerCase())).toBe(false);
    expect(signatureMatches('hello-world', [''], new Map(Object.entries(B3_PARAMS)), B3_SIGN)).toBe(false);
  });

  it('vector B2: /rest token create with the path prefix', () => {
    const params = new Map(Object.entries({ app_key: '12345678', code: '3_12345678_AbCdEf', sign_method: 'sha256', timestamp: '1517820392000' }));
    expect(signatureMatches('helloworld', ['/auth/token/create'], params, B2_SIGN)).toBe(true);
  });

  it('empty values: the Java string drops them, the Python string keeps the key (Q2); both verify', () => {
    const params = new Map([
      ['app_key', '1'],
      ['memo', ''],
      ['timestamp', '2'],
    ]);
    expect(signatureBase('', params, false)).toBe('app_key1timestamp2');
    expect(signatureBase('', params, true)).toBe('app_key1memotimestamp2');
    expect(signatureMatches('s', [''], params, hmacUpper('s', 'app_key1timestamp2'))).toBe(true);
    expect(signatureMatches('s', [''], params, hmacUpper('s', 'app_key1memotimestamp2'))).toBe(true);
  });
});

describe('the vectors over HTTP (a signature that passes reaches the next check)', () => {
  it('B1 as the Java SDK sends it: signature accepted, the token "test" is not', async () => {
    started = await start({ appKey: '12345678', appSecret: 'helloworld' }, VECTOR_MS);
    const { method: _method, param_order_cancel_request: body, ...system } = B1_PARAMS;
    const answer = await callSync(started, B1_PARAMS.method, { param_order_cancel_request: body }, { extra: system, sign: B1_SIGN });
    expect(errorOf(answer).code).toBe('IllegalAccessToken');
    const tampered = await callSync(started, B1_PARAMS.method, { param_order_cancel_request: body }, { extra: system, sign: B3_SIGN });
    expect(errorOf(tampered)).toMatchObject({ type: 'ISV', code: 'IncompleteSignature', msg: 'The request signature does not conform to platform standards' });
  });

  it('B3 (UTF-8) as the Python SDK sends it', async () => {
    started = await start({ appKey: '12345678', appSecret: 'helloworld' }, VECTOR_MS);
    const { method: _method, param_order_cancel_request: body, ...system } = B3_PARAMS;
    const answer = await callSync(started, B3_PARAMS.method, { param_order_cancel_request: body }, { extra: system, sign: B3_SIGN, style: 'python' });
    expect(errorOf(answer).code).toBe('IllegalAccessToken');
  });

  it('B2 on /rest: the signature passes, the code does not exist', async () => {
    started = await start({ appKey: '12345678', appSecret: 'helloworld' }, VECTOR_MS);
    const answer = await callRest(started, '/auth/token/create', { code: '3_12345678_AbCdEf' }, { timestamp: '1517820392000', sign: B2_SIGN });
    expect(answer.json).toMatchObject({ type: 'ISV', code: 'InvalidCode' });
    const viaMethod = await callRest(started, '/auth/token/create', { code: '3_12345678_AbCdEf' }, { timestamp: '1517820392000', viaMethod: true });
    expect(viaMethod.json.code).toBe('InvalidCode');
  });

  it('A on /rest/order/get: the signature passes, the API does not exist here', async () => {
    started = await start({ appKey: '123456', appSecret: 'helloworld' }, VECTOR_MS);
    const answer = await callRest(started, '/order/get', { order_id: '1234' }, { token: 'test', timestamp: '1517820392000', sign: A_SIGN });
    expect(answer.json).toMatchObject({ type: 'ISV', code: 'InvalidApiPath' });
    const wrong = await callRest(started, '/order/get', { order_id: '1235' }, { token: 'test', timestamp: '1517820392000', sign: A_SIGN });
    expect(wrong.json).toMatchObject({ code: 'IncompleteSignature' });
    expect(Object.keys(wrong.json).sort()).toEqual(['code', 'message', 'request_id', 'type']);
  });
});
