/**
 * What the decision dialogs check as the seller types: the limits of BulkActionSchema
 * (shared/rules/bulk.ts), money through the money module, dates in the seller's time zone.
 * The backend checks everything again; these only say early, next to the field, what is wrong.
 */
import { toInstant, type IsoInstant } from '../../../../shared/domain/time';
import { compare, formatMoney, parseMoney, type Money } from '../../../../shared/money';
import type { OfferRange, RefusalField, RefusalOption } from '../../../../shared/rules';
import { calendarDayIn, endOfDayIn } from '../../../../shared/rules/proof-due';
import { getTimeZone } from '../../clock';

/** BulkActionSchema: a note or message is at most 2,000 characters. */
export const NOTE_MAX = 2000;
/** BulkActionSchema: a carrier or tracking number is at most 100 characters. */
export const SHORT_TEXT_MAX = 100;

export const REFUSAL_FIELD_TITLES: Readonly<Record<RefusalField, string>> = {
  carrier: 'Carrier',
  trackingNumber: 'Tracking number',
  note: 'Note to the buyer',
};

const FIELD_MAX: Readonly<Record<RefusalField, number>> = { carrier: SHORT_TEXT_MAX, trackingNumber: SHORT_TEXT_MAX, note: NOTE_MAX };

export type RefusalValues = Record<RefusalField, string>;

function tooLong(title: string, text: string, max: number): string | null {
  return text.length > max ? `${title} is ${text.length.toLocaleString()} characters; the limit is ${max.toLocaleString()}.` : null;
}

/**
 * Whether a refusal field must be filled in. In a bulk refusal "Already shipped" may leave
 * carrier and tracking blank: each order's own tracking is then used (planBulk skips orders
 * that have none).
 */
export function refusalFieldRequired(option: RefusalOption, field: RefusalField, bulk: boolean): boolean {
  if (!option.requires.includes(field)) return false;
  return !(bulk && (field === 'carrier' || field === 'trackingNumber'));
}

/** The problem with one refusal field, or null. */
export function refusalFieldError(option: RefusalOption, field: RefusalField, value: string, bulk: boolean): string | null {
  const title = REFUSAL_FIELD_TITLES[field];
  if (refusalFieldRequired(option, field, bulk) && value.trim() === '') {
    return `"${option.label}" needs ${field === 'note' ? 'a note' : `the ${title.toLowerCase()}`}.`;
  }
  return tooLong(title, value, FIELD_MAX[field]);
}

/** The text of a message or note: 1 to NOTE_MAX characters once trimmed. */
export function noteError(text: string, title: string): string | null {
  if (text.trim() === '') return `Write ${title.toLowerCase()}.`;
  return tooLong(title, text.trim(), NOTE_MAX);
}

/** The outcome of reading a typed amount or percentage. */
export type FieldCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Reads a typed offer: an amount in the range's currency, between its min and max. */
export function checkOfferAmount(text: string, range: OfferRange, locale: string): FieldCheck<Money> {
  const parsed = parseMoney(text, range.max.currency, locale);
  if (!parsed.ok) {
    if (text.trim() === '') return { ok: false, error: 'Enter an amount.' };
    // Too many decimals (JPY has none) says exactly what is wrong; anything else is not an amount.
    if (parsed.error.code === 'money.too_precise' || parsed.error.code === 'money.unsafe_integer') return { ok: false, error: parsed.error.message };
    return { ok: false, error: `Not an amount: ${parsed.error.message}` };
  }
  const amount = parsed.value;
  if (compare(amount, range.max) > 0) return { ok: false, error: `More than the cap (${formatMoney(range.max, locale)}).` };
  if (compare(amount, range.min) < 0) return { ok: false, error: `Less than the minimum (${formatMoney(range.min, locale)}).` };
  return { ok: true, value: amount };
}

/** Reads a typed percentage for a bulk offer: a whole number from 1 to 99. */
export function checkPercent(text: string): FieldCheck<number> {
  const trimmed = text.trim().replace(/\s*%$/u, '');
  if (trimmed === '') return { ok: false, error: 'Enter a percentage from 1 to 99.' };
  if (!/^\d+$/u.test(trimmed)) return { ok: false, error: 'Not a whole percentage: enter a number from 1 to 99.' };
  const percent = Number(trimmed);
  if (percent < 1 || percent > 99) return { ok: false, error: `${percent}% is out of range: enter a number from 1 to 99.` };
  return { ok: true, value: percent };
}

/** The calendar date (YYYY-MM-DD, for a date input) of an instant, in the seller's time zone. */
export function localDateValue(ms: number, timeZone: string = getTimeZone()): string {
  return calendarDayIn(ms, timeZone);
}

/** The last millisecond of a calendar date (YYYY-MM-DD) in the seller's time zone, or null for anything else. */
export function endOfLocalDay(dateValue: string, timeZone: string = getTimeZone()): number | null {
  return endOfDayIn(dateValue, timeZone);
}

/**
 * Reads the proof due date: a real date whose end (in the seller's time zone, as `proofDueAt`
 * ends the default one) is after `now`; the answer is that instant, the one sent.
 */
export function checkDueDate(dateValue: string, now: number, timeZone: string = getTimeZone()): FieldCheck<IsoInstant> {
  if (dateValue.trim() === '') return { ok: false, error: 'Choose a due date.' };
  const end = endOfLocalDay(dateValue, timeZone);
  if (end === null) return { ok: false, error: 'Not a date: choose one from the calendar.' };
  if (end <= now) return { ok: false, error: 'The due date must be in the future.' };
  return { ok: true, value: toInstant(end) };
}
