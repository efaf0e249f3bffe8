import { currencyExponent, divideRounded } from '../../../shared/money';
import { CURRENCIES } from './catalog';
import { lineTotal, orderTotal } from './basics';
import { wireList, type Wire, type WireObject } from './envelope';
import type { Issue, IssueProcess, Order, OrderLine, Solution } from './model';
import { formatPacific } from './pacific';
import { Platform } from './platform';

/**
 * The sandbox's records in AliExpress's wire shapes (§5): ids as `bigint` (written as bare JSON
 * numbers), money as decimal strings, times as Pacific `yyyy-MM-dd HH:mm:ss`, unset times as ""
 * (as the captured issue.detail.get has them). List item names: §4.1's table, plus the .NET TOP
 * SDK's names where it has them (opr_log_dto_list.aeop_tp_operation_log_dto,
 * process_dto_list.api_issue_process_dto) and the sandbox's guesses for the rest (Q6):
 * logistic_info_list.aeop_tp_logistic_info_dto, attachments.api_attachment_dto.
 *
 * Documented odd amounts: `escrow_fee` is pay_amount × escrow_fee_rate written exactly, with two
 * more decimals than the currency has ("87.9576" USD), as real payloads carry such amounts.
 */

const SYMBOLS: Readonly<Record<string, readonly [string, string, number]>> = {
  USD: ['$', 'US Dollar', 840],
  EUR: ['€', 'Euro', 978],
  GBP: ['£', 'British Pound', 826],
  BRL: ['R$', 'Brazilian Real', 986],
  JPY: ['¥', 'Japanese Yen', 392],
};

const id = (digits: string): bigint => BigInt(digits);
const time = (ms: number | null): string => (ms === null ? '' : formatPacific(ms));

