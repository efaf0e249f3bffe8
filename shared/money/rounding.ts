/**
 * How a division that does not come out even is rounded; the names and meanings are those of
 * Intl.NumberFormat's `roundingMode`:
 * - `ceil` / `floor`: toward +∞ / −∞;
 * - `expand` / `trunc`: away from / toward zero;
 * - `halfCeil`, `halfFloor`, `halfExpand`, `halfTrunc`: to the nearest, ties as the name says;
 * - `halfEven`: to the nearest, ties to the even neighbour (banker's rounding).
 */
export const ROUNDING_MODES = [
  'ceil',
  'floor',
  'expand',
  'trunc',
  'halfCeil',
  'halfFloor',
  'halfExpand',
  'halfTrunc',
  'halfEven',
] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** numerator / denominator as an integer, rounded as `mode` says. Denominator must not be 0. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('divideRounded: division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator; // has the sign of the numerator
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n;
  const towardZero = quotient;
  const awayFromZero = negative ? quotient - 1n : quotient + 1n;
  const twiceRemainder = 2n * (negative ? -remainder : remainder);
  const half = twiceRemainder === denominator ? 0 : twiceRemainder < denominator ? -1 : 1;
  switch (mode) {
    case 'ceil':
      return negative ? towardZero : awayFromZero;
    case 'floor':
      return negative ? awayFromZero : towardZero;
    case 'expand':
      return awayFromZero;
    case 'trunc':
      return towardZero;
    case 'halfCeil':
      if (half !== 0) return half > 0 ? awayFromZero : towardZero;
      return negative ? towardZero : awayFromZero;
    case 'halfFloor':
      if (half !== 0) return half > 0 ? awayFromZero : towardZero;
      return negative ? awayFromZero : towardZero;
    case 'halfExpand':
      return half >= 0 ? awayFromZero : towardZero;
    case 'halfTrunc':
      return half > 0 ? awayFromZero : towardZero;
    case 'halfEven':
      if (half !== 0) return half > 0 ? awayFromZero : towardZero;
      return towardZero % 2n === 0n ? towardZero : awayFromZero;
    default:
      return unknownMode(mode);
  }
}

function unknownMode(mode: never): never {
  throw new RangeError(`Unknown rounding mode ${JSON.stringify(mode)}.`);
}

/** True for one of the rounding mode names. */
export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}
