import { BuyerMessageSchema, MESSAGE_TEXT_MAX, type BuyerMessage } from '../../../../shared/domain/message';
import { toInstant } from '../../../../shared/domain/time';
import { DeskError } from '../../../../shared/errors';
import type { ListPage, ListParams, QuarantinedRecord } from '../listing';
import type { AeCaller } from './caller';
import { aeId, excerpt, instantToPacific } from './convert';
import { iopList } from './iop';
import { iopLong } from './iop/encode';
import { issuesOfOrder, orderDetail } from './listing';
import { cancelRequestId } from './mapping/cancellations';
import { disputeRequestId } from './mapping/disputes';
import { asRecord, optionalRecord, optionalText } from './mapping/fields';
import { AE_PAGE_MAX } from './windows';

/**
 * The conversation with buyers through AliExpress's IM APIs (protocol §5.11): `aliexpress/message/send`
 * and `aliexpress/message/list`, per buyer by their numeric account id (`buyer_id`), paged newest
 * first by a cursor of time and message id. AliExpress's messages are per buyer, not per request:
 * a message belongs to the buyer's newest open request (a cancellation waiting, else a dispute).
 */

/** The most IM pages read per buyer in one pass (20 messages each). */
const MAX_PAGES_PER_BUYER = 25;
const IM_PAGE_MAX = 20;

/** The numeric account id IM calls `buyer_id`, from an order detail (unconfirmed where AliExpress puts it: see the README). */
export function buyerIdOf(rawOrder: unknown): string | null {
  const target = asRecord(rawOrder, 'the order');
  const info = optionalRecord(target.buyer_info, 'buyer_info');
  const raw = info?.buyer_id ?? target.buyer_id;
  if (raw === undefined || raw === null) return null;
  return aeId(raw, 'buyer_info.buyer_id');
}

