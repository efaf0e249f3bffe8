import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { toInstant, type Clock } from '../../shared/domain/time';
import { systemClock } from './clock';
import { decodeCursor, encodeCursor } from './cursor';
import { generateDataset, ID_PREFIX } from './data';
import {
  FaultConfigSchema,
  FaultInjector,
  type CallFault,
  type FaultConfig,
  type FaultConfigInput,
} from './faults';
import { historyRoute } from './history';
import {
  HttpError,
  errorReply,
  jsonReply,
  parseJsonBody,
  readBody,
  sendReply,
  validate,
  type Reply,
} from './http';
import { IdempotencyKeyModeSchema, IdempotencyStore, type IdempotencyKeyMode } from './idempotency';
import { DEFAULT_BUYERS, Marketplace, type ActionResult, type BuyerBehaviour } from './marketplace';
import { renderEvidencePng } from './png';
import type { Auth, Route, RouteContext } from './route';
import {
  AdvanceBodySchema,
  AnswerOfferBodySchema,
  EmptyBodySchema,
  FaultsBodySchema,
  IdempotencyKeysBodySchema,
  OpenRequestBodySchema,
  SubmitProofBodySchema,
} from './schemas';
import { messageRoutes } from './messages';
import { sellerActionRoutes } from './seller-actions';
import { sellerEvidenceRoutes } from './seller-evidence';
import { SimState, type Table } from './state';
import type { FeedKey, RecordStore, Versioned } from './store';

/**
 * The demo marketplace as a real HTTP JSON server on loopback (design.md §9): seeded data,
 * bearer-token auth, change feeds paged by (updatedAt, id), seller actions with idempotency
 * keys and optimistic versions, buyers and deadlines driven by the clock, injectable faults,
 * and /_sim admin endpoints behind a separate token.
 *
 * /v1 (Authorization: Bearer <token>; faults apply to all but health):
 *   GET  /v1/health                          { ok: true }, no token
 *   GET  /v1/stores                          { items: [{ id }] }
 *   GET  /v1/orders | /v1/requests           ?updated_since=<ISO, inclusive>&cursor=<opaque>&limit=<1..200,
 *                                            default 100>&store_id=<id> -> { items, nextCursor | null },
 *                                            ordered by (updatedAt, id)
 *   GET  /v1/orders/:id | /v1/requests/:id   the record, or 404 not_found
 *   GET  /v1/requests/:id/history            { items: [{ seq, at, actor, action, fromState, toState,
 *                                            fromVersion, toVersion, refund, details }] }, oldest first:
 *                                            the request's changes since the marketplace started (its
 *                                            ledger entries; fromVersion = toVersion - 1, 0 for "open").
 *                                            A seller action applied against version V is the one item
 *                                            with fromVersion V. 404 not_found for an unknown request.
 *                                            A seller's message is an item too (action "message",
 *                                            details { messageId, text }) with fromVersion = toVersion:
 *                                            a message never changes the request's version.
 *   GET  /v1/messages                        the conversations' feed, paged like /v1/requests: items
 *                                            { id, requestId, orderId, storeId, from: buyer | seller,
 *                                            text, at, updatedAt, version: 1 } (messages.ts)
 *   GET  /v1/evidence/:id                    image/png
 *   POST /v1/requests/:id/evidence           the seller's photo as the raw body (Content-Type image/png |
 *                                            image/jpeg | image/webp, at most 10 MiB, sniffed by its bytes;
 *                                            else 415 | 413 | 422 not_an_image) -> 201 { id: "sev-…",
 *                                            contentType, bytes }; no new version; Idempotency-Key optional
 *                                            (a repeat answers the same id) (seller-evidence.ts)
 *   GET  /v1/requests/:id/seller-evidence    { items: [{ id, contentType, bytes, uploadedAt, sentWith }] }
 *   POST /v1/requests/:id/accept             { expectedVersion, amount }          + Idempotency-Key
 *   POST /v1/requests/:id/refuse             { expectedVersion, reason, memo, tracking?, evidenceIds? }
 *   POST /v1/requests/:id/request-evidence   { expectedVersion, message, dueAt }
 *   POST /v1/requests/:id/offer              { expectedVersion, amount, evidenceIds? }
 *                                            evidenceIds: at most 10 of the seller's uploads of this
 *                                            request (else 422 unknown_evidence); the ledger entry's
 *                                            details list them.
 *   POST /v1/requests/:id/escalate           { expectedVersion }
 *   POST /v1/requests/:id/retry-refund       { expectedVersion }
 *   POST /v1/requests/:id/message            { text } (1 to 2,000 characters, else 422 message_empty |
 *                                            message_too_long { limit }); no expectedVersion, any state
 *        -> 200 { request, order, refund | null }; 400 bad_request (names the field), 404,
 *           409 version_conflict { currentVersion, currentState } | idempotency_in_flight,
 *           422 idempotency_key_reused | wrong_state | not_a_dispute | amount_above_cap | ...
 *        With `idempotencyKeys: 'ignore'` (CLI --ignore-idempotency-keys) the header is optional and
 *        never read: no replay, no idempotency_in_flight, no idempotency_key_reused; a retry of an
 *        applied call answers 409 version_conflict, and the client reads the history to know.
 *        The lostAnswerRate fault (only these routes) handles the call in full, applying it when
 *        allowed, then destroys the connection unanswered (a refusal is lost the same way).
 * /_sim (Authorization: Bearer <adminToken>; never faulty):
 *   GET  /_sim/clock, POST /_sim/clock/advance { ms }, GET /_sim/ledger?after=<seq>,
 *   GET|POST /_sim/faults, GET|POST /_sim/idempotency-keys { idempotencyKeys: 'honour' | 'ignore' },
 *   POST /_sim/requests { orderId, reason?, buyerMessage?, requestedAmount? },
 *   POST /_sim/requests/:id/{withdraw | submit-proof { photos } | answer-offer { accept } | escalate}
 *   POST /_sim/requests/:id/buyer-message { text } -> 201 { message }: the buyer writes now
 */

