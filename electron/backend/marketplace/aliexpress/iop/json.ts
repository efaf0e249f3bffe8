import { isInteger, parse } from 'lossless-json';
import { DeskError } from '../../../../../shared/errors';

/**
 * AliExpress ids are 16- to 19-digit Longs sent as bare JSON numbers (protocol §5.12), and some
 * amounts are bare decimals (`logistics_fee_amount: 1.01`): JSON.parse would round both through a
 * double. Here a number literal stays a JS number only when that is exact and unambiguous:
 *
 * - an integer literal within ±(2^53 − 1) → a number (`1`, `1160045860056286`);
 * - a larger integer, and every literal with a fraction or an exponent → its exact text as a
 *   string (`"8123456789012345678"`, `"87.957975"`, `"1e3"`), for the converters to read with the
 *   money and id modules, never through a float.
 *
 * Duplicate keys with different values are refused (lossless-json's default): two different
 * order ids in one object is a payload no reading of can be trusted.
 */
export function parseIopJson(text: string): unknown {
  if (text.trim() === '') throw new DeskError('invalid_payload', 'AliExpress answered with an empty body where JSON was expected.');
  try {
    return parse(text, null, losslessNumber);
  } catch (error) {
    // The parser's own message quotes payload characters; only the position is kept.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new DeskError('invalid_payload', `AliExpress answered with something that is not valid JSON${position === undefined ? '' : ` (at character ${position})`}.`);
  }
}

function losslessNumber(literal: string): number | string {
  if (!isInteger(literal)) return literal;
  const value = Number(literal);
  if (!Number.isSafeInteger(value)) return literal;
  // "-0" is an integer literal too; the desk has no use for a negative zero.
  return value === 0 ? 0 : value;
}
