import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_CURRENCY_CODES,
  MoneyError,
  allocate,
  allocateByKey,
  money,
  type Money,
} from '../../../../shared/money';

const usd = (amountMinor: number) => money(amountMinor, 'USD');
const amounts = (shares: Money[]) => shares.map((share) => share.amountMinor);

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('allocate', () => {
  it('splits by largest remainder and sums exactly', () => {
    expect(amounts(allocate(usd(100), [1, 1, 1]))).toEqual([34, 33, 33]);
    expect(amounts(allocate(usd(1000), [1, 2, 3]))).toEqual([167, 333, 500]);
    expect(amounts(allocate(usd(-100), [1, 1, 1]))).toEqual([-34, -33, -33]);
    expect(amounts(allocate(usd(0), [0, 0]))).toEqual([0, 0]);
    expect(amounts(allocate(usd(5), [0, 3, 0]))).toEqual([0, 5, 0]);
    expect(amounts(allocate(money(7, 'JPY'), [1, 1, 1, 1]))).toEqual([2, 2, 2, 1]);
  });

  it('breaks ties toward the larger weight, so the answer does not depend on input order', () => {
    // 2 cents over weights 1 and 3: exact shares 0.5 and 1.5, equal remainders.
    expect(amounts(allocate(usd(2), [1, 3]))).toEqual([0, 2]);
    expect(amounts(allocate(usd(2), [3, 1]))).toEqual([2, 0]);
  });

  it('accepts bigint weights whose sum passes 2^53', () => {
    const huge = 2n ** 60n;
    expect(amounts(allocate(usd(3), [huge, huge, huge]))).toEqual([1, 1, 1]);
  });

  it.each([
    [[], 'money.invalid_weights'],
    [[1, -1], 'money.invalid_weights'],
    [[1.5], 'money.invalid_weights'],
    [[Number.NaN], 'money.invalid_weights'],
    [[0, 0], 'money.invalid_weights'],
  ])('refuses the weights %j', (weights, code) => {
    expect(codeOf(() => allocate(usd(10), weights))).toBe(code);
  });

  it('parts sum to the total exactly and never differ from the exact share by a unit or more, in every currency (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIVE_CURRENCY_CODES),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 30 }).filter((weights) => weights.some((weight) => weight > 0)),
        (currency, total, weights) => {
          const shares = allocate(money(total, currency), weights);
          expect(shares.every((share) => share.currency === currency)).toBe(true);
          const parts = shares.map((share) => BigInt(share.amountMinor));
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(BigInt(total));
          const weightSum = weights.reduce((a, b) => a + BigInt(b), 0n);
          parts.forEach((part, index) => {
            const exact = BigInt(total) * BigInt(weights[index] ?? 0);
            const scaled = part * weightSum;
            expect(scaled - exact < weightSum && exact - scaled < weightSum).toBe(true);
            if (weights[index] === 0) expect(part).toBe(0n);
          });
        },
      ),
    );
  });

  it('gives every weight the same amount whatever the input order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }).filter((weights) => weights.some((weight) => weight > 0)),
        fc.infiniteStream(fc.nat()),
        (total, weights, noise) => {
          const order = weights.map((_, index) => index);
          // A deterministic shuffle driven by fast-check's stream.
          const iterator = noise[Symbol.iterator]();
          for (let index = order.length - 1; index > 0; index -= 1) {
            const pick = iterator.next().value % (index + 1);
            [order[index], order[pick]] = [order[pick] as number, order[index] as number];
          }
          const direct = allocate(usd(total), weights).map((share, index) => [weights[index], share.amountMinor]);
          const shuffledWeights = order.map((index) => weights[index] as number);
          const shuffled = allocate(usd(total), shuffledWeights).map((share, index) => [shuffledWeights[index], share.amountMinor]);
          const byPair = (a: (number | undefined)[], b: (number | undefined)[]) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0);
          expect([...shuffled].sort(byPair)).toEqual([...direct].sort(byPair));
          expect(allocate(usd(total), weights)).toEqual(allocate(usd(total), weights));
        },
      ),
    );
  });
});

describe('allocateByKey', () => {
  it('breaks exact ties by key', () => {
    const forward = allocateByKey(usd(1), [
      { key: 'b', weight: 1 },
      { key: 'a', weight: 1 },
    ]);
    expect(amounts(forward)).toEqual([0, 1]);
  });

  it('refuses duplicate keys', () => {
    expect(codeOf(() => allocateByKey(usd(1), [{ key: 'a', weight: 1 }, { key: 'a', weight: 2 }]))).toBe('money.invalid_weights');
  });

  it('gives each key the same amount whatever the input order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.uniqueArray(fc.record({ key: fc.string({ maxLength: 4 }), weight: fc.integer({ min: 0, max: 50 }) }), { selector: (entry) => entry.key, minLength: 1, maxLength: 10 }).filter((entries) => entries.some((entry) => entry.weight > 0)),
        (total, entries) => {
          const asMap = (list: typeof entries) => {
            const shares = allocateByKey(usd(total), list);
            return new Map(list.map((entry, index) => [entry.key, shares[index]?.amountMinor]));
          };
          expect(asMap([...entries].reverse())).toEqual(asMap(entries));
          expect(asMap([...entries].sort((a, b) => (a.key < b.key ? -1 : 1)))).toEqual(asMap(entries));
        },
      ),
    );
  });
});