export interface SimulatorOptions {
  readonly seed: number;
  /** Number of orders to generate (0 to 1,000,000). */
  readonly orders: number;
  /** Marketplace time (deadlines, buyers); defaults to the system clock. */
  readonly clock?: Clock;
  /**
   * Network time: fault latency waits on it. Defaults to the system clock, so latency stays real
   * while a test drives marketplace time by hand; pass a manual clock to hold calls in flight.
   */
  readonly networkClock?: Clock;
  /**
   * "Now" for the generated dataset; defaults to `clock.now()` at start. Needs `clock`: a dataset
   * generated for a fixed instant but aged by the wall clock goes stale as the days pass (every
   * deadline falls and the marketplace decides every request itself), so that pair is refused.
   */
  readonly startMs?: number;
  /** Bearer token for /v1; random when absent. */
  readonly token?: string;
  /** Bearer token for /_sim admin endpoints; random when absent. */
  readonly adminToken?: string;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Defaults to 0 (a free port). */
  readonly port?: number;
  /** Faults from the start (all off by default). */
  readonly faults?: FaultConfigInput;
  /** Buyer behaviour (active, opening a request every 20 minutes, by default). */
  readonly buyers?: Partial<BuyerBehaviour>;
  /** 'honour' (default) or 'ignore' the Idempotency-Key of seller actions, as most marketplaces do. */
  readonly idempotencyKeys?: IdempotencyKeyMode;
  /** Before every id (e.g. "b-"): two demo marketplaces with their own prefix never share an id. */
  readonly idPrefix?: string;
  /** The stores (shops) the marketplace's orders belong to; default store-1, store-2, store-3. */
  readonly storeIds?: readonly string[];
}

export interface Simulator {
  /** Base URL, e.g. http://127.0.0.1:54321 (no trailing slash). */
  readonly url: string;
  readonly token: string;
  readonly adminToken: string;
  /** The live in-memory data and ledger, for tests to inspect. */
  readonly state: SimState;
  /** The marketplace's state machine: buyer moves and time, for tests to drive in-process. */
  readonly marketplace: Marketplace;
  /** Replaces the fault configuration (missing fields: off); returns the one in force. */
  setFaults(faults: FaultConfigInput): FaultConfig;
  /** Honours or ignores Idempotency-Key from the next call on (calls in flight keep theirs). */
  setIdempotencyKeys(mode: IdempotencyKeyMode): void;
  /** Stops listening, drops open connections and cancels the simulator's timers. */
  close(): Promise<void>;
}

const TokenSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const OptionsSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff),
  orders: z.number().int().min(0).max(1_000_000),
  startMs: z.number().int().optional(),
  token: TokenSchema.optional(),
  adminToken: TokenSchema.optional(),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  faults: FaultConfigSchema.optional(),
  buyers: z
    .strictObject({
      active: z.boolean().optional(),
      newRequestEveryMs: z.number().int().min(0).optional(),
    })
    .optional(),
  idempotencyKeys: IdempotencyKeyModeSchema.optional(),
  idPrefix: z.string().regex(ID_PREFIX, "must be up to 16 letters, digits or '_' followed by '-'").optional(),
  storeIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).min(1).max(20).optional(),
});

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 200;

interface Services {
  readonly state: SimState;
  readonly marketplace: Marketplace;
  readonly faults: FaultInjector;
  readonly idempotency: IdempotencyStore;
  /** Honour or ignore Idempotency-Key; switchable at run time (admin API, setIdempotencyKeys). */
  readonly keys: { mode: IdempotencyKeyMode };
}

/** Starts a demo marketplace; resolves once it is listening. */
export async function createSimulator(options: SimulatorOptions): Promise<Simulator> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(
      `Invalid simulator option "${issue?.path.join('.') ?? '?'}": ${issue?.message ?? 'invalid'}.`,
    );
  }
  const settings = parsed.data;
  if (settings.startMs !== undefined && options.clock === undefined) {
    throw new RangeError(
      'Invalid simulator options: "startMs" needs a "clock" (e.g. createManualClock(startMs)); on the wall clock a dataset made for a fixed instant goes stale as the days pass.',
    );
  }
  const clock = options.clock ?? systemClock;
  const startMs = settings.startMs ?? clock.now();
  const token = settings.token ?? `sim-${randomBytes(16).toString('hex')}`;
  const adminToken = settings.adminToken ?? `sim-admin-${randomBytes(16).toString('hex')}`;
  const host = settings.host ?? '127.0.0.1';

  const dataset = generateDataset({
    seed: settings.seed,
    orderCount: settings.orders,
    startMs,
    ...(settings.idPrefix === undefined ? {} : { idPrefix: settings.idPrefix }),
    ...(settings.storeIds === undefined ? {} : { storeIds: settings.storeIds }),
  });
  const state = new SimState(dataset, clock);
  const buyers: BuyerBehaviour = {
    active: settings.buyers?.active ?? DEFAULT_BUYERS.active,
    newRequestEveryMs: settings.buyers?.newRequestEveryMs ?? DEFAULT_BUYERS.newRequestEveryMs,
  };
  const marketplace = new Marketplace(state, clock, settings.seed, buyers, settings.idPrefix ?? '');
  marketplace.refundFailRate = settings.faults?.refundFailRate ?? 0;
  const faults = new FaultInjector(
    settings.seed,
    settings.faults ?? FaultConfigSchema.parse({}),
    options.networkClock ?? systemClock,
  );
  const services: Services = {
    state,
    marketplace,
    faults,
    idempotency: new IdempotencyStore(),
    keys: { mode: settings.idempotencyKeys ?? 'honour' },
  };
  const routes = [...apiRoutes(services), ...adminRoutes(services)];
  const tokenDigest = digest(token);
  const adminDigest = digest(adminToken);

  const authorised = (request: IncomingMessage, auth: Auth): boolean => {
    if (auth === 'none') return true;
    const header = request.headers.authorization;
    if (header === undefined || !header.startsWith('Bearer ')) return false;
    const given = digest(header.slice('Bearer '.length).trim());
    return timingSafeEqual(given, auth === 'admin' ? adminDigest : tokenDigest);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let reply: Reply;
    let fault: CallFault = { kind: 'none' };
    try {
      const url = new URL(request.url ?? '/', 'http://simulator.invalid');
      const { route, params } = findRoute(routes, request.method ?? 'GET', url.pathname);
      if (!authorised(request, route.auth)) {
        throw new HttpError(
          401,
          'unauthorized',
          route.auth === 'admin'
            ? 'This admin endpoint needs "Authorization: Bearer <admin token>".'
            : 'This endpoint needs "Authorization: Bearer <token>" with the marketplace token.',
          {},
          { 'WWW-Authenticate': 'Bearer' },
        );
      }
      if (route.faulty) {
        fault = faults.decideCall(route.sellerAction === true ? 'action' : 'other');
        if (fault.kind === 'drop_before') {
          request.socket.destroy();
          return;
        }
        if (fault.kind === 'status') throw injectedStatus(fault.status, faults.current.retryAfterSeconds);
        if (route.sellerAction !== true) await faults.delay();
      }
      marketplace.runDue();
      let bodyRead: Promise<unknown> | null = null;
      const body = (): Promise<unknown> => {
        bodyRead ??= readBody(request).then(parseJsonBody);
        return bodyRead;
      };
      reply = await route.handle({ request, url, params, body });
    } catch (error) {
      if (error instanceof HttpError) {
        reply = errorReply(error);
      } else {
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.error(`[simulator] ${request.method ?? '?'} ${request.url ?? '?'} failed: ${detail}`);
        reply = errorReply(new HttpError(500, 'internal', 'The demo marketplace hit an unexpected error.'));
      }
    }
    if (fault.kind === 'drop_after' || fault.kind === 'lost_answer') {
      // The work is done (an action is applied) but the client never hears so.
      request.socket.destroy();
      return;
    }
    if (!response.destroyed) sendReply(response, reply);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[simulator] could not answer:', error);
      response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | null = null;
  return {
    url: `http://${hostInUrl}:${address.port}`,
    token,
    adminToken,
    state,
    marketplace,
    setFaults(input) {
      const config = FaultConfigSchema.parse(input);
      faults.set(config);
      marketplace.refundFailRate = config.refundFailRate;
      return config;
    },
    setIdempotencyKeys(mode) {
      services.keys.mode = IdempotencyKeyModeSchema.parse(mode);
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        marketplace.stop();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function injectedStatus(status: 429 | 500 | 503, retryAfterSeconds: number): HttpError {
  switch (status) {
    case 429:
      return new HttpError(
        429,
        'rate_limited',
        `Too many requests: retry after ${retryAfterSeconds} s.`,
        { retryAfterSeconds },
        { 'Retry-After': String(retryAfterSeconds) },
      );
    case 503:
      return new HttpError(
        503,
        'unavailable',
        'The marketplace is briefly unavailable; try again.',
        { retryAfterSeconds },
        { 'Retry-After': String(retryAfterSeconds) },
      );
    case 500:
      return new HttpError(500, 'internal', 'The marketplace failed to answer (injected fault); nothing was changed.');
  }
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'bad_request', `The path segment "${part}" is not valid percent-encoding.`);
  }
}

function findRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (match === null) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    return { route, params: match.slice(1).map(decodePathPart) };
  }
  if (pathMatched) {
    throw new HttpError(405, 'method_not_allowed', `${method} is not supported on ${pathname}.`);
  }
  throw new HttpError(404, 'not_found', `There is no endpoint at ${pathname}.`);
}

