import { describe, expect, it } from 'vitest';
import { excerpt, invalidPayload } from '../../../../../../../electron/backend/marketplace/aliexpress/convert';

describe('excerpt', () => {
  it.each([
    ['12.34', '"12.34"'],
    ['line\nbreak', '"line\\nbreak"'],
    ['\u202eevil', '"\\u202eevil"'],
    ['é', '"\\u00e9"'],
    [12.5, '12.5'],
    [false, 'false'],
    [7n, '7'],
    [undefined, 'nothing'],
    [null, 'null'],
    [[1, 2], 'a list'],
    [{ a: 1 }, 'an object'],
    [Symbol('s'), 'a symbol'],
    [() => 1, 'a function'],
  ])('shows %s as %s', (value, shown) => {
    expect(excerpt(value)).toBe(shown);
  });

  it('cuts a long text to 40 characters and says how long it was', () => {
    expect(excerpt('x'.repeat(41))).toBe(`"${'x'.repeat(40)}"… (41 characters)`);
    expect(excerpt('x'.repeat(40))).toBe(`"${'x'.repeat(40)}"`);
  });
});

describe('invalidPayload', () => {
  it('builds an invalid_payload DeskError naming the field and the value', () => {
    const error = invalidPayload('order_id', 'abc', 'an id is digits only');
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toBe('AliExpress sent order_id as "abc": an id is digits only.');
    expect(invalidPayload('order_id', undefined, 'it is required').message).toBe('AliExpress sent no order_id: it is required.');
  });
});
