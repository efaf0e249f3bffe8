import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_CURRENCY_CODES,
  MoneyError,
  fromDecimal,
  money,
  toDecimalString,
  type RoundingMode,
} from '../../../../shared/money';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('toDecimalString', () => {
  it.each([
    [1230, 'USD', '12.30'],
    [-5, 'USD', '-0.05'],
    [1500, 'JPY', '1500'],
    [1250, 'KWD', '1.250'],
    [5, 'KWD', '0.005'],
    [12345, 'CLF', '1.2345'],
    [0, 'UYW', '0.0000'],
    [Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91'],
  ])('%i %s is %s', (amountMinor, currency, text) => {
    expect(toDecimalString(money(amountMinor, currency))).toBe(text);
  });
});

describe('fromDecimal', () => {
  it('reads a float through its shortest form, never scaling it by a float multiplication', () => {
    // 19.99 * 100 is 1998.9999999999998 in binary floating point: truncated, a cent is lost.
    expect(Math.trunc(19.99 * 100)).toBe(1998);
    expect(fromDecimal(19.99, 'USD', 'trunc')).toEqual(money(1999, 'USD'));
    expect(fromDecimal(4.35, 'USD', 'trunc')).toEqual(money(435, 'USD'));
    expect(fromDecimal(87.96, 'USD', 'trunc')).toEqual(money(8796, 'USD'));
    expect(fromDecimal(0.1 + 0.2, 'USD', 'halfEven')).toEqual(money(30, 'USD'));
  });

  it('rounds a capture recorded with more decimals as told', () => {
    expect(fromDecimal('87.9600', 'USD', 'trunc')).toEqual(money(8796, 'USD'));
    expect(fromDecimal('87.9599999', 'USD', 'halfEven')).toEqual(money(8796, 'USD'));
    expect(fromDecimal('87.955', 'USD', 'halfEven')).toEqual(money(8796, 'USD'));
    expect(fromDecimal('87.965', 'USD', 'halfEven')).toEqual(money(8796, 'USD'));
    expect(fromDecimal('87.955', 'USD', 'floor')).toEqual(money(8795, 'USD'));
    expect(fromDecimal('-1.005', 'USD', 'halfExpand')).toEqual(money(-101, 'USD'));
  });

  it('reads exponents, bare fractions, signs and every exponent of currency', () => {
    expect(fromDecimal('1.5e3', 'JPY', 'trunc')).toEqual(money(1500, 'JPY'));
    expect(fromDecimal('1e-7', 'USD', 'ceil')).toEqual(money(1, 'USD'));
    expect(fromDecimal('.5', 'KWD', 'trunc')).toEqual(money(500, 'KWD'));
    expect(fromDecimal('+2', 'CLF', 'trunc')).toEqual(money(20000, 'CLF'));
    expect(fromDecimal(' 3 ', 'USD', 'trunc')).toEqual(money(300, 'USD'));
  });

  it.each([
    ['12,5', 'money.invalid_amount'],
    ['', 'money.invalid_amount'],
    ['abc', 'money.invalid_amount'],
    ['1e999999', 'money.unsafe_integer'],
    ['1e20', 'money.unsafe_integer'],
  ])('refuses %j with %s', (text, code) => {
    expect(codeOf(() => fromDecimal(text, 'USD', 'trunc'))).toBe(code);
  });

  it('refuses NaN, infinities and unknown rounding', () => {
    expect(codeOf(() => fromDecimal(Number.NaN, 'USD', 'trunc'))).toBe('money.not_a_number');
    expect(codeOf(() => fromDecimal(Number.NEGATIVE_INFINITY, 'USD', 'trunc'))).toBe('money.not_a_number');
    expect(codeOf(() => fromDecimal('1', 'USD', 'nearest' as RoundingMode))).toBe('money.invalid_rounding');
    expect(codeOf(() => fromDecimal('1', 'XXX', 'trunc'))).toBe('money.unknown_currency');
  });

  it('round-trips through toDecimalString in every currency (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIVE_CURRENCY_CODES), fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (currency, amountMinor) => {
        const original = money(amountMinor, currency);
        expect(fromDecimal(toDecimalString(original), currency, 'trunc')).toEqual(original);
      }),
    );
  });
});
