import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_MODES, divideRounded, isRoundingMode, type RoundingMode } from '../../../../shared/money';

// Expected results for n / 2 with n in -3..3 (i.e. -1.5, -1, -0.5, 0, 0.5, 1, 1.5), per mode.
const HALVES: Record<RoundingMode, number[]> = {
  ceil: [-1, -1, 0, 0, 1, 1, 2],
  floor: [-2, -1, -1, 0, 0, 1, 1],
  expand: [-2, -1, -1, 0, 1, 1, 2],
  trunc: [-1, -1, 0, 0, 0, 1, 1],
  halfCeil: [-1, -1, 0, 0, 1, 1, 2],
  halfFloor: [-2, -1, -1, 0, 0, 1, 1],
  halfExpand: [-2, -1, -1, 0, 1, 1, 2],
  halfTrunc: [-1, -1, 0, 0, 0, 1, 1],
  halfEven: [-2, -1, 0, 0, 0, 1, 2],
};

describe('divideRounded', () => {
  it.each(ROUNDING_MODES)('rounds halves as %s says', (mode) => {
    const got = [-3, -2, -1, 0, 1, 2, 3].map((n) => Number(divideRounded(BigInt(n), 2n, mode)));
    expect(got).toEqual(HALVES[mode]);
  });

  it('rounds non-ties to the nearest for the half modes and agrees with Intl on thirds', () => {
    for (const mode of ROUNDING_MODES.filter((m) => m.startsWith('half'))) {
      expect(divideRounded(7n, 3n, mode)).toBe(2n); // 2.33
      expect(divideRounded(8n, 3n, mode)).toBe(3n); // 2.67
      expect(divideRounded(-7n, 3n, mode)).toBe(-2n);
      expect(divideRounded(-8n, 3n, mode)).toBe(-3n);
    }
    expect(divideRounded(7n, 3n, 'ceil')).toBe(3n);
    expect(divideRounded(-7n, 3n, 'ceil')).toBe(-2n);
    expect(divideRounded(7n, 3n, 'floor')).toBe(2n);
    expect(divideRounded(-7n, 3n, 'floor')).toBe(-3n);
    expect(divideRounded(5n, -2n, 'halfEven')).toBe(-2n);
  });

  it('refuses a zero denominator', () => {
    expect(() => divideRounded(1n, 0n, 'trunc')).toThrow(RangeError);
  });

  it('refuses an unknown mode', () => {
    expect(() => divideRounded(1n, 2n, 'nearest' as RoundingMode)).toThrow(RangeError);
    expect(isRoundingMode('nearest')).toBe(false);
    expect(isRoundingMode('halfEven')).toBe(true);
  });

  it('is always within one of the exact quotient, floor <= result <= ceil', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.constantFrom(...ROUNDING_MODES), (n, d, mode) => {
        const result = divideRounded(n, d, mode);
        const floor = divideRounded(n, d, 'floor');
        expect(result === floor || result === floor + 1n).toBe(true);
        expect(floor * d <= n && n < (floor + 1n) * d).toBe(true);
      }),
    );
  });
});
