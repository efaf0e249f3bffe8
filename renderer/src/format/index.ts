import type { Phase } from '../../../shared/domain/order';
import { formatMoney, type Money } from '../../../shared/money';

export { formatTimeLeft } from '../../../shared/domain/time';

export const PHASE_TITLES: Readonly<Record<Phase, string>> = {
  before_payment: 'Before payment',
  before_shipment: 'Before shipment',
  after_shipment: 'After shipment',
};

const HOUR = 3_600_000;
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

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(navigator.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
