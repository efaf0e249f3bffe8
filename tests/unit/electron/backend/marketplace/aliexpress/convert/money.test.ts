import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  issueAmount,
  moneyStr,
  roundingSentence,
  simpleMoney,
  toMajorString,
  type RoundingNote,
} from '../../../../../../../electron/backend/marketplace/aliexpress/convert';
import { MoneyError, money } from '../../../../../../../shared/money';
import { refusal } from './refusal';

/** A collector as the adapter uses one: one per record. */
function collector(): { notes: RoundingNote[]; onRounded: (note: RoundingNote) => void } {
  const notes: RoundingNote[] = [];
  return { notes, onRounded: (note) => notes.push(note) };
}

describe('simpleMoney', () => {
  it.each([
    [{ amount: '12.34', currency_code: 'USD' }, money(1234, 'USD')],
    [{ amount: '1.01', currency_code: 'USD' }, money(101, 'USD')],
    [{ amount: '0.00', currency_code: 'USD' }, money(0, 'USD')],
    [{ amount: '12.3', currency_code: 'EUR' }, money(1230, 'EUR')],
    [{ amount: '1500', currency_code: 'JPY' }, money(1500, 'JPY')],
    [{ amount: '1500.00', currency_code: 'JPY' }, money(1500, 'JPY')],
    [{ amount: '1.750', currency_code: 'KWD' }, money(1750, 'KWD')],
    [{ amount: '0.005', currency_code: 'KWD' }, money(5, 'KWD')],
    [{ amount: '90071992547409.91', currency_code: 'USD' }, money(Number.MAX_SAFE_INTEGER, 'USD')],
    [{ amount: 12, currency_code: 'USD' }, money(1200, 'USD')],
    [{ amount: 12.5, currency_code: 'USD' }, money(1250, 'USD')],
    [{ amount: 0, currency_code: 'USD' }, money(0, 'USD')],
    [{ amount: '3.10', currency_code: 'BGN', extra: 'ignored' }, money(310, 'BGN')],
  ])('reads %j', (value, expected) => {
    const { notes, onRounded } = collector();
    expect(simpleMoney(value, 'pay_amount', onRounded)).toEqual(expected);
    expect(notes).toEqual([]);
  });

  it('rounds more decimals than the currency has toward zero, and reports it', () => {
    const { notes, onRounded } = collector();
    expect(simpleMoney({ amount: '87.957975', currency_code: 'USD' }, 'pay_amount', onRounded)).toEqual(money(8795, 'USD'));
    expect(notes).toEqual([{ field: 'pay_amount.amount', original: '87.957975', kept: money(8795, 'USD') }]);
  });

  it('rounds without a callback too (the report is optional, the rule is not)', () => {
    expect(simpleMoney({ amount: '87.957975', currency_code: 'USD' }, 'pay_amount')).toEqual(money(8795, 'USD'));
  });
});