// --- Lists ----------------------------------------------------------------------------------------

const LIST_PARAMS = ['updated_since', 'cursor', 'limit', 'store_id'] as const;

export interface ListQuery {
  readonly since: string | null;
  readonly after: FeedKey | null;
  readonly limit: number;
  readonly storeId: string | null;
}

const SinceSchema = z.iso.datetime({ offset: true });
const LimitSchema = z.string().regex(/^\d{1,6}$/);
const StoreIdSchema = z.string().min(1).max(64);

function badParam(name: string, message: string): HttpError {
  return new HttpError(400, 'bad_request', `Query parameter "${name}" ${message}`, { field: name });
}

function rejectUnknownParams(search: URLSearchParams, allowed: readonly string[]): void {
  for (const name of new Set(search.keys())) {
    if (!allowed.includes(name)) {
      throw badParam(name, `is not supported; use ${allowed.length > 0 ? allowed.join(', ') : 'none'}.`);
    }
    if (search.getAll(name).length > 1) throw badParam(name, 'is given more than once.');
  }
}

/** Parses and validates the list endpoints' query string. */
export function parseListQuery(search: URLSearchParams): ListQuery {
  rejectUnknownParams(search, LIST_PARAMS);
  let since: string | null = null;
  const sinceText = search.get('updated_since');
  if (sinceText !== null) {
    if (!SinceSchema.safeParse(sinceText).success) {
      throw badParam('updated_since', `must be an ISO 8601 instant like 2026-11-26T09:30:00.000Z; got "${sinceText}".`);
    }
    // Normalised to the feed's own format so that string order is time order.
    since = toInstant(Date.parse(sinceText));
  }
  let after: FeedKey | null = null;
  const cursorText = search.get('cursor');
  if (cursorText !== null) {
    after = decodeCursor(cursorText);
    if (after === null) throw badParam('cursor', 'is not a cursor issued by this marketplace.');
  }
  let limit = DEFAULT_PAGE_LIMIT;
  const limitText = search.get('limit');
  if (limitText !== null) {
    const value = LimitSchema.safeParse(limitText).success ? Number(limitText) : Number.NaN;
    if (!(value >= 1 && value <= MAX_PAGE_LIMIT)) {
      throw badParam('limit', `must be an integer from 1 to ${MAX_PAGE_LIMIT}; got "${limitText}".`);
    }
    limit = value;
  }
  let storeId: string | null = null;
  const storeText = search.get('store_id');
  if (storeText !== null) {
    if (!StoreIdSchema.safeParse(storeText).success) throw badParam('store_id', 'must be 1 to 64 characters.');
    storeId = storeText;
  }
  return { since, after, limit, storeId };
}

