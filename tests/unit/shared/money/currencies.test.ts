import { describe, expect, it } from 'vitest';
import {
  ACTIVE_CURRENCY_CODES,
  ACTIVE_CURRENCY_EXPONENTS,
  CURRENCY_EXPONENTS,
  WITHDRAWN_CURRENCY_EXPONENTS,
  currencyExponent,
  isActiveCurrency,
  isCurrencyCode,
} from '../../../../shared/money';

describe('ISO 4217 table', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['ISK', 0],
    ['VND', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['IQD', 3],
    ['OMR', 3],
    ['LYD', 3],
    ['JOD', 3],
    ['CLF', 4],
    ['UYW', 4],
    ['XCG', 2],
    ['ZWG', 2],
    ['SLE', 2],
    ['VED', 2],
    ['XAF', 0],
    ['XOF', 0],
    ['XPF', 0],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(isActiveCurrency(code)).toBe(true);
  });

  it('holds the whole of list one with a minor unit, and only three-letter codes', () => {
    expect(ACTIVE_CURRENCY_CODES.length).toBe(Object.keys(ACTIVE_CURRENCY_EXPONENTS).length);
    expect(ACTIVE_CURRENCY_CODES.length).toBeGreaterThanOrEqual(165);
    for (const code of ACTIVE_CURRENCY_CODES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(ACTIVE_CURRENCY_EXPONENTS[code]);
    }
    expect([...ACTIVE_CURRENCY_CODES]).toEqual([...ACTIVE_CURRENCY_CODES].sort());
  });

  it('leaves out the codes with no minor unit (metals, SDR, testing)', () => {
    for (const code of ['XAU', 'XAG', 'XPT', 'XPD', 'XDR', 'XSU', 'XUA', 'XBA', 'XTS', 'XXX']) {
      expect(isCurrencyCode(code)).toBe(false);
    }
  });

  it('accepts recently withdrawn codes for old orders, but not as active', () => {
    for (const code of Object.keys(WITHDRAWN_CURRENCY_EXPONENTS)) {
      expect(isCurrencyCode(code)).toBe(true);
      expect(isActiveCurrency(code)).toBe(false);
      expect(CURRENCY_EXPONENTS[code]).toBe(2);
    }
  });

  it('refuses unknown codes with a typed error, including prototype keys', () => {
    for (const code of ['ABC', 'usd', '', 'toString', '__proto__']) {
      expect(isCurrencyCode(code)).toBe(false);
      expect(() => currencyExponent(code)).toThrow(expect.objectContaining({ code: 'money.unknown_currency' }));
    }
  });
});
