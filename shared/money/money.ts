import { z } from 'zod';
import { CURRENCY_EXPONENTS } from './currencies';
import { MoneyError, describeValue } from './errors';

/** An amount of money in integer minor units of an ISO 4217 currency. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** True for an ISO 4217 code money can hold (active, or recently withdrawn). */
export function isCurrencyCode(code: string): boolean {
  return typeof code === 'string' && Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/** Minor-unit exponent of a currency (USD 2, JPY 0, KWD 3); `money.unknown_currency` otherwise. */
export function currencyExponent(code: string): number {
  const exponent = isCurrencyCode(code) ? CURRENCY_EXPONENTS[code] : undefined;
  if (exponent === undefined) {
    throw new MoneyError(
      'money.unknown_currency',
      `${describeValue(code)} is not an ISO 4217 currency code Cancel Desk knows.`,
    );
  }
  return exponent;
}

export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code')
  .refine(isCurrencyCode, 'is not a known ISO 4217 currency');

/** Minor units as they travel in payloads: a safe, non-negative integer. */
export const AmountMinorSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Money in payloads (orders, requests, IPC): never negative. */
export const MoneySchema = z.strictObject({
  amountMinor: AmountMinorSchema,
  currency: CurrencyCodeSchema,
});

/** Checks an amount of minor units: a finite, safe integer (negative allowed only when asked). */
export function checkAmountMinor(
  amountMinor: number | bigint,
  currency: string,
  options: { allowNegative?: boolean } = {},
): number {
  if (typeof amountMinor === 'bigint') {
    if (amountMinor > BigInt(Number.MAX_SAFE_INTEGER) || amountMinor < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw unsafe(currency);
    }
    amountMinor = Number(amountMinor);
  }
  if (typeof amountMinor !== 'number' || Number.isNaN(amountMinor) || !Number.isFinite(amountMinor)) {
    throw new MoneyError(
      'money.not_a_number',
      `An amount in ${currency} must be a number of minor units, not ${describeValue(amountMinor)}.`,
    );
  }
  if (!Number.isInteger(amountMinor)) {
    throw new MoneyError(
      'money.not_integer',
      `An amount in ${currency} must be a whole number of minor units, not ${describeValue(amountMinor)}.`,
    );
  }
  if (!Number.isSafeInteger(amountMinor)) throw unsafe(currency);
  if (amountMinor < 0 && options.allowNegative !== true) {
    throw new MoneyError('money.negative', `An amount in ${currency} cannot be negative here.`);
  }
  // Normalise -0 so that equal amounts are indistinguishable.
  return amountMinor === 0 ? 0 : amountMinor;
}

function unsafe(currency: string): MoneyError {
  return new MoneyError(
    'money.unsafe_integer',
    `The amount in ${currency} is too large to be counted exactly (beyond ${Number.MAX_SAFE_INTEGER} minor units).`,
  );
}

/**
 * Builds a checked Money. Differences may be negative, so negative amounts are allowed here;
 * the places that forbid them (payloads, refunds, parsing) say so.
 */
export function money(amountMinor: number | bigint, currency: string): Money {
  currencyExponent(currency);
  return { amountMinor: checkAmountMinor(amountMinor, currency, { allowNegative: true }), currency };
}

/** Zero in a currency. */
export function zero(currency: string): Money {
  return money(0, currency);
}

/** Checks a value claimed to be Money (maybe from outside); returns a clean copy or throws MoneyError. */
export function assertMoney(value: unknown, options: { allowNegative?: boolean } = {}): Money {
  if (typeof value !== 'object' || value === null) {
    throw new MoneyError('money.not_a_number', 'Expected an amount with a currency.');
  }
  const { amountMinor, currency } = value as { amountMinor?: unknown; currency?: unknown };
  if (typeof currency !== 'string') {
    throw new MoneyError('money.unknown_currency', 'The amount has no currency code.');
  }
  currencyExponent(currency);
  if (typeof amountMinor !== 'number' && typeof amountMinor !== 'bigint') {
    throw new MoneyError(
      'money.not_a_number',
      `An amount in ${currency} must be a number of minor units, not ${typeof amountMinor}.`,
    );
  }
  return {
    amountMinor: checkAmountMinor(amountMinor, currency, {
      allowNegative: options.allowNegative ?? true,
    }),
    currency,
  };
}
