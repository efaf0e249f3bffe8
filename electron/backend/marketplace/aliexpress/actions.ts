import type { CancelRequest } from '../../../../shared/domain/request';
import { DeskError, toErrorShape } from '../../../../shared/errors';
import { REFUSAL_REASON_CATALOGUE, SELLER_REFUSAL_REASONS, type SellerRefusalReason } from '../../../../shared/rules/reasons';
import { MoneySchema, equals, money, type Money } from '../../../../shared/money';
import type { ActOutcome, ActionCall, AppliedResult, ReadOutcome } from '../adapter';
import type { AeCaller } from './caller';
import { toMajorString } from './convert';
import { iopList } from './iop';
import { iopLong } from './iop/encode';
import { IopError, iopFailureOutcome } from './iop/error';
import { issueDetail, orderDetail } from './listing';
import { cancelOrderIdOf, cancellationFromDetail } from './mapping/cancellations';
import { disputeFromDetail, issueIdOf, solutionsOf, type AeSolution } from './mapping/disputes';
import { asRecord, optionalText } from './mapping/fields';
import { orderFromDetail } from './mapping/orders';
import { ALIEXPRESS_CAPABILITIES } from './capabilities';
import { messageLanded, sendToBuyer } from './messages';

/** What the desk knows of a request on AliExpress right now, read fresh before and after acting. */
export interface AeSnapshot {
  readonly request: CancelRequest;
  /** The order detail's target (a cancellation) or the issue detail (a dispute), as AliExpress sent it. */
  readonly raw: unknown;
  /** The order, as AliExpress sent it (checked by the dispatcher on its own). */
  readonly order: unknown;
  readonly buyerLoginId: string;
  /** The dispute's solutions (none for a cancellation). */
  readonly solutions: readonly AeSolution[];
}

/** Where a request lives on AliExpress: an order's cancellation, or an issue. */
type Target = { readonly kind: 'cancel'; readonly orderId: string } | { readonly kind: 'dispute'; readonly issueId: string; readonly orderId: string };

function targetOf(call: Pick<ActionCall, 'requestId' | 'orderId'>): Target {
  const orderId = cancelOrderIdOf(call.requestId);
  if (orderId !== null) return { kind: 'cancel', orderId };
  const issueId = issueIdOf(call.requestId);
  if (issueId !== null) return { kind: 'dispute', issueId, orderId: call.orderId };
  throw new DeskError('not_found', `${call.requestId} is not an AliExpress cancellation or dispute.`);
}

/** The buyer of an order, as the order detail names them. */
function buyerOfOrder(raw: unknown): string {
  const target = asRecord(raw, 'the order');
  const info = target.buyer_info === undefined || target.buyer_info === null ? null : asRecord(target.buyer_info, 'buyer_info');
  const login = optionalText(target.buyerloginid, 'buyerloginid', 64) ?? optionalText(info?.login_id, 'buyer_info.login_id', 64);
  if (login === null) throw new DeskError('invalid_payload', 'AliExpress sent the order without the buyer (buyerloginid).');
  return login;
}

/** Reads the request as AliExpress has it now. The issue's buyer comes from its order. */
export async function snapshotOf(caller: AeCaller, storeId: string, call: Pick<ActionCall, 'requestId' | 'orderId'>): Promise<AeSnapshot | null> {
  const target = targetOf(call);
  const rawOrder = await orderDetail(caller, target.orderId);
  if (rawOrder === undefined || rawOrder === null) return null;
  const buyerLoginId = buyerOfOrder(rawOrder);
  if (target.kind === 'cancel') {
    const order = orderFromDetail(rawOrder, storeId);
    const request = cancellationFromDetail(rawOrder, order);
    return request === null ? null : { request, raw: rawOrder, order: order, buyerLoginId, solutions: [] };
  }
  const raw = await issueDetail(caller, target.issueId, buyerLoginId);
  const request = disputeFromDetail(raw, storeId);
  let order: unknown;
  try {
    order = orderFromDetail(rawOrder, storeId);
  } catch {
    // The order is the dispatcher's to check; a malformed one does not hide the dispute.
    order = null;
  }
  return { request, raw, order, buyerLoginId, solutions: solutionsOf(asRecord(raw, 'the issue'), null) };
}

/** The buyer's standing solution: what agreeing accepts and what a counter-offer refuses. */
function buyerSolution(snapshot: AeSnapshot): AeSolution | null {
  const live = snapshot.solutions.filter((solution) => solution.owner === 'buyer' && (solution.status === 'wait_seller_accept' || solution.status === 'wait_buyer_and_seller_accept'));
  return live.sort((a, b) => b.createdMs - a.createdMs)[0] ?? null;
}