function listReply<T extends Versioned & { readonly storeId: string }>(
  table: Table<T>,
  url: URL,
  faults: FaultInjector,
): Reply {
  const query = parseListQuery(url.searchParams);
  const feed: RecordStore<T> | null =
    query.storeId === null ? table.all : table.storeIds().includes(query.storeId) ? table.store(query.storeId) : null;
  if (feed === null) return jsonReply(200, { items: [], nextCursor: null });
  const page = feed.page({ since: query.since, after: query.after, limit: query.limit });
  let items = page.items;
  let nextCursor = page.hasMore && page.lastKey !== null ? encodeCursor(page.lastKey) : null;

  const fault = faults.decidePage(query.limit);
  const first = items[0];
  if (fault.overlap > 0 && first !== undefined) {
    // Serve again what came just before this page (what the client already has).
    const since = query.since;
    const earlier = feed.before(first, fault.overlap).filter((item) => since === null || item.updatedAt >= since);
    items = earlier.length > 0 ? [...earlier, ...items] : [...items, ...items.slice(0, fault.overlap)];
  } else if (fault.replay && query.after !== null) {
    // Point back at this very page: the client will be served it twice.
    nextCursor = encodeCursor(query.after);
  }
  if (fault.reorder) items = faults.shuffle(items);
  return jsonReply(200, { items, nextCursor });
}

// --- /v1 -----------------------------------------------------------------------------------------

function apiRoutes(services: Services): Route[] {
  const { state, marketplace, faults, idempotency, keys } = services;
  const one = <T extends Versioned & { readonly storeId: string }>(table: Table<T>, noun: string, id: string): Reply => {
    const record = table.get(id);
    if (record === undefined) throw new HttpError(404, 'not_found', `There is no ${noun} with id "${id}".`, { id });
    return jsonReply(200, record);
  };

  return [
    { method: 'GET', pattern: /^\/v1\/health$/, auth: 'none', faulty: false, handle: () => jsonReply(200, { ok: true }) },
    {
      method: 'GET',
      pattern: /^\/v1\/stores$/,
      auth: 'token',
      faulty: true,
      handle: () => jsonReply(200, { items: state.orders.storeIds().map((id) => ({ id })) }),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/orders$/,
      auth: 'token',
      faulty: true,
      handle: ({ url }) => listReply(state.orders, url, faults),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/requests$/,
      auth: 'token',
      faulty: true,
      handle: ({ url }) => listReply(state.requests, url, faults),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/orders\/([^/]+)$/,
      auth: 'token',
      faulty: true,
      handle: ({ params }) => one(state.orders, 'order', params[0] ?? ''),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/requests\/([^/]+)$/,
      auth: 'token',
      faulty: true,
      handle: ({ params }) => one(state.requests, 'request', params[0] ?? ''),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/evidence\/([^/]+)$/,
      auth: 'token',
      faulty: true,
      handle: ({ params }) => {
        const id = params[0] ?? '';
        if (!state.evidenceOwners.has(id)) {
          throw new HttpError(404, 'not_found', `There is no evidence file with id "${id}".`, { id });
        }
        return { status: 200, bytes: renderEvidencePng(id), contentType: 'image/png' };
      },
    },
    historyRoute(state),
    ...sellerActionRoutes({ marketplace, faults, idempotency, idempotencyKeys: () => keys.mode }),
    ...messageRoutes({ marketplace, faults, idempotency, idempotencyKeys: () => keys.mode, listReply }),
    ...sellerEvidenceRoutes({ state, idempotencyKeys: () => keys.mode }),
  ];
}