/** The text of an IM message's content (a JSON string: `{"txt": …}` for text, other templates otherwise). */
function textOf(content: unknown, templateId: unknown): string {
  let parsed: unknown = content;
  if (typeof content === 'string') {
    try {
      parsed = JSON.parse(content);
    } catch {
      return content;
    }
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (typeof record.txt === 'string') return record.txt;
  if (typeof record.img_url === 'string') return `[image] ${record.img_url}`;
  const card = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  if (record.order_id !== undefined) return `[order card] ${card(record.order_id)}`;
  if (record.item_id !== undefined) return `[product card] ${card(record.item_id)}`;
  return `[message of template ${String(templateId)}]`;
}

export interface ImMessage {
  readonly id: string;
  readonly from: 'buyer' | 'seller';
  readonly text: string;
  readonly sentMs: number;
}

/** One buyer's messages newer than `sinceMs` (all when null), newest first, from the IM list. */
export async function buyerMessages(caller: AeCaller, buyerId: string, sinceMs: number | null): Promise<ImMessage[]> {
  const found: ImMessage[] = [];
  let cursor: { start: number; last: string } | null = null;
  for (let page = 0; page < MAX_PAGES_PER_BUYER; page += 1) {
    const query = { buyer_id: iopLong(buyerId), page_size: IM_PAGE_MAX, ...(cursor === null ? {} : { start_time: cursor.start, last_message_id: iopLong(cursor.last) }) };
    const body = asRecord(await caller.call('aliexpress/message/list', { im_query_message_dto: query }), 'the message list');
    const result = asRecord(body.result, 'the message list result');
    if (result.success === false) throw new DeskError('marketplace_error', `AliExpress refused the message list: ${optionalText(result.error_message, 'error_message', 300) ?? 'no reason given'}.`);
    const data = optionalRecord(result.data, 'the message list data');
    const list = iopList(data?.message_list, 'message');
    let oldest: ImMessage | null = null;
    for (const raw of list) {
      const item = asRecord(raw, 'a message');
      const sentMs = Number(item.send_time);
      if (!Number.isSafeInteger(sentMs)) throw new DeskError('invalid_payload', 'AliExpress sent a message without a readable send_time.');
      const message: ImMessage = {
        id: aeId(item.message_id, 'message_id'),
        from: String(item.from_account_type) === '11' ? 'buyer' : 'seller',
        text: textOf(item.content, item.template_id).slice(0, MESSAGE_TEXT_MAX),
        sentMs,
      };
      oldest = message;
      if (sinceMs !== null && sentMs < sinceMs) return found;
      found.push(message);
    }
    if (data?.has_more !== true || oldest === null) return found;
    cursor = { start: oldest.sentMs, last: oldest.id };
  }
  return found;
}

/** The buyers with a request open now, each with that request: cancellations waiting first, then disputes. */
async function openConversations(caller: AeCaller, nowMs: number): Promise<Map<string, { requestId: string; orderId: string }>> {
  const buyers = new Map<string, { requestId: string; orderId: string }>();
  for (const status of ['IN_CANCEL', 'IN_ISSUE'] as const) {
    for (let page = 1; page <= 40; page += 1) {
      const query = {
        current_page: page,
        page_size: AE_PAGE_MAX,
        create_date_start: instantToPacific(Math.max(0, nowMs - 180 * 24 * 3_600_000)),
        create_date_end: instantToPacific(nowMs),
        order_status: status,
      };
      const result = asRecord(asRecord(await caller.call('aliexpress.trade.seller.orderlist.get', { param_aeop_order_query: query }), 'the order list').result, 'the order list result');
      for (const raw of iopList(result.target_list, 'aeop_order_item_dto')) {
        const orderId = aeId(asRecord(raw, 'an order').order_id, 'order_id');
        const detail = await orderDetail(caller, orderId);
        const buyerId = buyerIdOf(detail);
        if (buyerId === null || buyers.has(buyerId)) continue;
        if (status === 'IN_CANCEL') {
          buyers.set(buyerId, { requestId: cancelRequestId(orderId), orderId });
          continue;
        }
        const open = (await issuesOfOrder(caller, orderId)).find((issue) => (issue.raw as Record<string, unknown> | null)?.issue_status === 'processing');
        const issueId = open === undefined ? null : aeId((open.raw as Record<string, unknown>).id, 'id');
        if (issueId !== null) buyers.set(buyerId, { requestId: disputeRequestId(issueId), orderId });
      }
      if (page >= Number(result.total_page ?? 1)) break;
    }
  }
  return buyers;
}

/** The messages feed: every buyer with an open request, their messages since the mark. One page. */
export async function listAliExpressMessages(caller: AeCaller, params: ListParams, nowMs: number): Promise<ListPage<BuyerMessage>> {
  const sinceMs = params.updatedSince === null ? null : Date.parse(params.updatedSince);
  const items: BuyerMessage[] = [];
  const quarantined: QuarantinedRecord[] = [];
  for (const [buyerId, conversation] of await openConversations(caller, nowMs)) {
    for (const message of await buyerMessages(caller, buyerId, sinceMs)) {
      const at = toInstant(message.sentMs);
      const candidate = { id: `im-${message.id}`, requestId: conversation.requestId, orderId: conversation.orderId, from: message.from, text: message.text, at, updatedAt: at, version: 1 };
      const checked = BuyerMessageSchema.safeParse(candidate);
      if (checked.success) items.push(checked.data);
      else quarantined.push({ resource: 'messages', id: candidate.id, version: 1, reason: checked.error.issues[0]?.message ?? 'unreadable', excerpt: excerpt(candidate).slice(0, 500) });
    }
  }
  return { items, quarantined, nextCursor: null };
}

/** Sends a text to the order's buyer; throws what the client throws. */
export async function sendToBuyer(caller: AeCaller, orderId: string, text: string): Promise<'sent' | 'no_buyer_id'> {
  const buyerId = buyerIdOf(await orderDetail(caller, orderId));
  if (buyerId === null) return 'no_buyer_id';
  const body = asRecord(await caller.call('aliexpress/message/send', { im_send_message_dto: { buyer_id: iopLong(buyerId), template_id: 1, message_content_dto: { txt: text } } }), 'the message answer');
  const result = optionalRecord(body.result, 'the message result');
  if (result?.success === false) {
    throw new DeskError('marketplace_error', `AliExpress did not take the message: ${optionalText(result.error_message, 'error_message', 300) ?? 'no reason given'}.`);
  }
  return 'sent';
}

/** Whether a seller message with this text went to the order's buyer at or after `sinceMs`. */
export async function messageLanded(caller: AeCaller, orderId: string, text: string, sinceMs: number): Promise<boolean | null> {
  const buyerId = buyerIdOf(await orderDetail(caller, orderId));
  if (buyerId === null) return null;
  // A second of slack: AliExpress's times and ours need not agree to the millisecond.
  return (await buyerMessages(caller, buyerId, sinceMs - 1000)).some((message) => message.from === 'seller' && message.text === text);
}