describe('issueAmount', () => {
  it('reads the refund cap and its sibling currency field', () => {
    expect(issueAmount('87.95', 'USD', 'refund_money_max')).toEqual(money(8795, 'USD'));
    expect(issueAmount('1500', 'JPY', 'refund_money_max')).toEqual(money(1500, 'JPY'));
    expect(issueAmount('1.750', 'KWD', 'refund_money')).toEqual(money(1750, 'KWD'));
  });

  it('keeps the captured "87.957975" USD cap as 87.95, never 87.96, and reports it once', () => {
    const { notes, onRounded } = collector();
    expect(issueAmount('87.957975', 'USD', 'refund_money_max', onRounded)).toEqual(money(8795, 'USD'));
    expect(notes).toEqual([{ field: 'refund_money_max', original: '87.957975', kept: money(8795, 'USD') }]);
    expect(roundingSentence(notes)).toBe(
      'AliExpress sent an amount with more decimals than the currency has; kept rounded toward zero: refund_money_max "87.957975" as 87.95 USD.',
    );
  });

  it.each([
    ['1500.9', 'JPY', money(1500, 'JPY')],
    ['1.7509', 'KWD', money(1750, 'KWD')],
    ['0.009', 'USD', money(0, 'USD')],
    ['0.99999999999999999999', 'USD', money(99, 'USD')],
  ])('rounds %s %s toward zero and reports it', (amount, currency, expected) => {
    const { notes, onRounded } = collector();
    expect(issueAmount(amount, currency, 'refund_money', onRounded)).toEqual(expected);
    expect(notes).toHaveLength(1);
  });

  it('does not report trailing zeros: nothing was cut off', () => {
    const { notes, onRounded } = collector();
    expect(issueAmount('12.340000', 'USD', 'refund_money', onRounded)).toEqual(money(1234, 'USD'));
    expect(issueAmount('1500.000', 'JPY', 'refund_money', onRounded)).toEqual(money(1500, 'JPY'));
    expect(notes).toEqual([]);
  });

  it('names the sibling currency field when the code is bad', () => {
    expect(refusal(() => issueAmount('1.00', 'usd', 'refund_money_max')).message).toBe(
      'AliExpress sent refund_money_max_currency as "usd": a currency is a three-letter ISO 4217 code Cancel Desk knows.',
    );
  });

  it('rounds any amount with extra decimals to the amount it starts with, and reports exactly when a digit was cut', () => {
    const currencies = fc.constantFrom('USD', 'JPY', 'KWD', 'EUR', 'CLF');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        currencies,
        fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 10 }),
        (minor, currency, extraDigits) => {
          const exact = money(minor, currency);
          const text = toMajorString(exact);
          const longer = text.includes('.') ? `${text}${extraDigits}` : `${text}.${extraDigits}`;
          const { notes, onRounded } = collector();
          expect(issueAmount(longer, currency, 'refund_money', onRounded)).toEqual(exact);
          expect(notes.length).toBe(/[1-9]/.test(extraDigits) ? 1 : 0);
          expect(issueAmount(text, currency, 'refund_money')).toEqual(exact);
        },
      ),
    );
  });
});

