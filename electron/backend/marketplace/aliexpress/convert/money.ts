import {
  MoneyError,
  assertMoney,
  currencyExponent,
  fromDecimal,
  isCurrencyCode,
  money,
  multiplyByRatio,
  toDecimalString,
  type Money,
} from '../../../../../shared/money';
import { invalidPayload } from './errors';

/**
 * AliExpress money in, desk Money out (and back out as `refund_amount`), protocol §5.12. Every
 * amount goes through shared/money: no minor-unit arithmetic here.
 *
 * Shapes:
 * - SimpleMoney `{amount: "12.34", currency_code: "USD"}` (order list): `simpleMoney`;
 * - MoneyStr `{amount, currency_code, cent, cent_factor, currency{…}}` (order detail), where
 *   cent/cent_factor win over `amount` (legacy samples carry amount 0 beside cent 333100):
 *   `moneyStr`;
 * - the issue APIs' string amount beside a separate `*_currency` field: `issueAmount`.
 *
 * Too many decimals (a captured refund cap of "87.957975" USD): THE rule is to round toward zero
 * to the currency's exponent, so the desk never shows the buyer's claim or the refund cap as more
 * than the platform holds, and never offers a refund the platform would refuse as over the cap.
 * It is not silent: each reader takes an optional `onRounded` callback that receives one
 * `RoundingNote` per rounded amount. The adapter passes one collector per record and logs it once
 * (`roundingSentence` writes that line). A callback keeps the common call a plain
 * `moneyStr(x, 'order_amount')` returning Money, while no rounding can go unreported by a caller
 * who asks. Cents at a finer scale than the currency (`cent_factor` 1000 for USD) are not
 * rounded but refused unless exact: the brief for this module asks for that, and a cent count
 * that does not fit its own currency is a malformed record rather than a precise one.
 *
 * Refused ('invalid_payload', a sentence naming the field): negative amounts, exponents, empty or
 * non-numeric text, unknown currency codes, and JS numbers that are not exactly the decimal they
 * print as (0.1 + 0.2; the lossless parser upstream turns every non-integer into its text, so a
 * float here means the payload went through a plain JSON.parse).
 */

/** One amount kept rounded toward zero because AliExpress sent more decimals than its currency has. */
export interface RoundingNote {
  /** The field path of the amount ("refund_money_max", "order_amount.amount"). */
  readonly field: string;
  /** The decimal text as AliExpress sent it ("87.957975"). */
  readonly original: string;
  /** What the desk keeps (8795 USD minor units). */
  readonly kept: Money;
}

/** Called once per amount that was rounded; see the module comment. */
export type OnRounded = (note: RoundingNote) => void;

interface ReadAmount {
  readonly money: Money;
  readonly rounded: RoundingNote | null;
}

/** Longest decimal text read: far past any real amount, short enough that no payload can make BigInt work hard. */
const MAX_DECIMAL_CHARS = 64;
const DECIMAL_TEXT = /^[0-9]+(?:\.[0-9]+)?$/;
const WHOLE_TEXT = /^(?:0|[1-9][0-9]{0,19})$/;
const CURRENCY_TEXT = /^[A-Z]{3}$/;

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function asObject(value: unknown, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidPayload(field, value, 'an amount is an object with an amount and a currency code');
  }
  return value as Readonly<Record<string, unknown>>;
}

/**
 * The decimal text of a non-integer number when the double is exactly that decimal (12.5, 0.25),
 * else null (0.1 is really 0.1000000000000000055…, and 0.1 + 0.2 prints as 0.30000000000000004).
 * Doubling a double is exact, so `scaled / 2^halvings` is the double's exact value.
 */
function exactFractionText(value: number): string | null {
  const text = String(value);
  const match = /^([0-9]+)\.([0-9]+)$/.exec(text);
  if (match === null) return null;
  const [, whole = '', fraction = ''] = match;
  let scaled = value;
  let halvings = 0n;
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    halvings += 1n;
  }
  const decimalDigits = BigInt(`${whole}${fraction}`);
  return BigInt(scaled) * 10n ** BigInt(fraction.length) === decimalDigits * 2n ** halvings ? text : null;
}

