import { CancelRequestSchema, type CancelRequest, type RequestState, type Resolution } from '../../../../../shared/domain/request';
import { toInstant } from '../../../../../shared/domain/time';
import type { Order } from '../../../../../shared/domain/order';
import { subtract } from '../../../../../shared/money';
import { pacificToInstant } from '../convert';
import { iopList } from '../iop';
import { asRecord, invalid, optionalText } from './fields';
import { versionOf } from './orders';
import { cancelReason } from './reasons';

/** A cancellation's id in the desk: one per order (AliExpress keeps one cancellation at a time). */
export function cancelRequestId(orderId: string): string {
  return `cancel-${orderId}`;
}

/** The order id inside a cancellation's request id, or null when it is not one. */
export function cancelOrderIdOf(requestId: string): string | null {
  const found = /^cancel-(\d{1,20})$/.exec(requestId);
  return found?.[1] ?? null;
}

/**
 * The order log's steps of a cancellation (`opr_log_dto_list[].action_type`, with its `operator`).
 * AliExpress names some (`cancel_order_close_trade`, `buyer_close_cancel`: protocol §5.2); the
 * others are the names its sandbox uses until a live run tells (open question, in the README).
 * Closing the trade is the seller's acceptance when the seller did it, else the platform's
 * time-out (the 48 hours ran out).
 */
export const CANCEL_LOG: Readonly<Record<string, CancelStep['step'] | ((operator: unknown) => CancelStep['step'])>> = {
  buyer_apply_cancel: 'asked',
  buyer_cancel_order_apply: 'asked',
  seller_accept_cancel: 'accepted',
  seller_refuse_cancel: 'refused',
  buyer_close_cancel: 'withdrawn',
  cancel_order_close_trade: (operator) => (operator === 'seller' ? 'accepted' : 'timed_out'),
};

/** AliExpress cancels an order itself when the seller has not answered a cancellation in 48 hours (protocol §7). */
export const CANCEL_ANSWER_MS = 48 * 3_600_000;

interface CancelStep {
  readonly step: 'asked' | 'accepted' | 'refused' | 'withdrawn' | 'timed_out';
  readonly atMs: number;
}

function cancelSteps(target: Readonly<Record<string, unknown>>): CancelStep[] {
  const steps: CancelStep[] = [];
  iopList(target.opr_log_dto_list, 'aeop_order_opr_log_dto').forEach((raw, index) => {
    const entry = asRecord(raw, `opr_log_dto_list[${index}]`);
    const known = typeof entry.action_type === 'string' && Object.hasOwn(CANCEL_LOG, entry.action_type) ? CANCEL_LOG[entry.action_type] : undefined;
    const step = typeof known === 'function' ? known(entry.operator) : known;
    if (step !== undefined) steps.push({ step, atMs: pacificToInstant(entry.gmt_create, `opr_log_dto_list[${index}].gmt_create`) });
  });
  return steps.sort((a, b) => a.atMs - b.atMs);
}

/**
 * The cancellation of an order, from the order detail's `target` and the order the desk made of it
 * (`orderFromDetail`), or null when the order has none. An order IN_CANCEL is waiting for the
 * seller; afterwards the order log says how it ended.
 */
export function cancellationFromDetail(raw: unknown, order: Order): CancelRequest | null {
  const target = asRecord(raw, 'the order');
  const inCancel = target.order_status === 'IN_CANCEL';
  const steps = cancelSteps(target);
  const asked = steps.filter((step) => step.step === 'asked').at(-1);
  if (!inCancel && asked === undefined) return null;
  const modifiedMs = Date.parse(order.updatedAt);
  const requestedMs = asked?.atMs ?? modifiedMs;
  const after = steps.filter((step) => step.atMs >= requestedMs && step.step !== 'asked').at(-1);
  const deadline = target.over_time_left === undefined || target.over_time_left === null || target.over_time_left === '' ? null : pacificToInstant(target.over_time_left, 'over_time_left');
  const words = optionalText(target.cancel_request_reason, 'cancel_request_reason', 5000) ?? '';
  const refundMax = subtract(order.paid, order.refunded);
  if (refundMax.amountMinor < 0) throw invalid(`order ${order.id}`, 'refunded more than was paid');
  let state: RequestState = 'requested';
  let resolution: Resolution | null = null;
  if (!inCancel && after !== undefined) {
    const decidedAt = toInstant(after.atMs);
    switch (after.step) {
      case 'accepted':
        state = 'refunded';
        resolution = { outcome: 'refunded', amount: order.refunded.amountMinor > 0 ? order.refunded : order.paid, decidedAt, by: 'seller' };
        break;
      case 'timed_out':
        state = 'auto_accepted';
        resolution = { outcome: 'decided_by_platform', amount: order.refunded.amountMinor > 0 ? order.refunded : order.paid, decidedAt, by: 'platform' };
        break;
      case 'refused':
        state = 'refused';
        resolution = { outcome: 'refused', amount: null, decidedAt, by: 'seller' };
        break;
      case 'withdrawn':
        state = 'withdrawn';
        resolution = { outcome: 'withdrawn', amount: null, decidedAt, by: 'buyer' };
        break;
      case 'asked':
        // Filtered out above: a new ask is the start of a request, not its end.
        break;
    }
  } else if (!inCancel) {
    // Left IN_CANCEL with no step logged: the order's status says what happened.
    state = order.status === 'cancelled' ? 'auto_accepted' : 'withdrawn';
    resolution =
      state === 'auto_accepted'
        ? { outcome: 'decided_by_platform', amount: order.refunded.amountMinor > 0 ? order.refunded : order.paid, decidedAt: order.updatedAt, by: 'platform' }
        : { outcome: 'withdrawn', amount: null, decidedAt: order.updatedAt, by: 'buyer' };
  }
  const updatedMs = Math.max(modifiedMs, after?.atMs ?? 0, requestedMs);
  const request: CancelRequest = {
    id: cancelRequestId(order.id),
    orderId: order.id,
    storeId: order.storeId,
    kind: 'cancel',
    reason: cancelReason(words),
    buyerMessage: words,
    requestedAt: toInstant(requestedMs),
    respondBy: toInstant(deadline ?? requestedMs + CANCEL_ANSWER_MS),
    requestedAmount: refundMax,
    refundMax,
    state,
    evidence: [],
    proofRequest: null,
    offer: null,
    resolution,
    updatedAt: toInstant(updatedMs),
    version: versionOf(updatedMs),
  };
  const checked = CancelRequestSchema.safeParse(request);
  if (!checked.success) throw invalid(`the cancellation of order ${order.id}`, `that does not make a valid request (${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? ''})`);
  return checked.data;
}
