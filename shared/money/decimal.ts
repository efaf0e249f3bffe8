import { MoneyError, describeValue } from './errors';
import { assertMoney, currencyExponent, money, type Money } from './money';
import { divideRounded, isRoundingMode, type RoundingMode } from './rounding';

/** The amount as a plain decimal string ("12.30", "-0.05", "1500"), exact, no float maths. */
export function toDecimalString(amount: Money): string {
  const checked = assertMoney(amount);
  const exponent = currencyExponent(checked.currency);
  const negative = checked.amountMinor < 0;
  const digits = String(Math.abs(checked.amountMinor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

const MACHINE_DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$|^([+-]?)\.(\d+)(?:[eE]([+-]?\d+))?$/;

/**
 * Money from a machine decimal ("87.96", "87.9600001", "1.5e3", or a JS number such as a
 * marketplace's 87.96), rounded to the currency's minor unit as `rounding` says. A number is
 * read through its shortest round-trip form (87.96, not 87.9599999999999937...), never scaled
 * by a float multiplication. For amounts a person typed, use `parseMoney`.
 */
export function fromDecimal(value: string | number, currency: string, rounding: RoundingMode): Money {
  const exponent = currencyExponent(currency);
  if (!isRoundingMode(rounding)) {
    throw new MoneyError('money.invalid_rounding', `${describeValue(rounding)} is not a rounding mode.`);
  }
  if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string') {
    throw new MoneyError('money.not_a_number', `An amount in ${currency} must be a finite number or a decimal text, not ${describeValue(value)}.`);
  }
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = MACHINE_DECIMAL.exec(text);
  if (match === null) {
    throw new MoneyError('money.invalid_amount', `"${text}" is not a decimal amount.`);
  }
  const sign = match[1] ?? match[5] ?? '';
  const whole = match[2] ?? '0';
  const fraction = match[3] ?? match[6] ?? '';
  const exponentText = match[4] ?? match[7] ?? '0';
  const scale = Number(exponentText);
  if (!Number.isSafeInteger(scale) || Math.abs(scale) > 400) {
    throw new MoneyError('money.unsafe_integer', `"${text}" is out of range for an amount in ${currency}.`);
  }
  // value = digits × 10^(scale − fraction.length); in minor units, × 10^exponent more.
  const digits = BigInt(`${whole}${fraction}`);
  const power = scale - fraction.length + exponent;
  const minor =
    power >= 0 ? digits * 10n ** BigInt(power) : divideRounded(digits * (sign === '-' ? -1n : 1n), 10n ** BigInt(-power), rounding);
  const signed = power >= 0 && sign === '-' ? -minor : minor;
  return money(signed, currency);
}
