import { z } from 'zod';
import { CURRENCY_EXPONENTS } from './currencies';

/** An amount of money in integer minor units of an ISO 4217 currency. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export function isCurrencyCode(code: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/** Minor-unit exponent of a currency (USD 2, JPY 0, KWD 3). */
export function currencyExponent(code: string): number {
  const exponent = CURRENCY_EXPONENTS[code];
  if (exponent === undefined) throw new RangeError(`Unknown currency code "${code}"`);
  return exponent;
}

export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code')
  .refine(isCurrencyCode, 'is not a known ISO 4217 currency');

export const MoneySchema = z.object({
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: CurrencyCodeSchema,
});

/** The amount as a plain decimal string ("12.30", "-0.05", "1500"), exact, no float maths. */
export function toDecimalString(money: Money): string {
  const exponent = currencyExponent(money.currency);
  const negative = money.amountMinor < 0;
  const digits = String(Math.abs(money.amountMinor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** Formats with Intl for a locale, from the exact decimal string (never through a float). */
export function formatMoney(money: Money, locale?: string): string {
  const exponent = currencyExponent(money.currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: money.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl accepts decimal strings exactly (Intl.NumberFormat v3); the type lags behind.
  return format.format(toDecimalString(money) as unknown as number);
}
