import { MoneyError, describeValue, type MoneyErrorCode } from './errors';
import { currencyExponent, isCurrencyCode, money, type Money } from './money';

/** What `parseMoney` answers: the amount, or a MoneyError whose message can be shown as is. */
export type ParseMoneyResult = { ok: true; value: Money } | { ok: false; error: MoneyError };

export interface ParseMoneyOptions {
  /** Accept a leading minus sign (refund amounts never do). */
  readonly allowNegative?: boolean;
}

interface LocaleNumberSymbols {
  readonly locale: string;
  readonly decimal: string;
  readonly group: string;
  /** The locale's own digits, 0 to 9, when they are not ASCII. */
  readonly digits: readonly string[];
}

const SPACES = /[\s\u00a0\u202f\u2007\u2009]/gu;
const BIDI_MARKS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/gu;
const MINUS_SIGNS = ['-', '\u2212', '\u2012', '\u2013', '\ufe63', '\uff0d'];

const symbolsCache = new Map<string, LocaleNumberSymbols>();

function localeSymbols(locale: string | undefined): LocaleNumberSymbols {
  const cacheKey = locale ?? '';
  const cached = symbolsCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const format = new Intl.NumberFormat(locale);
  const parts = format.formatToParts(1234567.5);
  const group = parts.find((part) => part.type === 'group')?.value ?? ',';
  const decimal = parts.find((part) => part.type === 'decimal')?.value ?? '.';
  const localDigits = new Intl.NumberFormat(locale, { useGrouping: false }).format(1234567890);
  const zeroToNine = [...localDigits.slice(-1), ...localDigits.slice(0, -1)];
  const symbols: LocaleNumberSymbols = {
    locale: format.resolvedOptions().locale,
    decimal,
    group,
    digits: zeroToNine.join('') === '0123456789' ? [] : zeroToNine,
  };
  symbolsCache.set(cacheKey, symbols);
  return symbols;
}

function currencyMarkers(currency: string, locale: string | undefined): string[] {
  const markers = new Set<string>([currency]);
  for (const currencyDisplay of ['symbol', 'narrowSymbol'] as const) {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay }).formatToParts(1);
    const symbol = parts.find((part) => part.type === 'currency')?.value;
    // Normalised like the input, so the full-width ￥ of ja-JP matches a typed ¥.
    const normalised = symbol?.normalize('NFKC').replace(BIDI_MARKS, '').trim();
    if (normalised !== undefined && normalised !== '') markers.add(normalised);
  }
  // Longest first, so "US$" is removed before "$".
  return [...markers].sort((a, b) => b.length - a.length);
}

function isSpaceLike(separator: string): boolean {
  return separator.replace(SPACES, '') === '';
}

function failure(code: MoneyErrorCode, message: string): ParseMoneyResult {
  return { ok: false, error: new MoneyError(code, message) };
}

/**
 * Reads an amount a person typed ("12.5", "12,50", "1.234,56 €", "$1,234.56", "١٢٫٥٠") in the
 * conventions of `locale` (the runtime's when omitted): its decimal and group separators, its
 * digits, the currency's symbol or code. Group separators must sit where groups go (so "12,50"
 * in en-US is refused, not read as 1250); more decimals than the currency has are refused unless
 * they are zeros. Never goes through a float.
 */
