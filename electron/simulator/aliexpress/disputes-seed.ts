import type { Rng } from '../random';
import { ISSUE_WINDOW_MS, lineTotal, type IdMint } from './basics';
import { BUYER_ISSUE_TEXTS, ISSUE_REASONS } from './catalog';
import type { Issue, Order, Seller, SolutionType } from './model';

/**
 * Disputes as the seeded data and the buyers open them, and the seeded history of some (ended by
 * consent or by AliExpress, or countered by the seller and waiting for the buyer).
 */

const HOUR_MS = 3_600_000;

/** What the seeded history draws from. */
export interface SeedContext {
  readonly ids: IdMint;
  readonly rng: Rng;
  /** "Now" for the data: the buyer answers a seeded counter-offer after it. */
  readonly startMs: number;
}

/** The buyer opens a dispute on the order's first line, asking for `type`. */
export function openIssue(ids: IdMint, rng: Rng, order: Order, at: number, type: SolutionType): Issue {
  const line = order.lines[0];
  if (line === undefined) throw new RangeError(`Order ${order.id} has no lines to dispute.`);
  const reason = type === 'return_and_refund' ? rng.pick(ISSUE_REASONS.filter((r) => r.snad)) : rng.pick(ISSUE_REASONS);
  const max = lineTotal(line);
  const asked = rng.chance(0.7) ? max : Math.max(1, Math.floor((max * rng.int(40, 90)) / 100));
  const text = BUYER_ISSUE_TEXTS[ISSUE_REASONS.indexOf(reason)] ?? rng.pick(BUYER_ISSUE_TEXTS);
  const issueId = ids.wide();
  const withPhotos = reason.snad && rng.chance(0.7);
  const issue: Issue = {
    id: issueId,
    orderId: order.id,
    childId: line.childId,
    buyerLoginId: order.buyer.loginId,
    currency: order.currency,
    productId: line.productId,
    productName: line.productName,
    productPriceMinor: line.unitPriceMinor,
    reason,
    createdAt: at,
    status: 'processing',
    reverseStatus: 'wait_for_seller_response',
    modifiedAt: at,
    refundMaxMinor: max,
    timeoutType: 'WAIT_SOLUTION_TIMEOUT',
    timeoutAt: at + ISSUE_WINDOW_MS,
    solutions: [
      {
        id: ids.wide(),
        owner: 'buyer',
        type,
        isDefault: true,
        content: text,
        status: 'wait_seller_accept',
        reachedType: null,
        refundMinor: asked,
        version: 1,
        createdAt: at,
        modifiedAt: at,
        buyerAcceptAt: null,
        sellerAcceptAt: null,
        reachedAt: null,
        returnAddressId: null,
      },
    ],
    processes: [
      {
        id: ids.wide(),
        actionType: 'initiate',
        memberType: 'buyer',
        content: text,
        at,
        receiveGoods: type === 'return_and_refund',
        attachments: withPhotos
          ? Array.from({ length: rng.int(1, 3) }, () => ({ fileId: `${ids.digits('7', 12)}.png`, at, owner: 'buyer' as const }))
          : [],
      },
    ],
    next: null,
  };
  order.status = 'IN_ISSUE';
  order.modifiedAt = Math.max(order.modifiedAt, at);
  order.log.push({ at, actionType: 'pledge_issue_buyer_create', operator: 'buyer', memo: '' });
  return issue;
}

/** Seeded history: a dispute that ended with the seller's consent (refund) or AliExpress's (none). */
export function endIssue(ctx: SeedContext, order: Order, issue: Issue, at: number, refunded: boolean): void {
  const buyerSolution = issue.solutions[0];
  if (buyerSolution === undefined) return;
  issue.status = 'finish';
  issue.timeoutType = null;
  issue.timeoutAt = null;
  issue.modifiedAt = at;
  if (refunded) {
    Object.assign(buyerSolution, { status: 'reached', reachedType: 'negotiation_consensus', sellerAcceptAt: at, reachedAt: at, modifiedAt: at });
    issue.reverseStatus = 'refund_success';
    issue.refundMaxMinor -= buyerSolution.refundMinor;
    order.refunds.push({ at, amountMinor: buyerSolution.refundMinor, reason: 'issue_refund', issueId: issue.id });
    issue.processes.push({ id: ctx.ids.wide(), actionType: 'seller_accept', memberType: 'seller', content: '', at, receiveGoods: false, attachments: [] });
  } else {
    Object.assign(buyerSolution, { status: 'reach_cancle', modifiedAt: at });
    issue.solutions.push({
      ...buyerSolution,
      id: ctx.ids.wide(),
      owner: 'platform',
      isDefault: false,
      content: 'AliExpress decided after reviewing the evidence: no refund.',
      status: 'reached',
      reachedType: 'platform_arbitrate',
      refundMinor: 0,
      reachedAt: at,
      sellerAcceptAt: null,
    });
    issue.reverseStatus = 'refund_reject';
    issue.processes.push({ id: ctx.ids.wide(), actionType: 'platform_force_reach', memberType: 'platform', content: '', at, receiveGoods: false, attachments: [] });
  }
  order.log.push({ at, actionType: refunded ? 'pledge_refund_success' : 'pledge_issue_close', operator: 'system', memo: '' });
}

/** Seeded history: the seller refused the buyer's solution with a partial refund of its own. */
export function counterOffer(ctx: SeedContext, order: Order, issue: Issue, seller: Seller, at: number): void {
  order.modifiedAt = Math.max(order.modifiedAt, at);
  const buyerSolution = issue.solutions[0];
  if (buyerSolution === undefined) return;
  buyerSolution.status = 'reach_cancle';
  buyerSolution.modifiedAt = at;
  const solutionId = ctx.ids.wide();
  issue.solutions.push({
    ...buyerSolution,
    id: solutionId,
    owner: 'seller',
    isDefault: false,
    content: 'We can offer a partial refund; the item works as described.',
    status: 'wait_buyer_accept',
    refundMinor: Math.max(1, Math.floor(issue.refundMaxMinor / 2)),
    createdAt: at,
    modifiedAt: at,
    returnAddressId: buyerSolution.type === 'return_and_refund' ? (seller.addresses[0]?.addressId ?? null) : null,
  });
  issue.processes.push({ id: ctx.ids.wide(), actionType: 'seller_create_solution', memberType: 'seller', content: '', at, receiveGoods: false, attachments: [] });
  issue.reverseStatus = 'wait_for_buyer_response';
  // The buyer's deadline now; the buyer always answers before it.
  issue.timeoutAt = at + ISSUE_WINDOW_MS;
  issue.timeoutType = 'WAIT_SOLUTION_TIMEOUT';
  issue.modifiedAt = at;
  const answerAt = Math.min(ctx.startMs + ctx.rng.int(HOUR_MS, 30 * HOUR_MS), issue.timeoutAt - HOUR_MS);
  issue.next = { kind: 'buyer_answer', at: answerAt, solutionId, version: 1 };
}

