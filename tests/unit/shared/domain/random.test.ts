import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../shared/domain/random';

describe('mulberry32', () => {
  it('yields the sequences it yielded in the simulator before it moved to shared/ (datasets and faults stay reproducible)', () => {
    const fromOne = mulberry32(1);
    expect(Array.from({ length: 5 }, () => fromOne())).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741, 0.9683778982143849]);
    const fromTestSeed = mulberry32(20261126);
    expect(Array.from({ length: 5 }, () => fromTestSeed())).toEqual([0.8969419626519084, 0.6857463242486119, 0.16515310131944716, 0.7939353846013546, 0.7707991560455412]);
  });

  it('replays the same draws from the same seed, and the seed is read as an unsigned 32-bit integer', () => {
    const first = mulberry32(42);
    const again = mulberry32(42);
    const draws = Array.from({ length: 100 }, () => first());
    expect(Array.from({ length: 100 }, () => again())).toEqual(draws);
    const negative = mulberry32(-1);
    const unsigned = mulberry32(2 ** 32 - 1);
    expect(Array.from({ length: 10 }, () => negative())).toEqual(Array.from({ length: 10 }, () => unsigned()));
  });

  it('draws floats in [0, 1) for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const random = mulberry32(seed);
        for (let draw = 0; draw < 200; draw += 1) {
          const value = random();
          if (!(value >= 0 && value < 1)) return false;
        }
        return true;
      }),
    );
  });
});
