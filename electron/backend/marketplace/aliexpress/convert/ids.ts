import { invalidPayload } from './errors';

/**
 * AliExpress ids (order, child order, issue, solution, product, buyer...) as the desk keeps them:
 * canonical digit strings. They are 16-digit Longs on the wire (protocol §5.12), past the 2^53
 * a JS number holds exactly, so the lossless JSON parser upstream hands the large ones over as
 * their exact digit text and the small ones as numbers; both end up as the same string here.
 */

/** Digits only, no sign, no leading zero (except the id "0"), at most 20 digits. */
const ID_TEXT = /^(?:0|[1-9][0-9]{0,19})$/;

/**
 * The id in `value` as its canonical digit string ("1160045860056286"). Accepts a safe,
 * non-negative integer number or a string of 1–20 ASCII digits; throws an 'invalid_payload'
 * DeskError naming `field` otherwise. A number past 2^53 is refused: it can only come from a
 * plain JSON.parse, which has already rounded it to a neighbouring id.
 */
export function aeId(value: unknown, field: string): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw invalidPayload(field, value, 'an id is a whole number');
    if (!Number.isSafeInteger(value)) {
      throw invalidPayload(field, value, 'an id this large would lose digits as a JavaScript number (the payload was not read losslessly)');
    }
    if (value < 0 || Object.is(value, -0)) throw invalidPayload(field, value, 'an id is never negative');
    return String(value);
  }
  if (typeof value === 'string') {
    if (ID_TEXT.test(value)) return value;
    throw invalidPayload(field, value, 'an id is 1 to 20 digits, with no sign, leading zero, decimal point or exponent');
  }
  throw invalidPayload(field, value, 'an id is a whole number');
}

/** Like `aeId`, but an absent id (undefined or null) is null. An empty text is still refused: it is not an id. */
export function aeIdOrNull(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : aeId(value, field);
}