export function parseMoney(
  input: string,
  currency: string,
  locale?: string,
  options: ParseMoneyOptions = {},
): ParseMoneyResult {
  if (!isCurrencyCode(currency)) return failure('money.unknown_currency', `${describeValue(currency)} is not an ISO 4217 currency code Cancel Desk knows.`);
  const exponent = currencyExponent(currency);
  let symbols: LocaleNumberSymbols;
  let markers: string[];
  try {
    symbols = localeSymbols(locale);
    markers = currencyMarkers(currency, locale);
  } catch {
    return failure('money.invalid_locale', `${describeValue(locale)} is not a locale Cancel Desk can read amounts in.`);
  }
  const typed = typeof input === 'string' ? input : '';
  let text = typed.normalize('NFKC').replace(BIDI_MARKS, '').trim();
  if (text === '') return failure('money.invalid_amount', 'Enter an amount.');

  // Local digits (Arabic-Indic, Persian, Devanagari...) become ASCII.
  symbols.digits.forEach((digit, value) => {
    text = text.split(digit).join(String(value));
  });

  let negative = false;
  const stripSign = (): void => {
    for (const minus of MINUS_SIGNS) {
      if (text.startsWith(minus)) {
        negative = true;
        text = text.slice(minus.length).trim();
        return;
      }
    }
    if (text.startsWith('+')) text = text.slice(1).trim();
  };
  stripSign();
  for (const marker of markers) {
    if (text.toUpperCase().startsWith(marker.toUpperCase())) {
      text = text.slice(marker.length).trim();
      break;
    }
    if (text.toUpperCase().endsWith(marker.toUpperCase())) {
      text = text.slice(0, text.length - marker.length).trim();
      break;
    }
  }
  if (!negative) stripSign();
  if (negative && options.allowNegative !== true) {
    return failure('money.negative', 'Enter an amount of zero or more, without a minus sign.');
  }

  const decimal = symbols.decimal;
  const groupIsSpace = isSpaceLike(symbols.group);
  const groupSeparators = groupIsSpace ? [' '] : symbols.group === "'" || symbols.group === '\u2019' ? ["'", '\u2019'] : [symbols.group];
  if (groupIsSpace) text = text.replace(SPACES, ' ');

  const decimalAt = text.indexOf(decimal);
  if (decimalAt !== -1 && text.indexOf(decimal, decimalAt + decimal.length) !== -1) {
    return malformed(typed, symbols);
  }
  const integerText = decimalAt === -1 ? text : text.slice(0, decimalAt);
  const fractionText = decimalAt === -1 ? '' : text.slice(decimalAt + decimal.length);
  if (!/^\d*$/u.test(fractionText) || (integerText === '' && fractionText === '')) {
    return malformed(typed, symbols);
  }
  let groups = [integerText];
  for (const separator of groupSeparators) groups = groups.flatMap((group) => group.split(separator));
  if (groups.some((group) => !/^\d*$/u.test(group))) return malformed(typed, symbols);
  if (groups.length > 1) {
    // First group 1-3 digits, middle groups 2-3 (Indian lakh grouping), last group exactly 3.
    const [first, ...rest] = groups;
    const last = rest[rest.length - 1];
    const middle = rest.slice(0, -1);
    if (first === undefined || !/^\d{1,3}$/u.test(first) || last === undefined || !/^\d{3}$/u.test(last) || middle.some((group) => !/^\d{2,3}$/u.test(group))) {
      return malformed(typed, symbols);
    }
  }
  const wholeDigits = groups.join('') || '0';
  const significantFraction = fractionText.replace(/0+$/u, '');
  if (significantFraction.length > exponent) {
    return failure(
      'money.too_precise',
      exponent === 0
        ? `${currency} has no decimals: enter a whole amount.`
        : `${currency} has ${exponent} decimal${exponent === 1 ? '' : 's'}: "${typed.trim()}" has more.`,
    );
  }
  const minor = BigInt(wholeDigits) * 10n ** BigInt(exponent) + BigInt(significantFraction.padEnd(exponent, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    return failure('money.unsafe_integer', `"${typed.trim()}" is too large an amount.`);
  }
  return { ok: true, value: money(negative ? -minor : minor, currency) };
}

function malformed(typed: string, symbols: LocaleNumberSymbols): ParseMoneyResult {
  const example = `1${symbols.group}234${symbols.decimal}50`;
  return failure(
    'money.invalid_amount',
    `"${typed.trim()}" is not an amount in ${symbols.locale}: write it like ${example}, with "${symbols.decimal}" before the decimals.`,
  );
}
