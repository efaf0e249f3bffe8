import type { Order, Tracking } from '../../shared/domain/order';
import type {
  BuyerReason,
  CancelRequest,
  Evidence,
  RequestKind,
  RequestState,
  Resolution,
} from '../../shared/domain/request';
import { instantMs, toInstant, type Clock } from '../../shared/domain/time';
import { missingCase } from '../../shared/domain/views';
import type { Money } from '../../shared/money';
import {
  CANCEL_REASONS,
  CANCEL_RESPONSE_WINDOW_MS,
  DAY_MS,
  DISPUTE_REASONS,
  HOUR_MS,
  MINUTE_MS,
  OPEN_STATES,
  buyerMessageFor,
  evidenceId,
  makeEvidence,
  money,
  refundable,
  requestId as formatRequestId,
} from './data';
import { HttpError } from './http';
import { Conversations } from './messages';
import { unitFor } from './random';
import { EventQueue } from './scheduler';
import type { Actor, LedgerAction, LedgerEntry, SimState } from './state';

/**
 * The marketplace's side of the state machine (design.md §2): the seller's actions with the
 * checks a marketplace makes, the buyers who act as time passes, and the platform's deadlines.
 * It does not use shared/rules on purpose: the marketplace is the other party and enforces its
 * own view, which the app's rules must anticipate.
 */

/** After this, an accepted refund is settled (accepted -> refunded). */
export const REFUND_SETTLE_MS = 30 * MINUTE_MS;
/** The platform rules on an escalation this long after it. */
export const PLATFORM_REVIEW_MS = 72 * HOUR_MS;
/** After the buyer's proof due date the seller gets this long to answer. */
export const REVIEW_AFTER_PROOF_MS = 72 * HOUR_MS;
/** The buyer gets this long to answer an offer; the seller this long after the buyer refuses one. */
export const OFFER_ANSWER_MS = 72 * HOUR_MS;
/** The latest proof due date a seller may set, from now. */
export const MAX_PROOF_DUE_MS = 14 * DAY_MS;
/** Evidence files per request (the schema's limit). */
export const MAX_EVIDENCE = 50;

export interface BuyerBehaviour {
  /** Buyers submit proof, withdraw, answer offers and escalate as time passes. */
  readonly active: boolean;
  /** A buyer opens a new request this often (ms of marketplace time); 0 never. */
  readonly newRequestEveryMs: number;
}

export const DEFAULT_BUYERS: BuyerBehaviour = { active: true, newRequestEveryMs: 20 * MINUTE_MS };

/** What a seller action answers. */
export interface ActionResult {
  readonly request: CancelRequest;
  readonly order: Order;
  /** The refund this action sent; null when none. */
  readonly refund: Money | null;
  readonly ledgerSeq: number;
}

export interface AcceptInput {
  readonly expectedVersion: number;
  readonly amount: Money;
}
export interface RefuseInput {
  readonly expectedVersion: number;
  readonly reason: string;
  readonly memo: string;
  readonly tracking?: Tracking | undefined;
  /** The seller's uploads that go with the refusal (seller-evidence.ts). */
  readonly evidenceIds?: readonly string[] | undefined;
}
export interface RequestEvidenceInput {
  readonly expectedVersion: number;
  readonly message: string;
  readonly dueAt: string;
}
export interface OfferInput {
  readonly expectedVersion: number;
  readonly amount: Money;
  readonly evidenceIds?: readonly string[] | undefined;
}
export interface EscalateInput {
  readonly expectedVersion: number;
}
export interface OpenRequestInput {
  readonly orderId: string;
  readonly reason?: BuyerReason | undefined;
  readonly buyerMessage?: string | undefined;
  readonly requestedAmount?: Money | undefined;
}

export type SellerAction = 'accept' | 'refuse' | 'request_evidence' | 'offer' | 'escalate';

/** The states each seller action may start from. */
export const SELLER_ACTION_FROM: Readonly<Record<SellerAction, readonly RequestState[]>> = {
  accept: ['requested', 'proof_requested', 'proof_submitted', 'offer_made', 'refused_by_buyer'],
  refuse: ['requested', 'proof_submitted', 'refused_by_buyer'],
  request_evidence: ['requested', 'proof_submitted'],
  offer: ['requested', 'proof_submitted', 'refused_by_buyer'],
  escalate: ['requested', 'proof_submitted', 'offer_made', 'refused_by_buyer'],
};