// --- /_sim (admin) --------------------------------------------------------------------------------

const LedgerQuerySchema = z.string().regex(/^\d{1,12}$/);

function adminRoutes(services: Services): Route[] {
  const { state, marketplace, faults, keys } = services;
  const admin = (
    method: 'GET' | 'POST',
    pattern: RegExp,
    handle: (context: RouteContext) => Reply | Promise<Reply>,
  ): Route => ({ method, pattern, auth: 'admin', faulty: false, handle });
  const result = (status: number, outcome: ActionResult): Reply =>
    jsonReply(status, { request: outcome.request, order: outcome.order, refund: outcome.refund });

  return [
    admin('GET', /^\/_sim\/clock$/, ({ url }) => {
      rejectUnknownParams(url.searchParams, []);
      return jsonReply(200, { now: toInstant(marketplace.now()) });
    }),
    admin('POST', /^\/_sim\/clock\/advance$/, async ({ body }) => {
      const input = validate(AdvanceBodySchema, await body(), 'body');
      const applied = marketplace.advance(input.ms);
      return jsonReply(200, { now: toInstant(marketplace.now()), applied });
    }),
    admin('GET', /^\/_sim\/ledger$/, ({ url }) => {
      rejectUnknownParams(url.searchParams, ['after']);
      const afterText = url.searchParams.get('after');
      if (afterText !== null && !LedgerQuerySchema.safeParse(afterText).success) {
        throw badParam('after', `must be a ledger sequence number (a whole number); got "${afterText}".`);
      }
      const after = afterText === null ? 0 : Number(afterText);
      return jsonReply(200, { entries: state.ledger.slice(after) });
    }),
    admin('GET', /^\/_sim\/faults$/, () => jsonReply(200, faults.current)),
    admin('POST', /^\/_sim\/faults$/, async ({ body }) => {
      const config = validate(FaultsBodySchema, await body(), 'body');
      faults.set(config);
      marketplace.refundFailRate = config.refundFailRate;
      return jsonReply(200, config);
    }),
    admin('GET', /^\/_sim\/idempotency-keys$/, () => jsonReply(200, { idempotencyKeys: keys.mode })),
    admin('POST', /^\/_sim\/idempotency-keys$/, async ({ body }) => {
      const input = validate(IdempotencyKeysBodySchema, await body(), 'body');
      keys.mode = input.idempotencyKeys;
      return jsonReply(200, { idempotencyKeys: keys.mode });
    }),
    admin('POST', /^\/_sim\/requests$/, async ({ body }) => {
      const input = validate(OpenRequestBodySchema, await body(), 'body');
      return result(201, marketplace.openRequest(input));
    }),
    admin('POST', /^\/_sim\/requests\/([^/]+)\/withdraw$/, async ({ params, body }) => {
      validate(EmptyBodySchema, await body(), 'body');
      return result(200, marketplace.withdraw(params[0] ?? ''));
    }),
    admin('POST', /^\/_sim\/requests\/([^/]+)\/submit-proof$/, async ({ params, body }) => {
      const input = validate(SubmitProofBodySchema, await body(), 'body');
      return result(200, marketplace.submitProof(params[0] ?? '', input.photos));
    }),
    admin('POST', /^\/_sim\/requests\/([^/]+)\/answer-offer$/, async ({ params, body }) => {
      const input = validate(AnswerOfferBodySchema, await body(), 'body');
      return result(200, marketplace.answerOffer(params[0] ?? '', input.accept));
    }),
    admin('POST', /^\/_sim\/requests\/([^/]+)\/escalate$/, async ({ params, body }) => {
      validate(EmptyBodySchema, await body(), 'body');
      return result(200, marketplace.buyerEscalate(params[0] ?? ''));
    }),
  ];
}