/** The refusal sentence for the buyer: the reason in words, then the seller's note, within AliExpress's limit. */
export function refusalText(body: Readonly<Record<string, unknown>>): string {
  const reason = typeof body.reason === 'string' && (SELLER_REFUSAL_REASONS as readonly string[]).includes(body.reason) ? (body.reason as SellerRefusalReason) : 'other';
  const memo = typeof body.memo === 'string' ? body.memo.trim() : '';
  const label = REFUSAL_REASON_CATALOGUE[reason].label;
  const text = memo === '' ? label : reason === 'other' ? memo : `${label}: ${memo}`;
  return text.slice(0, ALIEXPRESS_CAPABILITIES.limits.refusalNoteMax);
}

/** What AliExpress has no API for, in the sentence "AliExpress has no … for …". */
const UNSUPPORTED: Readonly<Record<ActionCall['action'], string>> = {
  accept: 'acceptance',
  refuse: 'refusal',
  offer: 'partial-refund offer',
  escalate: 'escalation by the seller',
  'request-evidence': 'proof request (Cancel Desk writes to the buyer instead)',
  'retry-refund': 'refund retry',
  message: 'message',
};

const OFFER_TEXT = 'We offer a partial refund so that you can keep the item.';

/** The default return address (a refund address) the seller keeps on AliExpress, for a return. */
async function returnAddressId(caller: AeCaller): Promise<string | null> {
  const body = asRecord(await caller.call('aliexpress.logistics.redefining.getlogisticsselleraddresses', { seller_address_query: ['refund'] }), 'the seller addresses');
  const inner = body.result === undefined ? body : asRecord(body.result, 'the seller addresses');
  const list = iopList(inner.refund_seller_address_list, 'addressdtos').map((raw) => asRecord(raw, 'an address'));
  const chosen = list.find((address) => address.is_default === true || address.is_default === 1 || address.is_default === 'true') ?? list[0];
  const id = chosen?.address_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}

/** The extension AliExpress's image upload takes, from the photo's sniffed type. */
function extensionOf(contentType: string): string | null {
  return contentType === 'image/jpeg' ? 'jpg' : contentType === 'image/png' ? 'png' : null;
}

/**
 * A dispute API's answer: `result_object` is a Boolean, and false means AliExpress did not take it
 * (protocol §5.7–§5.9, Q7). Anything else that came back without an error is taken as done.
 */
function tookIt(body: unknown): boolean {
  return !(typeof body === 'object' && body !== null && (body as Record<string, unknown>).result_object === false);
}

const NOT_TAKEN = (what: string): ActOutcome => ({ kind: 'rejected', code: 'not_taken', message: `AliExpress did not take the ${what} (it answered false, without a reason).` });

/** A message to the buyer through IM: not a change of the request, so its result is the request as it is. */
async function sendMessage(caller: AeCaller, storeId: string, call: ActionCall, before: AeSnapshot): Promise<ActOutcome> {
  const text = typeof call.body.text === 'string' ? call.body.text.trim() : '';
  if (text === '') return { kind: 'rejected', code: 'invalid_input', message: 'An empty message is not sent.' };
  if (text.length > ALIEXPRESS_CAPABILITIES.limits.messageMax) {
    return { kind: 'rejected', code: 'too_long', message: `AliExpress takes messages of at most ${ALIEXPRESS_CAPABILITIES.limits.messageMax} characters; this one has ${text.length}.` };
  }
  try {
    const sent = await sendToBuyer(caller, call.orderId || before.request.orderId, text);
    if (sent === 'no_buyer_id') return { kind: 'rejected', code: 'no_buyer_id', message: 'AliExpress does not name this buyer’s account for messages; write to them on AliExpress.' };
  } catch (error) {
    return failure(error, false);
  }
  return { kind: 'applied', result: { request: before.request, order: before.order, refund: null } };
}

/** The outcome of an AliExpress call that threw (never `applied`). */
function failure(error: unknown, before: boolean): Exclude<ActOutcome, { kind: 'applied' }> {
  if (error instanceof IopError) {
    const outcome = iopFailureOutcome(error);
    // A read before the action changes nothing: an unclear read means "not sent yet".
    return before && outcome.kind === 'unknown' ? { kind: 'not_sent', code: outcome.code, message: outcome.message } : outcome;
  }
  if (error instanceof DeskError) return before ? { kind: 'not_sent', code: error.code, message: error.message } : { kind: 'unknown', code: error.code, message: error.message };
  throw error;
}