/** The exact decimal text of an amount given as text or as a number; refuses everything else. */
function decimalText(value: unknown, field: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidPayload(field, value, 'an amount is a finite number');
    if (value < 0) throw invalidPayload(field, value, 'an amount is never negative');
    if (Number.isInteger(value)) {
      if (!Number.isSafeInteger(value)) {
        throw invalidPayload(field, value, 'an amount this large would lose digits as a JavaScript number (the payload was not read losslessly)');
      }
      return String(value);
    }
    const exact = exactFractionText(value);
    if (exact === null) {
      throw invalidPayload(field, value, 'this number is not exactly the decimal it prints as (the payload was not read losslessly)');
    }
    return exact;
  }
  if (typeof value !== 'string') throw invalidPayload(field, value, 'an amount is a decimal number like 12.34');
  if (value === '') throw invalidPayload(field, value, 'an amount cannot be empty');
  if (value.length > MAX_DECIMAL_CHARS) throw invalidPayload(field, value, `an amount has at most ${MAX_DECIMAL_CHARS} characters`);
  if (DECIMAL_TEXT.test(value)) return value;
  if (/^\s*-/.test(value)) throw invalidPayload(field, value, 'an amount is never negative');
  if (/[eE]/.test(value) && /[0-9]/.test(value)) throw invalidPayload(field, value, 'an amount is written without an exponent');
  throw invalidPayload(field, value, 'an amount is a decimal number like 12.34, digits with "." before the decimals');
}

function currencyCode(value: unknown, field: string): string {
  if (typeof value === 'string' && CURRENCY_TEXT.test(value) && isCurrencyCode(value)) return value;
  throw invalidPayload(field, value, 'a currency is a three-letter ISO 4217 code Cancel Desk knows');
}

/** A count that AliExpress sends as a Long (cent, cent_factor): a safe integer number or its digits. */
function wholeCount(value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && WHOLE_TEXT.test(value)) return BigInt(value);
  if ((typeof value === 'number' && value < 0) || (typeof value === 'string' && value.startsWith('-'))) {
    throw invalidPayload(field, value, 'it is never negative');
  }
  throw invalidPayload(field, value, 'it is a whole number (digits only)');
}

/** Re-throws a money rule broken by a value from AliExpress as the sentence for that field. */
function asPayloadError(error: unknown, field: string, value: unknown): unknown {
  if (!(error instanceof MoneyError)) return error;
  const problem =
    error.code === 'money.unsafe_integer'
      ? 'the amount is too large to count exactly in minor units'
      : `Cancel Desk cannot hold it as money (${error.message})`;
  return invalidPayload(field, value, problem);
}

/** A decimal amount in `currency`, rounded toward zero past the currency's decimals (see the module comment). */
function decimalAmount(value: unknown, currency: string, field: string): ReadAmount {
  const text = decimalText(value, field);
  try {
    const kept = fromDecimal(text, currency, 'trunc');
    // Rounding toward zero and away from it agree exactly when nothing was cut off.
    const roundedUp = fromDecimal(text, currency, 'ceil');
    const rounded = kept.amountMinor === roundedUp.amountMinor ? null : { field, original: text, kept };
    return { money: kept, rounded };
  } catch (error) {
    throw asPayloadError(error, field, value);
  }
}

