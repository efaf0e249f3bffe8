import { toBigIntInteger } from './arithmetic';
import { MoneyError, describeValue } from './errors';
import { assertMoney, money, type Money } from './money';

/** One share of an allocation by key: `key` names the share and breaks exact ties. */
export interface WeightedKey {
  readonly key: string;
  readonly weight: number | bigint;
}

interface Share {
  readonly index: number;
  readonly key: string | null;
  readonly weight: bigint;
  floor: bigint;
  readonly remainder: bigint;
}

/**
 * Splits `total` across `weights` in proportion, by largest remainder: every share is the floor
 * of its exact part, and the minor units left over go one each to the largest remainders.
 * The shares always sum to `total` exactly. Ties go to the larger weight, then the smaller key
 * (by code unit), then the earlier position; so equal inputs always give equal outputs, and
 * with keys the result does not depend on the order of the input at all.
 */
/** Array.isArray without narrowing a typed list to any[] (the check guards callers outside TypeScript). */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

function allocateShares(total: Money, weights: readonly bigint[], keys: readonly string[] | null): Money[] {
  const checkedTotal = assertMoney(total);
  const negative = checkedTotal.amountMinor < 0;
  const units = BigInt(Math.abs(checkedTotal.amountMinor));
  const weightSum = weights.reduce((accumulator, weight) => accumulator + weight, 0n);
  if (weightSum === 0n) {
    if (units === 0n) return weights.map(() => money(0, checkedTotal.currency));
    throw new MoneyError(
      'money.invalid_weights',
      `Cannot split ${checkedTotal.currency} ${String(checkedTotal.amountMinor)} minor units across weights that are all zero.`,
    );
  }
  const shares: Share[] = weights.map((weight, index) => ({
    index,
    key: keys === null ? null : (keys[index] ?? null),
    weight,
    floor: (units * weight) / weightSum,
    remainder: (units * weight) % weightSum,
  }));
  let leftover = units - shares.reduce((accumulator, share) => accumulator + share.floor, 0n);
  const byPriority = [...shares].sort(compareShares);
  for (const share of byPriority) {
    if (leftover === 0n) break;
    share.floor += 1n;
    leftover -= 1n;
  }
  return shares.map((share) => money(negative ? -share.floor : share.floor, checkedTotal.currency));
}

function compareShares(a: Share, b: Share): number {
  if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
  if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
  if (a.key !== null && b.key !== null && a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.index - b.index;
}

function checkWeights(weights: readonly (number | bigint)[]): bigint[] {
  if (!isList(weights) || weights.length === 0) {
    throw new MoneyError('money.invalid_weights', 'Cannot split an amount across no shares.');
  }
  return weights.map((weight) => {
    let value: bigint;
    try {
      value = toBigIntInteger(weight, 'A weight');
    } catch {
      throw new MoneyError('money.invalid_weights', `A weight must be a whole number, not ${describeValue(weight)}.`);
    }
    if (value < 0n) {
      throw new MoneyError('money.invalid_weights', `A weight cannot be negative (got ${describeValue(weight)}).`);
    }
    return value;
  });
}

/**
 * Splits `total` across `weights` (whole numbers, zero or more) by largest remainder; the
 * result has one Money per weight, in the same order, and sums to `total` exactly.
 */
export function allocate(total: Money, weights: readonly (number | bigint)[]): Money[] {
  return allocateShares(total, checkWeights(weights), null);
}

/**
 * Like `allocate`, with a key per share that breaks ties: the amount each key receives does not
 * depend on the order of `entries`. Keys must be unique.
 */
export function allocateByKey(total: Money, entries: readonly WeightedKey[]): Money[] {
  if (!isList(entries)) throw new MoneyError('money.invalid_weights', 'Cannot split an amount across no shares.');
  const keys = entries.map((entry: unknown) => {
    const key: unknown = typeof entry === 'object' && entry !== null ? (entry as { key?: unknown }).key : undefined;
    if (typeof key !== 'string') throw new MoneyError('money.invalid_weights', `Each share needs a text key, not ${describeValue(key)}.`);
    return key;
  });
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) {
      throw new MoneyError('money.invalid_weights', `The share "${key}" appears twice; each key must be unique.`);
    }
    seen.add(key);
  }
  return allocateShares(total, checkWeights(entries.map((entry) => entry.weight)), keys);
}
