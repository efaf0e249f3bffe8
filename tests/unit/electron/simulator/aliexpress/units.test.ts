import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceIn } from '../../../../../electron/simulator/aliexpress/basics';
import { generateSandboxData } from '../../../../../electron/simulator/aliexpress/data';
import { render, responseKey, wireList } from '../../../../../electron/simulator/aliexpress/envelope';
import { parseJsonLossless, toJsonText } from '../../../../../electron/simulator/aliexpress/json-text';
import { formatPacific, parsePacific } from '../../../../../electron/simulator/aliexpress/pacific';
import { ParamsError, mergeParams, parseContentType, parseMultipart } from '../../../../../electron/simulator/aliexpress/params';
import { exactDecimal } from '../../../../../electron/simulator/aliexpress/views';
import { START_MS } from './helpers';

/** The sandbox's building blocks: JSON with wide integers, Pacific time, parameters, data. */

describe('JSON text', () => {
  it('writes bigints as bare digits and leaves undefined members out', () => {
    expect(toJsonText({ id: 9123456789012345679n, n: 1.5, s: 'é"', list: [true, null], gone: undefined })).toBe(
      '{"id":9123456789012345679,"n":1.5,"s":"é\\"","list":[true,null]}',
    );
    expect(() => toJsonText(Number.NaN)).toThrow(RangeError);
  });

  it('reads integers beyond 2^53 exactly, everything else as JSON.parse does', () => {
    expect(parseJsonLossless('{"a":9007199254740993,"b":12,"c":1.5e300,"d":[-9007199254740995]}')).toEqual({
      a: 9007199254740993n,
      b: 12,
      c: 1.5e300,
      d: [-9007199254740995n],
    });
    expect(() => parseJsonLossless('{')).toThrow(SyntaxError);
  });

  it('round-trips any 16-to-19-digit id (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n - 1n }), (id) => {
        const parsed = parseJsonLossless(toJsonText({ id })) as { id: bigint | number };
        expect(BigInt(parsed.id)).toBe(id);
      }),
    );
  });
});

describe('envelope', () => {
  it('wraps lists by item name, {} when empty, plain arrays when simplified', () => {
    const value = { a: wireList('x_dto', [{ b: wireList('y', []) }]), c: [1] };
    expect(render(value, true)).toEqual({ a: { x_dto: [{ b: {} }] }, c: [1] });
    expect(render(value, false)).toEqual({ a: [{ b: [] }], c: [1] });
    expect(responseKey('aliexpress/message/send')).toBe('aliexpress_message_send_response');
  });
});

describe('Pacific time', () => {
  it('formats both sides of each DST change', () => {
    expect(formatPacific(Date.UTC(2026, 10, 26, 17, 0, 0))).toBe('2026-11-26 09:00:00');
    expect(formatPacific(Date.UTC(2026, 6, 1, 7, 30, 5, 999))).toBe('2026-07-01 00:30:05');
    expect(formatPacific(Date.UTC(2026, 2, 8, 9, 59, 59))).toBe('2026-03-08 01:59:59');
    expect(formatPacific(Date.UTC(2026, 2, 8, 10, 0, 0))).toBe('2026-03-08 03:00:00');
    expect(formatPacific(Date.UTC(2026, 10, 1, 8, 30, 0))).toBe('2026-11-01 01:30:00');
    expect(formatPacific(Date.UTC(2026, 10, 1, 9, 30, 0))).toBe('2026-11-01 01:30:00');
  });

  it('parses back, the repeated hour as its first instant, the skipped hour an hour on', () => {
    expect(parsePacific('2026-11-26 09:00:00')).toBe(Date.UTC(2026, 10, 26, 17, 0, 0));
    expect(parsePacific('2026-07-01 00:30:05')).toBe(Date.UTC(2026, 6, 1, 7, 30, 5));
    expect(parsePacific('2026-11-01 01:30:00')).toBe(Date.UTC(2026, 10, 1, 8, 30, 0));
    expect(parsePacific('2026-03-08 02:30:00')).toBe(Date.UTC(2026, 2, 8, 10, 30, 0));
    for (const bad of ['2026-02-30 00:00:00', '2026-13-01 00:00:00', '2026-01-01 24:00:00', '2026-01-01T00:00:00', '']) {
      expect(parsePacific(bad), bad).toBeNull();
    }
  });

  it('round-trips whole seconds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }), (seconds) => {
        const ms = seconds * 1000;
        const back = parsePacific(formatPacific(ms));
        // In the repeated hour the text names two instants; the earlier one comes back.
        expect(back === ms || back === ms - 3_600_000).toBe(true);
        expect(formatPacific(back ?? 0)).toBe(formatPacific(ms));
      }),
    );
  });
});

