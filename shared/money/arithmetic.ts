import { MoneyError, describeValue } from './errors';
import { assertMoney, money, type Money } from './money';
import { divideRounded, isRoundingMode, type RoundingMode } from './rounding';

/** Throws `money.currency_mismatch` unless both amounts are in the same currency. */
export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError(
      'money.currency_mismatch',
      `Cannot combine ${a.currency} with ${b.currency}: amounts in different currencies never mix.`,
    );
  }
}

function checkedPair(a: Money, b: Money): [Money, Money] {
  const left = assertMoney(a);
  const right = assertMoney(b);
  assertSameCurrency(left, right);
  return [left, right];
}

/** a + b, same currency; `money.unsafe_integer` if the sum cannot be held exactly. */
export function add(a: Money, b: Money): Money {
  const [left, right] = checkedPair(a, b);
  // Two safe integers sum to at most 2^54 in magnitude; money() rejects a sum that is not safe.
  return money(left.amountMinor + right.amountMinor, left.currency);
}

/** a − b, same currency; may be negative (check with `isNegative` where that is not allowed). */
export function subtract(a: Money, b: Money): Money {
  const [left, right] = checkedPair(a, b);
  return money(left.amountMinor - right.amountMinor, left.currency);
}

/** The sum of amounts in one currency (the currency is given so that an empty list sums to zero). */
export function sum(amounts: readonly Money[], currency: string): Money {
  let total = money(0, currency);
  for (const amount of amounts) total = add(total, amount);
  return total;
}

/** −1, 0 or 1 as a is less than, equal to or more than b (same currency). */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  const [left, right] = checkedPair(a, b);
  if (left.amountMinor === right.amountMinor) return 0;
  return left.amountMinor < right.amountMinor ? -1 : 1;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && compare(a, b) === 0;
}

export function lessThan(a: Money, b: Money): boolean {
  return compare(a, b) < 0;
}

export function greaterThan(a: Money, b: Money): boolean {
  return compare(a, b) > 0;
}

/** The smaller of two amounts in the same currency. */
export function minMoney(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? assertMoney(a) : assertMoney(b);
}

/** The larger of two amounts in the same currency. */
export function maxMoney(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? assertMoney(a) : assertMoney(b);
}

export function isZero(amount: Money): boolean {
  return assertMoney(amount).amountMinor === 0;
}

export function isNegative(amount: Money): boolean {
  return assertMoney(amount).amountMinor < 0;
}

export function isPositive(amount: Money): boolean {
  return assertMoney(amount).amountMinor > 0;
}

/** An integer given as a number or a bigint, checked and widened to bigint. */
export function toBigIntInteger(value: number | bigint, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new MoneyError('money.invalid_ratio', `${what} must be a whole number, not ${describeValue(value)}.`);
  }
  return BigInt(value);
}

/**
 * amount × numerator / denominator, rounded as `rounding` says. Computed exactly with BigInt,
 * so the product may exceed 2^53 on the way; only the result must be safe. The ratio must not
 * be negative and the denominator must be positive.
 */
export function multiplyByRatio(
  amount: Money,
  numerator: number | bigint,
  denominator: number | bigint,
  rounding: RoundingMode,
): Money {
  const checked = assertMoney(amount);
  const top = toBigIntInteger(numerator, 'The ratio numerator');
  const bottom = toBigIntInteger(denominator, 'The ratio denominator');
  if (bottom <= 0n || top < 0n) {
    throw new MoneyError(
      'money.invalid_ratio',
      `Cannot multiply by ${describeValue(numerator)}/${describeValue(denominator)}: the ratio must be zero or more with a positive denominator.`,
    );
  }
  if (!isRoundingMode(rounding)) {
    throw new MoneyError('money.invalid_rounding', `${describeValue(rounding)} is not a rounding mode.`);
  }
  const product = divideRounded(BigInt(checked.amountMinor) * top, bottom, rounding);
  return money(product, checked.currency);
}
