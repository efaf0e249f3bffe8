import { z } from 'zod';
import { IdSchema, IntSchema, jsonParam, optional, type ApiContext, type ApiDefinition } from './api-kit';
import { DAY_MS } from './basics';
import { BusinessError, wireList, type WireObject } from './envelope';
import { ORDER_STATUSES, type Order, type OrderStatus } from './model';
import { formatPacific, parsePacific } from './pacific';

/**
 * Orders, cancellations and addresses (§5.1, §5.2, §5.4, §5.10). Business errors of this family
 * sit inside `result` ({ success: false, error_code, error_message }), as §4.3 says; a missing or
 * malformed parameter is a gateway MissingParameter / InvalidParameter.
 *
 * orderlist.get rules: current_page (1-based) and page_size (1 to ORDER_PAGE_MAX) required; each
 * date range given (create or modified; a missing start is end − 180 days, a missing end is now)
 * spans at most 180 days; with no range at all the last 180 days of creation are listed. FINISH is
 * listed only when named in order_status / order_status_list, and then every range must span at
 * most 30 days (and one must be given). Newest created first. Dates compare at whole seconds.
 * Result error codes: InvalidParameter (page, size, dates, statuses), DateRangeTooLong.
 *
 * Cancellation answers: result error codes ORDER_NOT_FOUND, BUYER_NOT_MATCH, ORDER_NOT_IN_CANCEL,
 * MEMO_REQUIRED and MEMO_TOO_LONG (refusal memo of 1 to REFUSE_MEMO_MAX characters).
 */

export const ORDER_PAGE_MAX = 50;
export const REFUSE_MEMO_MAX = 512;
const RANGE_MAX_MS = 180 * DAY_MS;
const FINISH_RANGE_MAX_MS = 30 * DAY_MS;

const OrderQuerySchema = z.looseObject({
  current_page: IntSchema.optional(),
  page_size: IntSchema.optional(),
  create_date_start: z.string().optional(),
  create_date_end: z.string().optional(),
  modified_date_start: z.string().optional(),
  modified_date_end: z.string().optional(),
  order_status: z.string().optional(),
  order_status_list: z.union([z.array(z.string()), z.string()]).optional(),
  buyer_login_id: z.string().optional(),
});

class ResultError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const wholeSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

function readRange(
  now: number,
  startText: string | undefined,
  endText: string | undefined,
  label: string,
): { start: number; end: number } | null {
  if (startText === undefined && endText === undefined) return null;
  const read = (text: string | undefined, name: string): number | null => {
    if (text === undefined || text === '') return null;
    const ms = parsePacific(text);
    if (ms === null) throw new ResultError('InvalidParameter', `${name} must be "yyyy-MM-dd HH:mm:ss" (US Pacific time); got "${text}".`);
    return ms;
  };
  const end = read(endText, `${label}_end`) ?? wholeSecond(now);
  const start = read(startText, `${label}_start`) ?? end - RANGE_MAX_MS;
  if (start > end) throw new ResultError('InvalidParameter', `${label}_start is after ${label}_end.`);
  return { start, end };
}

function statusesOf(query: z.output<typeof OrderQuerySchema>): Set<OrderStatus> | null {
  const named: string[] = [];
  if (query.order_status !== undefined && query.order_status !== '') named.push(query.order_status);
  const list = query.order_status_list;
  if (Array.isArray(list)) named.push(...list);
  else if (list !== undefined && list !== '') named.push(...list.split(',').map((status) => status.trim()));
  if (named.length === 0) return null;
  const known = new Set<string>(ORDER_STATUSES);
  for (const status of named) {
    if (!known.has(status)) throw new ResultError('InvalidParameter', `"${status}" is not an order status.`);
  }
  return new Set(named as OrderStatus[]);
}

function listOrders(context: ApiContext): WireObject {
  const { platform, views } = context;
  const query = jsonParam(context, 'param_aeop_order_query', OrderQuerySchema);
  const now = platform.now();
  try {
    const page = query.current_page;
    const size = query.page_size;
    if (page === undefined || size === undefined) throw new ResultError('InvalidParameter', 'current_page and page_size are required.');
    if (size < 1 || size > ORDER_PAGE_MAX) throw new ResultError('InvalidParameter', `page_size must be from 1 to ${ORDER_PAGE_MAX}; got ${size}.`);
    if (page < 1) throw new ResultError('InvalidParameter', `current_page starts at 1; got ${page}.`);
    const statuses = statusesOf(query);
    const finishAsked = statuses?.has('FINISH') === true;
    const create = readRange(now, query.create_date_start, query.create_date_end, 'create_date');
    const modified = readRange(now, query.modified_date_start, query.modified_date_end, 'modified_date');
    const ranges = [create, modified].filter((range) => range !== null);
    if (finishAsked && ranges.length === 0) {
      throw new ResultError('DateRangeTooLong', 'Finished orders need a create or modified date range of at most 30 days.');
    }
    const limit = finishAsked ? FINISH_RANGE_MAX_MS : RANGE_MAX_MS;
    if (ranges.some((range) => range.end - range.start > limit)) {
      throw new ResultError('DateRangeTooLong', `A date range may span at most ${limit / DAY_MS} days${finishAsked ? ' when FINISH orders are asked for' : ''}.`);
    }
    const createRange = create ?? (modified === null ? { start: wholeSecond(now) - RANGE_MAX_MS, end: wholeSecond(now) } : null);
    const inRange = (ms: number, range: { start: number; end: number } | null): boolean =>
      range === null || (wholeSecond(ms) >= range.start && wholeSecond(ms) <= range.end);
    const matches = (order: Order): boolean =>
      (statuses === null ? order.status !== 'FINISH' : statuses.has(order.status)) &&
      (query.buyer_login_id === undefined || query.buyer_login_id === '' || order.buyer.loginId === query.buyer_login_id) &&
      inRange(order.createdAt, createRange) &&
      inRange(order.modifiedAt, modified);
    const found = [...platform.orders.values()]
      .filter(matches)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    const items = found.slice((page - 1) * size, page * size).map((order) => views.orderItem(order));
    return {
      result: {
        success: true,
        current_page: page,
        page_size: size,
        total_count: found.length,
        total_page: Math.ceil(found.length / size),
        time_stamp: formatPacific(now),
        target_list: wireList('aeop_order_item_dto', items),
      },
    };
  } catch (error) {
    if (!(error instanceof ResultError)) throw error;
    return { result: { success: false, error_code: error.code, error_message: error.message, time_stamp: formatPacific(now) } };
  }
}

