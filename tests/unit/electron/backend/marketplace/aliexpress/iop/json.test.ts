import { describe, expect, it } from 'vitest';
import { parseIopJson } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/json';
import { DeskError } from '../../../../../../../shared/errors';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return null;
}

describe('parseIopJson', () => {
  it('keeps 16- to 19-digit ids exact', () => {
    const parsed = parseIopJson('{"a":1160045860056286,"b":9007199254740991,"c":9007199254740993,"d":81234567890123456,"e":812345678901234567,"f":8123456789012345678,"g":-9007199254740993}');
    expect(parsed).toEqual({
      a: 1160045860056286,
      b: 9007199254740991,
      c: '9007199254740993',
      d: '81234567890123456',
      e: '812345678901234567',
      f: '8123456789012345678',
      g: '-9007199254740993',
    });
  });

  it('keeps every non-integer number as its exact text', () => {
    expect(parseIopJson('{"fee":1.01,"rate":87.957975,"tiny":0.1,"big":1e3,"neg":-2.50,"exp":1.5E-7}')).toEqual({
      fee: '1.01',
      rate: '87.957975',
      tiny: '0.1',
      big: '1e3',
      neg: '-2.50',
      exp: '1.5E-7',
    });
  });

  it('gives safe integers as numbers, with no negative zero', () => {
    const parsed = parseIopJson('[0,-0,1,-42,123456]') as number[];
    expect(parsed).toEqual([0, 0, 1, -42, 123456]);
    expect(Object.is(parsed[1], -0)).toBe(false);
  });

  it('reads nested objects and lists', () => {
    const text =
      '{"x_response":{"result":{"target_list":{"aeop_order_item_dto":[{"order_id":8123456789012345678,"pay_amount":{"amount":"12.34","currency_code":"USD"},"product_list":{"aeop_order_product_dto":[{"child_id":8123456789012345679,"tags":["a",null,true,false]}]}}]}},"request_id":"210101cd17036054742456317"}}';
    expect(parseIopJson(text)).toEqual({
      x_response: {
        result: {
          target_list: {
            aeop_order_item_dto: [
              {
                order_id: '8123456789012345678',
                pay_amount: { amount: '12.34', currency_code: 'USD' },
                product_list: { aeop_order_product_dto: [{ child_id: '8123456789012345679', tags: ['a', null, true, false] }] },
              },
            ],
          },
        },
        request_id: '210101cd17036054742456317',
      },
    });
  });

  it('keeps a "__proto__" key as a plain member', () => {
    const parsed = parseIopJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['not JSON', '<html>502 Bad Gateway</html>'],
    ['truncated', '{"a":1'],
    ['trailing garbage', '{"a":1} x'],
    ['two different values under one key', '{"order_id":1,"order_id":2}'],
    ['empty', ''],
    ['blank', '  \n'],
  ])('throws invalid_payload for %s', (_name, text) => {
    const error = thrown(() => parseIopJson(text));
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe('invalid_payload');
    expect((error as DeskError).message).toMatch(/^AliExpress answered with/);
  });

  it('names where the JSON broke, never its text', () => {
    const error = thrown(() => parseIopJson('{"secret":"s3cr3t" x}')) as DeskError;
    expect(error.message).toBe('AliExpress answered with something that is not valid JSON (at character 19).');
  });
});