/** minor units = cent × 10^exponent / cent_factor, exactly, or an error naming the field. */
function centAmount(cent: unknown, centFactor: unknown, currency: string, field: string): Money {
  const cents = wholeCount(cent, `${field}.cent`);
  const factor = wholeCount(centFactor, `${field}.cent_factor`);
  if (factor === 0n) throw invalidPayload(`${field}.cent_factor`, centFactor, 'a cent factor is a positive whole number (100 for USD)');
  const perMajor = 10n ** BigInt(currencyExponent(currency));
  try {
    const inFactorUnits = money(cents, currency);
    const kept = multiplyByRatio(inFactorUnits, perMajor, factor, 'trunc');
    if (kept.amountMinor !== multiplyByRatio(inFactorUnits, perMajor, factor, 'ceil').amountMinor) {
      throw invalidPayload(
        `${field}.cent`,
        cent,
        `with cent_factor ${String(factor)} that is not a whole number of ${currency} minor units (${currency} has ${String(currencyExponent(currency))} decimals)`,
      );
    }
    return kept;
  } catch (error) {
    throw asPayloadError(error, `${field}.cent`, cent);
  }
}

function report(read: ReadAmount, onRounded: OnRounded | undefined): Money {
  if (read.rounded !== null && onRounded !== undefined) onRounded(read.rounded);
  return read.money;
}

/** SimpleMoney `{amount: "12.34", currency_code: "USD"}` (amount in major units) as Money. */
export function simpleMoney(value: unknown, field: string, onRounded?: OnRounded): Money {
  const record = asObject(value, field);
  const currency = currencyCode(record.currency_code, `${field}.currency_code`);
  return report(decimalAmount(record.amount, currency, `${field}.amount`), onRounded);
}

/** The currency of a MoneyStr: `currency_code`, or `currency.currency_code`; both must agree when both are there. */
function moneyStrCurrency(record: Readonly<Record<string, unknown>>, field: string): string {
  const nested = record.currency;
  const nestedCode =
    typeof nested === 'object' && nested !== null && !Array.isArray(nested) ? (nested as Readonly<Record<string, unknown>>).currency_code : undefined;
  if (!isPresent(record.currency_code) && isPresent(nestedCode)) return currencyCode(nestedCode, `${field}.currency.currency_code`);
  const code = currencyCode(record.currency_code, `${field}.currency_code`);
  if (isPresent(nestedCode) && nestedCode !== code) {
    throw invalidPayload(`${field}.currency.currency_code`, nestedCode, `it contradicts ${field}.currency_code ${code}`);
  }
  return code;
}

/**
 * MoneyStr `{amount, currency_code, cent, cent_factor, currency{…}}` as Money. With both `cent`
 * and `cent_factor` present they decide the amount (protocol §5.12) and `amount` is not read at
 * all; otherwise `amount` (major units) does, under the rounding rule of the module comment.
 */
export function moneyStr(value: unknown, field: string, onRounded?: OnRounded): Money {
  const record = asObject(value, field);
  const currency = moneyStrCurrency(record, field);
  if (isPresent(record.cent) && isPresent(record.cent_factor)) {
    return centAmount(record.cent, record.cent_factor, currency, field);
  }
  return report(decimalAmount(record.amount, currency, `${field}.amount`), onRounded);
}

/**
 * An issue API amount: a major-unit string in `field` with its code in the sibling
 * `${field}_currency` (`refund_money_max` + `refund_money_max_currency`), named so in errors.
 */
export function issueAmount(amount: unknown, currency: unknown, field: string, onRounded?: OnRounded): Money {
  const code = currencyCode(currency, `${field}_currency`);
  return report(decimalAmount(amount, code, field), onRounded);
}

/**
 * An amount as AliExpress takes it back (`solution.save` `refund_amount`, major units): "12.34",
 * "1500" for JPY, "1.750" for KWD. Throws a MoneyError for a negative or malformed Money.
 */
export function toMajorString(amount: Money): string {
  return toDecimalString(assertMoney(amount, { allowNegative: false }));
}

/** The one log line for a record's rounded amounts, or null when none was rounded. */
export function roundingSentence(notes: readonly RoundingNote[]): string | null {
  if (notes.length === 0) return null;
  const list = notes.map((note) => `${note.field} "${note.original}" as ${toDecimalString(note.kept)} ${note.kept.currency}`).join(', ');
  const count = notes.length === 1 ? 'an amount' : `${String(notes.length)} amounts`;
  return `AliExpress sent ${count} with more decimals than the currency has; kept rounded toward zero: ${list}.`;
}
