import { toInstant, type Clock } from '../../../shared/domain/time';
import { money, toDecimalString } from '../../../shared/money';
import type { ManualClock } from '../clock';
import { unitFor } from '../random';
import { ARBITRATION_MS, ISSUE_WINDOW_MS, RETURN_MS, orderTotal, type IdMint } from './basics';
import type { SandboxData } from './data';
import { BusinessError } from './envelope';
import type {
  ImMessage,
  Issue,
  IssueProcess,
  LedgerEntry,
  LedgerKind,
  Order,
  OrderIssueStatus,
  Seller,
  Solution,
} from './model';

/**
 * The platform: the sandbox's state and AliExpress's rules over it. Seller actions check the
 * state they need and apply; the buyer and the platform act on their own as time passes:
 * a cancellation request left 48 h is granted with a refund, a dispute left past
 * `timeout_trigger_time` is settled on the buyer's solution (`seller_reponse_timeout`), buyers
 * answer counter-offers, AliExpress arbitrates refused ones, and returned goods are refunded.
 * Every change moves `gmt_modified` of the order (and dispute) and lands in the ledger; every
 * refund is one ledger entry of kind `refund`.
 */

/** Where a handler came from: the API name for seller actions, else `platform:`/`buyer:` events. */
export type Cause = string;

function isManualClock(clock: Clock): clock is ManualClock {
  return typeof (clock as Partial<ManualClock>).advance === 'function';
}

export interface StoredFile {
  readonly bytes: Buffer;
  readonly contentType: string;
}

export class Platform {
  readonly seller: Seller;
  readonly ids: IdMint;
  readonly orders = new Map<string, Order>();
  readonly issues = new Map<string, Issue>();
  private readonly issuesByOrder = new Map<string, Issue[]>();
  readonly messages: ImMessage[];
  readonly ledger: LedgerEntry[] = [];
  /** The seller's uploaded evidence by file id (seeded buyer photos are drawn, not stored). */
  readonly uploads = new Map<string, StoredFile>();
  private skewMs = 0;
  private cancelTimer: (() => void) | null = null;
  private running = false;
  private stopped = false;

  constructor(
    data: SandboxData,
    private readonly clock: Clock,
    private readonly seed: number,
  ) {
    this.seller = data.seller;
    this.ids = data.ids;
    this.messages = data.messages;
    for (const order of data.orders) this.orders.set(order.id, order);
    for (const issue of data.issues) this.addIssue(issue);
    this.arm();
  }

  /** Platform time: the clock plus any admin advance on a clock that cannot be moved. */
  now(): number {
    return this.clock.now() + this.skewMs;
  }

