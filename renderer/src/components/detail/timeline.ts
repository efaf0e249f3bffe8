import { instantMs } from '../../../../shared/domain/time';
import type { RequestDetail } from '../../../../shared/ipc/contract';
import type { Money } from '../../../../shared/money';
import { buyerReasonInfo } from '../../../../shared/rules/reasons';
import { humanize } from '../../format';

/** One line of the detail timeline: a marketplace event, a deadline, or an audit entry. */
export interface TimelineEvent {
  readonly key: string;
  readonly at: string;
  readonly source: 'marketplace' | 'deadline' | 'audit';
  readonly title: string;
  /** A second line (the audit message, tracking, who decided); empty when none. */
  readonly detail: string;
  /** The second line is the marketplace's or a person's text (a file name, tracking, a message): shown isolated. */
  readonly untrustedDetail: boolean;
  readonly amount: Money | null;
  /** Who acted, for audit entries. */
  readonly actor: string | null;
}

const OUTCOME_TITLES: Readonly<Record<NonNullable<RequestDetail['request']['resolution']>['outcome'], string>> = {
  refunded: 'Refunded',
  refund_failed: 'Refund failed',
  refused: 'Refused',
  withdrawn: 'Withdrawn by the buyer',
  decided_by_platform: 'Decided by the marketplace',
};

const DECISION_NOUNS: Readonly<Record<string, string>> = { refuse: 'the refusal', offer: 'the offer' };

/**
 * "Sent 2 photos with the refusal" (the file names beneath), from the delivery's audit entry: what
 * went to the marketplace with a decision. Null for an entry that carried no photos.
 */
function sentPhotos(entry: RequestDetail['audit'][number]): Omit<TimelineEvent, 'amount' | 'actor'> | null {
  const { photos, endpoint } = entry.params;
  if (entry.action !== 'delivered' || !Array.isArray(photos) || photos.length === 0) return null;
  const names = photos.filter((name): name is string => typeof name === 'string');
  const noun = typeof endpoint === 'string' ? (DECISION_NOUNS[endpoint] ?? 'the decision') : 'the decision';
  return {
    key: `audit.${entry.seq}.photos`,
    at: entry.at,
    source: 'audit',
    title: `Sent ${names.length === 1 ? '1 photo' : `${names.length} photos`} with ${noun}`,
    // The seller's own file names: shown isolated, like any text the app did not write.
    detail: names.join(', '),
    untrustedDetail: true,
  };
}

/**
 * The marketplace's timestamps for the order and the request, its deadlines, and the desk's
 * audit entries, merged newest first (a deadline still ahead sorts above what has happened).
 */
export function buildTimeline(detail: RequestDetail): TimelineEvent[] {
  const { request, order } = detail;
  const events: TimelineEvent[] = [];
  const add = (event: Omit<TimelineEvent, 'amount' | 'actor' | 'detail' | 'untrustedDetail'> & Partial<TimelineEvent>): void => {
    events.push({ amount: null, actor: null, detail: '', untrustedDetail: false, ...event });
  };

  if (order !== null) {
    add({ key: 'order.placed', at: order.placedAt, source: 'marketplace', title: 'Order placed' });
    if (order.paidAt !== null) add({ key: 'order.paid', at: order.paidAt, source: 'marketplace', title: 'Paid', amount: order.paid });
    if (order.shippedAt !== null) {
      const tracking = order.tracking === null ? '' : `${order.tracking.carrier} ${order.tracking.number}`;
      add({ key: 'order.shipped', at: order.shippedAt, source: 'marketplace', title: 'Shipped', detail: tracking, untrustedDetail: true });
    }
    if (order.deliveredAt !== null) add({ key: 'order.delivered', at: order.deliveredAt, source: 'marketplace', title: 'Delivered' });
  }
  add({
    key: 'request.requested',
    at: request.requestedAt,
    source: 'marketplace',
    title: request.kind === 'cancel' ? 'Buyer asked to cancel' : 'Buyer opened a dispute',
    detail: buyerReasonInfo(request.reason).label,
    amount: request.requestedAmount,
  });
  for (const file of request.evidence) {
    add({ key: `evidence.${file.id}`, at: file.submittedAt, source: 'marketplace', title: `Buyer sent a ${file.kind}`, detail: file.fileName, untrustedDetail: true });
  }
  add({ key: 'request.respondBy', at: request.respondBy, source: 'deadline', title: 'Reply due', detail: 'Past it, the marketplace decides.' });
  if (request.proofRequest !== null) {
    add({ key: 'request.proofDue', at: request.proofRequest.dueAt, source: 'deadline', title: 'Proof due from the buyer', detail: request.proofRequest.message, untrustedDetail: true });
  }
  if (request.resolution !== null) {
    add({
      key: 'request.resolution',
      at: request.resolution.decidedAt,
      source: 'marketplace',
      title: OUTCOME_TITLES[request.resolution.outcome],
      detail: `By the ${request.resolution.by}`,
      amount: request.resolution.amount,
    });
  }
  for (const entry of detail.audit) {
    const photos = sentPhotos(entry);
    if (photos !== null) add(photos);
    add({
      key: `audit.${entry.seq}`,
      at: entry.at,
      source: 'audit',
      title: humanize(entry.action),
      detail: entry.message,
      // It can quote a note or a marketplace answer.
      untrustedDetail: true,
      amount: entry.amount,
      actor: entry.actor,
    });
  }
  // Stable: events at the same instant keep the order they were added in.
  return events
    .map((event, index) => ({ event, index, ms: instantMs(event.at) }))
    .sort((a, b) => (Number.isNaN(b.ms) ? -Infinity : b.ms) - (Number.isNaN(a.ms) ? -Infinity : a.ms) || a.index - b.index)
    .map(({ event }) => event);
}
