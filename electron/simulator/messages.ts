import { z } from 'zod';
import { MESSAGE_TEXT_MAX, type BuyerMessage } from '../../shared/domain/message';
import type { CancelRequest } from '../../shared/domain/request';
import { instantMs, toInstant } from '../../shared/domain/time';
import { HOUR_MS, MINUTE_MS, OPEN_STATES } from './data';
import type { FaultInjector } from './faults';
import { HttpError, jsonReply, validate, type Reply } from './http';
import type { ActionResult, Marketplace } from './marketplace';
import { unitFor } from './random';
import type { Route } from './route';
import { sellerActionRoute, type SellerActionServices } from './seller-actions';
import { Table, type SimState } from './state';

/**
 * The conversation with the buyer about each request (design.md §6b "messages with the buyer"):
 * a feed of messages like the orders' and requests' (GET /v1/messages, by (updatedAt, id)), the
 * seller writing through POST /v1/requests/:id/message (a seller action: token, faults, latency,
 * Idempotency-Key), and buyers writing back as time passes. A message never changes a request's
 * version (a decision made on the version the seller read still applies), but a seller's message
 * is in the request's history, so a client that lost the answer can read whether it landed.
 */

/** The longest message the demo takes from a seller (DEMO_CAPABILITIES.limits.messageMax). */
export const SELLER_MESSAGE_MAX = 2000;

/** A message as the marketplace keeps it: the wire record plus its store, for the store feeds. */
export interface SimMessage extends BuyerMessage {
  readonly storeId: string;
}

/** POST /v1/requests/:id/message: the length is checked by the handler, to answer 422 with the limit. */
export const SellerMessageBodySchema = z.strictObject({ text: z.string().max(MESSAGE_TEXT_MAX) });

/** POST /_sim/requests/:id/buyer-message. */
export const BuyerMessageBodySchema = z.strictObject({ text: z.string().min(1).max(MESSAGE_TEXT_MAX) });

/** Share of requests that start with a few buyer messages, and of seller messages a buyer answers. */
const SEEDED_THREAD_SHARE = 0.3;
const REPLY_SHARE = 0.6;
const REPLY_AFTER_MIN_MS = 20 * MINUTE_MS;
const REPLY_WITHIN_MS = 10 * HOUR_MS;

const FOLLOW_UPS = [
  'Any news about my request?',
  'Please answer soon, I need this sorted out.',
  'I already explained everything in my request.',
  'Can you tell me when I will get my money back?',
  'Hello? I am still waiting for an answer.',
] as const;

const REPLIES: Readonly<Record<'message' | 'proof', readonly string[]>> = {
  message: ['Thanks, I will wait then.', 'That does not solve my problem.', 'OK, understood.', 'Can you do better than that?'],
  proof: ['I will send the photos tonight.', 'Which photos do you need exactly?', 'I threw the box away, is that a problem?'],
};

/** Where the conversations put their follow-ups: the marketplace's own agenda, on its clock. */
export interface ConversationAgenda {
  /** Buyers answer as time passes (the simulator's buyers option). */
  readonly active: boolean;
  /** Runs `run` at marketplace time `atMs`; it answers whether it changed something. */
  schedule(atMs: number, run: () => boolean): void;
}

export class Conversations {
  /** Every message, as one feed and one per store. */
  readonly messages: Table<SimMessage>;
  private readonly threads = new Map<string, SimMessage[]>();

  constructor(
    private readonly state: SimState,
    private readonly seed: number,
    private readonly agenda: ConversationAgenda,
  ) {
    const seeded = seedMessages(seed, state.requests.all.listById(), state.now());
    this.messages = new Table(seeded);
    for (const message of seeded) this.remember(message);
  }

  /** One request's messages, oldest first. */
  thread(requestId: string): readonly SimMessage[] {
    return this.threads.get(requestId) ?? [];
  }

  /** The seller writes to the buyer: 422 with the limit when the text is empty or too long. */
  seller(requestId: string, text: string, idempotencyKey: string | null): ActionResult {
    const request = this.requireRequest(requestId);
    if (text.trim() === '') {
      throw new HttpError(422, 'message_empty', 'A message to the buyer needs some text.', { field: 'text', limit: SELLER_MESSAGE_MAX });
    }
    if (text.length > SELLER_MESSAGE_MAX) {
      throw new HttpError(
        422,
        'message_too_long',
        `A message to the buyer takes at most ${SELLER_MESSAGE_MAX} characters; this one has ${text.length}.`,
        { field: 'text', limit: SELLER_MESSAGE_MAX, length: text.length },
      );
    }
    const order = this.state.orders.get(request.orderId);
    if (order === undefined) throw new Error(`Simulator invariant broken: order ${request.orderId} is missing.`);
    const message = this.write(request, 'seller', text);
    // In the history, not a change: the request keeps its version (fromVersion = toVersion there).
    const entry = this.state.appendLedger({
      at: message.at,
      actor: 'seller',
      action: 'message',
      requestId: request.id,
      orderId: request.orderId,
      storeId: request.storeId,
      fromState: request.state,
      toState: request.state,
      requestVersion: request.version,
      refund: null,
      idempotencyKey,
      details: { messageId: message.id, text },
    });
    this.expectReply(request, 'message', message.id);
    return { request, order, refund: null, ledgerSeq: entry.seq };
  }

