import { toDecimalString } from './decimal';
import { assertMoney, currencyExponent, type Money } from './money';

/**
 * Intl.NumberFormat instances are costly to build (a bulk plan formats thousands of amounts):
 * one per locale and currency, built on first use.
 */
const FORMATS = new Map<string, Intl.NumberFormat>();
const MAX_CACHED_FORMATS = 256;

function currencyFormat(locale: string | undefined, currency: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let format = FORMATS.get(key);
  if (format === undefined) {
    const exponent = currencyExponent(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    if (FORMATS.size >= MAX_CACHED_FORMATS) FORMATS.clear();
    FORMATS.set(key, format);
  }
  return format;
}

/** Formats with Intl for a locale (the runtime's when omitted), from the exact decimal string, never a float. */
export function formatMoney(amount: Money, locale?: string): string {
  const checked = assertMoney(amount);
  // Intl.NumberFormat formats decimal strings exactly (ES2023), beyond 2^53 and without binary error.
  return currencyFormat(locale, checked.currency).format(toDecimalString(checked) as `${number}`);
}
