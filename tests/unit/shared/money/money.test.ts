import { describe, expect, it } from 'vitest';
import {
  MoneyError,
  MoneySchema,
  CurrencyCodeSchema,
  assertMoney,
  checkAmountMinor,
  money,
  zero,
} from '../../../../shared/money';
import { DeskError } from '../../../../shared/errors';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('money()', () => {
  it('builds checked amounts, negative allowed for differences', () => {
    expect(money(1999, 'USD')).toEqual({ amountMinor: 1999, currency: 'USD' });
    expect(money(-5, 'USD')).toEqual({ amountMinor: -5, currency: 'USD' });
    expect(money(12n, 'JPY')).toEqual({ amountMinor: 12, currency: 'JPY' });
    expect(zero('KWD')).toEqual({ amountMinor: 0, currency: 'KWD' });
    expect(Object.is(money(-0, 'USD').amountMinor, 0)).toBe(true);
  });

  it.each([
    [Number.NaN, 'money.not_a_number'],
    [Number.POSITIVE_INFINITY, 'money.not_a_number'],
    [0.5, 'money.not_integer'],
    [87.96, 'money.not_integer'],
    [Number.MAX_SAFE_INTEGER + 1, 'money.unsafe_integer'],
    [-(2 ** 60), 'money.unsafe_integer'],
    [2n ** 60n, 'money.unsafe_integer'],
    [-(2n ** 60n), 'money.unsafe_integer'],
  ])('refuses %s with %s', (amount, code) => {
    expect(codeOf(() => money(amount, 'USD'))).toBe(code);
  });

  it('refuses unknown currencies', () => {
    expect(codeOf(() => money(1, 'XXX'))).toBe('money.unknown_currency');
  });

  it('throws errors that are DeskErrors with a sentence', () => {
    try {
      money(0.5, 'USD');
    } catch (error) {
      expect(error).toBeInstanceOf(DeskError);
      expect((error as MoneyError).message).toMatch(/whole number of minor units/);
      expect((error as MoneyError).toJSON()).toEqual({ code: 'money.not_integer', message: (error as MoneyError).message });
    }
  });
});

describe('checkAmountMinor', () => {
  it('forbids negatives unless asked', () => {
    expect(codeOf(() => checkAmountMinor(-1, 'USD'))).toBe('money.negative');
    expect(checkAmountMinor(-1, 'USD', { allowNegative: true })).toBe(-1);
    expect(checkAmountMinor(Number.MAX_SAFE_INTEGER, 'USD')).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('assertMoney', () => {
  it.each([
    [null, 'money.not_a_number'],
    ['12', 'money.not_a_number'],
    [{ amountMinor: 1 }, 'money.unknown_currency'],
    [{ amountMinor: 1, currency: 'ZZZ' }, 'money.unknown_currency'],
    [{ amountMinor: '1', currency: 'USD' }, 'money.not_a_number'],
    [{ amountMinor: 1.5, currency: 'USD' }, 'money.not_integer'],
  ])('refuses %j', (value, code) => {
    expect(codeOf(() => assertMoney(value))).toBe(code);
  });

  it('returns a clean copy and can forbid negatives', () => {
    const dirty = { amountMinor: 5, currency: 'USD', extra: true };
    expect(assertMoney(dirty)).toEqual({ amountMinor: 5, currency: 'USD' });
    expect(codeOf(() => assertMoney({ amountMinor: -5, currency: 'USD' }, { allowNegative: false }))).toBe('money.negative');
  });
});

describe('schemas', () => {
  it('keeps payload money non-negative, safe and in a known currency', () => {
    expect(MoneySchema.safeParse({ amountMinor: 0, currency: 'JPY' }).success).toBe(true);
    expect(MoneySchema.safeParse({ amountMinor: -1, currency: 'USD' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amountMinor: 1.5, currency: 'USD' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amountMinor: 2 ** 53, currency: 'USD' }).success).toBe(false);
    expect(CurrencyCodeSchema.safeParse('usd').success).toBe(false);
    expect(CurrencyCodeSchema.safeParse('ABC').success).toBe(false);
    expect(CurrencyCodeSchema.safeParse('BGN').success).toBe(true);
  });
});

describe('garbage in (property)', () => {
  it('only ever throws MoneyError, whatever a JS caller passes', async () => {
    const fc = (await import('fast-check')).default;
    const { add, allocate, allocateByKey, fromDecimal, multiplyByRatio, parseMoney, formatMoney, toDecimalString, currencyExponent, isCurrencyCode } = await import('../../../../shared/money');
    const calls: ((value: never) => unknown)[] = [
      (value) => money(value, 'USD'),
      (value) => money(1, value),
      (value) => assertMoney(value),
      (value) => add(value, money(1, 'USD')),
      (value) => allocate(money(1, 'USD'), value),
      (value) => allocate(money(1, 'USD'), [value]),
      (value) => allocateByKey(money(1, 'USD'), value),
      (value) => allocateByKey(money(1, 'USD'), [value]),
      (value) => fromDecimal(value, 'USD', 'trunc'),
      (value) => fromDecimal('1', 'USD', value),
      (value) => multiplyByRatio(money(1, 'USD'), value, 1, 'trunc'),
      (value) => formatMoney(value),
      (value) => toDecimalString(value),
      (value) => currencyExponent(value),
      (value) => isCurrencyCode(value),
      (value) => parseMoney(value, 'USD', 'en-US'),
      (value) => parseMoney('1', 'USD', value),
    ];
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.constant({ toString: 0 }), fc.constant(Symbol('x'))), (value) => {
        for (const call of calls) {
          try {
            call(value as never);
          } catch (error) {
            expect(error).toBeInstanceOf(MoneyError);
          }
        }
      }),
    );
  });

  it('describes any value for a message without throwing', async () => {
    const { describeValue } = await import('../../../../shared/money');
    expect(describeValue('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(describeValue({ toString: 0 })).toBe('an object');
    expect(describeValue([1])).toBe('a list');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(12n)).toBe('12');
  });
});
