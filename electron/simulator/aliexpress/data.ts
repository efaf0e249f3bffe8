import { Rng } from '../random';
import { CANCEL_WINDOW_MS, DAY_MS, HOUR_MS, IdMint, MINUTE_MS, SHIPPING_WINDOW_MS, orderTotal, priceIn } from './basics';
import { BUYER_MESSAGES, CANCEL_REASONS, COUNTRIES, FIRST_NAMES, LAST_NAMES, PRODUCTS } from './catalog';
import { counterOffer, endIssue, openIssue } from './disputes-seed';
import type { Buyer, ImMessage, Issue, Order, OrderLine, Seller } from './model';

/**
 * The sandbox's seeded data: a seller's orders around `startMs` in every state §5.3 names, with
 * buyers' cancellation requests (IN_CANCEL, 48 h to answer) and disputes (IN_ISSUE, 5 days),
 * ended ones, and a few buyer messages. A pure function of (seed, orders, startMs).
 * The first ten orders follow a fixed list of scenarios so that a small dataset has them all.
 */

export interface SandboxData {
  readonly seller: Seller;
  readonly orders: Order[];
  readonly issues: Issue[];
  readonly messages: ImMessage[];
  /** Continues where the data left off, so later ids never collide with seeded ones. */
  readonly ids: IdMint;
}

export type Scenario =
  | 'awaiting_payment'
  | 'risk_control'
  | 'to_ship'
  | 'in_cancel'
  | 'shipped'
  | 'fund_processing'
  | 'issue_refund'
  | 'issue_return'
  | 'issue_wait_buyer'
  | 'finished'
  | 'finished_refunded'
  | 'finished_rejected'
  | 'cancelled'
  | 'issue_cancelled';

/** The first orders, in this order: a dataset of ten has one of each interesting case. */
export const FIRST_SCENARIOS: readonly Scenario[] = [
  'in_cancel',
  'issue_refund',
  'issue_return',
  'finished_refunded',
  'in_cancel',
  'to_ship',
  'cancelled',
  'shipped',
  'issue_wait_buyer',
  'issue_cancelled',
];

const SCENARIO_WEIGHTS: readonly (readonly [Scenario, number])[] = [
  ['to_ship', 18],
  ['in_cancel', 14],
  ['shipped', 16],
  ['issue_refund', 10],
  ['issue_return', 4],
  ['issue_wait_buyer', 4],
  ['finished', 12],
  ['finished_refunded', 5],
  ['finished_rejected', 3],
  ['cancelled', 5],
  ['issue_cancelled', 3],
  ['awaiting_payment', 2],
  ['risk_control', 2],
  ['fund_processing', 2],
];

interface Context {
  readonly rng: Rng;
  readonly ids: IdMint;
  readonly startMs: number;
  readonly issues: Issue[];
  readonly messages: ImMessage[];
}

const between = (rng: Rng, fromMs: number, toMs: number): number => rng.int(Math.ceil(fromMs), Math.floor(toMs));

function makeBuyer(ctx: Context): Buyer {
  const country = ctx.rng.weighted(COUNTRIES);
  return {
    loginId: `${country.loginPrefix}${ctx.ids.digits(String(ctx.rng.int(1, 9)), 9)}`,
    accountId: ctx.ids.digits('2', 13),
    firstName: ctx.rng.pick(FIRST_NAMES[country.code] ?? ['Alex']),
    lastName: ctx.rng.pick(LAST_NAMES[country.code] ?? ['Lee']),
    country: country.code,
  };
}

function currencyOf(country: string): string {
  return COUNTRIES.find(([entry]) => entry.code === country)?.[0].currency ?? 'USD';
}