/** Actions that only exist for disputes (after shipment). */
const DISPUTE_ONLY_ACTIONS: ReadonlySet<SellerAction> = new Set<SellerAction>(['request_evidence', 'offer', 'escalate']);

type SimEvent =
  | { readonly type: 'deadline'; readonly requestId: string; readonly version: number }
  | { readonly type: 'proof_due'; readonly requestId: string; readonly version: number }
  | { readonly type: 'buyer_submit_proof'; readonly requestId: string; readonly version: number }
  | { readonly type: 'buyer_withdraw'; readonly requestId: string; readonly version: number }
  | { readonly type: 'buyer_answer_offer'; readonly requestId: string; readonly version: number }
  | { readonly type: 'buyer_escalate'; readonly requestId: string; readonly version: number }
  | { readonly type: 'settle'; readonly requestId: string; readonly version: number }
  | { readonly type: 'open_request' }
  /** A follow-up another part of the marketplace put on the agenda (a buyer answering a message). */
  | { readonly type: 'task'; readonly run: () => boolean };

interface ChangeOptions {
  readonly actor: Actor;
  readonly action: LedgerAction;
  readonly refund?: number;
  readonly idempotencyKey?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Changes to the order besides the refund (e.g. shipped with tracking). */
  readonly orderPatch?: Partial<Order>;
}

export class Marketplace {
  private readonly queue = new EventQueue<SimEvent>();
  private cancelTimer: (() => void) | null = null;
  private armedAt: number | null = null;
  private running = false;
  private stopped = false;
  private lastRequestNumber = 0;
  private openedByBuyers = 0;
  /** Order id -> its requests' ids, oldest first. */
  private readonly requestsByOrder = new Map<string, string[]>();
  /** Order ids in id order, for picking an order to open a request on. */
  private readonly orderIds: readonly string[];
  /** The conversations with buyers (messages.ts): on this agenda and clock. */
  readonly conversations: Conversations;

  constructor(
    private readonly state: SimState,
    private readonly clock: Clock,
    private readonly seed: number,
    private readonly buyers: BuyerBehaviour = DEFAULT_BUYERS,
    /** Put before the ids of new requests, as before the generated ones (data.ts idPrefix). */
    private readonly idPrefix = '',
  ) {
    this.orderIds = state.orders.all.listById().map((order) => order.id);
    this.conversations = new Conversations(state, seed, {
      active: buyers.active,
      schedule: (atMs, run) => {
        this.queue.push(atMs, { type: 'task', run });
        this.arm();
      },
    });
    for (const request of state.requests.all.listById()) {
      this.indexRequest(request);
      this.lastRequestNumber = Math.max(this.lastRequestNumber, requestNumber(request.id, this.idPrefix));
      this.scheduleFor(request);
    }
    if (buyers.active && buyers.newRequestEveryMs > 0) {
      this.queue.push(this.now() + buyers.newRequestEveryMs, { type: 'open_request' });
    }
    this.arm();
  }

  /** Marketplace time, epoch ms. */
  now(): number {
    return this.state.now();
  }

  /** Events waiting on the agenda. */
  pendingEvents(): number {
    return this.queue.size;
  }

  /** Applies every event due by now (deadlines, buyer moves); returns how many changed something. */
  runDue(): number {
    if (this.running) return 0;
    this.running = true;
    let applied = 0;
    try {
      for (;;) {
        const due = this.queue.popDue(this.now());
        if (due === undefined) break;
        try {
          if (this.fire(due.event, due.at)) applied++;
        } catch (error) {
          // A buyer move the state no longer allows is skipped; anything else is a simulator
          // bug, reported loudly but without taking the server down.
          if (!(error instanceof HttpError)) console.error('[simulator] event failed:', due.event, error);
        }
      }
    } finally {
      this.running = false;
    }
    this.arm();
    return applied;
  }

