import { OrderSchema, type Order, type OrderLine, type OrderStatus } from '../../../../../shared/domain/order';
import { toInstant } from '../../../../../shared/domain/time';
import { add, compare, money, subtract, sum, type Money } from '../../../../../shared/money';
import { aeId, moneyStr, pacificToInstant } from '../convert';
import { iopList } from '../iop';
import { asRecord, integer, invalid, oneOf, optionalRecord, optionalText, type AeRecord } from './fields';

/** `order_status` as AliExpress documents it (protocol §5.3). */
export const AE_ORDER_STATUSES = [
  'PLACE_ORDER_SUCCESS',
  'IN_CANCEL',
  'WAIT_SELLER_SEND_GOODS',
  'SELLER_PART_SEND_GOODS',
  'WAIT_BUYER_ACCEPT_GOODS',
  'FUND_PROCESSING',
  'IN_ISSUE',
  'IN_FROZEN',
  'WAIT_SELLER_EXAMINE_MONEY',
  'RISK_CONTROL',
  'FINISH',
] as const;
export type AeOrderStatus = (typeof AE_ORDER_STATUSES)[number];

export const AE_LOGISTICS_STATUSES = ['WAIT_SELLER_SEND_GOODS', 'SELLER_SEND_PART_GOODS', 'SELLER_SEND_GOODS', 'BUYER_ACCEPT_GOODS', 'NO_LOGISTICS'] as const;
export type AeLogisticsStatus = (typeof AE_LOGISTICS_STATUSES)[number];

/** Whether the goods left the seller, by the logistics status. */
function shippedBy(logistics: AeLogisticsStatus | null): boolean {
  return logistics === 'SELLER_SEND_PART_GOODS' || logistics === 'SELLER_SEND_GOODS' || logistics === 'BUYER_ACCEPT_GOODS';
}

/**
 * The desk's order status from AliExpress's order and logistics statuses. AliExpress names the
 * step the order waits on; the desk names where the goods are:
 * - awaiting payment: PLACE_ORDER_SUCCESS;
 * - awaiting shipment: RISK_CONTROL (the first 24 h after payment), WAIT_SELLER_SEND_GOODS, and
 *   IN_CANCEL before anything shipped (a cancellation before shipment);
 * - shipped / delivered: the rest while the order runs, delivered once the buyer received it;
 * - completed or cancelled: FINISH, cancelled when nothing had shipped and money went back.
 */
export function deskOrderStatus(status: AeOrderStatus, logistics: AeLogisticsStatus | null, refundedSomething: boolean): OrderStatus {
  const shipped = shippedBy(logistics);
  switch (status) {
    case 'PLACE_ORDER_SUCCESS':
      return 'awaiting_payment';
    case 'RISK_CONTROL':
    case 'WAIT_SELLER_SEND_GOODS':
      return 'awaiting_shipment';
    case 'IN_CANCEL':
    case 'SELLER_PART_SEND_GOODS':
    case 'WAIT_BUYER_ACCEPT_GOODS':
    case 'FUND_PROCESSING':
    case 'IN_ISSUE':
    case 'IN_FROZEN':
    case 'WAIT_SELLER_EXAMINE_MONEY':
      if (!shipped) return status === 'SELLER_PART_SEND_GOODS' || status === 'WAIT_BUYER_ACCEPT_GOODS' ? 'shipped' : 'awaiting_shipment';
      return logistics === 'BUYER_ACCEPT_GOODS' ? 'delivered' : 'shipped';
    case 'FINISH':
      return !shipped && refundedSomething ? 'cancelled' : 'completed';
  }
}

/** Seconds since the epoch of a modification time: the desk's version of an AliExpress record (it has none of its own). */
export function versionOf(modifiedMs: number): number {
  return Math.max(1, Math.floor(modifiedMs / 1000));
}

const ISO_COUNTRY = /^[A-Z]{2}$/;

function buyerOf(target: AeRecord): Order['buyer'] {
  const info = optionalRecord(target.buyer_info, 'buyer_info');
  const login = optionalText(target.buyerloginid, 'buyerloginid', 64) ?? optionalText(info?.login_id, 'buyer_info.login_id', 64);
  if (login === null) throw invalid('the order', 'without the buyer (buyerloginid)');
  const named = [optionalText(info?.first_name, 'buyer_info.first_name', 100), optionalText(info?.last_name, 'buyer_info.last_name', 100)].filter((part) => part !== null).join(' ');
  const name = optionalText(target.buyer_signer_fullname, 'buyer_signer_fullname', 200) ?? named;
  const country = (optionalText(info?.country, 'buyer_info.country', 10) ?? '').toUpperCase();
  // ZZ: "unknown or unspecified country" (a user-assigned ISO 3166 code): the rules never read it.
  return { id: login, name, country: ISO_COUNTRY.test(country) ? country : 'ZZ' };
}