/** The refund an applied action sends the buyer (what the dispatcher records). */
function refundOf(call: ActionCall, before: AeSnapshot): Money | null {
  if (call.action !== 'accept') return null;
  if (before.request.kind === 'cancel') return before.request.refundMax;
  return buyerSolution(before)?.amount ?? before.request.requestedAmount;
}

async function applied(caller: AeCaller, storeId: string, call: ActionCall, before: AeSnapshot): Promise<ActOutcome> {
  try {
    const after = await snapshotOf(caller, storeId, call);
    if (after === null) return { kind: 'unknown', code: 'not_found', message: 'AliExpress took the decision but no longer shows the request.' };
    const result: AppliedResult = { request: after.request, order: after.order, refund: refundOf(call, before) };
    return { kind: 'applied', result };
  } catch (error) {
    // Applied, but unreadable just now: the dispatcher reads the outcome before anything else.
    const shape = toErrorShape(error);
    return { kind: 'unknown', code: shape.code, message: `AliExpress took the decision; reading it back failed (${shape.message})` };
  }
}

/**
 * One decision sent to AliExpress, once. The request is read first (no idempotency keys here: a
 * decision against a request that moved on is a conflict, never sent), then the one call that
 * applies it, then the request again for what it became.
 */
export async function actOnAliExpress(caller: AeCaller, storeId: string, call: ActionCall): Promise<ActOutcome> {
  let before: AeSnapshot | null;
  try {
    before = await snapshotOf(caller, storeId, call);
  } catch (error) {
    return failure(error, true);
  }
  if (before === null) return { kind: 'rejected', code: 'not_found', message: `AliExpress has no ${call.requestId} any more.` };
  const expected = call.body.expectedVersion;
  if (typeof expected === 'number' && before.request.version !== expected) {
    return { kind: 'conflict', code: 'version_conflict', message: `The request changed on AliExpress since the decision (now ${before.request.state.replaceAll('_', ' ')}); nothing was sent.` };
  }
  const { request } = before;
  if (call.action === 'message') return sendMessage(caller, storeId, call, before);
  const unsupported = (what: string): ActOutcome => ({ kind: 'rejected', code: 'not_supported', message: `AliExpress has no ${what} for ${request.kind === 'cancel' ? 'cancellations before shipment' : 'disputes after shipment'}.` });
  try {
    if (request.kind === 'cancel') {
      const cancelRequest = { buyer_login_id: before.buyerLoginId, order_id: iopLong(request.orderId) };
      switch (call.action) {
        case 'accept':
          await caller.call('aliexpress.trade.seller.order.acceptcancel', { param_order_cancel_request: cancelRequest });
          return await applied(caller, storeId, call, before);
        case 'refuse':
          await caller.call('aliexpress.trade.seller.order.refusecancel', { param_order_cancel_request: { ...cancelRequest, memo: refusalText(call.body) } });
          return await applied(caller, storeId, call, before);
        case 'offer':
        case 'escalate':
        case 'request-evidence':
        case 'retry-refund':
          return unsupported(UNSUPPORTED[call.action]);
      }
    }
    const issueId = issueIdOf(request.id) ?? '';
    switch (call.action) {
      case 'accept': {
        const solution = buyerSolution(before);
        if (solution === null) return { kind: 'conflict', code: 'no_buyer_solution', message: 'The buyer has no solution waiting on AliExpress any more; nothing was sent.' };
        const address = solution.type === 'return_and_refund' ? await returnAddressId(caller) : null;
        if (solution.type === 'return_and_refund' && address === null) {
          return { kind: 'rejected', code: 'no_return_address', message: 'The buyer returns the item, and your AliExpress account has no return address: add one on AliExpress, then accept again.' };
        }
        const agreed = await caller.call('aliexpress.issue.solution.agree', {
          buyer_login_id: before.buyerLoginId,
          issue_id: iopLong(issueId),
          solution_id: iopLong(solution.id),
          ...(address === null ? {} : { return_address_id: iopLong(address) }),
        });
        if (!tookIt(agreed)) return NOT_TAKEN('agreement');
        return await applied(caller, storeId, call, before);
      }
      case 'refuse':
      case 'offer': {
        const solution = buyerSolution(before);
        const amount: Money = call.action === 'offer' ? MoneySchema.parse(call.body.amount) : money(0, request.requestedAmount.currency);
        for (const photo of call.attachments ?? []) {
          const extension = extensionOf(photo.contentType);
          if (extension === null) return { kind: 'rejected', code: 'evidence_type', message: `AliExpress takes JPEG and PNG photos; ${photo.fileName} is ${photo.contentType}.` };
          const uploaded = await caller.call('aliexpress.issue.image.upload', { buyer_login_id: before.buyerLoginId, issue_id: iopLong(issueId), extension }, { file: { field: 'image_bytes', fileName: photo.fileName, contentType: photo.contentType, bytes: photo.bytes } });
          if (!tookIt(uploaded)) return NOT_TAKEN(`photo ${photo.fileName}`);
        }
        const saved = await caller.call('aliexpress.issue.solution.save', {
          param_dto: {
            add_seller_solution: true,
            buyer_login_id: before.buyerLoginId,
            issue_id: iopLong(issueId),
            ...(solution === null ? {} : { buyer_solution_id: iopLong(solution.id) }),
            refund_amount: toMajorString(amount),
            refund_amount_currency: amount.currency,
            solution_context: call.action === 'refuse' ? refusalText(call.body) : OFFER_TEXT,
            add_solution_type: 'refund',
          },
        });
        if (!tookIt(saved)) return NOT_TAKEN(call.action === 'offer' ? 'offer' : 'refusal');
        return await applied(caller, storeId, call, before);
      }
      case 'escalate':
      case 'request-evidence':
      case 'retry-refund':
        return unsupported(UNSUPPORTED[call.action]);
    }
  } catch (error) {
    return failure(error, false);
  }
}

