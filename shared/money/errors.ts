import { DeskError } from '../errors';

/** Stable codes of every way money can be wrong. */
export const MONEY_ERROR_CODES = [
  'money.unknown_currency',
  'money.currency_mismatch',
  'money.not_a_number',
  'money.not_integer',
  'money.unsafe_integer',
  'money.negative',
  'money.invalid_ratio',
  'money.invalid_rounding',
  'money.invalid_weights',
  'money.invalid_amount',
  'money.too_precise',
  'money.invalid_locale',
] as const;
export type MoneyErrorCode = (typeof MONEY_ERROR_CODES)[number];

/** A money rule was broken: caught by class, branched on by `code`, shown by `message`. */
export class MoneyError extends DeskError {
  declare readonly code: MoneyErrorCode;
  constructor(code: MoneyErrorCode, message: string) {
    super(code, message);
  }
}

/**
 * A value for an error message, whatever it is: primitives as text, anything else by its kind.
 * Never throws (String() throws on `{ toString: 0 }` or a symbol in a template).
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'object':
    default:
      return value === null ? 'null' : Array.isArray(value) ? 'a list' : 'an object';
  }
}