describe('moneyStr', () => {
  const usdCurrency = { currency_code: 'USD', symbol: '$', display_name: 'US Dollar', default_fraction_digits: 2, numeric_code: 840 };

  it('reads a full MoneyStr by its cents', () => {
    const value = { amount: '12.34', amount_str: '12.34', currency_code: 'USD', cent: 1234, cent_factor: 100, currency: usdCurrency };
    expect(moneyStr(value, 'order_amount')).toEqual(money(1234, 'USD'));
  });

  it('takes cent/cent_factor over a contradicting amount, without reading the amount', () => {
    const { notes, onRounded } = collector();
    expect(moneyStr({ amount: '99.999', currency_code: 'USD', cent: 1234, cent_factor: 100 }, 'order_amount', onRounded)).toEqual(
      money(1234, 'USD'),
    );
    expect(moneyStr({ amount: 'not a number', currency_code: 'USD', cent: 1234, cent_factor: 100 }, 'order_amount')).toEqual(money(1234, 'USD'));
    expect(notes).toEqual([]);
  });

  it('reads the legacy sample: amount 0 beside cent 333100 (protocol §5.12)', () => {
    expect(moneyStr({ amount: 0, cent: 333100, cent_factor: 100, currency_code: 'USD' }, 'order_amount')).toEqual(money(333100, 'USD'));
  });

  it('reads cents given as digit text (a Long past 2^53 would come so)', () => {
    expect(moneyStr({ cent: '333100', cent_factor: '100', currency_code: 'USD' }, 'order_amount')).toEqual(money(333100, 'USD'));
  });

  it.each([
    ['JPY', 1500, 1, money(1500, 'JPY')],
    ['JPY', 150000, 100, money(1500, 'JPY')],
    ['KWD', 1750, 1000, money(1750, 'KWD')],
    ['KWD', 175, 100, money(1750, 'KWD')],
    ['USD', 87950, 1000, money(8795, 'USD')],
    ['USD', 0, 100, money(0, 'USD')],
  ])('converts %s cents %d at cent_factor %d exactly', (currency, cent, centFactor, expected) => {
    expect(moneyStr({ cent, cent_factor: centFactor, currency_code: currency }, 'product_price')).toEqual(expected);
  });

  it.each([
    ['JPY', 150050, 100, 0],
    ['USD', 87957, 1000, 2],
    ['KWD', 17505, 10000, 3],
  ])('refuses %s cents %d at cent_factor %d: not a whole minor unit', (currency, cent, centFactor, decimals) => {
    const error = refusal(() => moneyStr({ cent, cent_factor: centFactor, currency_code: currency }, 'product_price'));
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toBe(
      `AliExpress sent product_price.cent as ${cent}: with cent_factor ${centFactor} that is not a whole number of ${currency} minor units (${currency} has ${decimals} decimals).`,
    );
  });

  it('falls back to amount when cent or cent_factor is missing', () => {
    expect(moneyStr({ amount: '12.34', cent: 1234, currency_code: 'USD' }, 'order_amount')).toEqual(money(1234, 'USD'));
    expect(moneyStr({ amount: '12.34', cent_factor: 100, cent: null, currency_code: 'USD' }, 'order_amount')).toEqual(money(1234, 'USD'));
    const { notes, onRounded } = collector();
    expect(moneyStr({ amount: '87.957975', currency_code: 'USD' }, 'order_amount', onRounded)).toEqual(money(8795, 'USD'));
    expect(notes).toEqual([{ field: 'order_amount.amount', original: '87.957975', kept: money(8795, 'USD') }]);
  });

  it('takes the currency from currency.currency_code when currency_code is absent', () => {
    expect(moneyStr({ cent: 1234, cent_factor: 100, currency: usdCurrency }, 'order_amount')).toEqual(money(1234, 'USD'));
  });

  it('refuses two currency codes that disagree', () => {
    expect(refusal(() => moneyStr({ cent: 1234, cent_factor: 100, currency_code: 'EUR', currency: usdCurrency }, 'order_amount')).message).toBe(
      'AliExpress sent order_amount.currency.currency_code as "USD": it contradicts order_amount.currency_code EUR.',
    );
  });

  it.each([
    [{ cent: -1, cent_factor: 100, currency_code: 'USD' }, 'AliExpress sent order_amount.cent as -1: it is never negative.'],
    [{ cent: '-100', cent_factor: 100, currency_code: 'USD' }, 'AliExpress sent order_amount.cent as "-100": it is never negative.'],
    [{ cent: 12.5, cent_factor: 100, currency_code: 'USD' }, 'AliExpress sent order_amount.cent as 12.5: it is a whole number (digits only).'],
    [{ cent: 1234, cent_factor: 0, currency_code: 'USD' }, 'AliExpress sent order_amount.cent_factor as 0: a cent factor is a positive whole number (100 for USD).'],
    [{ cent: 1234, cent_factor: 'x', currency_code: 'USD' }, 'AliExpress sent order_amount.cent_factor as "x": it is a whole number (digits only).'],
    [
      { cent: '90071992547409920', cent_factor: 100, currency_code: 'USD' },
      'AliExpress sent order_amount.cent as "90071992547409920": the amount is too large to count exactly in minor units.',
    ],
    [{ cent: 1234, cent_factor: 100 }, 'AliExpress sent no order_amount.currency_code: a currency is a three-letter ISO 4217 code Cancel Desk knows.'],
    ['12.34', 'AliExpress sent order_amount as "12.34": an amount is an object with an amount and a currency code.'],
    [null, 'AliExpress sent order_amount as null: an amount is an object with an amount and a currency code.'],
  ])('refuses %j', (value, message) => {
    expect(refusal(() => moneyStr(value, 'order_amount')).message).toBe(message);
  });
});

