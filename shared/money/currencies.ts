/**
 * ISO 4217 minor-unit exponents. PROVISIONAL: only the demo marketplace's currencies; the
 * complete table replaces this (issue 3).
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  BRL: 2,
  JPY: 0,
  KWD: 3,
};
