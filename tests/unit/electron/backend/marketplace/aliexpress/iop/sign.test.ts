import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlankIopValue, signIop, stringToSign } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/sign';

const SECRET = 'helloworld';
const T = '1517820392000';

/** Protocol §2.2 A: the published vector (D-http), path /order/get. */
const VECTOR_A = { access_token: 'test', app_key: '123456', order_id: '1234', sign_method: 'sha256', timestamp: T };

/** §2.2 B1: /sync refusecancel with the Java SDK's system params, no prefix. */
const VECTOR_B1 = {
  app_key: '12345678',
  format: 'json',
  method: 'aliexpress.trade.seller.order.refusecancel',
  param_order_cancel_request: '{"buyer_login_id":"us1234567","memo":"Item already shipped","order_id":8123456789012345}',
  partner_id: 'iop-sdk-java-20181207',
  session: 'test',
  sign_method: 'sha256',
  simplify: 'true',
  timestamp: T,
  v: '2.0',
};

/** §2.2 B2: /rest token create, signed with the path. */
const VECTOR_B2 = { app_key: '12345678', code: '3_12345678_AbCdEf', sign_method: 'sha256', timestamp: T };

/** §2.2 B3: a UTF-8 value, no prefix. */
const VECTOR_B3 = {
  app_key: '12345678',
  method: 'aliexpress.trade.seller.order.refusecancel',
  param_order_cancel_request: '{"buyer_login_id":"ru1","memo":"Товар уже отправлен","order_id":1}',
  session: 'test',
  sign_method: 'sha256',
  timestamp: T,
};

/** The same params in another insertion order: signing must not depend on it. */
function shuffled(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).reverse());
}

describe('signIop: the reference vectors (protocol §2.2)', () => {
  it('A: the published vector', () => {
    expect(stringToSign(shuffled(VECTOR_A), '/order/get')).toBe('/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000');
    expect(signIop(shuffled(VECTOR_A), SECRET, '/order/get')).toBe('4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A');
  });

  it('B1: /sync, no prefix', () => {
    expect(stringToSign(shuffled(VECTOR_B1), null)).toBe(
      'app_key12345678formatjsonmethodaliexpress.trade.seller.order.refusecancelparam_order_cancel_request{"buyer_login_id":"us1234567","memo":"Item already shipped","order_id":8123456789012345}partner_idiop-sdk-java-20181207sessiontestsign_methodsha256simplifytruetimestamp1517820392000v2.0',
    );
    expect(signIop(shuffled(VECTOR_B1), SECRET, null)).toBe('935FA4E1585653CE845674E0861A420C908724E3C33FE216486587D1845320D5');
  });

  it('B2: /rest token create, with the path prefix', () => {
    expect(stringToSign(VECTOR_B2, '/auth/token/create')).toBe('/auth/token/createapp_key12345678code3_12345678_AbCdEfsign_methodsha256timestamp1517820392000');
    expect(signIop(shuffled(VECTOR_B2), SECRET, '/auth/token/create')).toBe('0B162120700E7A1ACE556393280FB3B994DE1C2C49A07BF09FE79854667A371F');
  });

  it('B3: a UTF-8 value', () => {
    expect(signIop(shuffled(VECTOR_B3), SECRET, null)).toBe('3097F1A857D0E199F98F0B8BDEC02070217D463CAB40EAF0F07AF476F05F0757');
  });
});

describe('signIop: the rules (protocol §2.1)', () => {
  it('leaves out `sign` and blank values, as the Java SDK does', () => {
    const withExtras = { ...VECTOR_B3, sign: 'OLD', memo: '', note: ' \t\n' };
    expect(stringToSign(withExtras, null)).toBe(stringToSign(VECTOR_B3, null));
    expect(signIop(withExtras, SECRET, null)).toBe('3097F1A857D0E199F98F0B8BDEC02070217D463CAB40EAF0F07AF476F05F0757');
  });

  it('sorts names in ASCII order, not by locale', () => {
    expect(stringToSign({ b: '1', B: '2', a_b: '3', ab: '4', a: '5' }, null)).toBe('B2a5a_b3ab4b1');
  });

  it('prefixes the path only when one is given', () => {
    expect(signIop(VECTOR_B2, SECRET, null)).not.toBe(signIop(VECTOR_B2, SECRET, '/auth/token/create'));
    expect(stringToSign(VECTOR_B2, null).startsWith('app_key')).toBe(true);
  });

  it("counts as blank what Java's isWhitespace does, and keeps no-break spaces", () => {
    expect(isBlankIopValue('')).toBe(true);
    expect(isBlankIopValue(' \t\r\n\u000b\f\u001c\u2028\u3000')).toBe(true);
    expect(isBlankIopValue('\u00a0')).toBe(false);
    expect(isBlankIopValue('\u202f')).toBe(false);
    expect(isBlankIopValue(' x ')).toBe(false);
  });

  it('is 64 upper-case hex characters, and changes when any value changes (property)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
    const value = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((text) => !isBlankIopValue(text));
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1, maxKeys: 8 }), fc.nat(), value, fc.option(fc.constantFrom('/auth/token/create', '/auth/token/refresh'), { nil: null }), (params, pick, replacement, apiPath) => {
        const names = Object.keys(params).filter((key) => key !== 'sign');
        fc.pre(names.length > 0);
        const signature = signIop(params, SECRET, apiPath);
        expect(signature).toMatch(/^[0-9A-F]{64}$/);
        const target = names[pick % names.length] ?? '';
        fc.pre(params[target] !== replacement);
        expect(signIop({ ...params, [target]: replacement }, SECRET, apiPath)).not.toBe(signature);
      }),
    );
  });
});
