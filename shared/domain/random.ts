/**
 * Randomness as an injected dependency, like the Clock: code that draws (retry jitter) receives a
 * `Random`; the real one is injected at the edges, and tests pass a seeded one so that a run
 * replays from its seed.
 */

/** A source of uniform floats in [0, 1). `() => Math.random()` is one; `mulberry32(seed)` is a replayable one. */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit PRNG; returns a function yielding floats in [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
