import type { Phase } from '../../../shared/domain/order';
import { formatMoney, type Money } from '../../../shared/money';
import { getTimeZone } from '../clock';

export { formatTimeLeft } from '../../../shared/domain/time';

export const PHASE_TITLES: Readonly<Record<Phase, string>> = {
  before_payment: 'Before payment',
  before_shipment: 'Before shipment',
  after_shipment: 'After shipment',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Urgency = 'overdue' | 'critical' | 'soon' | 'later';

/** How urgent a deadline is, for colour (and the text beside it for screen readers). */
export function urgencyOf(msLeft: number): Urgency {
  if (msLeft < 0) return 'overdue';
  if (msLeft < 6 * HOUR) return 'critical';
  if (msLeft < DAY) return 'soon';
  return 'later';
}

export function formatAmount(money: Money): string {
  return formatMoney(money, navigator.language);
}

/** "changed_mind" -> "Changed mind". */
export function humanize(code: string): string {
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DATE_TIME_FORMATS = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(style: 'medium' | 'full'): Intl.DateTimeFormat {
  const timeZone = getTimeZone();
  const key = `${navigator.language}|${timeZone}|${style}`;
  let format = DATE_TIME_FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(navigator.language, { dateStyle: style, timeStyle: 'short', timeZone });
    DATE_TIME_FORMATS.set(key, format);
  }
  return format;
}

/** An instant, date and time, in the seller's time zone: "Dec 5, 2026, 11:59 PM". */
export function formatDateTime(iso: string | number): string {
  return dateTimeFormat('medium').format(new Date(iso));
}

/** An instant with the weekday, in the seller's time zone: "Saturday, December 5, 2026 at 11:59 PM". */
export function formatFullDateTime(iso: string | number): string {
  return dateTimeFormat('full').format(new Date(iso));
}

/** How the rules write an instant in their sentences (shared/rules/text.ts `instantText`). */
const RULES_INSTANT = /\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/gu;

/**
 * A rules sentence with its instants in the seller's time zone: the rules write them in UTC (the
 * same input, the same sentence); the screen shows every instant as the seller's clock does, so
 * a proof due time reads the same in a sentence as in the dialog and the queue.
 */
export function inSellerTime(sentence: string): string {
  return sentence.replace(RULES_INSTANT, (written: string, day: string, time: string) => {
    const ms = Date.parse(`${day}T${time}:00.000Z`);
    return Number.isNaN(ms) ? written : formatDateTime(ms);
  });
}

/** A day, short, in the seller's time zone: "Dec 5". */
export function formatShortDate(iso: string | number): string {
  const timeZone = getTimeZone();
  const key = `${navigator.language}|${timeZone}|short-date`;
  let format = DATE_TIME_FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(navigator.language, { month: 'short', day: 'numeric', timeZone });
    DATE_TIME_FORMATS.set(key, format);
  }
  return format.format(new Date(iso));
}

/** How long ago, as the countdowns say it: "3 d ago", "5 h ago", "12 m ago", "just now". */
export function formatAgo(msAgo: number): string {
  const span = Math.max(0, msAgo);
  if (span >= DAY) return `${Math.floor(span / DAY)} d ago`;
  if (span >= HOUR) return `${Math.floor(span / HOUR)} h ago`;
  if (span >= MINUTE) return `${Math.floor(span / MINUTE)} m ago`;
  return 'just now';
}

/** The app's words are English, so English plural categories choose between them (whatever the number format). */
const ENGLISH_PLURALS = new Intl.PluralRules('en');

/** "1 conflict", "3 conflicts", "1,204 requests": the number in the seller's locale, the noun by Intl.PluralRules. */
export function countText(count: number, one: string, other = `${one}s`): string {
  const noun = ENGLISH_PLURALS.select(count) === 'one' ? one : other;
  return `${new Intl.NumberFormat(navigator.language).format(count)} ${noun}`;
}

/**
 * Untrusted text for an attribute (title, aria-label), where no element can isolate it: wrapped
 * in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, which also ends any override it leaves open.
 * In the page itself, untrusted text goes in a <bdi> (or a block with dir="auto").
 */
export function isolated(text: string): string {
  return `\u2068${text}\u2069`;
}
