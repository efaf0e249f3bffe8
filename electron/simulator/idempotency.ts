import { z } from 'zod';
import type { Reply } from './http';

/**
 * Idempotency keys for the action endpoints. The first call with a key is remembered with a
 * fingerprint of what it asked (method, path, canonical body) and, once done, its answer:
 * the same key and the same call replay that answer; the same key with another call is a
 * client bug (422); a key whose first call is still being handled answers 409.
 */

/**
 * Whether the action endpoints honour Idempotency-Key ('honour', the default) or, as most real
 * marketplaces do, ignore it ('ignore'): then only expectedVersion stands between a retried call
 * and a second application, and the client must prove exactly-once by reading back.
 */
export const IdempotencyKeyModeSchema = z.enum(['honour', 'ignore']);
export type IdempotencyKeyMode = z.infer<typeof IdempotencyKeyModeSchema>;

type Slot =
  | { readonly state: 'in_flight'; readonly fingerprint: string }
  | { readonly state: 'done'; readonly fingerprint: string; readonly reply: Reply };

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly reply: Reply }
  | { readonly kind: 'in_flight' }
  | { readonly kind: 'mismatch' };

export class IdempotencyStore {
  private readonly slots = new Map<string, Slot>();

  get size(): number {
    return this.slots.size;
  }

  claim(key: string, fingerprint: string): Claim {
    const slot = this.slots.get(key);
    if (slot === undefined) {
      this.slots.set(key, { state: 'in_flight', fingerprint });
      return { kind: 'claimed' };
    }
    if (slot.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (slot.state === 'in_flight') return { kind: 'in_flight' };
    return { kind: 'replay', reply: slot.reply };
  }

  complete(key: string, fingerprint: string, reply: Reply): void {
    this.slots.set(key, { state: 'done', fingerprint, reply });
  }

  /** Forgets a claim whose call never reached a decision (the client may retry it afresh). */
  release(key: string): void {
    const slot = this.slots.get(key);
    if (slot?.state === 'in_flight') this.slots.delete(key);
  }
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
