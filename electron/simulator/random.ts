/**
 * Seeded randomness for the demo marketplace. Everything the simulator invents (datasets, buyer
 * behaviour, faults) comes from here, so a seed reproduces a run.
 */

import { mulberry32 } from '../../shared/domain/random';

// The generator lives in shared/ so the backend's tests can seed retry jitter with it too.
export { mulberry32 };

/** FNV-1a over a string, mixed with a seed: a stable 32-bit hash. */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Final avalanche so that nearby keys give unrelated values.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/**
 * A float in [0, 1) decided by (seed, key) alone: for choices that must not depend on the order
 * in which events happen to be processed (e.g. "does this buyer submit proof?").
 */
export function unitFor(seed: number, key: string): number {
  return mulberry32(hashString(key, seed))();
}

/** A seeded random source with the helpers the generators need. */
export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('Cannot pick from an empty list.');
    return item;
  }

  /** Picks by integer weights: `[[value, weight], ...]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let point = this.next() * total;
    for (const [value, weight] of choices) {
      if (point < weight) return value;
      point -= weight;
    }
    const last = choices[choices.length - 1];
    if (last === undefined) throw new RangeError('Cannot pick from an empty list of weights.');
    return last[0];
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      const held = copy[index] as T;
      copy[index] = copy[other] as T;
      copy[other] = held;
    }
    return copy;
  }
}
