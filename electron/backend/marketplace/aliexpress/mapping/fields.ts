import { DeskError } from '../../../../../shared/errors';

/**
 * Reading AliExpress records field by field. Every reader throws a DeskError ('invalid_payload')
 * whose sentence names the field, so the record is set aside with that reason and the rest of the
 * page still syncs (design.md: bad input is quarantined, never half-applied).
 */

export type AeRecord = Readonly<Record<string, unknown>>;

export function invalid(field: string, problem: string): DeskError {
  return new DeskError('invalid_payload', `AliExpress sent ${field} ${problem}.`);
}

/** A short, printable excerpt of a bad value for a sentence. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function asRecord(value: unknown, field: string): AeRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, `as ${shown(value)}, not an object`);
  return value as AeRecord;
}

export function optionalRecord(value: unknown, field: string): AeRecord | null {
  return value === undefined || value === null ? null : asRecord(value, field);
}

export function text(value: unknown, field: string, max = 5000): string {
  if (typeof value !== 'string') throw invalid(field, `as ${shown(value)}, not a text`);
  if (value.length > max) throw invalid(field, `longer than ${max} characters`);
  return value;
}

export function optionalText(value: unknown, field: string, max = 5000): string | null {
  return value === undefined || value === null || value === '' ? null : text(value, field, max);
}

/** A count or an enum-like integer: a safe integer number, or its digits as a string. */
export function integer(value: unknown, field: string): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) throw invalid(field, `as ${shown(value)}, not a whole number`);
  return parsed;
}

/** One of the values AliExpress documents for this field; an unknown one is a clear error, never a guess. */
export function oneOf<T extends string>(value: unknown, field: string, known: readonly T[]): T {
  if (typeof value === 'string' && (known as readonly string[]).includes(value)) return value as T;
  throw invalid(field, `as ${shown(value)}, a status Cancel Desk does not know (known: ${known.join(', ')})`);
}