  /** A buyer writes (the admin route, or a buyer answering as time passes). */
  buyer(requestId: string, text: string): SimMessage {
    return this.write(this.requireRequest(requestId), 'buyer', text);
  }

  /** Some buyers answer a seller's message or a proof request a while later (seeded). */
  expectReply(request: CancelRequest, after: 'message' | 'proof', key: string): void {
    if (!this.agenda.active) return;
    const draw = (purpose: string): number => unitFor(this.seed, `${request.id}:${key}:${purpose}`);
    if (draw('reply') >= REPLY_SHARE) return;
    const atMs = this.state.now() + REPLY_AFTER_MIN_MS + Math.floor(draw('reply-at') * REPLY_WITHIN_MS);
    const texts = REPLIES[after];
    const text = texts[Math.floor(draw('reply-text') * texts.length)] ?? 'OK.';
    this.agenda.schedule(atMs, () => {
      const now = this.state.requests.get(request.id);
      // A closed case gets no more answers.
      if (now === undefined || !OPEN_STATES.has(now.state)) return false;
      this.write(now, 'buyer', text);
      return true;
    });
  }

  private write(request: CancelRequest, from: SimMessage['from'], text: string): SimMessage {
    const at = this.state.stamp();
    const message: SimMessage = {
      id: `msg-${request.id}-${this.thread(request.id).length + 1}`,
      requestId: request.id,
      orderId: request.orderId,
      storeId: request.storeId,
      from,
      text,
      at,
      updatedAt: at,
      version: 1,
    };
    this.messages.put(message);
    this.remember(message);
    return message;
  }

  private remember(message: SimMessage): void {
    const thread = this.threads.get(message.requestId);
    if (thread === undefined) this.threads.set(message.requestId, [message]);
    else thread.push(message);
  }

  private requireRequest(id: string): CancelRequest {
    const request = this.state.requests.get(id);
    if (request === undefined) throw new HttpError(404, 'not_found', `There is no request with id "${id}".`, { id });
    return request;
  }
}

/**
 * The buyers' messages already there at start, deterministic from the seed: some requests have 1
 * to 3, written after the request was opened and before it last changed (before now while it is
 * still open: those are waiting for the seller).
 */
export function seedMessages(seed: number, requests: readonly CancelRequest[], nowMs: number): SimMessage[] {
  const messages: SimMessage[] = [];
  for (const request of requests) {
    const draw = (purpose: string): number => unitFor(seed, `${request.id}:thread:${purpose}`);
    if (draw('has') >= SEEDED_THREAD_SHARE) continue;
    const count = 1 + Math.floor(draw('count') * 3);
    const start = instantMs(request.requestedAt);
    // Strictly before now: every message written from now on is stamped later.
    const end = Math.max(start, OPEN_STATES.has(request.state) ? nowMs - 1 : instantMs(request.updatedAt));
    const times = Array.from({ length: count }, (_, index) => start + Math.floor((end - start) * draw(`at-${index}`))).sort((a, b) => a - b);
    times.forEach((atMs, index) => {
      const at = toInstant(atMs);
      messages.push({
        id: `msg-${request.id}-${index + 1}`,
        requestId: request.id,
        orderId: request.orderId,
        storeId: request.storeId,
        from: 'buyer',
        text: FOLLOW_UPS[Math.floor(draw(`text-${index}`) * FOLLOW_UPS.length)] ?? FOLLOW_UPS[0],
        at,
        updatedAt: at,
        version: 1,
      });
    });
  }
  return messages;
}

export interface MessageRouteServices extends Omit<SellerActionServices, 'marketplace'> {
  readonly marketplace: Marketplace;
  readonly faults: FaultInjector;
  /** The list endpoints' paging, filtering and page faults (server.ts). */
  readonly listReply: (table: Table<SimMessage>, url: URL, faults: FaultInjector) => Reply;
}

/** GET /v1/messages, POST /v1/requests/:id/message, and the admin's POST /_sim/requests/:id/buyer-message. */
export function messageRoutes(services: MessageRouteServices): Route[] {
  const { marketplace, faults } = services;
  const conversations = marketplace.conversations;
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/messages$/,
      auth: 'token',
      faulty: true,
      handle: ({ url }) => services.listReply(conversations.messages, url, faults),
    },
    sellerActionRoute(services, 'message', SellerMessageBodySchema, (id, body, key) => conversations.seller(id, body.text, key)),
    {
      method: 'POST',
      pattern: /^\/_sim\/requests\/([^/]+)\/buyer-message$/,
      auth: 'admin',
      faulty: false,
      handle: async ({ params, body }) => {
        const input = validate(BuyerMessageBodySchema, await body(), 'body');
        marketplace.runDue();
        return jsonReply(201, { message: conversations.buyer(params[0] ?? '', input.text) });
      },
    },
  ];
}
