import type { Order } from '../domain/order';
import type { CancelRequest } from '../domain/request';
import { instantMs } from '../domain/time';
import { missingCase } from '../domain/views';
import type { Policy } from './policy';

/**
 * The three moments of a marketplace cancellation, read from the order's status, plus `closed`
 * for an order that is already cancelled:
 * - `before_payment`: accepting cancels the order, nothing is refunded;
 * - `before_shipment`: refunded in full, shipping included; refused only with proof of shipment;
 * - `after_shipment`: a dispute, with partial refunds, proof, counter-offers and mediation.
 */
export const PHASES = ['before_payment', 'before_shipment', 'after_shipment', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export function phaseOf(order: Order): Phase {
  switch (order.status) {
    case 'awaiting_payment':
      return 'before_payment';
    case 'awaiting_shipment':
      return 'before_shipment';
    case 'shipped':
    case 'delivered':
    case 'completed':
      return 'after_shipment';
    case 'cancelled':
      return 'closed';
    default:
      return missingCase(order.status);
  }
}

export const PHASE_LABELS: Readonly<Record<Phase, string>> = Object.freeze({
  before_payment: 'Before payment',
  before_shipment: 'Paid, not shipped',
  after_shipment: 'Shipped',
  closed: 'Order cancelled',
});

/** The platform auto-accepts a pre-shipment cancel left unanswered this long (a marketplace fact). */
export const PRE_SHIPMENT_AUTO_ACCEPT_MS = 48 * 60 * 60 * 1000;

/**
 * When the seller's time to answer runs out (epoch ms): the marketplace's `respondBy`; for a
 * cancel, never later than 48 h after it was made, since the platform auto-accepts it then.
 */
export function replyDeadlineMs(request: CancelRequest): number {
  const respondBy = instantMs(request.respondBy);
  if (request.kind === 'cancel') {
    return Math.min(respondBy, instantMs(request.requestedAt) + PRE_SHIPMENT_AUTO_ACCEPT_MS);
  }
  return respondBy;
}

/** Milliseconds left to reply (negative once the deadline has passed). */
export function timeLeftMs(request: CancelRequest, now: number): number {
  return replyDeadlineMs(request) - now;
}

export type SlaStatus = 'ok' | 'warning' | 'overdue';

/** `warning` inside the policy's SLA warning window, `overdue` once the deadline has passed. */
export function slaStatus(request: CancelRequest, policy: Policy, now: number): SlaStatus {
  const left = timeLeftMs(request, now);
  if (left <= 0) return 'overdue';
  return left <= policy.slaWarningHours * 60 * 60 * 1000 ? 'warning' : 'ok';
}