const FindOrderSchema = z.looseObject({ order_id: IdSchema, ext_info_bit_flag: IntSchema.optional() });

function findOrder(context: ApiContext): WireObject {
  const input = jsonParam(context, 'param1', FindOrderSchema);
  const order = context.platform.orders.get(input.order_id);
  if (order === undefined) throw new BusinessError('isv.order-not-found', `Order ${input.order_id} does not exist or is not this seller's.`);
  const flag = input.ext_info_bit_flag;
  const include = (bit: number): boolean => flag === undefined || flag === 0 || (flag & (1 << (bit - 1))) !== 0;
  return { target: context.views.orderDetail(order, include), time_stamp: formatPacific(context.platform.now()) };
}

const CancelSchema = z.looseObject({ buyer_login_id: z.string().min(1), order_id: IdSchema, memo: z.string().optional() });

function answerCancel(context: ApiContext, accept: boolean): WireObject {
  const input = jsonParam(context, 'param_order_cancel_request', CancelSchema);
  try {
    if (accept) {
      context.platform.acceptCancel(context.api, input.order_id, input.buyer_login_id);
    } else {
      const memo = input.memo ?? '';
      if (memo.trim() === '') throw new BusinessError('MEMO_REQUIRED', 'A refusal needs a memo: the reason shown to the buyer.');
      if (memo.length > REFUSE_MEMO_MAX) throw new BusinessError('MEMO_TOO_LONG', `The memo is ${memo.length} characters; the limit is ${REFUSE_MEMO_MAX}.`);
      context.platform.refuseCancel(context.api, input.order_id, input.buyer_login_id, memo);
    }
  } catch (error) {
    if (!(error instanceof BusinessError)) throw error;
    return { result: { success: false, target: false, error_code: error.subCode, error_message: error.message } };
  }
  return { result: { success: true, target: true } };
}

const ADDRESS_KINDS = ['sender', 'pickup', 'refund'] as const;

/** seller_address_query: a JSON array, a bare word or a comma list (Q12); missing means all. */
function addressKinds(text: string | undefined): Set<string> {
  if (text === undefined) return new Set(ADDRESS_KINDS);
  let words: string[];
  try {
    const parsed: unknown = JSON.parse(text);
    words = Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
  } catch {
    words = text.split(',');
  }
  return new Set(words.map((word) => word.trim().toLowerCase()));
}

function sellerAddresses(context: ApiContext): WireObject {
  const kinds = addressKinds(optional(context, 'seller_address_query'));
  const body: Record<string, WireObject[keyof WireObject]> = { result_success: true };
  for (const kind of ADDRESS_KINDS) {
    if (!kinds.has(kind)) continue;
    body[`${kind}_seller_address_list`] = wireList(
      `${kind}selleraddresslist`,
      context.platform.seller.addresses
        .filter((address) => address.kind === kind)
        .map((address) => ({
          address_id: BigInt(address.addressId),
          name: address.name,
          phone: address.phone,
          mobile: address.phone,
          email: 'returns@example.com',
          country: address.country,
          province: address.province,
          city: address.city,
          county: '',
          street: address.street,
          street_address: address.street,
          postcode: address.postcode,
          is_default: address.isDefault ? 1 : 0,
          member_type: 'seller',
          trademanage_id: context.platform.seller.loginId,
          language: 'en',
          need_to_update: false,
          fax: '',
        })),
    );
  }
  return body;
}

export const ORDER_APIS: readonly ApiDefinition[] = [
  { name: 'aliexpress.trade.seller.orderlist.get', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: listOrders },
  { name: 'aliexpress.trade.new.redefining.findorderbyid', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: findOrder },
  { name: 'aliexpress.trade.seller.order.acceptcancel', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: (context) => answerCancel(context, true) },
  { name: 'aliexpress.trade.seller.order.refusecancel', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: (context) => answerCancel(context, false) },
  { name: 'aliexpress.logistics.redefining.getlogisticsselleraddresses', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: sellerAddresses },
];

