import { Rng } from '../random';
import { CANCEL_WINDOW_MS } from './basics';
import { openIssue } from './disputes-seed';
import { BusinessError } from './envelope';
import type { ImMessage, Issue, SolutionType } from './model';
import type { Platform } from './platform';

/**
 * What a buyer does when a test or a demo says so (admin API): write to the seller, ask to
 * cancel an order not yet shipped, open a dispute on a shipped one. Each is a ledger entry of
 * kind `buyer` and moves the order's gmt_modified.
 */

export function buyerWrites(platform: Platform, input: { buyerId?: string; orderId?: string; text: string }): ImMessage {
  const order =
    input.orderId !== undefined
      ? platform.orders.get(input.orderId)
      : [...platform.orders.values()].find((candidate) => candidate.buyer.accountId === input.buyerId);
  if (order === undefined) throw new BusinessError('not_found', 'No order matches that buyer or order id.');
  const at = platform.now();
  const message: ImMessage = {
    id: platform.ids.wide(),
    buyerAccountId: order.buyer.accountId,
    from: 'buyer',
    templateId: 1,
    content: JSON.stringify({ txt: input.text }),
    sentAt: at,
  };
  platform.messages.push(message);
  platform.record({ kind: 'buyer', api: 'buyer:message', orderId: order.id, details: { messageId: message.id } }, at);
  return message;
}

export function buyerAsksToCancel(platform: Platform, orderId: string, reason: string): void {
  const order = platform.orders.get(orderId);
  if (order === undefined) throw new BusinessError('not_found', `There is no order ${orderId}.`);
  if (order.status !== 'WAIT_SELLER_SEND_GOODS' && order.status !== 'RISK_CONTROL') {
    throw new BusinessError('wrong_state', `Order ${orderId} cannot be cancelled by its buyer now (${order.status}).`);
  }
  const at = platform.now();
  order.cancel = { requestedAt: at, deadlineAt: at + CANCEL_WINDOW_MS, reason, previousStatus: order.status };
  order.status = 'IN_CANCEL';
  order.log.push({ at, actionType: 'buyer_apply_cancel', operator: 'buyer', memo: reason });
  platform.recordChange('buyer:request_cancel', order, at);
  platform.arm();
}

export function buyerOpensDispute(platform: Platform, orderId: string, type: SolutionType): Issue {
  const order = platform.orders.get(orderId);
  if (order === undefined) throw new BusinessError('not_found', `There is no order ${orderId}.`);
  const open = platform.issuesOf(orderId).some((issue) => issue.status === 'processing');
  if (order.shippedAt === null || order.status === 'FINISH' || open) {
    throw new BusinessError('wrong_state', `Order ${orderId} cannot get a new dispute now (${order.status}).`);
  }
  const at = platform.now();
  const issue = openIssue(platform.ids, new Rng(Number(BigInt(orderId) % 4_294_967_296n)), order, at, type);
  platform.addIssue(issue);
  platform.recordChange('buyer:open_dispute', order, at, issue);
  platform.arm();
  return issue;
}