/**
 * Whether an earlier attempt landed, from AliExpress's own state (it keeps no idempotency keys):
 * - a cancellation accepted or refused shows in the order (and its log) as the seller's step;
 * - a dispute agreed shows the buyer's solution reached; a refusal or an offer shows a seller
 *   solution of that amount made at or after the version the decision was made against.
 * Nothing changed since that version: not applied. Changed otherwise: not applied either (sending
 * again meets the change as a conflict, never a second refund).
 */
export async function readAliExpressOutcome(caller: AeCaller, storeId: string, call: ActionCall): Promise<ReadOutcome> {
  if (call.action === 'message') {
    const { text, decidedAt } = call.body;
    if (typeof text !== 'string' || typeof decidedAt !== 'string') return { kind: 'cannot_tell', reason: 'the message names no text or time to look for' };
    const landed = await messageLanded(caller, call.orderId, text.trim(), Date.parse(decidedAt));
    if (landed === null) return { kind: 'cannot_tell', reason: 'AliExpress does not name this buyer’s account for messages' };
    if (!landed) return { kind: 'not_applied' };
    const snapshot = await snapshotOf(caller, storeId, call);
    if (snapshot === null) return { kind: 'cannot_tell', reason: 'AliExpress no longer shows this request' };
    return { kind: 'applied', result: { request: snapshot.request, order: snapshot.order, refund: null } };
  }
  const expected = call.body.expectedVersion;
  if (typeof expected !== 'number') return { kind: 'cannot_tell', reason: 'the decision names no version of the request to compare with' };
  const snapshot = await snapshotOf(caller, storeId, call);
  if (snapshot === null) return { kind: 'cannot_tell', reason: 'AliExpress no longer shows this request' };
  const { request } = snapshot;
  const landed = (() => {
    if (request.kind === 'cancel') {
      if (call.action === 'accept') return request.state === 'refunded' && request.resolution?.by === 'seller';
      if (call.action === 'refuse') return request.state === 'refused' && request.resolution?.by === 'seller';
      return false;
    }
    const sinceMs = expected * 1000;
    if (call.action === 'accept') return snapshot.solutions.some((solution) => solution.owner === 'buyer' && (solution.status === 'reached' || solution.status === 'perform') && solution.reachedType !== 'seller_reponse_timeout');
    if (call.action === 'refuse' || call.action === 'offer') {
      const parsed = call.action === 'offer' ? MoneySchema.safeParse(call.body.amount) : { success: true as const, data: money(0, request.requestedAmount.currency) };
      if (!parsed.success) return false;
      return snapshot.solutions.some((solution) => solution.owner === 'seller' && solution.createdMs >= sinceMs && equals(solution.amount, parsed.data));
    }
    return false;
  })();
  if (landed) {
    const result: AppliedResult = { request, order: snapshot.order, refund: call.action === 'accept' ? (request.resolution?.amount ?? request.requestedAmount) : null };
    return { kind: 'applied', result };
  }
  return { kind: 'not_applied' };
}
