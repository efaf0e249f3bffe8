import { z } from 'zod';

/**
 * Primary keys the durable cache can write down: strings, finite numbers, and arrays of them
 * (compound keys). IndexedDB also allows dates and binary keys; JSON cannot carry them faithfully,
 * so a write using one is refused before it happens rather than journaled wrongly.
 */
export type CacheKey = string | number | readonly CacheKey[];

export function isCacheKey(value: unknown): value is CacheKey {
  if (typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isCacheKey);
  return false;
}

export const CacheKeySchema: z.ZodType<CacheKey> = z.custom<CacheKey>(isCacheKey, {
  message: 'expected a key (a string, a finite number, or an array of them)',
});

export function describeKey(value: unknown): string {
  if (value instanceof Date) return 'a date';
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array holding a date, binary data or a non-finite number' : 'binary data or an object';
  return `a ${typeof value}`;
}

/** A set of primary keys compared as IndexedDB compares them (by value, compound keys included). */
export class KeySet {
  private readonly simple = new Set<string | number>();
  private readonly compound = new Set<string>();

  add(key: CacheKey): void {
    if (typeof key === 'string' || typeof key === 'number') this.simple.add(key);
    else this.compound.add(JSON.stringify(key));
  }

  has(key: unknown): boolean {
    if (typeof key === 'string' || typeof key === 'number') return this.simple.has(key);
    return Array.isArray(key) && this.compound.has(JSON.stringify(key));
  }

  get size(): number {
    return this.simple.size + this.compound.size;
  }
}

/**
 * Puts `key` into a copy of `value` at `keyPath` when the value does not carry it: a record added
 * to an auto-increment table is journaled as given, and its generated key separately.
 */
export function withKeyAt(value: unknown, keyPath: string, key: CacheKey): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = keyPath.split('.');
  if (head === undefined) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  copy[head] = rest.length === 0 ? key : withKeyAt(copy[head] ?? {}, rest.join('.'), key);
  return copy;
}
