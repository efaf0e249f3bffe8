import { describe, expect, it } from 'vitest';
import { formatMoney, money } from '../../../../shared/money';

describe('formatMoney', () => {
  it('formats with the currency exponent, whatever Intl thinks the digits are', () => {
    expect(formatMoney(money(8796, 'USD'), 'en-US')).toBe('$87.96');
    expect(formatMoney(money(1500, 'JPY'), 'en-US')).toBe('¥1,500');
    expect(formatMoney(money(1250, 'KWD'), 'en-US')).toBe('KWD\u00a01.250');
    // CLDR gives IQD 0 digits; ISO 4217 gives 3, and money follows ISO.
    expect(formatMoney(money(1250, 'IQD'), 'en-US')).toBe('IQD\u00a01.250');
    expect(formatMoney(money(12345, 'CLF'), 'en-US')).toBe('CLF\u00a01.2345');
    expect(formatMoney(money(-5, 'USD'), 'en-US')).toBe('-$0.05');
  });

  it('formats in the locale asked', () => {
    expect(formatMoney(money(123456, 'EUR'), 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney(money(1000, 'BRL'), 'pt-BR')).toBe('R$\u00a010,00');
  });

  it('stays exact beyond 2^53 / 100 (no float on the way)', () => {
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER, 'USD'), 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('uses the runtime locale when none is given', () => {
    expect(formatMoney(money(100, 'USD'))).toMatch(/1/);
  });
});
