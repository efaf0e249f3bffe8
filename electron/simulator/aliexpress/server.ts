import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../../../shared/domain/time';
import { renderEvidencePng } from '../png';
import { hashString } from '../random';
import { AdminError, handleAdmin } from './admin';
import type { ApiDefinition } from './api-kit';
import { ISSUE_APIS } from './apis-issues';
import { ORDER_APIS } from './apis-orders';
import { SYSTEM_APIS } from './apis-system';
import { generateSandboxData } from './data';
import {
  BusinessError,
  GatewayError,
  apiCallLimit,
  errorBody,
  illegalAccessToken,
  incompleteSignature,
  invalidApiPath,
  invalidAppKey,
  invalidParameter,
  invalidTimestamp,
  missingParameter,
  successBody,
  type Gateway,
} from './envelope';
import { FaultPlan, SandboxFaultsSchema, type SandboxFaults, type SandboxFaultsInput } from './faults';
import { toJsonText, type JsonOut } from './json-text';
import { authorizeDecision, authorizePage, type OAuthAnswer } from './oauth';
import { ParamsError, mergeParams, readBodyBytes, type RequestParams } from './params';
import { Platform } from './platform';
import { signatureMatches } from './signature';
import { DEFAULT_ACCESS_TTL_MS, DEFAULT_REFRESH_TTL_MS, TokenStore, type IssuedTokens } from './tokens';
import { Views } from './views';

/**
 * The AliExpress sandbox: the AliExpress Open Platform gateway (protocol §1–§6) run locally on
 * loopback, with seeded data, its own signature check and clock-driven rules (§7), so that the
 * connector can be tested against something that speaks the protocol and checks it. Routes:
 *   POST|GET /sync                  TOP business APIs (`method`, possibly repeated identically)
 *   POST|GET /rest/<path>, /rest    GOP APIs (path in the URL, or `method=<path>`)
 *   GET|POST /oauth/authorize       the consent page (oauth.ts; `auto=1` redirects at once)
 *   GET /files/<id>                 dispute attachments (file_path URLs), no credentials
 *   /_sandbox/*                     the admin API (admin.ts), Bearer <adminToken>
 * Gateway checks, in order: app_key (MissingParameter / InvalidAppKey), timestamp (epoch ms or
 * ISO …Z within 7200 s of the clock: InvalidTimestamp), sign_method "sha256" and sign
 * (IncompleteSignature), the API (InvalidApiPath), the throttle and injected faults (ApiCallLimit,
 * ISP / SYSTEM errors), the token (`session` or `access_token`, Q1: IllegalAccessToken).
 */

export interface AliExpressSandboxOptions {
  readonly seed: number;
  /** Orders to generate (default 60). */
  readonly orders?: number;
  /** Platform time: deadlines, token expiry, timestamps. A manual clock drives the rules in tests. */
  readonly clock: Clock;
  /** "Now" for the generated data; defaults to `clock.now()`. */
  readonly startMs?: number;
  /** Default "12345678". */
  readonly appKey?: string;
  /** Random when absent. */
  readonly appSecret?: string;
  /** Random when absent. */
  readonly adminToken?: string;
  /** Defaults to 0 (a free port). */
  readonly port?: number;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Default 24 h. */
  readonly accessTokenTtlMs?: number;
  /** Default 48 h. */
  readonly refreshTokenTtlMs?: number;
  /** The ApiCallLimit throttle per second; 0 (default) turns it off. */
  readonly callsPerSecond?: number;
}

export interface AliExpressSandbox {
  /** Base URL without a trailing slash: the gateway is `${url}/sync` and `${url}/rest`. */
  readonly url: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly adminToken: string;
  /** The live platform: orders, issues, messages, ledger, now(), advance(). For tests. */
  readonly state: Platform;
  /** An authorization code, as if the seller had clicked Authorize. */
  issueCode(): string;
  /** Tokens for the demo seller, as if they had signed in and the code had been exchanged (the embedded demo store). */
  grant(): IssuedTokens;
  /** Replaces the fault set (missing fields: off); returns the one in force. */
  setFaults(faults: SandboxFaultsInput): SandboxFaults;
  close(): Promise<void>;
}

const Printable = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const OptionsSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff),
  orders: z.number().int().min(0).max(100_000).optional(),
  startMs: z.number().int().optional(),
  appKey: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1 to 32 letters or digits').optional(),
  appSecret: Printable.optional(),
  adminToken: Printable.min(8).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  accessTokenTtlMs: z.number().int().min(1_000).optional(),
  refreshTokenTtlMs: z.number().int().min(1_000).optional(),
  callsPerSecond: z.number().int().min(0).max(1_000_000).optional(),
});

const APIS: ReadonlyMap<string, ApiDefinition> = new Map(
  [...ORDER_APIS, ...ISSUE_APIS, ...SYSTEM_APIS].map((definition) => [definition.name, definition]),
);

