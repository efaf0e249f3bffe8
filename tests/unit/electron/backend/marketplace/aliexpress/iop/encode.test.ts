import { describe, expect, it } from 'vitest';
import {
  encodeIopRequest,
  iopFormValue,
  iopJson,
  IopLong,
  iopLong,
  type IopJsonValue,
  type IopRequestSpec,
} from '../../../../../../../electron/backend/marketplace/aliexpress/iop/encode';
import { signIop } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/sign';
import { createManualClock } from '../../../../../../../electron/simulator/clock';
import { DeskError } from '../../../../../../../shared/errors';

const T = 1517820392000;
const BASE = 'https://api-sg.aliexpress.com';

function spec(overrides: Partial<IopRequestSpec> = {}): IopRequestSpec {
  return {
    baseUrl: BASE,
    appKey: '12345678',
    appSecret: 'helloworld',
    gateway: 'sync',
    api: 'aliexpress.trade.seller.order.refusecancel',
    params: {},
    accessToken: 'test',
    timestampMs: createManualClock(T).now(),
    simplify: false,
    partnerId: 'cancel-desk-1',
    ...overrides,
  };
}

function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

function errorOf(run: () => unknown): DeskError {
  try {
    run();
  } catch (error) {
    if (error instanceof DeskError) return error;
    throw error;
  }
  throw new Error('expected a DeskError');
}

/** What a gateway verifies: query + body (text parts only), `sign` left out, prefix for /rest. */
function verify(query: Record<string, string>, body: Record<string, string>, apiPath: string | null): boolean {
  const { sign, ...rest } = { ...query, ...body };
  return sign === signIop(rest, 'helloworld', apiPath);
}

