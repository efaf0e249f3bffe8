import type { Order } from '../../../../shared/domain/order';
import type { CancelRequest } from '../../../../shared/domain/request';
import type { Clock } from '../../../../shared/domain/time';
import { DeskError, toErrorShape } from '../../../../shared/errors';
import type { ListPage, ListParams, QuarantinedRecord } from '../listing';
import { aeId, excerpt, instantToPacific } from './convert';
import { iopList } from './iop';
import { iopLong } from './iop/encode';
import { cancellationFromDetail } from './mapping/cancellations';
import { disputeFromDetail } from './mapping/disputes';
import { asRecord, optionalText } from './mapping/fields';
import { orderFromDetail, orderIdOf } from './mapping/orders';
import { AE_PAGE_MAX, decodeCursor, encodeCursor, nextCursor, startCursor, type FeedCursor } from './windows';
import type { AeCaller } from './caller';

/** The statuses a running order can have: everything but FINISH (which the list leaves out unless asked). */
const RUNNING = ['PLACE_ORDER_SUCCESS', 'IN_CANCEL', 'WAIT_SELLER_SEND_GOODS', 'SELLER_PART_SEND_GOODS', 'WAIT_BUYER_ACCEPT_GOODS', 'FUND_PROCESSING', 'IN_ISSUE', 'IN_FROZEN', 'WAIT_SELLER_EXAMINE_MONEY', 'RISK_CONTROL'];

/** One page of the order list: the ids on it, and how many pages the window has. */
async function orderListPage(caller: AeCaller, cursor: FeedCursor, pageSize: number): Promise<{ ids: Array<{ id: string | null; raw: unknown; issue: boolean }>; totalPages: number }> {
  const query = {
    current_page: cursor.page,
    page_size: pageSize,
    // Running orders: a creation range with the modification range (protocol §5.1 asks for one), the
    // 180 days before the window's end. Finished orders: every range at most 30 days, so the
    // modification window alone.
    ...(cursor.phase === 'open' ? { create_date_start: instantToPacific(Math.max(0, cursor.end - 180 * 24 * 3_600_000)), create_date_end: instantToPacific(cursor.end) } : {}),
    modified_date_start: instantToPacific(cursor.start),
    modified_date_end: instantToPacific(cursor.end),
    ...(cursor.phase === 'finish' ? { order_status: 'FINISH' } : { order_status_list: RUNNING }),
  };
  const body = asRecord(await caller.call('aliexpress.trade.seller.orderlist.get', { param_aeop_order_query: query }), 'the order list');
  const result = asRecord(body.result, 'the order list result');
  if (result.success === false) {
    throw new DeskError('marketplace_error', `AliExpress refused the order list: ${optionalText(result.error_message, 'error_message', 300) ?? 'no reason given'}.`);
  }
  const items = iopList(result.target_list, 'aeop_order_item_dto');
  const total = Number(result.total_page ?? 1);
  return {
    ids: items.map((raw) => {
      const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
      let id: string | null;
      try {
        id = aeId(record.order_id, 'order_id');
      } catch {
        // Listed without a readable id: set aside by the caller with the raw record.
        id = null;
      }
      return { id, raw, issue: record.issue_status !== undefined && record.issue_status !== 'NO_ISSUE' };
    }),
    totalPages: Number.isSafeInteger(total) && total >= 1 ? total : 1,
  };
}

function quarantined(resource: QuarantinedRecord['resource'], id: string | null, error: unknown, raw: unknown): QuarantinedRecord {
  return { resource, id, version: null, reason: toErrorShape(error).message.slice(0, 1000), excerpt: excerpt(raw).slice(0, 500) };
}

/** A read that failed for one record only (its content), as opposed to the whole page (the marketplace). */
function isRecordProblem(error: unknown): boolean {
  return error instanceof DeskError && (error.code === 'invalid_payload' || error.code.startsWith('money.'));
}

/** The order detail (`findorderbyid`'s target) of one order. */
export async function orderDetail(caller: AeCaller, orderId: string): Promise<unknown> {
  const body = asRecord(await caller.call('aliexpress.trade.new.redefining.findorderbyid', { param1: { order_id: iopLong(orderId) } }), 'the order detail');
  return body.target ?? asRecord(body.result, 'the order detail result').data;
}