/** `value / 10^decimals` written exactly ("879576", 4 → "87.9576"). */
export function exactDecimal(value: bigint, decimals: number): string {
  const digits = value.toString().padStart(decimals + 1, '0');
  return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

export class Views {
  constructor(
    private readonly platform: Platform,
    private readonly fileUrl: (fileId: string) => string,
  ) {}

  private decimal(minor: number, currency: string): string {
    return this.platform.decimal(minor, currency);
  }

  simpleMoney(minor: number, currency: string): WireObject {
    return { amount: this.decimal(minor, currency), currency_code: currency };
  }

  moneyStr(minor: number, currency: string): WireObject {
    const exponent = currencyExponent(currency);
    const [symbol, name, numeric] = SYMBOLS[currency] ?? [currency, currency, 0];
    return {
      amount: this.decimal(minor, currency),
      cent: minor,
      cent_factor: 10 ** exponent,
      currency_code: currency,
      currency: { currency_code: currency, symbol, display_name: name, default_fraction_digits: exponent, numeric_code: numeric },
    };
  }

  /** The same amount in US dollars (refund_money_post), at the sandbox's fixed rates. */
  usd(minor: number, currency: string): string {
    const rate = CURRENCIES[currency]?.usdPer10000 ?? 10_000;
    const scale = 10n ** BigInt(2 - currencyExponent(currency) + 4);
    const cents = divideRounded(BigInt(minor) * BigInt(rate) * scale, 10n ** 8n, 'halfEven');
    return exactDecimal(cents, 2);
  }

  escrowFee(order: Order): string {
    return exactDecimal(BigInt(orderTotal(order)) * BigInt(order.escrowRatePercent), currencyExponent(order.currency) + 2);
  }

  /** The deadline of the order's current status, if it has one. */
  deadline(order: Order): number | null {
    if (order.status === 'IN_CANCEL' && order.cancel !== null) return order.cancel.deadlineAt;
    if (order.status === 'IN_ISSUE') {
      const due = this.platform
        .issuesOf(order.id)
        .filter((issue) => issue.status === 'processing' && issue.timeoutAt !== null)
        .map((issue) => issue.timeoutAt ?? 0);
      return due.length === 0 ? null : Math.min(...due);
    }
    if (order.status === 'WAIT_SELLER_SEND_GOODS') return order.sendDeadlineAt;
    return null;
  }

  private lineStatus(order: Order, line: OrderLine): { status: string; issue: string } {
    const issues = this.platform.issuesOf(order.id).filter((issue) => issue.childId === line.childId);
    return { status: order.status, issue: Platform.issueStatusOf(issues) };
  }

  // --- aliexpress.trade.seller.orderlist.get -------------------------------------------------

  orderItem(order: Order): WireObject {
    const now = this.platform.now();
    const deadline = this.deadline(order);
    const sendLeft = order.sendDeadlineAt === null ? null : Math.max(0, order.sendDeadlineAt - now);
    const seller = this.platform.seller;
    return {
      order_id: id(order.id),
      buyer_login_id: order.buyer.loginId,
      buyer_signer_fullname: `${order.buyer.firstName} ${order.buyer.lastName}`,
      seller_login_id: seller.loginId,
      seller_operator_login_id: seller.loginId,
      seller_signer_fullname: 'Zhang Wei',
      biz_type: 'AE_COMMON',
      order_status: order.status,
      fund_status: order.fundStatus,
      frozen_status: 'NO_FROZEN',
      issue_status: Platform.issueStatusOf(this.platform.issuesOf(order.id)),
      logistics_status: order.logisticsStatus,
      end_reason: order.endReason ?? undefined,
      gmt_create: time(order.createdAt),
      gmt_pay_time: order.paidAt === null ? undefined : time(order.paidAt),
      gmt_update: time(order.modifiedAt),
      gmt_send_goods_time: order.shippedAt === null ? undefined : time(order.shippedAt),
      timeout_left_time: deadline === null ? undefined : deadline - now,
      left_send_good_day: sendLeft === null ? undefined : String(Math.floor(sendLeft / 86_400_000)),
      left_send_good_hour: sendLeft === null ? undefined : String(Math.floor((sendLeft % 86_400_000) / 3_600_000)),
      left_send_good_min: sendLeft === null ? undefined : String(Math.floor((sendLeft % 3_600_000) / 60_000)),
      pay_amount: this.simpleMoney(orderTotal(order), order.currency),
      escrow_fee: { amount: this.escrowFee(order), currency_code: order.currency },
      loan_amount: this.simpleMoney(0, order.currency),
      escrow_fee_rate: order.escrowRatePercent,
      has_request_loan: false,
      payment_type: 'ebanx101',
      order_detail_url: `https://gsp.aliexpress.com/apps/order/detail?orderId=${order.id}`,
      product_list: wireList(
        'aeop_order_product_dto',
        order.lines.map((line, index) => this.productItem(order, line, index === 0 ? order.shippingMinor : 0)),
      ),
    };
  }

  private productItem(order: Order, line: OrderLine, shippingMinor: number): WireObject {
    const { status, issue } = this.lineStatus(order, line);
    return {
      order_id: id(order.id),
      child_id: id(line.childId),
      product_id: id(line.productId),
      sku_code: line.skuCode,
      son_order_status: status,
      show_status: status,
      issue_status: issue,
      issue_mode: issue === 'NO_ISSUE' ? undefined : 'solution',
      can_submit_issue: issue === 'NO_ISSUE' && order.shippedAt !== null && order.status !== 'FINISH',
      fund_status: order.fundStatus,
      product_name: line.productName,
      product_count: line.count,
      product_unit: 'piece',
      product_img_url: `https://ae01.alicdn.com/kf/${line.productId}.jpg`,
      product_snap_url: `https://www.aliexpress.com/snapshot/${line.childId}.html`,
      money_back3x: false,
      product_unit_price: this.simpleMoney(line.unitPriceMinor, order.currency),
      total_product_amount: this.simpleMoney(lineTotal(line), order.currency),
      logistics_amount: this.simpleMoney(shippingMinor, order.currency),
      logistics_type: 'CAINIAO_STANDARD',
      logistics_service_name: 'AliExpress Standard Shipping',
      send_goods_time: order.shippedAt === null ? undefined : time(order.shippedAt),
      delivery_time: '7-15',
      freight_commit_day: '60',
      goods_prepare_time: 3,
      memo: '',
      escrow_fee_rate: order.escrowRatePercent,
      buyer_signer_first_name: order.buyer.firstName,
      buyer_signer_last_name: order.buyer.lastName,
    };
  }

  // --- aliexpress.trade.new.redefining.findorderbyid -------------------------------------------

  /** `include(bit)`: ext_info_bit_flag bit n (value 2^(n−1)): 1 issue, 2 loan, 3 logistics, 4 buyer, 5 refund. */
  orderDetail(order: Order, include: (bit: number) => boolean): WireObject {
    const issues = this.platform.issuesOf(order.id);
    const issueStatus = Platform.issueStatusOf(issues);
    const refunded = this.platform.refundedMinor(order);
    const lastRefund = order.refunds[order.refunds.length - 1];
    const deadline = this.deadline(order);
    const total = orderTotal(order);
    const firstIssue = issues[0];
    return {
      id: id(order.id),
      order_status: order.status,
      fund_status: order.fundStatus,
      frozen_status: 'NO_FROZEN',
      issue_status: issueStatus,
      loan_status: order.status === 'FINISH' && refunded < total ? 'loan_ok' : 'loan_none',
      logistics_status: order.logisticsStatus,
      order_end_reason: order.endReason ?? undefined,
      gmt_create: time(order.createdAt),
      gmt_modified: time(order.modifiedAt),
      gmt_pay_success: order.paidAt === null ? undefined : time(order.paidAt),
      gmt_trade_end: order.tradeEndAt === null ? undefined : time(order.tradeEndAt),
      over_time_left: deadline === null ? undefined : time(deadline),
      cancel_request_reason: order.status === 'IN_CANCEL' ? order.cancel?.reason : undefined,
      issue_info:
        include(1) && firstIssue !== undefined
          ? { issue_model: 'solution', issue_status: issueStatus, issue_time: time(firstIssue.createdAt) }
          : undefined,
      buyerloginid: order.buyer.loginId,
      buyer_signer_fullname: `${order.buyer.firstName} ${order.buyer.lastName}`,
      buyer_info: include(4)
        ? {
            login_id: order.buyer.loginId,
            // The numeric account id the IM APIs call buyer_id: where a seller app learns it is not
            // documented (protocol §5.11); the sandbox names it here and the connector logs it.
            buyer_id: BigInt(order.buyer.accountId),
            first_name: order.buyer.firstName,
            last_name: order.buyer.lastName,
            country: order.buyer.country,
          }
        : undefined,
      seller_operator_login_id: this.platform.seller.loginId,
      seller_signer_fullname: 'Zhang Wei',
      order_amount: this.moneyStr(total, order.currency),
      init_oder_amount: this.moneyStr(total, order.currency),
      logistics_amount: this.moneyStr(order.shippingMinor, order.currency),
      new_order_amount: this.simpleMoney(total, order.currency),
      seller_order_amount: this.simpleMoney(total, order.currency),
      settlement_currency: order.currency,
      pay_amount_by_settlement_cur: this.decimal(total, order.currency),
      escrow_fee: this.escrowFee(order),
      refund_info:
        include(5) && lastRefund !== undefined
          ? {
              refund_cash_amt: this.moneyStr(refunded, order.currency),
              refund_coupon_amt: this.moneyStr(0, order.currency),
              refund_reason: lastRefund.reason,
              refund_time: time(lastRefund.at),
              refund_status: 'refund_ok',
              refund_type: lastRefund.issueId === null ? 'sale_refund' : 'guarantee_pay_refund',
            }
          : undefined,
      loan_info: include(2) ? { loan_amount: this.moneyStr(0, order.currency), loan_time: '' } : undefined,
      logistic_info_list: include(3)
        ? wireList(
            'aeop_tp_logistic_info_dto',
            order.shippedAt === null || order.trackingNo === null
              ? []
              : [{ logistics_no: order.trackingNo, logistics_service_name: 'AliExpress Standard Shipping', gmt_send: time(order.shippedAt), receive_status: 'not_received' }],
          )
        : undefined,
      receipt_address: { contact_person: `${order.buyer.firstName} ${order.buyer.lastName}`, country: order.buyer.country },
      oaid: `oaid${order.id.slice(-8)}`,
      opr_log_dto_list: wireList(
        'aeop_tp_operation_log_dto',
        order.log.map((entry) => ({ action_type: entry.actionType, gmt_create: time(entry.at), operator: entry.operator, memo: entry.memo })),
      ),
      child_order_list: wireList(
        'aeop_tp_child_order_dto',
        order.lines.map((line) => {
          const { status, issue } = this.lineStatus(order, line);
          const lineRefunds = order.refunds.filter((refund) => issues.some((i) => i.id === refund.issueId && i.childId === line.childId));
          return {
            id: id(line.childId),
            child_order_id: line.childId,
            order_status: status,
            issue_status: issue,
            product_id: id(line.productId),
            product_name: line.productName,
            product_count: line.count,
            product_price: this.moneyStr(line.unitPriceMinor, order.currency),
            sku_code: line.skuCode,
            refund_info:
              lineRefunds.length === 0
                ? undefined
                : { refund_cash_amt: this.moneyStr(lineRefunds.reduce((sum, refund) => sum + refund.amountMinor, 0), order.currency), refund_status: 'refund_ok' },
          };
        }),
      ),
    };
  }

  // --- Disputes --------------------------------------------------------------------------------

  issueItem(issue: Issue): WireObject {
    return {
      issue_id: id(issue.id),
      order_id: id(issue.childId),
      parent_order_id: id(issue.orderId),
      buyer_login_id: issue.buyerLoginId,
      gmt_create: time(issue.createdAt),
      gmt_modified: time(issue.modifiedAt),
      issue_status: issue.status,
      reason_chinese: issue.reason.chinese,
      reason_english: issue.reason.english,
    };
  }

  private solution(issue: Issue, solution: Solution): WireObject {
    return {
      id: id(solution.id),
      issue_id: id(issue.id),
      order_id: id(issue.childId),
      version: solution.version,
      solution_type: solution.type,
      solution_owner: solution.owner,
      is_default: solution.isDefault,
      content: solution.content,
      status: solution.status,
      reached_type: solution.reachedType ?? undefined,
      refund_money: this.decimal(solution.refundMinor, issue.currency),
      refund_money_currency: issue.currency,
      refund_money_post: this.usd(solution.refundMinor, issue.currency),
      refund_money_post_currency: 'USD',
      logistics_fee_bear_role: solution.type === 'return_and_refund' ? 'seller' : undefined,
      gmt_create: time(solution.createdAt),
      gmt_modified: time(solution.modifiedAt),
      buyer_accept_time: time(solution.buyerAcceptAt),
      seller_accept_time: time(solution.sellerAcceptAt),
      reached_time: time(solution.reachedAt),
    };
  }

  private process(issue: Issue, process: IssueProcess): WireObject {
    return {
      id: id(process.id),
      issue_id: id(issue.id),
      action_type: process.actionType,
      submit_member_type: process.memberType,
      content: process.content === '' ? undefined : process.content,
      gmt_create: time(process.at),
      receive_goods: process.receiveGoods,
      has_buyer_video: false,
      has_seller_video: false,
      attachments: wireList(
        'api_attachment_dto',
        process.attachments.map((attachment) => ({
          file_path: this.fileUrl(attachment.fileId),
          gmt_create: time(attachment.at),
          issue_id: id(issue.id),
          issue_process_id: id(process.id),
          owner: attachment.owner,
        })),
      ),
    };
  }

  issueDetail(issue: Issue): WireObject {
    const solutions = (owner: Solution['owner']): Wire =>
      wireList('solution_api_dto', issue.solutions.filter((solution) => solution.owner === owner).map((solution) => this.solution(issue, solution)));
    const max = this.decimal(issue.refundMaxMinor, issue.currency);
    return {
      id: id(issue.id),
      order_id: id(issue.childId),
      parent_order_id: id(issue.orderId),
      buyer_login_id: issue.buyerLoginId,
      product_id: issue.productId,
      product_name: issue.productName,
      product_price: this.decimal(issue.productPriceMinor, issue.currency),
      product_price_currency: issue.currency,
      issue_reason: issue.reason.english,
      issue_reason_id: issue.reason.id,
      issue_status: issue.status,
      after_sale_warranty: false,
      gmt_create: time(issue.createdAt),
      refund_money_max: max,
      refund_money_max_currency: issue.currency,
      refund_money_max_local: max,
      refund_money_max_local_currency: issue.currency,
      reverse_detail_status: issue.reverseStatus,
      timeout_type: issue.timeoutType ?? undefined,
      timeout_trigger_time: issue.timeoutAt === null ? undefined : time(issue.timeoutAt),
      buyer_solution_list: solutions('buyer'),
      seller_solution_list: solutions('seller'),
      platform_solution_list: solutions('platform'),
      process_dto_list: wireList('api_issue_process_dto', [...issue.processes].reverse().map((process) => this.process(issue, process))),
    };
  }
}
