import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { toInstant, type Clock } from '../../shared/domain/time';
import { systemClock } from './clock';
import { decodeCursor, encodeCursor } from './cursor';
import { generateDataset } from './data';
import { HttpError, errorReply, jsonReply, sendReply, type Reply } from './http';
import { renderEvidencePng } from './png';
import { SimState, type Table } from './state';
import type { RecordStore, Versioned } from './store';

/**
 * The demo marketplace as a real HTTP JSON server on loopback: seeded data, bearer-token auth,
 * change feeds paged by (updatedAt, id). See design.md §9.
 */

export interface SimulatorOptions {
  readonly seed: number;
  /** Number of orders to generate (0 to 1,000,000). */
  readonly orders: number;
  /** Marketplace time; defaults to the system clock. */
  readonly clock?: Clock;
  /** "Now" for the generated dataset; defaults to `clock.now()` at start. */
  readonly startMs?: number;
  /** Bearer token for /v1; random when absent. */
  readonly token?: string;
  /** Bearer token for /_sim admin endpoints; random when absent. */
  readonly adminToken?: string;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Defaults to 0 (a free port). */
  readonly port?: number;
}

export interface Simulator {
  /** Base URL, e.g. http://127.0.0.1:54321 (no trailing slash). */
  readonly url: string;
  readonly token: string;
  readonly adminToken: string;
  /** The live in-memory data, for tests to inspect. */
  readonly state: SimState;
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
});

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 200;

type Auth = 'none' | 'token' | 'admin';

interface RouteContext {
  readonly request: IncomingMessage;
  readonly url: URL;
  readonly params: readonly string[];
}

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly auth: Auth;
  readonly handle: (context: RouteContext) => Reply | Promise<Reply>;
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
  const clock = options.clock ?? systemClock;
  const startMs = parsed.data.startMs ?? clock.now();
  const token = parsed.data.token ?? `sim-${randomBytes(16).toString('hex')}`;
  const adminToken = parsed.data.adminToken ?? `sim-admin-${randomBytes(16).toString('hex')}`;
  const host = parsed.data.host ?? '127.0.0.1';

  const dataset = generateDataset({ seed: parsed.data.seed, orderCount: parsed.data.orders, startMs });
  const state = new SimState(dataset, clock);
  const routes = buildRoutes(state);
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
      reply = await route.handle({ request, url, params });
    } catch (error) {
      if (error instanceof HttpError) {
        reply = errorReply(error);
      } else {
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.error(`[simulator] ${request.method ?? '?'} ${request.url ?? '?'} failed: ${detail}`);
        reply = errorReply(new HttpError(500, 'internal', 'The demo marketplace hit an unexpected error.'));
      }
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
    server.listen(parsed.data.port ?? 0, host, () => {
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
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
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

const LIST_PARAMS = ['updated_since', 'cursor', 'limit', 'store_id'] as const;

interface ListQuery {
  readonly since: string | null;
  readonly after: { updatedAt: string; id: string } | null;
  readonly limit: number;
  readonly storeId: string | null;
}

const SinceSchema = z.iso.datetime({ offset: true });
const LimitSchema = z.string().regex(/^\d{1,6}$/);
const StoreIdSchema = z.string().min(1).max(64);

function badParam(name: string, message: string): HttpError {
  return new HttpError(400, 'bad_request', `Query parameter "${name}" ${message}`, { field: name });
}

/** Parses and validates the list endpoints' query string. */
export function parseListQuery(search: URLSearchParams): ListQuery {
  for (const name of new Set(search.keys())) {
    if (!(LIST_PARAMS as readonly string[]).includes(name)) {
      throw badParam(name, `is not supported; use ${LIST_PARAMS.join(', ')}.`);
    }
    if (search.getAll(name).length > 1) throw badParam(name, 'is given more than once.');
  }
  let since: string | null = null;
  const sinceText = search.get('updated_since');
  if (sinceText !== null) {
    if (!SinceSchema.safeParse(sinceText).success) {
      throw badParam('updated_since', `must be an ISO 8601 instant like 2026-11-26T09:30:00.000Z; got "${sinceText}".`);
    }
    // Normalised to the feed's own format so that string order is time order.
    since = toInstant(Date.parse(sinceText));
  }
  let after: ListQuery['after'] = null;
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

function listReply<T extends Versioned & { readonly storeId: string }>(table: Table<T>, url: URL): Reply {
  const query = parseListQuery(url.searchParams);
  const feed: RecordStore<T> | null =
    query.storeId === null ? table.all : table.storeIds().includes(query.storeId) ? table.store(query.storeId) : null;
  if (feed === null) return jsonReply(200, { items: [], nextCursor: null });
  const page = feed.page({ since: query.since, after: query.after, limit: query.limit });
  const nextCursor = page.hasMore && page.lastKey !== null ? encodeCursor(page.lastKey) : null;
  return jsonReply(200, { items: page.items, nextCursor });
}

function buildRoutes(state: SimState): Route[] {
  const one = <T extends Versioned & { readonly storeId: string }>(
    table: Table<T>,
    noun: string,
    id: string,
  ): Reply => {
    const record = table.get(id);
    if (record === undefined) throw new HttpError(404, 'not_found', `There is no ${noun} with id "${id}".`, { id });
    return jsonReply(200, record);
  };
  return [
    { method: 'GET', pattern: /^\/v1\/health$/, auth: 'none', handle: () => jsonReply(200, { ok: true }) },
    {
      method: 'GET',
      pattern: /^\/v1\/stores$/,
      auth: 'token',
      handle: () => jsonReply(200, { items: state.orders.storeIds().map((id) => ({ id })) }),
    },
    { method: 'GET', pattern: /^\/v1\/orders$/, auth: 'token', handle: ({ url }) => listReply(state.orders, url) },
    { method: 'GET', pattern: /^\/v1\/requests$/, auth: 'token', handle: ({ url }) => listReply(state.requests, url) },
    {
      method: 'GET',
      pattern: /^\/v1\/orders\/([^/]+)$/,
      auth: 'token',
      handle: ({ params }) => one(state.orders, 'order', params[0] ?? ''),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/requests\/([^/]+)$/,
      auth: 'token',
      handle: ({ params }) => one(state.requests, 'request', params[0] ?? ''),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/evidence\/([^/]+)$/,
      auth: 'token',
      handle: ({ params }) => {
        const id = params[0] ?? '';
        if (!state.evidenceOwners.has(id)) {
          throw new HttpError(404, 'not_found', `There is no evidence file with id "${id}".`, { id });
        }
        return { status: 200, bytes: renderEvidencePng(id), contentType: 'image/png' };
      },
    },
  ];
}
