/**
 * Money: integer minor units of an ISO 4217 currency, never a float. Amounts in different
 * currencies never mix; every failure is a MoneyError with a stable `code`.
 */
export {
  ACTIVE_CURRENCY_CODES,
  ACTIVE_CURRENCY_EXPONENTS,
  CURRENCY_EXPONENTS,
  WITHDRAWN_CURRENCY_EXPONENTS,
  isActiveCurrency,
} from './currencies';
export { MONEY_ERROR_CODES, MoneyError, describeValue, type MoneyErrorCode } from './errors';
export {
  AmountMinorSchema,
  CurrencyCodeSchema,
  MoneySchema,
  assertMoney,
  checkAmountMinor,
  currencyExponent,
  isCurrencyCode,
  money,
  zero,
  type Money,
} from './money';
export { ROUNDING_MODES, divideRounded, isRoundingMode, type RoundingMode } from './rounding';
export {
  add,
  assertSameCurrency,
  compare,
  equals,
  greaterThan,
  isNegative,
  isPositive,
  isZero,
  lessThan,
  maxMoney,
  minMoney,
  multiplyByRatio,
  subtract,
  sum,
} from './arithmetic';
export { allocate, allocateByKey, type WeightedKey } from './allocate';
export { fromDecimal, toDecimalString } from './decimal';
export { parseMoney, type ParseMoneyOptions, type ParseMoneyResult } from './parse';
export { formatMoney } from './format';