function lineOf(raw: unknown, index: number, currency: string): OrderLine {
  const field = `child_order_list[${index}]`;
  const child = asRecord(raw, field);
  const unitPrice = moneyStr(child.product_price, `${field}.product_price`);
  if (unitPrice.currency !== currency) throw invalid(`${field}.product_price`, `in ${unitPrice.currency} on an order in ${currency}`);
  const lineId = aeId(child.child_order_id ?? child.id, `${field}.child_order_id`);
  const product = child.product_id === undefined ? null : aeId(child.product_id, `${field}.product_id`);
  return {
    lineId,
    sku: optionalText(child.sku_code, `${field}.sku_code`, 64) ?? product ?? lineId,
    title: optionalText(child.product_name, `${field}.product_name`, 500) ?? '',
    qty: integer(child.product_count, `${field}.product_count`),
    unitPrice,
  };
}

/**
 * An order from `aliexpress.trade.new.redefining.findorderbyid`'s `target` (the detail: lines,
 * money with cents, the buyer, logistics), stamped with the desk's store. Throws a DeskError that
 * names the field when the record cannot be read; the caller sets it aside with that reason.
 */
export function orderFromDetail(raw: unknown, storeId: string): Order {
  const target = asRecord(raw, 'the order');
  const id = aeId(target.id ?? target.order_id, 'id');
  const status = oneOf(target.order_status, 'order_status', AE_ORDER_STATUSES);
  const logistics = target.logistics_status === undefined || target.logistics_status === null ? null : oneOf(target.logistics_status, 'logistics_status', AE_LOGISTICS_STATUSES);
  const paid = moneyStr(target.order_amount ?? target.pay_amount, 'order_amount');
  const currency = paid.currency;
  const lines = iopList(target.child_order_list, 'aeop_tp_child_order_dto').map((child, index) => lineOf(child, index, currency));
  if (lines.length === 0) throw invalid('the order', 'without any line (child_order_list)');
  const shipping = target.logistics_amount === undefined || target.logistics_amount === null ? money(0, currency) : moneyStr(target.logistics_amount, 'logistics_amount');
  if (shipping.currency !== currency) throw invalid('logistics_amount', `in ${shipping.currency} on an order in ${currency}`);
  const goods = sum(lines.map((line) => money(line.unitPrice.amountMinor * line.qty, currency)), currency);
  const listed = add(goods, shipping);
  // What the buyer paid below the listed total went in coupons; above it cannot be explained.
  if (compare(paid, listed) > 0) throw invalid('order_amount', `as more than its lines and shipping (${paid.amountMinor} > ${listed.amountMinor} minor units)`);
  const discount = subtract(listed, paid);
  const refund = optionalRecord(target.refund_info, 'refund_info');
  const refundOk = refund !== null && refund.refund_status === 'refund_ok';
  const refunded: Money = refundOk && refund.refund_cash_amt !== undefined ? moneyStr(refund.refund_cash_amt, 'refund_info.refund_cash_amt') : money(0, currency);
  if (refunded.currency !== currency) throw invalid('refund_info.refund_cash_amt', `in ${refunded.currency} on an order in ${currency}`);
  const placedAt = pacificToInstant(target.gmt_create, 'gmt_create');
  const modifiedAt = pacificToInstant(target.gmt_modified ?? target.gmt_create, 'gmt_modified');
  const paidAt = target.gmt_pay_success === undefined || target.gmt_pay_success === null ? null : pacificToInstant(target.gmt_pay_success, 'gmt_pay_success');
  const logisticsList = iopList(target.logistic_info_list, 'aeop_order_logistics_info');
  const firstLogistics = logisticsList.length === 0 ? null : asRecord(logisticsList[0], 'logistic_info_list[0]');
  const sentAt = firstLogistics?.gmt_send === undefined || firstLogistics.gmt_send === null ? null : pacificToInstant(firstLogistics.gmt_send, 'logistic_info_list[0].gmt_send');
  const shipped = shippedBy(logistics);
  const carrier = firstLogistics === null ? null : optionalText(firstLogistics.logistics_service_name ?? firstLogistics.logistics_type_code, 'logistic_info_list[0].logistics_service_name', 100);
  const number = firstLogistics === null ? null : optionalText(firstLogistics.logistics_no, 'logistic_info_list[0].logistics_no', 100);
  const order: Order = {
    id,
    storeId,
    status: deskOrderStatus(status, logistics, refunded.amountMinor > 0),
    currency,
    buyer: buyerOf(target),
    lines,
    shipping,
    discount,
    paid: status === 'PLACE_ORDER_SUCCESS' ? money(0, currency) : paid,
    refunded,
    placedAt: toInstant(placedAt),
    paidAt: paidAt === null ? null : toInstant(paidAt),
    shippedAt: shipped ? toInstant(sentAt ?? modifiedAt) : null,
    deliveredAt: logistics === 'BUYER_ACCEPT_GOODS' ? toInstant(modifiedAt) : null,
    updatedAt: toInstant(modifiedAt),
    tracking: carrier !== null && number !== null ? { carrier, number } : null,
    version: versionOf(modifiedAt),
  };
  const checked = OrderSchema.safeParse(order);
  if (!checked.success) throw invalid(`order ${id}`, `that does not make a valid order (${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? ''})`);
  return checked.data;
}

/** The text of a field every AliExpress order carries, for messages that name the order. */
export function orderIdOf(raw: unknown): string | null {
  try {
    const target = asRecord(raw, 'the order');
    return aeId(target.id ?? target.order_id, 'id');
  } catch {
    return null;
  }
}

