import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aeId, aeIdOrNull } from '../../../../../../../electron/backend/marketplace/aliexpress/convert';
import { refusal } from './refusal';

describe('aeId', () => {
  it.each([
    ['1160045860056286', '1160045860056286'],
    ['8123456789012345', '8123456789012345'],
    ['9007199254740993', '9007199254740993'], // 2^53 + 1: a JS number would say ...992
    ['81234567890123456', '81234567890123456'],
    ['812345678901234567', '812345678901234567'],
    ['9223372036854775807', '9223372036854775807'], // Java's Long.MAX_VALUE
    ['12345678901234567890', '12345678901234567890'],
    ['0', '0'],
    ['7', '7'],
  ])('keeps the digit text %s exactly', (value, expected) => {
    expect(aeId(value, 'order_id')).toBe(expected);
  });

  it.each([
    [1160045860056286, '1160045860056286'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [0, '0'],
    [42, '42'],
  ])('writes the safe integer %d as its digits', (value, expected) => {
    expect(aeId(value, 'order_id')).toBe(expected);
  });

  it('refuses a number past 2^53: it was rounded before it got here', () => {
    const error = refusal(() => aeId(2 ** 53 + 2, 'order_id'));
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toBe(
      'AliExpress sent order_id as 9007199254740994: an id this large would lose digits as a JavaScript number (the payload was not read losslessly).',
    );
  });

  it.each([
    ['-1', '"-1"'],
    ['01', '"01"'],
    ['1e16', '"1e16"'],
    ['1.5', '"1.5"'],
    ['', '""'],
    [' 12', '" 12"'],
    ['+12', '"+12"'],
    ['123456789012345678901', '"123456789012345678901"'],
    ['１２', '"\\uff11\\uff12"'],
    ['0x1F', '"0x1F"'],
  ])('refuses the text %j, naming the field and the value', (value, shown) => {
    const error = refusal(() => aeId(value, 'issue_id'));
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toBe(
      `AliExpress sent issue_id as ${shown}: an id is 1 to 20 digits, with no sign, leading zero, decimal point or exponent.`,
    );
  });

  it.each([
    [1.5, 'AliExpress sent order_id as 1.5: an id is a whole number.'],
    [-1, 'AliExpress sent order_id as -1: an id is never negative.'],
    [-0, 'AliExpress sent order_id as 0: an id is never negative.'],
    [Number.NaN, 'AliExpress sent order_id as NaN: an id is a whole number.'],
    [null, 'AliExpress sent order_id as null: an id is a whole number.'],
    [undefined, 'AliExpress sent no order_id: an id is a whole number.'],
    [true, 'AliExpress sent order_id as true: an id is a whole number.'],
    [{ id: 1 }, 'AliExpress sent order_id as an object: an id is a whole number.'],
    [[1], 'AliExpress sent order_id as a list: an id is a whole number.'],
    [12n, 'AliExpress sent order_id as 12: an id is a whole number.'],
  ])('refuses %s', (value, message) => {
    expect(refusal(() => aeId(value, 'order_id')).message).toBe(message);
  });

  it('gives the same string for an id whether it came as a number or as text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (id) => {
        expect(aeId(id, 'order_id')).toBe(aeId(String(id), 'order_id'));
      }),
    );
  });

  it('keeps every 1–20 digit id text exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), (id) => {
        expect(aeId(id.toString(), 'order_id')).toBe(id.toString());
      }),
    );
  });
});

describe('aeIdOrNull', () => {
  it('reads an absent id as null', () => {
    expect(aeIdOrNull(undefined, 'buyer_solution_id')).toBeNull();
    expect(aeIdOrNull(null, 'buyer_solution_id')).toBeNull();
  });

  it('reads a present id like aeId', () => {
    expect(aeIdOrNull('1160045860056286', 'buyer_solution_id')).toBe('1160045860056286');
    expect(aeIdOrNull(12, 'buyer_solution_id')).toBe('12');
  });

  it('still refuses an empty or malformed id', () => {
    expect(refusal(() => aeIdOrNull('', 'buyer_solution_id')).message).toContain('buyer_solution_id as ""');
    expect(refusal(() => aeIdOrNull(2 ** 60, 'buyer_solution_id')).message).toContain('would lose digits');
  });
});