function makeLines(ctx: Context, currency: string): OrderLine[] {
  const count = ctx.rng.weighted([
    [1, 6],
    [2, 3],
    [3, 1],
  ] as const);
  return Array.from({ length: count }, () => {
    const product = ctx.rng.pick(PRODUCTS);
    return {
      childId: ctx.ids.wide(),
      productId: ctx.ids.digits('1005', 16),
      productName: product.name,
      skuCode: `SKU-${ctx.rng.int(100, 999)}-${ctx.rng.pick(['BLK', 'WHT', 'RED', 'BLU'])}`,
      count: ctx.rng.weighted([
        [1, 8],
        [2, 2],
      ] as const),
      unitPriceMinor: priceIn(Math.round((product.usdCents * ctx.rng.int(85, 115)) / 100), currency),
    };
  });
}

function baseOrder(ctx: Context, createdAt: number): Order {
  const buyer = makeBuyer(ctx);
  const currency = currencyOf(buyer.country);
  const free = ctx.rng.chance(0.6);
  return {
    id: ctx.ids.wide(),
    buyer,
    currency,
    lines: makeLines(ctx, currency),
    shippingMinor: free ? 0 : priceIn(ctx.rng.int(150, 600), currency),
    escrowRatePercent: ctx.rng.pick([5, 8]),
    createdAt,
    status: 'WAIT_SELLER_SEND_GOODS',
    fundStatus: 'PAY_SUCCESS',
    logisticsStatus: 'WAIT_SELLER_SEND_GOODS',
    endReason: null,
    paidAt: createdAt + between(ctx.rng, MINUTE_MS, HOUR_MS),
    modifiedAt: createdAt,
    shippedAt: null,
    trackingNo: null,
    tradeEndAt: null,
    sendDeadlineAt: null,
    cancel: null,
    refusedCancelMemo: null,
    refunds: [],
    log: [{ at: createdAt, actionType: 'place_order', operator: 'buyer', memo: '' }],
  };
}

function touch(order: Order, at: number, actionType: string, operator: 'buyer' | 'seller' | 'system', memo = ''): void {
  order.log.push({ at, actionType, operator, memo });
  order.modifiedAt = Math.max(order.modifiedAt, at);
}

function ship(ctx: Context, order: Order, at: number): void {
  order.shippedAt = at;
  order.trackingNo = `LP00${ctx.ids.digits('6', 12)}`;
  order.status = 'WAIT_BUYER_ACCEPT_GOODS';
  order.logisticsStatus = 'SELLER_SEND_GOODS';
  touch(order, at, 'seller_send_goods', 'seller');
}

function buyerSays(ctx: Context, order: Order, at: number, text: string): void {
  ctx.messages.push({
    id: ctx.ids.wide(),
    buyerAccountId: order.buyer.accountId,
    from: 'buyer',
    templateId: 1,
    content: JSON.stringify({ txt: text }),
    sentAt: at,
  });
}

