import { toDecimalString } from './decimal';
import { assertMoney, currencyExponent, type Money } from './money';

/** Formats with Intl for a locale (the runtime's when omitted), from the exact decimal string, never a float. */
export function formatMoney(amount: Money, locale?: string): string {
  const checked = assertMoney(amount);
  const exponent = currencyExponent(checked.currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: checked.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl.NumberFormat formats decimal strings exactly (ES2023), beyond 2^53 and without binary error.
  return format.format(toDecimalString(checked) as `${number}`);
}
