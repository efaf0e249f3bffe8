/**
 * Exact conversions of AliExpress wire values (protocol §5.1–§5.3, §5.12, §7): ids as digit
 * strings, money through shared/money, Los Angeles wall times to instants and back. Each reader
 * throws an 'invalid_payload' DeskError whose sentence names the field and the bad value.
 */
export { excerpt, invalidPayload } from './errors';
export { aeId, aeIdOrNull } from './ids';
export { issueAmount, moneyStr, roundingSentence, simpleMoney, toMajorString, type OnRounded, type RoundingNote } from './money';
export { PACIFIC_TIME_ZONE, instantToPacific, pacificToInstant, type AmbiguousChoice, type PacificReadOptions } from './pacific';