  /**
   * Moves marketplace time forward by `ms`, stopping at each event on the way so that it
   * happens at its own time (as a manual clock would), and returns how many changed something.
   */
  advance(ms: number): number {
    const target = this.now() + ms;
    let applied = 0;
    for (;;) {
      const head = this.queue.peekAt();
      if (head === undefined || head > target) break;
      if (head > this.now()) this.state.shiftTime(head - this.now());
      applied += this.runDue();
    }
    if (target > this.now()) this.state.shiftTime(target - this.now());
    return applied + this.runDue();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  // --- Seller actions -------------------------------------------------------------------------

  accept(id: string, input: AcceptInput, idempotencyKey: string | null): ActionResult {
    const { request, order } = this.sellerPreflight(id, 'accept', input.expectedVersion);
    const cap = Math.min(request.refundMax.amountMinor, refundable(order));
    this.checkCurrency(input.amount, order);
    if (input.amount.amountMinor > cap) {
      throw unprocessable(
        'amount_above_cap',
        `A refund of ${input.amount.amountMinor} minor units is above what request ${id} can refund (${cap}).`,
        { cap: money(cap, order.currency) },
      );
    }
    if (input.amount.amountMinor === 0 && cap > 0) {
      throw unprocessable('amount_not_positive', 'Accepting with a refund of zero is not possible: refund a positive amount.');
    }
    return this.change(request, 'accepted', {
      resolution: this.resolution('refunded', input.amount.amountMinor, order.currency, 'seller'),
    }, {
      actor: 'seller',
      action: 'accept',
      refund: input.amount.amountMinor,
      idempotencyKey,
      details: { amount: input.amount },
    });
  }

  /** Share of accepted refunds that fail at settlement (a fault; 0 by default). */
  refundFailRate = 0;

  /** The seller asks again for a refund the platform failed to pay out. */
  retryRefund(id: string, input: { expectedVersion: number }, idempotencyKey: string | null): ActionResult {
    const request = this.requireRequest(id);
    if (request.version !== input.expectedVersion) {
      throw new HttpError(409, 'version_conflict', `Request ${id} is at version ${request.version} (state ${request.state}), not ${input.expectedVersion}: it changed since you read it.`, {
        currentVersion: request.version,
        currentState: request.state,
      });
    }
    if (request.state !== 'accepted' || request.resolution?.outcome !== 'refund_failed' || request.resolution.amount === null) {
      throw unprocessable('refund_not_failed', `Request ${id} has no failed refund to retry.`);
    }
    const amount = request.resolution.amount.amountMinor;
    return this.change(request, 'accepted', { resolution: { ...request.resolution, outcome: 'refunded' } }, {
      actor: 'seller',
      action: 'retry_refund',
      refund: amount,
      idempotencyKey,
      details: { amount: request.resolution.amount },
    });
  }

  refuse(id: string, input: RefuseInput, idempotencyKey: string | null): ActionResult {
    const { request, order } = this.sellerPreflight(id, 'refuse', input.expectedVersion);
    let orderPatch: Partial<Order> | undefined;
    if (request.kind === 'cancel') {
      if (input.tracking === undefined) {
        throw unprocessable(
          'not_shipped',
          `Refusing the cancel request ${id} needs the shipment's tracking: an order is only refused a cancel once it has shipped.`,
          { field: 'tracking' },
        );
      }
      orderPatch = { status: 'shipped', shippedAt: toInstant(this.now()), tracking: input.tracking };
    }
    const evidenceIds = this.state.sellerUploads.check(id, input.evidenceIds);
    return this.change(request, 'refused', {
      resolution: this.resolution('refused', null, order.currency, 'seller'),
    }, {
      actor: 'seller',
      action: 'refuse',
      idempotencyKey,
      details: { reason: input.reason, memo: input.memo, tracking: input.tracking ?? null, ...(evidenceIds.length > 0 ? { evidenceIds } : {}) },
      ...(orderPatch === undefined ? {} : { orderPatch }),
    });
  }

  requestEvidence(id: string, input: RequestEvidenceInput, idempotencyKey: string | null): ActionResult {
    const { request } = this.sellerPreflight(id, 'request_evidence', input.expectedVersion);
    const dueMs = instantMs(input.dueAt);
    const now = this.now();
    if (dueMs <= now || dueMs > now + MAX_PROOF_DUE_MS) {
      throw unprocessable(
        'invalid_due_date',
        `The proof due date must be after now and at most 14 days ahead (now is ${toInstant(now)}).`,
        { field: 'dueAt' },
      );
    }
    const result = this.change(request, 'proof_requested', {
      proofRequest: { message: input.message, dueAt: toInstant(dueMs) },
      respondBy: toInstant(Math.max(instantMs(request.respondBy), dueMs + REVIEW_AFTER_PROOF_MS)),
    }, {
      actor: 'seller',
      action: 'request_evidence',
      idempotencyKey,
      details: { message: input.message, dueAt: toInstant(dueMs) },
    });
    this.conversations.expectReply(result.request, 'proof', `proof-${result.request.version}`);
    return result;
  }

  offer(id: string, input: OfferInput, idempotencyKey: string | null): ActionResult {
    const { request, order } = this.sellerPreflight(id, 'offer', input.expectedVersion);
    this.checkCurrency(input.amount, order);
    const cap = Math.min(request.refundMax.amountMinor, refundable(order));
    const amount = input.amount.amountMinor;
    if (amount <= 0) {
      throw unprocessable('amount_not_positive', 'An offer must be a positive amount.', { field: 'amount' });
    }
    if (amount > cap) {
      throw unprocessable('amount_above_cap', `An offer of ${amount} minor units is above the refund cap (${cap}).`, {
        cap: money(cap, order.currency),
      });
    }
    if (amount >= request.requestedAmount.amountMinor) {
      throw unprocessable(
        'amount_not_below_request',
        `An offer must be below what the buyer asks (${request.requestedAmount.amountMinor} minor units): to give that much, accept.`,
      );
    }
    const evidenceIds = this.state.sellerUploads.check(id, input.evidenceIds);
    return this.change(request, 'offer_made', {
      offer: input.amount,
      respondBy: toInstant(Math.max(instantMs(request.respondBy), this.now() + OFFER_ANSWER_MS)),
    }, { actor: 'seller', action: 'offer', idempotencyKey, details: { amount: input.amount, ...(evidenceIds.length > 0 ? { evidenceIds } : {}) } });
  }

  escalate(id: string, input: EscalateInput, idempotencyKey: string | null): ActionResult {
    const { request } = this.sellerPreflight(id, 'escalate', input.expectedVersion);
    return this.change(request, 'escalated', {
      respondBy: toInstant(this.now() + PLATFORM_REVIEW_MS),
    }, { actor: 'seller', action: 'escalate', idempotencyKey });
  }

  // --- Buyers (as time passes, or driven through /_sim) ---------------------------------------

  /** A buyer opens a request on an order; the kind follows from the order's status. */
  openRequest(input: OpenRequestInput): ActionResult {
    const order = this.state.orders.get(input.orderId);
    if (order === undefined) {
      throw new HttpError(404, 'not_found', `There is no order with id "${input.orderId}".`, { id: input.orderId });
    }
    const open = this.openRequestOf(order.id);
    if (open !== undefined) {
      throw unprocessable('request_already_open', `Order ${order.id} already has an open request (${open.id}).`, {
        requestId: open.id,
      });
    }
    let kind: RequestKind;
    switch (order.status) {
      case 'awaiting_payment':
      case 'awaiting_shipment':
        kind = 'cancel';
        break;
      case 'shipped':
      case 'delivered':
      case 'completed':
        kind = 'dispute';
        break;
      case 'cancelled':
        throw unprocessable('order_cancelled', `Order ${order.id} is cancelled: there is nothing to ask for.`);
      default:
        return missingCase(order.status);
    }
    const available = refundable(order);
    if (kind === 'dispute' && available === 0) {
      throw unprocessable('nothing_to_refund', `Everything paid for order ${order.id} has been refunded already.`);
    }
    const reasons: readonly BuyerReason[] = kind === 'cancel' ? CANCEL_REASONS : DISPUTE_REASONS;
    const number = this.lastRequestNumber + 1;
    const id = formatRequestId(number, this.idPrefix);
    const reason = input.reason ?? reasons[Math.floor(unitFor(this.seed, `${id}:reason`) * reasons.length)] ?? 'changed_mind';
    if (!(reasons as readonly string[]).includes(reason)) {
      throw unprocessable(
        'reason_not_allowed',
        `"${reason}" is not a reason for a ${kind === 'cancel' ? 'cancel before shipment' : 'dispute after shipment'}.`,
        { field: 'reason' },
      );
    }
    let requestedAmount = available;
    if (input.requestedAmount !== undefined) {
      this.checkCurrency(input.requestedAmount, order);
      if (input.requestedAmount.amountMinor > available) {
        throw unprocessable('amount_above_cap', `A buyer cannot ask for more than was paid and not yet refunded (${available}).`);
      }
      requestedAmount = input.requestedAmount.amountMinor;
    }
    const now = this.now();
    const windowMs =
      kind === 'cancel'
        ? CANCEL_RESPONSE_WINDOW_MS
        : (3 + Math.floor(unitFor(this.seed, `${id}:window`) * 5)) * DAY_MS;
    const stamp = this.state.stamp();
    const request: CancelRequest = {
      id,
      orderId: order.id,
      storeId: order.storeId,
      kind,
      reason,
      buyerMessage: input.buyerMessage ?? buyerMessageFor(reason, unitFor(this.seed, `${id}:message`)),
      requestedAt: toInstant(now),
      respondBy: toInstant(now + windowMs),
      requestedAmount: money(requestedAmount, order.currency),
      refundMax: money(available, order.currency),
      state: 'requested',
      evidence: [],
      proofRequest: null,
      offer: null,
      resolution: null,
      updatedAt: stamp,
      version: 1,
    };
    this.lastRequestNumber = number;
    this.state.putRequest(request);
    this.indexRequest(request);
    const entry = this.state.appendLedger({
      at: stamp,
      actor: 'buyer',
      action: 'open',
      requestId: id,
      orderId: order.id,
      storeId: order.storeId,
      fromState: null,
      toState: 'requested',
      requestVersion: 1,
      refund: null,
      idempotencyKey: null,
      details: { kind, reason },
    });
    this.scheduleFor(request);
    this.arm();
    return { request, order, refund: null, ledgerSeq: entry.seq };
  }

  withdraw(id: string): ActionResult {
    const request = this.requireRequest(id);
    if (!OPEN_STATES.has(request.state)) {
      throw wrongState(id, 'withdraw', request.state);
    }
    const order = this.requireOrder(request.orderId);
    return this.change(request, 'withdrawn', {
      resolution: this.resolution('withdrawn', null, order.currency, 'buyer'),
    }, { actor: 'buyer', action: 'withdraw' });
  }

  submitProof(id: string, photos: number): ActionResult {
    const request = this.requireRequest(id);
    if (request.state !== 'proof_requested') throw wrongState(id, 'submit proof for', request.state);
    const room = MAX_EVIDENCE - request.evidence.length;
    if (photos > room) {
      throw unprocessable('too_much_evidence', `Request ${id} can take ${room} more file(s), not ${photos}.`, { field: 'photos' });
    }
    const now = this.now();
    const evidence: Evidence[] = [...request.evidence];
    for (let photo = 0; photo < photos; photo++) {
      evidence.push(makeEvidence(evidenceId(id, evidence.length + 1), now));
    }
    return this.change(request, 'proof_submitted', { evidence }, {
      actor: 'buyer',
      action: 'submit_proof',
      details: { photos },
    });
  }

  answerOffer(id: string, accept: boolean): ActionResult {
    const request = this.requireRequest(id);
    if (request.state !== 'offer_made' || request.offer === null) throw wrongState(id, 'answer an offer on', request.state);
    const order = this.requireOrder(request.orderId);
    if (accept) {
      const amount = Math.min(request.offer.amountMinor, refundable(order));
      return this.change(request, 'accepted', {
        resolution: this.resolution('refunded', amount, order.currency, 'buyer'),
      }, { actor: 'buyer', action: 'accept_offer', refund: amount, details: { amount: request.offer } });
    }
    return this.change(request, 'refused_by_buyer', {
      respondBy: toInstant(this.now() + OFFER_ANSWER_MS),
    }, { actor: 'buyer', action: 'refuse_offer', details: { amount: request.offer } });
  }

  /** The buyer takes a refusal to the platform. */
  buyerEscalate(id: string): ActionResult {
    const request = this.requireRequest(id);
    if (request.state !== 'refused') throw wrongState(id, 'escalate', request.state);
    return this.change(request, 'escalated', {
      resolution: null,
      respondBy: toInstant(this.now() + PLATFORM_REVIEW_MS),
    }, { actor: 'buyer', action: 'buyer_escalate' });
  }

  // --- Internals ------------------------------------------------------------------------------

  private sellerPreflight(
    id: string,
    action: SellerAction,
    expectedVersion: number,
  ): { request: CancelRequest; order: Order } {
    const request = this.requireRequest(id);
    if (request.version !== expectedVersion) {
      throw new HttpError(
        409,
        'version_conflict',
        `Request ${id} is at version ${request.version} (state ${request.state}), not ${expectedVersion}: it changed since you read it.`,
        { currentVersion: request.version, currentState: request.state },
      );
    }
    if (DISPUTE_ONLY_ACTIONS.has(action) && request.kind !== 'dispute') {
      throw unprocessable(
        'not_a_dispute',
        `Request ${id} is a cancel before shipment: ${action.replace('_', ' ')} is only for disputes after shipment.`,
      );
    }
    if (!SELLER_ACTION_FROM[action].includes(request.state)) {
      throw wrongState(id, action.replace('_', ' '), request.state);
    }
    return { request, order: this.requireOrder(request.orderId) };
  }

  private requireRequest(id: string): CancelRequest {
    const request = this.state.requests.get(id);
    if (request === undefined) throw new HttpError(404, 'not_found', `There is no request with id "${id}".`, { id });
    return request;
  }

  private requireOrder(id: string): Order {
    const order = this.state.orders.get(id);
    if (order === undefined) throw new Error(`Simulator invariant broken: order ${id} is missing.`);
    return order;
  }

  private checkCurrency(amount: Money, order: Order): void {
    if (amount.currency !== order.currency) {
      throw unprocessable(
        'currency_mismatch',
        `The amount is in ${amount.currency} but order ${order.id} is in ${order.currency}.`,
        { field: 'amount.currency' },
      );
    }
  }

  private resolution(
    outcome: Resolution['outcome'],
    amount: number | null,
    currency: string,
    by: Resolution['by'],
  ): Resolution {
    return { outcome, amount: amount === null ? null : money(amount, currency), decidedAt: toInstant(this.now()), by };
  }

  /**
   * Applies one transition: the request (version + 1, new updatedAt), the order when money
   * moves or it ships, a ledger entry, and the follow-up events of the new state.
   */
  private change(
    request: CancelRequest,
    toState: RequestState,
    patch: Partial<CancelRequest>,
    options: ChangeOptions,
  ): ActionResult {
    let order = this.requireOrder(request.orderId);
    const refundMinor = options.refund ?? 0;
    const cancelsOrder =
      request.kind === 'cancel' &&
      (toState === 'accepted' || toState === 'auto_accepted') &&
      (order.status === 'awaiting_payment' || order.status === 'awaiting_shipment');
    if (refundMinor > refundable(order)) {
      throw new Error(`Simulator invariant broken: refund ${refundMinor} exceeds what order ${order.id} can refund.`);
    }
    if (refundMinor !== 0 || cancelsOrder || options.orderPatch !== undefined) {
      order = {
        ...order,
        ...options.orderPatch,
        ...(cancelsOrder ? { status: 'cancelled' as const } : {}),
        refunded: money(order.refunded.amountMinor + refundMinor, order.currency),
        version: order.version + 1,
        updatedAt: this.state.stamp(),
      };
      this.state.putOrder(order);
    }
    const next: CancelRequest = {
      ...request,
      ...patch,
      state: toState,
      version: request.version + 1,
      updatedAt: this.state.stamp(),
    };
    this.state.putRequest(next);
    const refund = options.refund === undefined ? null : money(refundMinor, order.currency);
    const entry: LedgerEntry = this.state.appendLedger({
      at: next.updatedAt,
      actor: options.actor,
      action: options.action,
      requestId: next.id,
      orderId: next.orderId,
      storeId: next.storeId,
      fromState: request.state,
      toState,
      requestVersion: next.version,
      refund,
      idempotencyKey: options.idempotencyKey ?? null,
      details: options.details ?? {},
    });
    this.scheduleFor(next);
    this.arm();
    return { request: next, order, refund, ledgerSeq: entry.seq };
  }

  private indexRequest(request: CancelRequest): void {
    const ids = this.requestsByOrder.get(request.orderId);
    if (ids === undefined) this.requestsByOrder.set(request.orderId, [request.id]);
    else if (!ids.includes(request.id)) ids.push(request.id);
  }

  /** The order's request that is still in play (open, or accepted and settling), if any. */
  private openRequestOf(orderId: string): CancelRequest | undefined {
    for (const id of this.requestsByOrder.get(orderId) ?? []) {
      const request = this.state.requests.get(id);
      if (request !== undefined && (OPEN_STATES.has(request.state) || request.state === 'accepted')) return request;
    }
    return undefined;
  }

  /** A deterministic draw for (request, version, purpose): independent of event order. */
  private draw(request: CancelRequest, purpose: string): number {
    return unitFor(this.seed, `${request.id}:${request.version}:${purpose}`);
  }

  /** Puts the follow-ups of a request's current state on the agenda. */
  private scheduleFor(request: CancelRequest): void {
    const now = this.now();
    const version = request.version;
    const requestId = request.id;
    const respondBy = instantMs(request.respondBy);
    const at = (ms: number): number => Math.max(now, ms);
    const buyersActive = this.buyers.active;
    switch (request.state) {
      case 'requested':
        this.queue.push(at(respondBy), { type: 'deadline', requestId, version });
        if (buyersActive && this.draw(request, 'withdraw') < 0.06) {
          const when = now + Math.floor(this.draw(request, 'withdraw-at') * Math.max(0, respondBy - now) * 0.9);
          this.queue.push(at(when), { type: 'buyer_withdraw', requestId, version });
        }
        break;
      case 'proof_requested': {
        const dueMs = instantMs(request.proofRequest?.dueAt ?? request.respondBy);
        this.queue.push(at(dueMs), { type: 'proof_due', requestId, version });
        if (buyersActive && this.draw(request, 'proof') < 0.7) {
          const when = now + MINUTE_MS + Math.floor(this.draw(request, 'proof-at') * Math.max(0, dueMs - now - MINUTE_MS) * 0.9);
          this.queue.push(at(Math.min(when, dueMs - 1)), { type: 'buyer_submit_proof', requestId, version });
        }
        break;
      }
      case 'proof_submitted':
      case 'refused_by_buyer':
      case 'escalated':
        this.queue.push(at(respondBy), { type: 'deadline', requestId, version });
        break;
      case 'offer_made':
        if (buyersActive) {
          const when = now + HOUR_MS + Math.floor(this.draw(request, 'offer-at') * 47 * HOUR_MS);
          this.queue.push(when, { type: 'buyer_answer_offer', requestId, version });
        }
        break;
      case 'refused': {
        // Some buyers take a refusal to the platform within a day; old refusals stay as they are.
        const refusedAt = instantMs(request.resolution?.decidedAt ?? request.updatedAt);
        const when = refusedAt + HOUR_MS + Math.floor(this.draw(request, 'escalate-at') * 23 * HOUR_MS);
        if (buyersActive && when >= now && this.draw(request, 'escalate') < 0.4) {
          this.queue.push(when, { type: 'buyer_escalate', requestId, version });
        }
        break;
      }
      case 'accepted': {
        const acceptedAt = instantMs(request.resolution?.decidedAt ?? request.updatedAt);
        this.queue.push(at(acceptedAt + REFUND_SETTLE_MS), { type: 'settle', requestId, version });
        break;
      }
      case 'refunded':
      case 'withdrawn':
      case 'auto_accepted':
      case 'closed_by_platform':
        break;
      default:
        missingCase(request.state);
    }
  }

  /** Applies one due event; false when it no longer applies (the request moved on). */
  private fire(event: SimEvent, dueAt: number): boolean {
    if (event.type === 'open_request') {
      this.queue.push(dueAt + this.buyers.newRequestEveryMs, { type: 'open_request' });
      return this.openForSomeBuyer();
    }
    if (event.type === 'task') return event.run();
    const request = this.state.requests.get(event.requestId);
    if (request === undefined || request.version !== event.version) return false;
    const order = this.requireOrder(request.orderId);
    switch (event.type) {
      case 'deadline':
        return this.deadline(request, order);
      case 'proof_due':
        if (request.state !== 'proof_requested') return false;
        // The buyer sent no proof in time: the platform closes the case for the seller.
        this.change(request, 'closed_by_platform', {
          resolution: this.resolution('decided_by_platform', null, order.currency, 'platform'),
        }, { actor: 'platform', action: 'decide_for_seller', details: { why: 'no_proof_by_due_date' } });
        return true;
      case 'buyer_submit_proof': {
        const room = MAX_EVIDENCE - request.evidence.length;
        if (room <= 0) return false;
        this.submitProof(request.id, Math.min(room, 1 + Math.floor(this.draw(request, 'photos') * 3)));
        return true;
      }
      case 'buyer_withdraw':
        this.withdraw(request.id);
        return true;
      case 'buyer_answer_offer':
        this.answerOffer(request.id, this.draw(request, 'offer-answer') < 0.6);
        return true;
      case 'buyer_escalate':
        this.buyerEscalate(request.id);
        return true;
      case 'settle': {
        if (request.state !== 'accepted' || request.resolution?.outcome === 'refund_failed') return false;
        if (this.draw(request, 'refund-fails') < this.refundFailRate) {
          const failed = request.resolution?.amount?.amountMinor ?? 0;
          // The money did not leave: the order's refunded total goes back down.
          this.change(request, 'accepted', {
            resolution: request.resolution === null ? null : { ...request.resolution, outcome: 'refund_failed' },
          }, { actor: 'platform', action: 'refund_failed', refund: -failed, details: { reason: 'The buyer\'s payment provider rejected the refund.' } });
          return true;
        }
        this.change(request, 'refunded', {}, { actor: 'platform', action: 'settle_refund' });
        return true;
      }
      default:
        return missingCase(event);
    }
  }

  private deadline(request: CancelRequest, order: Order): boolean {
    const cap = Math.min(request.refundMax.amountMinor, refundable(order));
    switch (request.state) {
      case 'requested':
        if (request.kind === 'cancel') {
          // A pre-shipment cancel unanswered for 48 h: the platform accepts it and refunds.
          this.change(request, 'auto_accepted', {
            resolution: this.resolution('decided_by_platform', cap, order.currency, 'platform'),
          }, { actor: 'platform', action: 'auto_accept', refund: cap });
          return true;
        }
        return this.decideForBuyer(request, order, cap, 'seller_did_not_answer');
      case 'proof_submitted':
        return this.decideForBuyer(request, order, cap, 'seller_did_not_answer');
      case 'refused_by_buyer':
        // Nobody moved after the buyer refused the offer: the platform takes the case over.
        this.change(request, 'escalated', {
          respondBy: toInstant(this.now() + PLATFORM_REVIEW_MS),
        }, { actor: 'platform', action: 'take_over' });
        return true;
      case 'escalated':
        if (this.draw(request, 'verdict') < 0.5) return this.decideForBuyer(request, order, cap, 'platform_review');
        this.change(request, 'closed_by_platform', {
          resolution: this.resolution('decided_by_platform', null, order.currency, 'platform'),
        }, { actor: 'platform', action: 'decide_for_seller', details: { why: 'platform_review' } });
        return true;
      // No platform deadline: the buyer moves (proof, offer), or the case is over.
      case 'proof_requested':
      case 'offer_made':
      case 'accepted':
      case 'refunded':
      case 'refused':
      case 'withdrawn':
      case 'auto_accepted':
      case 'closed_by_platform':
        return false;
      default:
        return missingCase(request.state);
    }
  }

  private decideForBuyer(request: CancelRequest, order: Order, cap: number, why: string): boolean {
    this.change(request, 'closed_by_platform', {
      resolution: this.resolution('decided_by_platform', cap, order.currency, 'platform'),
    }, { actor: 'platform', action: 'decide_for_buyer', refund: cap, details: { why } });
    return true;
  }

  /** A buyer somewhere opens a request on an eligible order (none eligible nearby: skipped). */
  private openForSomeBuyer(): boolean {
    if (this.orderIds.length === 0) return false;
    this.openedByBuyers++;
    const start = Math.floor(unitFor(this.seed, `open:${this.openedByBuyers}`) * this.orderIds.length);
    for (let probe = 0; probe < Math.min(200, this.orderIds.length); probe++) {
      const orderId = this.orderIds[(start + probe) % this.orderIds.length] as string;
      const order = this.state.orders.get(orderId);
      if (order === undefined || order.status === 'cancelled') continue;
      if (this.openRequestOf(orderId) !== undefined) continue;
      if (order.status !== 'awaiting_payment' && order.status !== 'awaiting_shipment' && refundable(order) === 0) continue;
      this.openRequest({ orderId });
      return true;
    }
    return false;
  }

  private arm(): void {
    if (this.stopped || this.running) return;
    const head = this.queue.peekAt();
    if (head === this.armedAt && this.cancelTimer !== null) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedAt = null;
    if (head === undefined) return;
    this.armedAt = head;
    this.cancelTimer = this.clock.setTimer(Math.max(0, head - this.now()), () => {
      this.cancelTimer = null;
      this.armedAt = null;
      this.runDue();
    });
  }
}

function requestNumber(id: string, prefix: string): number {
  if (!id.startsWith(prefix)) return 0;
  const match = /^r-(\d+)$/.exec(id.slice(prefix.length));
  return match === null ? 0 : Number(match[1]);
}

function unprocessable(code: string, message: string, details: Readonly<Record<string, unknown>> = {}): HttpError {
  return new HttpError(422, code, message, details);
}

function wrongState(id: string, action: string, state: RequestState): HttpError {
  return unprocessable('wrong_state', `Cannot ${action} request ${id}: it is ${state.replaceAll('_', ' ')}.`, {
    currentState: state,
  });
}
