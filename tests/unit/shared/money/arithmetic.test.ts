import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_CURRENCY_CODES,
  MoneyError,
  add,
  compare,
  equals,
  greaterThan,
  isNegative,
  isPositive,
  isZero,
  lessThan,
  maxMoney,
  minMoney,
  money,
  multiplyByRatio,
  subtract,
  sum,
  type RoundingMode,
} from '../../../../shared/money';

const usd = (amountMinor: number) => money(amountMinor, 'USD');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('add / subtract / sum', () => {
  it('adds and subtracts in minor units', () => {
    expect(add(usd(1999), usd(1))).toEqual(usd(2000));
    expect(subtract(usd(100), usd(250))).toEqual(usd(-150));
    expect(sum([usd(1), usd(2), usd(3)], 'USD')).toEqual(usd(6));
    expect(sum([], 'JPY')).toEqual(money(0, 'JPY'));
  });

  it('never mixes currencies', () => {
    expect(codeOf(() => add(usd(1), money(1, 'EUR')))).toBe('money.currency_mismatch');
    expect(codeOf(() => subtract(usd(1), money(1, 'JPY')))).toBe('money.currency_mismatch');
    expect(codeOf(() => sum([usd(1)], 'EUR'))).toBe('money.currency_mismatch');
    expect(codeOf(() => compare(usd(1), money(1, 'KWD')))).toBe('money.currency_mismatch');
  });

  it('refuses sums beyond Number.MAX_SAFE_INTEGER instead of losing cents', () => {
    expect(codeOf(() => add(usd(Number.MAX_SAFE_INTEGER), usd(1)))).toBe('money.unsafe_integer');
    expect(codeOf(() => subtract(usd(-Number.MAX_SAFE_INTEGER), usd(1)))).toBe('money.unsafe_integer');
  });

  it('refuses malformed operands (NaN, fractions) instead of producing NaN', () => {
    expect(codeOf(() => add({ amountMinor: Number.NaN, currency: 'USD' }, usd(1)))).toBe('money.not_a_number');
    expect(codeOf(() => add({ amountMinor: 0.1, currency: 'USD' }, usd(1)))).toBe('money.not_integer');
  });

  it('is associative and commutative, and subtract undoes add (property)', () => {
    const amount = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
    fc.assert(
      fc.property(amount, amount, amount, (a, b, c) => {
        expect(add(usd(a), usd(b))).toEqual(add(usd(b), usd(a)));
        expect(add(add(usd(a), usd(b)), usd(c))).toEqual(add(usd(a), add(usd(b), usd(c))));
        expect(subtract(add(usd(a), usd(b)), usd(b))).toEqual(usd(a));
      }),
    );
  });
});

describe('comparisons', () => {
  it('orders amounts of one currency', () => {
    expect(compare(usd(1), usd(2))).toBe(-1);
    expect(compare(usd(2), usd(2))).toBe(0);
    expect(compare(usd(3), usd(2))).toBe(1);
    expect(lessThan(usd(1), usd(2))).toBe(true);
    expect(greaterThan(usd(1), usd(2))).toBe(false);
    expect(minMoney(usd(5), usd(3))).toEqual(usd(3));
    expect(maxMoney(usd(5), usd(3))).toEqual(usd(5));
    expect(minMoney(usd(3), usd(5))).toEqual(usd(3));
    expect(maxMoney(usd(3), usd(5))).toEqual(usd(5));
    expect(isZero(usd(0))).toBe(true);
    expect(isNegative(usd(-1))).toBe(true);
    expect(isPositive(usd(1))).toBe(true);
    expect(isPositive(usd(0))).toBe(false);
  });

  it('says different currencies are not equal (no exception for equality)', () => {
    expect(equals(usd(1), money(1, 'EUR'))).toBe(false);
    expect(equals(usd(1), usd(1))).toBe(true);
  });
});

describe('multiplyByRatio', () => {
  it('rounds as told', () => {
    expect(multiplyByRatio(usd(1000), 1, 3, 'halfEven')).toEqual(usd(333));
    expect(multiplyByRatio(usd(1000), 2, 3, 'halfEven')).toEqual(usd(667));
    expect(multiplyByRatio(usd(1000), 1, 3, 'ceil')).toEqual(usd(334));
    expect(multiplyByRatio(usd(5), 1, 2, 'halfEven')).toEqual(usd(2));
    expect(multiplyByRatio(usd(5), 1, 2, 'halfExpand')).toEqual(usd(3));
    expect(multiplyByRatio(usd(-5), 1, 2, 'floor')).toEqual(usd(-3));
    expect(multiplyByRatio(money(1001, 'JPY'), 15, 100, 'trunc')).toEqual(money(150, 'JPY'));
  });

  it('computes exactly even when the product passes 2^53', () => {
    const big = usd(Number.MAX_SAFE_INTEGER);
    expect(multiplyByRatio(big, 3, 3, 'trunc')).toEqual(big);
    expect(multiplyByRatio(big, 10n ** 15n, 10n ** 16n, 'trunc')).toEqual(usd(900719925474099));
    expect(codeOf(() => multiplyByRatio(big, 2, 1, 'trunc'))).toBe('money.unsafe_integer');
  });

  it.each([
    [1, 0],
    [-1, 2],
    [1, -2],
    [0.5, 1],
    [1, Number.NaN],
  ])('refuses the ratio %s/%s', (numerator, denominator) => {
    expect(codeOf(() => multiplyByRatio(usd(100), numerator, denominator, 'trunc'))).toBe('money.invalid_ratio');
  });

  it('refuses an unknown rounding mode', () => {
    expect(codeOf(() => multiplyByRatio(usd(100), 1, 3, 'round' as RoundingMode))).toBe('money.invalid_rounding');
  });

  it('stays within one minor unit of the exact product in every currency (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIVE_CURRENCY_CODES),
        fc.integer({ min: 0, max: 2 ** 36 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (currency, amount, numerator, denominator) => {
          const result = multiplyByRatio(money(amount, currency), numerator, denominator, 'halfEven');
          const exact = BigInt(amount) * BigInt(numerator);
          const scaled = BigInt(result.amountMinor) * BigInt(denominator);
          const difference = scaled > exact ? scaled - exact : exact - scaled;
          expect(2n * difference <= BigInt(denominator)).toBe(true);
        },
      ),
    );
  });
});
