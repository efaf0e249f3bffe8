import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, money, parseMoney, type ParseMoneyResult } from '../../../../shared/money';

function amountOf(result: ParseMoneyResult): number | string {
  return result.ok ? result.value.amountMinor : result.error.code;
}

describe('parseMoney', () => {
  it.each([
    ['12.5', 'USD', 'en-US', 1250],
    ['12.50', 'USD', 'en-US', 1250],
    ['12', 'USD', 'en-US', 1200],
    ['.5', 'USD', 'en-US', 50],
    ['5.', 'USD', 'en-US', 500],
    ['1,234.56', 'USD', 'en-US', 123456],
    ['$1,234.56', 'USD', 'en-US', 123456],
    ['USD 10', 'USD', 'en-US', 1000],
    ['usd 10', 'USD', 'en-US', 1000],
    ['12,50', 'EUR', 'de-DE', 1250],
    ['1.234,56 €', 'EUR', 'de-DE', 123456],
    ['1234,56', 'EUR', 'es-ES', 123456],
    ['1 234,50 €', 'EUR', 'fr-FR', 123450],
    ['1\u202f234,50', 'EUR', 'fr-FR', 123450],
    ['1\u00a0234,50', 'EUR', 'fr-FR', 123450],
    ["1'234.50", 'CHF', 'de-CH', 123450],
    ['1\u2019234.50', 'CHF', 'de-CH', 123450],
    ['12,34,567.50', 'INR', 'en-IN', 123456750],
    ['R$ 10,00', 'BRL', 'pt-BR', 1000],
    ['US$ 10,00', 'USD', 'pt-BR', 1000],
    ['١٢٫٥٠', 'USD', 'ar-EG', 1250],
    ['١٬٢٣٤٫٥', 'KWD', 'ar-KW', 1234500],
    ['۱۲٫۵', 'USD', 'fa-IR', 1250],
    ['１２．５', 'USD', 'en-US', 1250],
    ['1500', 'JPY', 'ja-JP', 1500],
    ['¥1,500', 'JPY', 'ja-JP', 1500],
    ['1500.00', 'JPY', 'ja-JP', 1500],
    ['1.250', 'KWD', 'en-US', 1250],
    ['0.005', 'KWD', 'en-US', 5],
    ['1.2345', 'CLF', 'es-CL', 'money.invalid_amount'],
    ['1,2345', 'CLF', 'es-CL', 12345],
    ['87.96', 'USD', 'en-US', 8796],
    ['0', 'USD', 'en-US', 0],
  ])('%j in %s (%s) is %s', (input, currency, locale, expected) => {
    expect(amountOf(parseMoney(input, currency, locale))).toBe(expected);
  });

  it.each([
    ['12,50', 'USD', 'en-US', 'money.invalid_amount'],
    ['12.5', 'EUR', 'de-DE', 'money.invalid_amount'],
    ['1,,234', 'USD', 'en-US', 'money.invalid_amount'],
    ['1,2345', 'USD', 'en-US', 'money.invalid_amount'],
    ['1.2.3', 'USD', 'en-US', 'money.invalid_amount'],
    ['12.5.', 'USD', 'en-US', 'money.invalid_amount'],
    ['1.2a', 'USD', 'en-US', 'money.invalid_amount'],
    ['abc', 'USD', 'en-US', 'money.invalid_amount'],
    ['', 'USD', 'en-US', 'money.invalid_amount'],
    ['   ', 'USD', 'en-US', 'money.invalid_amount'],
    ['$', 'USD', 'en-US', 'money.invalid_amount'],
    ['.', 'USD', 'en-US', 'money.invalid_amount'],
    ['1500.5', 'JPY', 'ja-JP', 'money.too_precise'],
    ['1.2345', 'KWD', 'en-US', 'money.too_precise'],
    ['1.234', 'USD', 'en-US', 'money.too_precise'],
    ['-5', 'USD', 'en-US', 'money.negative'],
    ['−5', 'USD', 'en-US', 'money.negative'],
    ['$-5', 'USD', 'en-US', 'money.negative'],
    ['99999999999999999', 'USD', 'en-US', 'money.unsafe_integer'],
    ['10', 'ZZZ', 'en-US', 'money.unknown_currency'],
    ['10', 'USD', 'not a locale!', 'money.invalid_locale'],
  ])('refuses %j in %s (%s) with %s', (input, currency, locale, code) => {
    expect(amountOf(parseMoney(input, currency, locale))).toBe(code);
  });

  it('explains a wrong separator with the locale convention', () => {
    const result = parseMoney('12,50', 'USD', 'en-US');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe('"12,50" is not an amount in en-US: write it like 1,234.50, with "." before the decimals.');
    const precise = parseMoney('1500.5', 'JPY', 'ja-JP');
    if (!precise.ok) expect(precise.error.message).toBe('JPY has no decimals: enter a whole amount.');
    const kwd = parseMoney('1.2345', 'KWD', 'en-US');
    if (!kwd.ok) expect(kwd.error.message).toBe('KWD has 3 decimals: "1.2345" has more.');
  });

  it('reads negatives when allowed', () => {
    expect(amountOf(parseMoney('-5', 'USD', 'en-US', { allowNegative: true }))).toBe(-500);
    expect(amountOf(parseMoney('-$5', 'USD', 'en-US', { allowNegative: true }))).toBe(-500);
    expect(amountOf(parseMoney('+5', 'USD', 'en-US'))).toBe(500);
  });

  it('uses the runtime locale when none is given', () => {
    expect(parseMoney('5', 'USD').ok).toBe(true);
  });

  it('reads back what formatMoney writes, in many locales and currencies (property)', () => {
    const locales = ['en-US', 'de-DE', 'fr-FR', 'de-CH', 'en-IN', 'ja-JP', 'pt-BR', 'ar-EG', 'es-ES', 'fa-IR', 'ar-KW', 'nl-NL', 'sv-SE', 'pl-PL'];
    const currencies = ['USD', 'EUR', 'GBP', 'BRL', 'JPY', 'KWD', 'CLF', 'CHF', 'INR', 'SEK', 'ISK', 'BHD'];
    fc.assert(
      fc.property(fc.constantFrom(...locales), fc.constantFrom(...currencies), fc.integer({ min: 0, max: 2 ** 45 }), (locale, currency, amountMinor) => {
        const original = money(amountMinor, currency);
        const result = parseMoney(formatMoney(original, locale), currency, locale);
        expect(result).toEqual({ ok: true, value: original });
      }),
      { numRuns: 300 },
    );
  });
});