describe('encodeIopRequest: /sync', () => {
  it('gives vector B1 from an order id kept as digits (protocol §2.2)', () => {
    const wire = encodeIopRequest(
      spec({
        simplify: true,
        partnerId: 'iop-sdk-java-20181207',
        params: { param_order_cancel_request: { buyer_login_id: 'us1234567', memo: 'Item already shipped', order_id: iopLong('8123456789012345') } },
      }),
    );
    expect(wire.params.sign).toBe('935FA4E1585653CE845674E0861A420C908724E3C33FE216486587D1845320D5');
    expect(new URLSearchParams(wire.body as string).get('param_order_cancel_request')).toBe('{"buyer_login_id":"us1234567","memo":"Item already shipped","order_id":8123456789012345}');
  });

  it('puts the system params and sign in the query, the business params in a form body', () => {
    const wire = encodeIopRequest(spec({ params: { issue_id: iopLong('8123456789012345678'), buyer_login_id: 'us1234567' } }));
    expect(wire.url.startsWith(`${BASE}/sync?method=aliexpress.trade.seller.order.refusecancel&`)).toBe(true);
    const query = queryOf(wire.url);
    expect(query).toEqual({
      method: 'aliexpress.trade.seller.order.refusecancel',
      app_key: '12345678',
      timestamp: '1517820392000',
      sign_method: 'sha256',
      partner_id: 'cancel-desk-1',
      format: 'json',
      v: '2.0',
      simplify: 'false',
      session: 'test',
      sign: wire.params.sign,
    });
    expect(new URL(wire.url).searchParams.getAll('method')).toHaveLength(1);
    expect(wire.headers['Content-Type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    const body = Object.fromEntries(new URLSearchParams(wire.body as string));
    expect(body).toEqual({ issue_id: '8123456789012345678', buyer_login_id: 'us1234567' });
    expect(verify(query, body, null)).toBe(true);
  });

  it('sends simplify=true when asked', () => {
    expect(queryOf(encodeIopRequest(spec({ simplify: true })).url).simplify).toBe('true');
  });

  it('writes an object param as one JSON field with bare 16-digit ids, and keeps digit strings as strings', () => {
    const wire = encodeIopRequest(
      spec({
        api: 'aliexpress.issue.issuelist.get',
        params: { query_dto: { current_page: 1, page_size: 50, order_no: iopLong('1160045860056286'), buyer_login_id: '1234567890123456', issue_status: undefined } },
      }),
    );
    expect(new URLSearchParams(wire.body as string).get('query_dto')).toBe('{"current_page":1,"page_size":50,"order_no":1160045860056286,"buyer_login_id":"1234567890123456"}');
  });

  it('neither sends nor signs empty values', () => {
    const wire = encodeIopRequest(spec({ params: { memo: '', note: '   ', absent: undefined, nothing: null, buyer_login_id: 'us1' }, accessToken: '' }));
    const body = Object.fromEntries(new URLSearchParams(wire.body as string));
    expect(body).toEqual({ buyer_login_id: 'us1' });
    const query = queryOf(wire.url);
    expect('session' in query).toBe(false);
    expect(Object.keys(wire.params).sort()).toEqual(['app_key', 'buyer_login_id', 'format', 'method', 'partner_id', 'sign', 'sign_method', 'simplify', 'timestamp', 'v']);
    expect(verify(query, body, null)).toBe(true);
  });

  it('encodes UTF-8 text and form-reserved characters so the receiver reads them back exactly', () => {
    const memo = 'Товар уже отправлен & 100% + «ok»=yes';
    const wire = encodeIopRequest(spec({ params: { memo } }));
    expect(new URLSearchParams(wire.body as string).get('memo')).toBe(memo);
    expect(verify(queryOf(wire.url), Object.fromEntries(new URLSearchParams(wire.body as string)), null)).toBe(true);
  });

  it('sends a file as multipart, with the file left out of the signature', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
    const wire = encodeIopRequest(
      spec({
        api: 'aliexpress.issue.image.upload',
        params: { buyer_login_id: 'us1', issue_id: iopLong('8123456789012345'), extension: 'png' },
        file: { field: 'image_bytes', fileName: 'proof.png', contentType: 'image/png', bytes },
      }),
    );
    expect(wire.body).toBeInstanceOf(FormData);
    expect(wire.headers['Content-Type']).toBeUndefined();
    // Read back as a receiver would: through the multipart bytes fetch produces.
    const request = new Request('http://receiver.invalid/', { method: 'POST', body: wire.body });
    expect(request.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const form = await request.formData();
    const text: Record<string, string> = {};
    let file: File | null = null;
    for (const [name, value] of form) {
      if (typeof value === 'string') text[name] = value;
      else if (name === 'image_bytes') file = value;
    }
    expect(text).toEqual({ buyer_login_id: 'us1', issue_id: '8123456789012345', extension: 'png' });
    expect(file?.name).toBe('proof.png');
    expect(file?.type).toBe('image/png');
    expect(Buffer.from(await (file as File).arrayBuffer())).toEqual(bytes);
    expect('image_bytes' in wire.params).toBe(false);
    expect(verify(queryOf(wire.url), text, null)).toBe(true);
  });

  it('writes scalars as plain fields', () => {
    const wire = encodeIopRequest(spec({ params: { page: 2, flag: true, off: false, id: iopLong(42), big: 8123456789012345678n, ratio: 1.5 } }));
    expect(Object.fromEntries(new URLSearchParams(wire.body as string))).toEqual({ page: '2', flag: 'true', off: 'false', id: '42', big: '8123456789012345678', ratio: '1.5' });
  });

  it('takes the base URL with or without a trailing slash', () => {
    expect(encodeIopRequest(spec({ baseUrl: `${BASE}//` })).url.startsWith(`${BASE}/sync?`)).toBe(true);
  });
});

describe('encodeIopRequest: /rest', () => {
  it('gives vector B2 for /auth/token/create: the path in the URL and in the signature', () => {
    const wire = encodeIopRequest(spec({ gateway: 'rest', api: '/auth/token/create', accessToken: null, partnerId: '', params: { code: '3_12345678_AbCdEf' } }));
    expect(wire.params.sign).toBe('0B162120700E7A1ACE556393280FB3B994DE1C2C49A07BF09FE79854667A371F');
    expect(wire.url.startsWith(`${BASE}/rest/auth/token/create?`)).toBe(true);
    expect(queryOf(wire.url)).toEqual({ app_key: '12345678', timestamp: '1517820392000', sign_method: 'sha256', sign: wire.params.sign });
  });

  it('sends no TOP-only params, and the token (when one is given) as access_token', () => {
    const wire = encodeIopRequest(spec({ gateway: 'rest', api: '/auth/token/refresh', accessToken: 'tok', params: { refresh_token: 'r1' } }));
    const query = queryOf(wire.url);
    expect(Object.keys(query).sort()).toEqual(['access_token', 'app_key', 'partner_id', 'sign', 'sign_method', 'timestamp']);
    expect(verify(query, Object.fromEntries(new URLSearchParams(wire.body as string)), '/auth/token/refresh')).toBe(true);
    expect(verify(query, Object.fromEntries(new URLSearchParams(wire.body as string)), null)).toBe(false);
  });
});

describe('encodeIopRequest: refusals', () => {
  it.each([
    ['a system param name', { sign: 'x' }],
    ['the token name', { session: 'x' }],
    ['a name with a dot', { 'a.b': 'x' }],
    ['an empty name', { '': 'x' }],
  ])('refuses %s as a business param', (_what, params) => {
    expect(errorOf(() => encodeIopRequest(spec({ params }))).code).toBe('invalid_input');
  });

  it('refuses a business param named like the file field, and a bad file field', () => {
    const file = { field: 'image_bytes', fileName: 'a.png', contentType: 'image/png', bytes: Buffer.alloc(1) };
    expect(errorOf(() => encodeIopRequest(spec({ params: { image_bytes: 'x' }, file }))).message).toMatch(/the file goes under that name/);
    expect(errorOf(() => encodeIopRequest(spec({ file: { ...file, field: 'bad field' } }))).code).toBe('invalid_input');
  });

  it.each([
    ['sync', 'orderlist'],
    ['sync', '/auth/token/create'],
    ['rest', 'aliexpress.issue.detail.get'],
    ['rest', '/auth/../x'],
  ] as const)('refuses %s API %s', (gateway, api) => {
    expect(errorOf(() => encodeIopRequest(spec({ gateway, api }))).code).toBe('invalid_input');
  });

  it('accepts a slash-named IM API on /sync and signs it with no prefix (Q3, Java)', () => {
    const wire = encodeIopRequest(spec({ api: 'aliexpress/message/send' }));
    expect(verify(queryOf(wire.url), {}, null)).toBe(true);
  });

  it('refuses a timestamp that is not epoch ms', () => {
    expect(errorOf(() => encodeIopRequest(spec({ timestampMs: 1.5 }))).code).toBe('invalid_input');
    expect(errorOf(() => encodeIopRequest(spec({ timestampMs: -1 }))).code).toBe('invalid_input');
  });
});

describe('iopJson and iopLong', () => {
  it('writes ids bare, keeps key order, skips undefined members, writes nested lists', () => {
    const value: IopJsonValue = {
      order_id: iopLong('8123456789012345'),
      ids: [iopLong(1), 9007199254740993n, null],
      nested: { ok: true, skip: undefined, text: 'Товар "x"\n', n: -0, f: 0.25 },
      empty: [],
    };
    expect(iopJson(value)).toBe('{"order_id":8123456789012345,"ids":[1,9007199254740993,null],"nested":{"ok":true,"text":"Товар \\"x\\"\\n","n":0,"f":0.25},"empty":[]}');
  });

  it('writes an undefined list item as null, as JSON.stringify does', () => {
    expect(iopJson([undefined as unknown as IopJsonValue, 1])).toBe('[null,1]');
  });

  it('takes an object with no prototype', () => {
    const bare = Object.create(null) as Record<string, IopJsonValue>;
    bare.a = 1;
    expect(iopJson(bare)).toBe('{"a":1}');
  });

  it.each([
    ['an unsafe integer number', Number.MAX_SAFE_INTEGER + 2],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s', (_what, value) => {
    expect(errorOf(() => iopJson({ value })).code).toBe('invalid_input');
  });

  it('refuses objects that are not plain, and cycles', () => {
    expect(errorOf(() => iopJson({ when: new Date(0) as unknown as IopJsonValue })).message).toMatch(/a Date/);
    const cycle: Record<string, IopJsonValue> = {};
    cycle.self = cycle;
    expect(errorOf(() => iopJson(cycle)).message).toMatch(/nested deeper than 32/);
  });

  it.each([['0123'], ['-1'], ['1.0'], ['9223372036854775808'], ['12345678901234567890'], [''], ['１２']])('refuses %j as an id', (digits) => {
    expect(errorOf(() => iopLong(digits)).code).toBe('invalid_input');
  });

  it('refuses an unsafe or negative number and a negative bigint as an id, accepts Long.MAX', () => {
    expect(errorOf(() => iopLong(2 ** 60)).code).toBe('invalid_input');
    expect(errorOf(() => iopLong(-5)).code).toBe('invalid_input');
    expect(errorOf(() => iopLong(-5n)).code).toBe('invalid_input');
    expect(iopLong('9223372036854775807').digits).toBe('9223372036854775807');
    expect(iopLong('0').toString()).toBe('0');
    expect(new IopLong(7n)).toEqual(iopLong('7'));
  });

  it('iopFormValue: the text of one param, or null when it is not sent', () => {
    expect(iopFormValue('  x ')).toBe('  x ');
    expect(iopFormValue(' ')).toBeNull();
    expect(iopFormValue(null)).toBeNull();
    expect(iopFormValue(undefined)).toBeNull();
    expect(iopFormValue(['pickup'])).toBe('["pickup"]');
  });
});