describe('refusals of the amount text', () => {
  it.each([
    ['-1.00', 'an amount is never negative'],
    ['-0', 'an amount is never negative'],
    ['1e3', 'an amount is written without an exponent'],
    ['1.5E2', 'an amount is written without an exponent'],
    ['', 'an amount cannot be empty'],
    [' 12.34', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['12,34', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['abc', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['e', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['.5', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['5.', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['+5', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['0x10', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['Infinity', 'an amount is a decimal number like 12.34, digits with "." before the decimals'],
    ['1'.repeat(65), 'an amount has at most 64 characters'],
    ['90071992547409.92', 'the amount is too large to count exactly in minor units'],
  ])('refuses %j', (amount, problem) => {
    const error = refusal(() => simpleMoney({ amount, currency_code: 'USD' }, 'pay_amount'));
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toMatch(/^AliExpress sent pay_amount\.amount as "/);
    expect(error.message.endsWith(`: ${problem}.`)).toBe(true);
  });

  it.each([
    [0.1 + 0.2, 'AliExpress sent pay_amount.amount as 0.30000000000000004: this number is not exactly the decimal it prints as (the payload was not read losslessly).'],
    [0.1, 'AliExpress sent pay_amount.amount as 0.1: this number is not exactly the decimal it prints as (the payload was not read losslessly).'],
    [1e-7, 'AliExpress sent pay_amount.amount as 1e-7: this number is not exactly the decimal it prints as (the payload was not read losslessly).'],
    [-1, 'AliExpress sent pay_amount.amount as -1: an amount is never negative.'],
    [-0.5, 'AliExpress sent pay_amount.amount as -0.5: an amount is never negative.'],
    [Number.NaN, 'AliExpress sent pay_amount.amount as NaN: an amount is a finite number.'],
    [Number.POSITIVE_INFINITY, 'AliExpress sent pay_amount.amount as Infinity: an amount is a finite number.'],
    [
      2 ** 53 + 2,
      'AliExpress sent pay_amount.amount as 9007199254740994: an amount this large would lose digits as a JavaScript number (the payload was not read losslessly).',
    ],
    [null, 'AliExpress sent pay_amount.amount as null: an amount is a decimal number like 12.34.'],
    [undefined, 'AliExpress sent no pay_amount.amount: an amount is a decimal number like 12.34.'],
    [true, 'AliExpress sent pay_amount.amount as true: an amount is a decimal number like 12.34.'],
  ])('refuses the value %s', (amount, message) => {
    expect(refusal(() => simpleMoney({ amount, currency_code: 'USD' }, 'pay_amount')).message).toBe(message);
  });

  it('accepts a number only when the double is exactly its decimal text', () => {
    expect(simpleMoney({ amount: 0.25, currency_code: 'USD' }, 'pay_amount')).toEqual(money(25, 'USD'));
    expect(simpleMoney({ amount: 1.5, currency_code: 'JPY' }, 'pay_amount')).toEqual(money(1, 'JPY'));
    expect(() => simpleMoney({ amount: 12.34, currency_code: 'USD' }, 'pay_amount')).toThrow('not exactly the decimal it prints as');
  });

  it.each([
    ['XXX'],
    ['ABC'],
    ['usd'],
    ['US'],
    [''],
    [840],
    [null],
  ])('refuses the currency %j', (currency) => {
    const error = refusal(() => simpleMoney({ amount: '1.00', currency_code: currency }, 'pay_amount'));
    expect(error.code).toBe('invalid_payload');
    expect(error.message).toMatch(/^AliExpress sent pay_amount\.currency_code as .+: a currency is a three-letter ISO 4217 code Cancel Desk knows\.$/);
  });

  it('quotes a long or hostile value as a short escaped excerpt', () => {
    const hostile = `\u202e${'9'.repeat(100)}`;
    const message = refusal(() => simpleMoney({ amount: hostile, currency_code: 'USD' }, 'pay_amount')).message;
    expect(message).toBe(
      `AliExpress sent pay_amount.amount as "\\u202e${'9'.repeat(39)}"… (101 characters): an amount has at most 64 characters.`,
    );
    expect(message).not.toContain('\u202e');
  });
});

describe('toMajorString', () => {
  it.each([
    [money(1234, 'USD'), '12.34'],
    [money(5, 'USD'), '0.05'],
    [money(0, 'USD'), '0.00'],
    [money(1500, 'JPY'), '1500'],
    [money(1750, 'KWD'), '1.750'],
  ])('writes %j as %s', (amount, text) => {
    expect(toMajorString(amount)).toBe(text);
  });

  it('refuses a negative amount: a refund is never below zero', () => {
    expect(() => toMajorString(money(-1, 'USD'))).toThrow(MoneyError);
  });

  it('reads back as the same amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('USD', 'JPY', 'KWD', 'BHD', 'CLF'), (minor, currency) => {
        const amount = money(minor, currency);
        expect(issueAmount(toMajorString(amount), currency, 'refund_amount')).toEqual(amount);
      }),
    );
  });
});

describe('roundingSentence', () => {
  it('says nothing when nothing was rounded', () => {
    expect(roundingSentence([])).toBeNull();
  });

  it('lists every rounded amount of a record in one line', () => {
    const { notes, onRounded } = collector();
    issueAmount('87.957975', 'USD', 'refund_money_max', onRounded);
    issueAmount('1.7509', 'KWD', 'refund_money', onRounded);
    expect(roundingSentence(notes)).toBe(
      'AliExpress sent 2 amounts with more decimals than the currency has; kept rounded toward zero: refund_money_max "87.957975" as 87.95 USD, refund_money "1.7509" as 1.750 KWD.',
    );
  });
});
