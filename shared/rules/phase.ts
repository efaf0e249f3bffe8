import { PHASES, phaseOf, type Order } from '../domain/order';
import type { CancelRequest } from '../domain/request';
import { instantMs } from '../domain/time';
import type { Policy } from './policy';

/**
 * The phase the rules decide in: the order's moment (`phaseOf` in shared/domain: before payment,
 * before shipment, after shipment), or `closed` once the order is cancelled, when nothing is
 * left to decide:
 * - `before_payment`: accepting cancels the order, nothing is refunded;
 * - `before_shipment`: refunded in full, shipping included; refused only with proof of shipment;
 * - `after_shipment`: a dispute, with partial refunds, proof, counter-offers and mediation.
 */
export const RULES_PHASES = [...PHASES, 'closed'] as const;
export type RulesPhase = (typeof RULES_PHASES)[number];

export function rulesPhaseOf(order: Order): RulesPhase {
  return order.status === 'cancelled' ? 'closed' : phaseOf(order);
}

export const RULES_PHASE_LABELS: Readonly<Record<RulesPhase, string>> = Object.freeze({
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
export function replyDeadlineMs(request: Pick<CancelRequest, 'kind' | 'respondBy' | 'requestedAt'>): number {
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