/** The API for a name as a client sends it (GOP paths with or without their leading slash). */
function lookupApi(name: string, gateway: Gateway): ApiDefinition {
  const definition = APIS.get(name) ?? APIS.get(name.replace(/^\//, '')) ?? APIS.get(`/${name}`);
  if (definition === undefined) throw invalidApiPath(name);
  if (!definition.gateways.includes(gateway)) throw invalidApiPath(name, `it is served on /${definition.gateways[0] ?? 'sync'}`);
  return definition;
}

const MAX_CLOCK_SKEW_MS = 7_200_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Epoch ms (the SDKs) or an ISO instant ending in Z (the docs' other form); null otherwise. */
function timestampMs(text: string): number | null {
  if (/^\d{1,16}$/.test(text)) return Number(text);
  if (ISO_INSTANT.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Starts a sandbox; resolves once it listens. */
export async function createAliExpressSandbox(options: AliExpressSandboxOptions): Promise<AliExpressSandbox> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`Invalid AliExpress sandbox option "${issue?.path.join('.') ?? '?'}": ${issue?.message ?? 'invalid'}.`);
  }
  const settings = parsed.data;
  const { clock } = options;
  const appKey = settings.appKey ?? '12345678';
  const appSecret = settings.appSecret ?? randomBytes(16).toString('hex');
  const adminToken = settings.adminToken ?? `ae-admin-${randomBytes(16).toString('hex')}`;
  const host = settings.host ?? '127.0.0.1';

  const data = generateSandboxData({ seed: settings.seed, orders: settings.orders ?? 60, startMs: settings.startMs ?? clock.now() });
  const seededFiles = new Set(data.issues.flatMap((issue) => issue.processes.flatMap((process) => process.attachments.map((a) => a.fileId))));
  const platform = new Platform(data, clock, settings.seed);
  const tokens = new TokenStore(appKey, settings.accessTokenTtlMs ?? DEFAULT_ACCESS_TTL_MS, settings.refreshTokenTtlMs ?? DEFAULT_REFRESH_TTL_MS);
  const faults = new FaultPlan(settings.seed, SandboxFaultsSchema.parse({ callsPerSecond: settings.callsPerSecond ?? 0 }));
  let baseUrl = '';
  const views = new Views(platform, (fileId) => `${baseUrl}/files/${fileId}`);
  const adminDigest = digest(adminToken);
  let requests = 0;

  /** 25 characters like the gateway's (`2140eaab17301752515171777`): 21, 6 hex, epoch ms, a counter. */
  const requestId = (): string => {
    requests += 1;
    const hex = hashString(String(requests), settings.seed).toString(16).padStart(8, '0').slice(0, 6);
    return `21${hex}${String(clock.now()).padStart(13, '0').slice(-13)}${String(requests % 10_000).padStart(4, '0')}`;
  };

  const sendJson = (response: ServerResponse, status: number, json: JsonOut): void => {
    const payload = Buffer.from(toJsonText(json), 'utf8');
    response.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': payload.length, 'Cache-Control': 'no-store' });
    response.end(payload);
  };

  /** Checks everything the gateway checks before an API runs; answers the API's name and definition. */
  const admit = (gateway: Gateway, params: RequestParams, restPath: string | null): { api: string; definition: ApiDefinition } => {
    const text = params.text;
    const key = text.get('app_key');
    if (key === undefined || key === '') throw missingParameter('app_key');
    if (key !== appKey) throw invalidAppKey();
    const stamp = text.get('timestamp');
    if (stamp === undefined || stamp === '') throw missingParameter('timestamp');
    const stampMs = timestampMs(stamp);
    if (stampMs === null || Math.abs(stampMs - clock.now()) > MAX_CLOCK_SKEW_MS) throw invalidTimestamp();
    const signMethod = text.get('sign_method');
    if (signMethod !== 'sha256') throw incompleteSignature(`sign_method must be "sha256", not "${signMethod ?? ''}"`);
    const sign = text.get('sign');
    if (sign === undefined || sign === '') throw incompleteSignature('the sign parameter is missing');
    const api = restPath ?? text.get('method') ?? '';
    if (api === '') throw missingParameter('method');
    const prefixes = gateway === 'rest' ? [api] : ['', ...(api.includes('/') ? [api] : [])];
    if (!signatureMatches(appSecret, prefixes, text, sign)) throw incompleteSignature();
    return { api, definition: lookupApi(api, gateway) };
  };

  const gatewayCall = async (request: IncomingMessage, response: ServerResponse, url: URL, gateway: Gateway, restPath: string | null): Promise<void> => {
    const id = requestId();
    try {
      let params: RequestParams;
      try {
        params = mergeParams(url.searchParams, request.headers['content-type'], await readBodyBytes(request));
      } catch (error) {
        if (error instanceof ParamsError) throw invalidParameter('(request)', error.message);
        throw error;
      }
      const { api, definition } = admit(gateway, params, restPath);
      const fault = faults.beforeCall();
      if (faults.throttled(clock.now()) || fault === 'api_call_limit') throw apiCallLimit();
      if (fault === 'isp_error') throw new GatewayError('ISP', 'ServiceUnavailable', 'The service is temporarily unavailable, please retry later');
      if (fault === 'system_error') throw new GatewayError('SYSTEM', 'UnknownRuntimeException', 'Unknown runtime exception, please retry later');
      if (definition.needsToken) {
        const first = gateway === 'sync' ? 'session' : 'access_token';
        const second = gateway === 'sync' ? 'access_token' : 'session';
        const token = params.text.get(first) || params.text.get(second);
        if (token === undefined || token === '') throw missingParameter(first);
        if (!tokens.accessValid(token, platform.now())) throw illegalAccessToken();
      }
      platform.runDue();
      let json: JsonOut;
      try {
        const body = definition.handle({ api, gateway, params, platform, views, tokens });
        json = successBody(gateway, api, body, params.text.get('simplify') === 'true', id);
      } catch (error) {
        if (!(error instanceof BusinessError || error instanceof GatewayError)) throw error;
        json = errorBody(gateway, error, id);
      }
      if (definition.mayLoseAnswer && faults.loseAnswer(definition.name)) {
        // Handled (and applied, when allowed); the connector never hears so.
        request.socket.destroy();
        return;
      }
      sendJson(response, 200, json);
    } catch (error) {
      if (error instanceof GatewayError || error instanceof BusinessError) {
        sendJson(response, 200, errorBody(gateway, error, id));
        return;
      }
      console.error(`[aliexpress sandbox] ${request.method ?? '?'} ${url.pathname} failed:`, error);
      sendJson(response, 200, errorBody(gateway, new GatewayError('SYSTEM', 'UnknownRuntimeException', 'The sandbox hit an unexpected error'), id));
    }
  };

  const sendHtml = (response: ServerResponse, answer: OAuthAnswer): void => {
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };

  const adminCall = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    try {
      const header = request.headers.authorization ?? '';
      const given = digest(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
      if (!timingSafeEqual(given, adminDigest)) {
        throw new AdminError(401, 'unauthorized', 'The sandbox admin API needs "Authorization: Bearer <admin token>".');
      }
      const body = (await readBodyBytes(request, 64 * 1024)).toString('utf8');
      const answer = handleAdmin(request.method ?? 'GET', url, body, { platform, tokens, faults });
      sendJson(response, answer.status, answer.json);
    } catch (error) {
      if (error instanceof AdminError) sendJson(response, error.status, { error: { code: error.code, message: error.message } });
      else if (error instanceof ParamsError) sendJson(response, 413, { error: { code: 'payload_too_large', message: error.message } });
      else throw error;
    }
  };

  const serveFile = (response: ServerResponse, fileId: string): void => {
    const uploaded = platform.uploads.get(fileId);
    if (uploaded !== undefined) {
      response.writeHead(200, { 'Content-Type': uploaded.contentType, 'Content-Length': uploaded.bytes.length });
      response.end(uploaded.bytes);
    } else if (seededFiles.has(fileId)) {
      const png = renderEvidencePng(fileId);
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
      response.end(png);
    } else {
      sendJson(response, 404, { error: { code: 'not_found', message: `There is no file ${fileId}.` } });
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const restMatch = /^\/rest(\/.*)?$/.exec(path);
    if (path === '/sync' || restMatch !== null) {
      if (method !== 'GET' && method !== 'POST') {
        sendJson(response, 405, { error: { code: 'method_not_allowed', message: `${method} is not supported on ${path}.` } });
        return;
      }
      await gatewayCall(request, response, url, path === '/sync' ? 'sync' : 'rest', restMatch?.[1] ?? null);
    } else if (path === '/oauth/authorize' && method === 'GET') {
      sendHtml(response, authorizePage(url.searchParams, appKey, tokens, platform));
    } else if (path === '/oauth/authorize' && method === 'POST') {
      const form = new URLSearchParams((await readBodyBytes(request, 64 * 1024)).toString('utf8'));
      sendHtml(response, authorizeDecision(form, appKey, tokens, platform));
    } else if (path.startsWith('/files/') && method === 'GET') {
      serveFile(response, decodeURIComponent(path.slice('/files/'.length)));
    } else if (path.startsWith('/_sandbox/')) {
      await adminCall(request, response, url);
    } else {
      sendJson(response, 404, { error: { code: 'not_found', message: `There is no endpoint at ${path}.` } });
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[aliexpress sandbox] could not answer:', error);
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
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  let closed: Promise<void> | null = null;
  return {
    url: baseUrl,
    appKey,
    appSecret,
    adminToken,
    state: platform,
    issueCode: () => tokens.issueCode(platform.now()).code,
    grant: () => {
      const issued = tokens.exchangeCode(tokens.issueCode(platform.now()).code, platform.now());
      if (issued === null) throw new Error('the sandbox refused its own fresh code');
      return issued;
    },
    setFaults(input) {
      const config = SandboxFaultsSchema.parse(input);
      faults.set(config);
      return config;
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        platform.stop();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