/** Every issue of an order (the list, then each issue's detail). */
export async function issuesOfOrder(caller: AeCaller, orderId: string): Promise<Array<{ raw: unknown; modified: string | null }>> {
  const body = asRecord(await caller.call('aliexpress.issue.issuelist.get', { query_dto: { current_page: 1, page_size: AE_PAGE_MAX, order_no: iopLong(orderId) } }), 'the issue list');
  const list = iopList((body.result_object as Record<string, unknown> | undefined)?.data_list ?? body.data_list, 'issue_api_issue_dto');
  const found: Array<{ raw: unknown; modified: string | null }> = [];
  for (const raw of list) {
    const item = asRecord(raw, 'an issue of the list');
    const detail = await issueDetail(caller, aeId(item.issue_id ?? item.id, 'issue_id'), optionalText(item.buyer_login_id, 'buyer_login_id', 40) ?? '');
    found.push({ raw: detail, modified: optionalText(item.gmt_modified, 'gmt_modified', 40) });
  }
  return found;
}

/** One issue's detail (`result_object`). */
export async function issueDetail(caller: AeCaller, issueId: string, buyerLoginId: string): Promise<unknown> {
  const body = asRecord(await caller.call('aliexpress.issue.detail.get', { buyer_login_id: buyerLoginId, issue_id: iopLong(issueId) }), 'the issue detail');
  return body.result_object ?? body;
}

/** The AliExpress feeds the sync engine pulls (orders, requests), walking the order list by modification time. */
export function aliExpressListing(caller: AeCaller, clock: Clock, storeId: string, log: (line: string) => void) {
  async function walk<T>(params: ListParams, read: (entry: { id: string | null; raw: unknown; issue: boolean }, into: { items: T[]; quarantined: QuarantinedRecord[] }) => Promise<void>): Promise<ListPage<T>> {
    const cursor = params.cursor === null ? startCursor(params.updatedSince, clock.now()) : decodeCursor(params.cursor);
    const page = await orderListPage(caller, cursor, Math.max(1, Math.min(params.limit, AE_PAGE_MAX)));
    const into = { items: [] as T[], quarantined: [] as QuarantinedRecord[] };
    for (const entry of page.ids) await read(entry, into);
    const next = nextCursor(cursor, page.totalPages);
    // An order changed since the mark may carry records that did not (its older dispute): only what changed is news.
    const since = params.updatedSince;
    const items = since === null ? into.items : into.items.filter((item) => (item as { updatedAt: string }).updatedAt >= since);
    return { items, quarantined: into.quarantined, nextCursor: next === null ? null : encodeCursor(next) };
  }

  return {
    listOrders: (params: ListParams): Promise<ListPage<Order>> =>
      walk<Order>(params, async (entry, into) => {
        if (entry.id === null) {
          into.quarantined.push(quarantined('orders', null, new DeskError('invalid_payload', 'AliExpress listed an order without a readable order_id.'), entry.raw));
          return;
        }
        const raw = await orderDetail(caller, entry.id);
        try {
          into.items.push(orderFromDetail(raw, storeId));
        } catch (error) {
          if (!isRecordProblem(error)) throw error;
          into.quarantined.push(quarantined('orders', orderIdOf(raw) ?? entry.id, error, raw));
        }
      }),
    listRequests: (params: ListParams): Promise<ListPage<CancelRequest>> =>
      walk<CancelRequest>(params, async (entry, into) => {
        if (entry.id === null) return;
        const raw = await orderDetail(caller, entry.id);
        let order: Order | null = null;
        try {
          order = orderFromDetail(raw, storeId);
          const cancellation = cancellationFromDetail(raw, order);
          if (cancellation !== null) into.items.push(cancellation);
        } catch (error) {
          if (!isRecordProblem(error)) throw error;
          // The order is set aside by its own feed; its cancellation cannot be read without it.
          if (order !== null) into.quarantined.push(quarantined('requests', `cancel-${entry.id}`, error, raw));
        }
        if (!entry.issue && (raw as Record<string, unknown> | null)?.issue_status === 'NO_ISSUE') return;
        for (const issue of await issuesOfOrder(caller, entry.id)) {
          try {
            // The list's gmt_modified is not passed: the version must be what a fresh detail read gives (actions compare it).
            into.items.push(disputeFromDetail(issue.raw, storeId));
          } catch (error) {
            if (!isRecordProblem(error)) throw error;
            log(`AliExpress issue of order ${entry.id} set aside: ${toErrorShape(error).message}`);
            into.quarantined.push(quarantined('requests', null, error, issue.raw));
          }
        }
      }),
  };
}