function build(ctx: Context, scenario: Scenario, seller: Seller): Order {
  const { rng, startMs } = ctx;
  const ago = (fromMs: number, toMs: number): number => startMs - between(rng, fromMs, toMs);
  switch (scenario) {
    case 'awaiting_payment': {
      const order = baseOrder(ctx, ago(10 * MINUTE_MS, 20 * HOUR_MS));
      Object.assign(order, { status: 'PLACE_ORDER_SUCCESS', fundStatus: 'NOT_PAY', logisticsStatus: 'NO_LOGISTICS', paidAt: null });
      return order;
    }
    case 'risk_control': {
      const order = baseOrder(ctx, ago(2 * HOUR_MS, 20 * HOUR_MS));
      order.status = 'RISK_CONTROL';
      touch(order, order.paidAt ?? order.createdAt, 'pay_success', 'buyer');
      return order;
    }
    case 'to_ship': {
      const order = baseOrder(ctx, ago(DAY_MS, 5 * DAY_MS));
      order.sendDeadlineAt = (order.paidAt ?? order.createdAt) + SHIPPING_WINDOW_MS;
      touch(order, order.paidAt ?? order.createdAt, 'pay_success', 'buyer');
      return order;
    }
    case 'in_cancel': {
      const order = baseOrder(ctx, ago(50 * HOUR_MS, 6 * DAY_MS));
      order.sendDeadlineAt = (order.paidAt ?? order.createdAt) + SHIPPING_WINDOW_MS;
      const requestedAt = ago(30 * MINUTE_MS, 47 * HOUR_MS);
      order.cancel = {
        requestedAt,
        deadlineAt: requestedAt + CANCEL_WINDOW_MS,
        reason: rng.pick(CANCEL_REASONS),
        previousStatus: 'WAIT_SELLER_SEND_GOODS',
      };
      order.status = 'IN_CANCEL';
      touch(order, requestedAt, 'buyer_apply_cancel', 'buyer', order.cancel.reason);
      if (rng.chance(0.5)) buyerSays(ctx, order, requestedAt + MINUTE_MS, rng.pick(BUYER_MESSAGES));
      return order;
    }
    case 'shipped':
    case 'fund_processing': {
      const order = baseOrder(ctx, ago(4 * DAY_MS, 30 * DAY_MS));
      ship(ctx, order, (order.paidAt ?? order.createdAt) + between(rng, HOUR_MS, 2 * DAY_MS));
      if (scenario === 'fund_processing') {
        order.status = 'FUND_PROCESSING';
        order.logisticsStatus = 'BUYER_ACCEPT_GOODS';
        touch(order, ago(HOUR_MS, DAY_MS), 'buyer_confirm_goods', 'buyer');
      }
      return order;
    }
    case 'issue_refund':
    case 'issue_return':
    case 'issue_wait_buyer': {
      const order = baseOrder(ctx, ago(12 * DAY_MS, 40 * DAY_MS));
      ship(ctx, order, (order.paidAt ?? order.createdAt) + between(rng, HOUR_MS, 2 * DAY_MS));
      const openedAt = scenario === 'issue_wait_buyer' ? ago(30 * HOUR_MS, 100 * HOUR_MS) : ago(2 * HOUR_MS, 108 * HOUR_MS);
      const issue = openIssue(ctx.ids, rng, order, openedAt, scenario === 'issue_return' ? 'return_and_refund' : 'refund');
      ctx.issues.push(issue);
      if (scenario === 'issue_wait_buyer') counterOffer(ctx, order, issue, seller, openedAt + between(rng, 2 * HOUR_MS, 20 * HOUR_MS));
      if (rng.chance(0.4)) buyerSays(ctx, order, openedAt + 2 * MINUTE_MS, rng.pick(BUYER_MESSAGES));
      return order;
    }
    case 'finished':
    case 'finished_refunded':
    case 'finished_rejected': {
      const order = baseOrder(ctx, ago(30 * DAY_MS, 80 * DAY_MS));
      ship(ctx, order, (order.paidAt ?? order.createdAt) + between(rng, HOUR_MS, 2 * DAY_MS));
      const endAt = (order.shippedAt ?? order.createdAt) + between(rng, 9 * DAY_MS, 20 * DAY_MS);
      if (scenario !== 'finished') {
        const issue = openIssue(ctx.ids, rng, order, endAt - between(rng, DAY_MS, 3 * DAY_MS), 'refund');
        endIssue(ctx, order, issue, endAt, scenario === 'finished_refunded');
        ctx.issues.push(issue);
      }
      finish(order, endAt, 'buyer_confirm_goods');
      order.logisticsStatus = 'BUYER_ACCEPT_GOODS';
      return order;
    }
    case 'cancelled': {
      const order = baseOrder(ctx, ago(3 * DAY_MS, 40 * DAY_MS));
      const requestedAt = (order.paidAt ?? order.createdAt) + between(rng, HOUR_MS, 20 * HOUR_MS);
      touch(order, requestedAt, 'buyer_apply_cancel', 'buyer', rng.pick(CANCEL_REASONS));
      const acceptedAt = requestedAt + between(rng, HOUR_MS, 30 * HOUR_MS);
      order.refunds.push({ at: acceptedAt, amountMinor: orderTotal(order), reason: 'buyer_cancel_order', issueId: null });
      touch(order, acceptedAt, 'cancel_order_close_trade', 'seller');
      finish(order, acceptedAt, 'buyer_cancel_order');
      order.logisticsStatus = 'NO_LOGISTICS';
      return order;
    }
    case 'issue_cancelled': {
      const order = baseOrder(ctx, ago(10 * DAY_MS, 30 * DAY_MS));
      ship(ctx, order, (order.paidAt ?? order.createdAt) + between(rng, HOUR_MS, 2 * DAY_MS));
      const issue = openIssue(ctx.ids, rng, order, ago(2 * DAY_MS, 4 * DAY_MS), 'refund');
      const cancelledAt = issue.createdAt + between(rng, HOUR_MS, DAY_MS);
      issue.status = 'canceled_issue';
      issue.reverseStatus = 'refund_reject';
      issue.timeoutType = null;
      issue.timeoutAt = null;
      issue.modifiedAt = cancelledAt;
      for (const solution of issue.solutions) Object.assign(solution, { status: 'reach_cancle', modifiedAt: cancelledAt });
      issue.processes.push({ id: ctx.ids.wide(), actionType: 'cancel', memberType: 'buyer', content: '', at: cancelledAt, receiveGoods: false, attachments: [] });
      ctx.issues.push(issue);
      order.status = 'WAIT_BUYER_ACCEPT_GOODS';
      touch(order, cancelledAt, 'buyer_close_issue', 'buyer');
      return order;
    }
  }
}