describe('parameters', () => {
  it('reads Content-Type parameters, quoted or not', () => {
    const { type, params } = parseContentType('Multipart/Form-Data;charset=UTF-8;boundary="abc"');
    expect(type).toBe('multipart/form-data');
    expect(params.get('boundary')).toBe('abc');
    expect(parseContentType(undefined).type).toBe('');
  });

  it('splits multipart text and file parts; refuses malformed bodies', () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue é\r\n' +
        '--b\r\nContent-Disposition: form-data; name="image_bytes"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n' +
        '--b\r\nContent-Disposition: form-data; name=plain\r\n\r\n1\r\n--b--\r\n',
      'utf8',
    );
    const merged = mergeParams(new URLSearchParams('q=1&a=value é'), 'multipart/form-data; boundary=b', body);
    expect([...merged.text.entries()]).toEqual([
      ['q', '1'],
      ['a', 'value é'],
      ['plain', '1'],
    ]);
    expect(merged.files.get('image_bytes')).toMatchObject({ filename: 'x.png', contentType: 'image/png' });
    expect(() => parseMultipart(Buffer.from('x'), '')).toThrow(ParamsError);
    expect(() => parseMultipart(Buffer.from('--b\r\nno end'), 'b')).toThrow(/headers/);
    expect(() => parseMultipart(Buffer.from('--bxx'), 'b')).toThrow(/malformed/);
    expect(() => parseMultipart(Buffer.from('--b\r\nX: y\r\n\r\nbody'), 'b')).toThrow(/not closed/);
    expect(() => parseMultipart(Buffer.from('--b\r\nX: y\r\n\r\nbody\r\n--b--'), 'b')).toThrow(/field name/);
    const twice = Buffer.from('--b\r\nContent-Disposition: form-data; name="f"; filename="1"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name="f"; filename="2"\r\n\r\n2\r\n--b--');
    expect(() => mergeParams(new URLSearchParams(), 'multipart/form-data; boundary=b', twice)).toThrow(/more than once/);
  });

  it('merges urlencoded bodies, ignores other bodies, tolerates identical repeats only', () => {
    expect(mergeParams(new URLSearchParams('m=1&m=1'), 'application/x-www-form-urlencoded', Buffer.from('m=1&x=a+b')).text.get('x')).toBe('a b');
    expect(mergeParams(new URLSearchParams('m=1'), 'application/json', Buffer.from('{"m":2}')).text.get('m')).toBe('1');
    expect(() => mergeParams(new URLSearchParams('m=1&m=2'), undefined, Buffer.alloc(0))).toThrow(/different values/);
  });
});

describe('data', () => {
  it('is a pure function of (seed, orders, startMs)', () => {
    const a = generateSandboxData({ seed: 5, orders: 40, startMs: START_MS });
    const b = generateSandboxData({ seed: 5, orders: 40, startMs: START_MS });
    const c = generateSandboxData({ seed: 6, orders: 40, startMs: START_MS });
    const plain = (data: typeof a): string => JSON.stringify({ seller: data.seller, orders: data.orders, issues: data.issues, messages: data.messages });
    expect(plain(a)).toBe(plain(b));
    expect(plain(a)).not.toBe(plain(c));
  });

  it('has every interesting case, deadlines in the future, several currencies and unique wide ids', () => {
    const data = generateSandboxData({ seed: 11, orders: 200, startMs: START_MS });
    const statuses = new Set(data.orders.map((order) => order.status));
    for (const status of ['IN_CANCEL', 'IN_ISSUE', 'FINISH', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_ACCEPT_GOODS']) expect(statuses).toContain(status);
    expect(new Set(data.orders.map((order) => order.currency))).toEqual(new Set(['USD', 'EUR', 'GBP', 'BRL', 'JPY']));
    expect(new Set(data.issues.map((issue) => issue.status))).toEqual(new Set(['processing', 'finish', 'canceled_issue']));
    for (const order of data.orders) {
      if (order.cancel !== null) expect(order.cancel.deadlineAt).toBeGreaterThan(START_MS);
      expect(order.modifiedAt).toBeLessThanOrEqual(START_MS);
    }
    for (const issue of data.issues.filter((candidate) => candidate.status === 'processing')) {
      expect(issue.timeoutAt ?? 0).toBeGreaterThan(START_MS);
      if (issue.next !== null) expect(issue.next.at).toBeGreaterThan(START_MS);
    }
    const ids = [...data.orders.flatMap((order) => [order.id, ...order.lines.map((line) => line.childId)]), ...data.issues.map((issue) => issue.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^9[1-9]\d{14}$/.test(id))).toBe(true);
  });

  it('prices JPY in whole tens of yen and writes exact decimals', () => {
    expect(priceIn(1999, 'USD')).toBe(1999);
    expect(priceIn(1999, 'JPY') % 10).toBe(0);
    expect(() => priceIn(1, 'XXX')).toThrow(RangeError);
    expect(exactDecimal(879576n, 4)).toBe('87.9576');
    expect(exactDecimal(5n, 2)).toBe('0.05');
    expect(exactDecimal(5n, 0)).toBe('5');
  });
});