  /**
   * Moves platform time forward by `ms`, applying every deadline on the way at its own time. A
   * manual clock is advanced itself (so the connector on the same clock moves too); any other
   * clock gets a skew that only the platform sees.
   */
  advance(ms: number): void {
    if (isManualClock(this.clock)) {
      this.clock.advance(ms);
    } else {
      const target = this.now() + ms;
      for (;;) {
        const due = this.nextDue();
        if (due === null || due.at > target) break;
        this.skewMs += Math.max(0, due.at - this.now());
        this.runDue();
      }
      this.skewMs += Math.max(0, target - this.now());
    }
    this.runDue();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  issuesOf(orderId: string): readonly Issue[] {
    return this.issuesByOrder.get(orderId) ?? [];
  }

  /** A new dispute (a buyer opened it). */
  addIssue(issue: Issue): void {
    this.issues.set(issue.id, issue);
    const list = this.issuesByOrder.get(issue.orderId);
    if (list === undefined) this.issuesByOrder.set(issue.orderId, [issue]);
    else list.push(issue);
  }

  /** NO_ISSUE / IN_ISSUE / END_ISSUE over some disputes. */
  static issueStatusOf(issues: readonly Issue[]): OrderIssueStatus {
    if (issues.length === 0) return 'NO_ISSUE';
    return issues.some((issue) => issue.status === 'processing') ? 'IN_ISSUE' : 'END_ISSUE';
  }

  refundedMinor(order: Order): number {
    return order.refunds.reduce((total, refund) => total + refund.amountMinor, 0);
  }

  decimal(amountMinor: number, currency: string): string {
    return toDecimalString(money(amountMinor, currency));
  }

  record(entry: Omit<LedgerEntry, 'seq' | 'at'>, at: number): void {
    this.ledger.push({ seq: this.ledger.length + 1, at: toInstant(at), ...entry });
  }

  private kindOf(cause: Cause): LedgerKind {
    if (cause.startsWith('platform:')) return 'platform';
    if (cause.startsWith('buyer:')) return 'buyer';
    return 'seller_action';
  }

  /** Records who changed what (the change itself is applied by the caller). */
  recordChange(cause: Cause, order: Order, at: number, issue?: Issue, details?: LedgerEntry['details']): void {
    order.modifiedAt = Math.max(order.modifiedAt, at);
    if (issue !== undefined) issue.modifiedAt = Math.max(issue.modifiedAt, at);
    this.record(
      {
        kind: this.kindOf(cause),
        api: cause,
        orderId: order.id,
        ...(issue === undefined ? {} : { issueId: issue.id }),
        ...(details === undefined ? {} : { details }),
      },
      at,
    );
  }

  /** Pays `amountMinor` back to the buyer: the one place money leaves, one ledger entry each. */
  refund(cause: Cause, order: Order, amountMinor: number, at: number, reason: string, issue?: Issue): void {
    if (amountMinor <= 0) return;
    order.refunds.push({ at, amountMinor, reason, issueId: issue?.id ?? null });
    order.modifiedAt = Math.max(order.modifiedAt, at);
    this.record(
      {
        kind: 'refund',
        api: cause,
        orderId: order.id,
        ...(issue === undefined ? {} : { issueId: issue.id }),
        amount: this.decimal(amountMinor, order.currency),
        amountMinor,
        currency: order.currency,
        details: { reason },
      },
      at,
    );
  }

  // --- Cancellation requests (§5.4) -------------------------------------------------------------

  private cancelCheck(orderId: string, buyerLoginId: string): Order {
    const order = this.orders.get(orderId);
    if (order === undefined) throw new BusinessError('ORDER_NOT_FOUND', `Order ${orderId} does not exist or is not this seller's.`);
    if (order.buyer.loginId !== buyerLoginId) {
      throw new BusinessError('BUYER_NOT_MATCH', `Order ${orderId} was not placed by buyer ${buyerLoginId}.`);
    }
    if (order.status !== 'IN_CANCEL' || order.cancel === null) {
      throw new BusinessError('ORDER_NOT_IN_CANCEL', `Order ${orderId} has no cancellation request to answer (status ${order.status}).`);
    }
    return order;
  }

  acceptCancel(api: string, orderId: string, buyerLoginId: string): void {
    const order = this.cancelCheck(orderId, buyerLoginId);
    this.grantCancel(api, order, this.now());
  }

  refuseCancel(api: string, orderId: string, buyerLoginId: string, memo: string): void {
    const order = this.cancelCheck(orderId, buyerLoginId);
    const cancel = order.cancel;
    if (cancel === null) return;
    const at = this.now();
    order.status = cancel.previousStatus;
    order.cancel = null;
    order.refusedCancelMemo = memo;
    order.log.push({ at, actionType: 'seller_refuse_cancel', operator: 'seller', memo });
    this.recordChange(api, order, at, undefined, { memo });
    this.arm();
  }

  /** The order is cancelled and everything not yet refunded goes back to the buyer. */
  private grantCancel(cause: Cause, order: Order, at: number): void {
    order.cancel = null;
    order.status = 'FINISH';
    order.endReason = 'buyer_cancel_order';
    order.tradeEndAt = at;
    order.sendDeadlineAt = null;
    order.log.push({ at, actionType: 'cancel_order_close_trade', operator: cause.startsWith('platform:') ? 'system' : 'seller', memo: '' });
    this.recordChange(cause, order, at);
    this.refund(cause, order, orderTotal(order) - this.refundedMinor(order), at, 'buyer_cancel_order');
    this.arm();
  }

  // --- Disputes: settlement (the actions are in disputes.ts) -----------------------------------

  addProcess(issue: Issue, process: Omit<IssueProcess, 'id' | 'attachments'> & { attachments?: IssueProcess['attachments'] }): IssueProcess {
    const full: IssueProcess = { id: this.ids.wide(), attachments: [], ...process };
    issue.processes.push(full);
    return full;
  }

  /**
   * A solution both sides (or AliExpress) agreed on: a refund is paid now and the dispute ends;
   * a return waits for the goods to come back first.
   */
  settle(cause: Cause, order: Order, issue: Issue, solution: Solution, at: number, returned = false): void {
    if (solution.type === 'return_and_refund' && !returned) {
      issue.reverseStatus = 'wait_for_buyer_return';
      issue.timeoutType = 'WAIT_RECEIVE_ITEM_TIMEOUT';
      issue.timeoutAt = at + 10 * 24 * 3_600_000;
      issue.next = { kind: 'return_received', at: at + RETURN_MS, solutionId: solution.id };
      this.recordChange(cause, order, at, issue, { solutionId: solution.id, reachedType: solution.reachedType });
      this.arm();
      return;
    }
    const amount = Math.min(solution.refundMinor, issue.refundMaxMinor);
    issue.status = 'finish';
    issue.reverseStatus = amount > 0 ? (returned ? 'return_success' : 'refund_success') : 'refund_reject';
    issue.timeoutType = null;
    issue.timeoutAt = null;
    issue.next = null;
    issue.refundMaxMinor -= amount;
    this.recordChange(cause, order, at, issue, { solutionId: solution.id, reachedType: solution.reachedType });
    this.refund(cause, order, amount, at, 'issue_refund', issue);
    order.log.push({ at, actionType: amount > 0 ? 'pledge_refund_success' : 'pledge_issue_close', operator: 'system', memo: '' });
    if (order.status === 'IN_ISSUE' && this.issuesOf(order.id).every((other) => other.status !== 'processing')) {
      order.status = 'FINISH';
      order.tradeEndAt = at;
    }
    this.arm();
  }

  /** A solution is reached: the others still open are off the table. */
  reach(issue: Issue, solution: Solution, reachedType: Solution['reachedType'], at: number): void {
    for (const other of issue.solutions) {
      if (other !== solution && (other.status === 'wait_seller_accept' || other.status === 'wait_buyer_accept')) {
        other.status = 'reach_cancle';
        other.modifiedAt = at;
      }
    }
    solution.status = 'reached';
    solution.reachedType = reachedType;
    solution.reachedAt = at;
    solution.modifiedAt = at;
  }

  // --- Time: deadlines and what buyers and AliExpress do on their own --------------------------

  private nextDue(): { at: number; run: (at: number) => void } | null {
    let best: { at: number; run: (at: number) => void } | null = null;
    const consider = (at: number, run: (at: number) => void): void => {
      if (best === null || at < best.at) best = { at, run };
    };
    for (const order of this.orders.values()) {
      const cancel = order.cancel;
      if (order.status === 'IN_CANCEL' && cancel !== null) {
        consider(cancel.deadlineAt, (at) => this.grantCancel('platform:cancel_timeout', order, at));
      }
    }
    for (const issue of this.issues.values()) {
      if (issue.status !== 'processing') continue;
      if (issue.reverseStatus === 'wait_for_seller_response' && issue.timeoutAt !== null) {
        consider(issue.timeoutAt, (at) => this.sellerTimedOut(issue, at));
      }
      const next = issue.next;
      if (next !== null) consider(next.at, (at) => this.issueEvent(issue, at));
    }
    return best;
  }

  /** Applies everything due by now, each at its own time, oldest first. */
  runDue(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (;;) {
        const due = this.nextDue();
        if (due === null || due.at > this.now()) break;
        due.run(due.at);
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  /** Keeps one timer on the clock for the earliest deadline. */
  arm(): void {
    if (this.running || this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const due = this.nextDue();
    if (due === null) return;
    this.cancelTimer = this.clock.setTimer(Math.max(0, due.at - this.now()), () => {
      this.cancelTimer = null;
      this.runDue();
    });
  }

  private orderOfIssue(issue: Issue): Order {
    const order = this.orders.get(issue.orderId);
    if (order === undefined) throw new RangeError(`Dispute ${issue.id} points at unknown order ${issue.orderId}.`);
    return order;
  }

  /** The seller let `timeout_trigger_time` pass: the buyer's solution stands. */
  private sellerTimedOut(issue: Issue, at: number): void {
    const order = this.orderOfIssue(issue);
    const solution = issue.solutions.find((candidate) => candidate.owner === 'buyer' && candidate.status === 'wait_seller_accept');
    if (solution === undefined) {
      // Nothing left to agree to: the dispute closes without a refund.
      issue.timeoutAt = null;
      issue.timeoutType = null;
      this.recordChange('platform:issue_timeout', order, at, issue);
      return;
    }
    this.reach(issue, solution, 'seller_reponse_timeout', at);
    if (solution.type === 'return_and_refund') {
      solution.returnAddressId = this.seller.addresses.find((address) => address.kind === 'refund')?.addressId ?? null;
    }
    this.addProcess(issue, { actionType: 'platform_force_reach', memberType: 'system', content: 'The seller did not respond in time.', at, receiveGoods: false });
    this.settle('platform:issue_timeout', order, issue, solution, at);
  }

  private issueEvent(issue: Issue, at: number): void {
    const next = issue.next;
    issue.next = null;
    if (next === null) return;
    const order = this.orderOfIssue(issue);
    switch (next.kind) {
      case 'buyer_answer': {
        const solution = issue.solutions.find((candidate) => candidate.id === next.solutionId);
        if (solution === undefined || solution.status !== 'wait_buyer_accept' || solution.version !== next.version) return;
        if (unitFor(this.seed, `answer:${solution.id}:${solution.version}`) < 0.6) {
          this.reach(issue, solution, 'negotiation_consensus', at);
          solution.buyerAcceptAt = at;
          this.addProcess(issue, { actionType: 'buyer_accept', memberType: 'buyer', content: '', at, receiveGoods: false });
          this.settle('buyer:accept_solution', order, issue, solution, at);
        } else {
          solution.status = 'buyer_refused';
          solution.modifiedAt = at;
          issue.reverseStatus = 'wait_for_AE_feedback';
          issue.timeoutType = null;
          issue.timeoutAt = null;
          issue.next = { kind: 'platform_decide', at: at + ARBITRATION_MS };
          this.addProcess(issue, { actionType: 'buyer_refuse', memberType: 'buyer', content: 'I do not accept this offer.', at, receiveGoods: false });
          this.addProcess(issue, { actionType: 'buyer_initiate_arbitration', memberType: 'buyer', content: '', at, receiveGoods: false });
          this.recordChange('buyer:refuse_solution', order, at, issue, { solutionId: solution.id });
        }
        return;
      }
      case 'platform_decide': {
        const buyerAsked = issue.solutions.find((candidate) => candidate.owner === 'buyer')?.refundMinor ?? 0;
        const sellerOffered = [...issue.solutions].reverse().find((candidate) => candidate.owner === 'seller')?.refundMinor ?? 0;
        const forBuyer = unitFor(this.seed, `arbitrate:${issue.id}`) < 0.5;
        const solution: Solution = {
          id: this.ids.wide(),
          owner: 'platform',
          type: 'refund',
          isDefault: false,
          content: forBuyer ? 'AliExpress decided for the buyer.' : "AliExpress decided on the seller's offer.",
          status: 'wait_buyer_and_seller_accept',
          reachedType: null,
          refundMinor: Math.min(forBuyer ? buyerAsked : sellerOffered, issue.refundMaxMinor),
          version: 1,
          createdAt: at,
          modifiedAt: at,
          buyerAcceptAt: null,
          sellerAcceptAt: null,
          reachedAt: null,
          returnAddressId: null,
        };
        issue.solutions.push(solution);
        this.reach(issue, solution, 'platform_arbitrate', at);
        this.addProcess(issue, { actionType: 'platform_force_reach', memberType: 'platform', content: solution.content, at, receiveGoods: false });
        this.settle('platform:arbitration', order, issue, solution, at);
        return;
      }
      case 'return_received': {
        const solution = issue.solutions.find((candidate) => candidate.id === next.solutionId);
        if (solution === undefined) return;
        this.addProcess(issue, { actionType: 'perform_solution', memberType: 'platform', content: 'The returned goods arrived.', at, receiveGoods: true });
        this.settle('platform:return_received', order, issue, solution, at, true);
        return;
      }
    }
  }

  /** Sets the next thing the buyer does after the seller's counter-offer. */
  scheduleBuyerAnswer(issue: Issue, solution: Solution, at: number): void {
    const delay = 2 * 3_600_000 + Math.floor(unitFor(this.seed, `delay:${solution.id}:${solution.version}`) * 28 * 3_600_000);
    issue.next = { kind: 'buyer_answer', at: Math.min(at + delay, at + ISSUE_WINDOW_MS - 3_600_000), solutionId: solution.id, version: solution.version };
    this.arm();
  }
}
