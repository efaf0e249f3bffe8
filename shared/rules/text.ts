import { toInstant } from '../domain/time';
import { formatMoney, type Money } from '../money';

/**
 * How the rules word amounts and instants in their sentences: one fixed locale and UTC, so the
 * same input always gives the same sentence (the renderer formats for the seller's locale).
 */
export function amountText(amount: Money): string {
  return formatMoney(amount, 'en-US');
}

/** "2026-11-26 09:30 UTC". */
export function instantText(ms: number): string {
  const iso = toInstant(ms);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "3 days 4 h", "5 h 20 min", "12 min", "less than a minute". */
export function durationText(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} day${days === 1 ? '' : 's'} ${hours} h` : `${days} day${days === 1 ? '' : 's'}`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}

/**
 * Characters that can reorder the text around them: right-to-left letters (Hebrew, Arabic,
 * Syriac, Thaana, N'Ko...) and the bidi controls (marks, embeddings, overrides, isolates).
 */
const BIDI_SENSITIVE = /[\u0590-\u08FF\u200E\u200F\u202A-\u202E\u2066-\u2069\uFB1D-\uFDFF\uFE70-\uFEFF]|[\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/**
 * Untrusted text (a product title, a carrier, a tracking number) inside a rules sentence: between
 * FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE when it could reorder the sentence around it
 * (the PDI also closes an override it leaves open), as it is otherwise, so plain sentences read
 * the same everywhere (screens, audit, CSV).
 */
export function untrustedText(text: string): string {
  return BIDI_SENSITIVE.test(text) ? `\u2068${text}\u2069` : text;
}