function finish(order: Order, at: number, reason: string): void {
  order.status = 'FINISH';
  order.endReason = reason;
  order.tradeEndAt = at;
  order.sendDeadlineAt = null;
  order.modifiedAt = Math.max(order.modifiedAt, at);
}

function makeSeller(ids: IdMint): Seller {
  const kinds = ['sender', 'pickup', 'refund'] as const;
  return {
    sellerId: ids.digits('26', 10),
    loginId: `cn${ids.digits('15', 10)}xyae`,
    addresses: kinds.flatMap((kind, index) => [
      {
        addressId: ids.digits(String(index + 1), 9),
        kind,
        name: 'Zhang Wei',
        phone: '+86 571 8502 2088',
        country: 'CN',
        province: 'Zhejiang',
        city: 'Hangzhou',
        street: `${969 + index} Wenyi West Road, Yuhang District`,
        postcode: '311121',
        isDefault: true,
      },
      ...(kind === 'refund'
        ? [{ addressId: ids.digits('4', 9), kind, name: 'Li Na', phone: '+86 755 8601 3388', country: 'CN', province: 'Guangdong', city: 'Shenzhen', street: '18 Keyuan Road, Nanshan District', postcode: '518057', isDefault: false }]
        : []),
    ]),
  };
}

/** The sandbox's data for a seed. */
export function generateSandboxData(options: { seed: number; orders: number; startMs: number }): SandboxData {
  const ids = new IdMint(options.seed);
  const rng = new Rng(options.seed >>> 0);
  const ctx: Context = { rng, ids, startMs: options.startMs, issues: [], messages: [] };
  const seller = makeSeller(ids);
  const orders: Order[] = [];
  for (let index = 0; index < options.orders; index++) {
    orders.push(build(ctx, FIRST_SCENARIOS[index] ?? rng.weighted(SCENARIO_WEIGHTS), seller));
  }
  for (const [index, issue] of ctx.issues.entries()) {
    if (issue.next !== null || index % 2 === 1) continue;
    // Some dispute pages get an answer from the buyer in the chat as well.
    const order = orders.find((candidate) => candidate.id === issue.orderId);
    if (order !== undefined && issue.status === 'processing') buyerSays(ctx, order, issue.createdAt + 3 * MINUTE_MS, 'I have added photos to the dispute.');
  }
  ctx.messages.sort((a, b) => a.sentAt - b.sentAt || (a.id < b.id ? -1 : 1));
  return { seller, orders, issues: ctx.issues, messages: ctx.messages, ids };
}
