/**
 * The sandbox's own records: AliExpress orders, disputes ("issues"), buyer messages and the
 * ledger, in epoch ms and integer minor units. The wire shapes are made from them in views.ts.
 * Records are mutable: the platform (platform.ts) is their one writer.
 */

export const ORDER_STATUSES = [
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
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type FundStatus = 'NOT_PAY' | 'PAY_SUCCESS' | 'WAIT_SELLER_CHECK';
export type LogisticsStatus =
  | 'WAIT_SELLER_SEND_GOODS'
  | 'SELLER_SEND_PART_GOODS'
  | 'SELLER_SEND_GOODS'
  | 'BUYER_ACCEPT_GOODS'
  | 'NO_LOGISTICS';
export type OrderIssueStatus = 'NO_ISSUE' | 'IN_ISSUE' | 'END_ISSUE';

export interface Buyer {
  readonly loginId: string;
  /** The numeric account id the IM APIs call `buyer_id`. */
  readonly accountId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly country: string;
}

export interface OrderLine {
  /** The child (sub-)order id: 16 digits. */
  readonly childId: string;
  readonly productId: string;
  readonly productName: string;
  readonly skuCode: string;
  readonly count: number;
  readonly unitPriceMinor: number;
}

export interface PendingCancel {
  readonly requestedAt: number;
  /** 48 h after the request: unanswered, the platform cancels and refunds (§7). */
  readonly deadlineAt: number;
  readonly reason: string;
  /** Where a refused cancellation returns the order. */
  readonly previousStatus: OrderStatus;
}

export interface OrderRefund {
  readonly at: number;
  readonly amountMinor: number;
  readonly reason: string;
  readonly issueId: string | null;
}

export interface OrderLogEntry {
  readonly at: number;
  readonly actionType: string;
  readonly operator: 'buyer' | 'seller' | 'system';
  readonly memo: string;
}

export interface Order {
  readonly id: string;
  readonly buyer: Buyer;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
  readonly shippingMinor: number;
  /** escrow_fee_rate, in percent (escrow_fee is pay_amount × rate, written exactly). */
  readonly escrowRatePercent: number;
  readonly createdAt: number;
  status: OrderStatus;
  fundStatus: FundStatus;
  logisticsStatus: LogisticsStatus;
  endReason: string | null;
  paidAt: number | null;
  modifiedAt: number;
  shippedAt: number | null;
  trackingNo: string | null;
  tradeEndAt: number | null;
  /** The shipping deadline while the seller has to ship. */
  sendDeadlineAt: number | null;
  cancel: PendingCancel | null;
  /** The seller's last refusal of a cancellation (its memo), kept for the order log. */
  refusedCancelMemo: string | null;
  readonly refunds: OrderRefund[];
  readonly log: OrderLogEntry[];
}

export type IssueStatus = 'processing' | 'canceled_issue' | 'finish';
export type SolutionType = 'refund' | 'return_and_refund';
export type SolutionOwner = 'buyer' | 'seller' | 'platform';
export type SolutionStatus =
  | 'wait_buyer_and_seller_accept'
  | 'wait_buyer_accept'
  | 'wait_seller_accept'
  | 'reached'
  | 'buyer_refused'
  | 'seller_accept_and_buyer_refused'
  | 'reach_cancle'
  | 'perform';
export type ReachedType = 'negotiation_consensus' | 'platform_arbitrate' | 'seller_reponse_timeout';
export type ReverseStatus =
  | 'wait_for_seller_response'
  | 'wait_for_buyer_response'
  | 'wait_for_AE_feedback'
  | 'wait_for_buyer_return'
  | 'refund_success'
  | 'return_success'
  | 'refund_reject'
  | 'ae_feedback_finish';
export type TimeoutType = 'WAIT_SOLUTION_TIMEOUT' | 'WAIT_SELLER_FILL_ADDRESS_TIMEOUT' | 'WAIT_RECEIVE_ITEM_TIMEOUT';

export interface Solution {
  readonly id: string;
  readonly owner: SolutionOwner;
  type: SolutionType;
  readonly isDefault: boolean;
  content: string;
  status: SolutionStatus;
  reachedType: ReachedType | null;
  refundMinor: number;
  version: number;
  readonly createdAt: number;
  modifiedAt: number;
  buyerAcceptAt: number | null;
  sellerAcceptAt: number | null;
  reachedAt: number | null;
  returnAddressId: string | null;
}

export interface Attachment {
  /** Served at /files/<fileId>. */
  readonly fileId: string;
  readonly at: number;
  readonly owner: 'buyer' | 'seller';
}

export interface IssueProcess {
  readonly id: string;
  readonly actionType: string;
  readonly memberType: 'buyer' | 'seller' | 'system' | 'platform';
  readonly content: string;
  readonly at: number;
  readonly receiveGoods: boolean;
  readonly attachments: Attachment[];
}

export interface IssueReason {
  readonly id: number;
  readonly english: string;
  readonly chinese: string;
  /** "Not as described": the only disputes where a counter-offer may change the solution type. */
  readonly snad: boolean;
}

/** What the buyer or the platform does next, on its own, at `at`. */
export type IssueEvent =
  | { readonly kind: 'buyer_answer'; readonly at: number; readonly solutionId: string; readonly version: number }
  | { readonly kind: 'platform_decide'; readonly at: number }
  | { readonly kind: 'return_received'; readonly at: number; readonly solutionId: string };

export interface Issue {
  readonly id: string;
  /** The parent order. */
  readonly orderId: string;
  /** The child order in dispute (the issue APIs' `order_id`). */
  readonly childId: string;
  readonly buyerLoginId: string;
  readonly currency: string;
  readonly productId: string;
  readonly productName: string;
  readonly productPriceMinor: number;
  readonly reason: IssueReason;
  readonly createdAt: number;
  status: IssueStatus;
  reverseStatus: ReverseStatus;
  modifiedAt: number;
  /** What can still be refunded on this dispute (refund_money_max). */
  refundMaxMinor: number;
  timeoutType: TimeoutType | null;
  /** The seller's deadline while the dispute waits on the seller (timeout_trigger_time). */
  timeoutAt: number | null;
  readonly solutions: Solution[];
  readonly processes: IssueProcess[];
  next: IssueEvent | null;
}

export interface ImMessage {
  readonly id: string;
  readonly buyerAccountId: string;
  readonly from: 'buyer' | 'seller';
  readonly templateId: number;
  /** The JSON text AliExpress puts in `content`. */
  readonly content: string;
  readonly sentAt: number;
}

export interface SellerAddress {
  readonly addressId: string;
  readonly kind: 'sender' | 'pickup' | 'refund';
  readonly name: string;
  readonly phone: string;
  readonly country: string;
  readonly province: string;
  readonly city: string;
  readonly street: string;
  readonly postcode: string;
  readonly isDefault: boolean;
}

export interface Seller {
  readonly sellerId: string;
  readonly loginId: string;
  readonly addresses: readonly SellerAddress[];
}

/** Who did it: the seller through the API, or the buyer and platform as time passes. */
export type LedgerKind = 'seller_action' | 'refund' | 'buyer' | 'platform';

/** One applied change. Every refund is one `refund` entry: the exactly-once record. */
export interface LedgerEntry {
  /** 1, 2, 3… in the order changes were applied. */
  readonly seq: number;
  /** ISO instant of the change (platform time). */
  readonly at: string;
  readonly kind: LedgerKind;
  /** The API that did it, or `platform:<event>` / `buyer:<event>`. */
  readonly api: string;
  readonly orderId: string;
  readonly issueId?: string;
  /** Refunds: the amount in major units as the wire writes it, its minor units and currency. */
  readonly amount?: string;
  readonly amountMinor?: number;
  readonly currency?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}
