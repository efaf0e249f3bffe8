import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IopClient, type IopClientOptions, type IopTokenSource } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/client';
import { iopLong } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/encode';
import { IopError } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/error';
import { signIop } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/sign';
import { createManualClock, type ManualClock } from '../../../../../../../electron/simulator/clock';
import { DeskError } from '../../../../../../../shared/errors';

const START = Date.UTC(2026, 10, 26, 9, 30, 0, 123);
const SECRET = 'test-secret';
const API = 'aliexpress.trade.seller.order.refusecancel';

/** One request as the test server received it. */
interface Received {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly contentType: string;
  readonly body: Buffer;
}

type Answer = (received: Received, response: ServerResponse, request: IncomingMessage) => void;

let server: Server | null = null;

async function serve(answers: Answer[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://local');
      const entry: Received = { path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) };
      received.push(entry);
      const answer = answers[received.length - 1] ?? answers[answers.length - 1];
      answer?.(entry, response, request);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

function json(body: unknown, status = 200): Answer {
  return (_received, response) => {
    response.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

const refused: Answer = json({ error_response: { type: 'ISV', code: 'IllegalAccessToken', msg: 'The specified access token is invalid or expired', request_id: 'r-token' } });

function tokenSource(options: { token?: string; renewed?: string; refreshFails?: Error } = {}): IopTokenSource & { refreshes: number } {
  const source = {
    refreshes: 0,
    accessToken: () => Promise.resolve(options.token ?? 'token-1'),
    refresh: () => {
      source.refreshes += 1;
      return options.refreshFails === undefined ? Promise.resolve(options.renewed ?? 'token-2') : Promise.reject(options.refreshFails);
    },
  };
  return source;
}

function client(url: string, clock: ManualClock, overrides: Partial<IopClientOptions> = {}): IopClient {
  return new IopClient({ baseUrl: url, appKey: 'app-1', appSecret: SECRET, clock, tokens: tokenSource(), ...overrides });
}

async function failureOf(promise: Promise<unknown>): Promise<IopError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IopError) return error;
    throw error;
  }
  throw new Error('expected an IopError');
}

/** The gateway's check: every param but the file, `sign` left out, the path for /rest. */
async function signedParams(received: Received): Promise<{ params: Record<string, string>; valid: (apiPath: string | null) => boolean }> {
  const body: Record<string, string> = {};
  if (received.contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': received.contentType }, body: new Uint8Array(received.body) }).formData();
    for (const [name, value] of form) if (typeof value === 'string') body[name] = value;
  } else {
    Object.assign(body, Object.fromEntries(new URLSearchParams(received.body.toString('utf8'))));
  }
  const params = { ...received.query, ...body };
  const { sign, ...rest } = params;
  return { params, valid: (apiPath) => sign === signIop(rest, SECRET, apiPath) };
}

describe('IopClient.call', () => {
  it('sends a signed POST with the exact timestamp and answers the unwrapped body', async () => {
    const { url, received } = await serve([json('{"aliexpress_trade_seller_order_refusecancel_response":{"result":{"success":true,"target":true,"order_id":8123456789012345678},"request_id":"r1"}}')]);
    const clock = createManualClock(START);
    const body = await client(url, clock).call(API, { param_order_cancel_request: { buyer_login_id: 'us1', memo: 'Shipped already', order_id: iopLong('8123456789012345') } });
    expect(body).toEqual({ result: { success: true, target: true, order_id: '8123456789012345678' }, request_id: 'r1' });
    expect(received).toHaveLength(1);
    const [first] = received;
    expect(first?.path).toBe('/sync');
    expect(first?.contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    const { params, valid } = await signedParams(first as Received);
    expect(params.timestamp).toBe(String(START));
    expect(params).toMatchObject({ method: API, app_key: 'app-1', session: 'token-1', sign_method: 'sha256', partner_id: 'cancel-desk-1', format: 'json', v: '2.0', simplify: 'false' });
    expect(params.param_order_cancel_request).toBe('{"buyer_login_id":"us1","memo":"Shipped already","order_id":8123456789012345}');
    expect(valid(null)).toBe(true);
  });

  it('reads the simplified shape when simplify is on, and says so in the request', async () => {
    const { url, received } = await serve([json({ result: { success: true }, request_id: 'r1' })]);
    const body = await client(url, createManualClock(START), { simplify: true, partnerId: 'desk-9' }).call(API, {});
    expect(body).toEqual({ result: { success: true }, request_id: 'r1' });
    expect(received[0]?.query).toMatchObject({ simplify: 'true', partner_id: 'desk-9' });
  });

  it('sends a file as multipart; the gateway verifies the signature without it', async () => {
    const { url, received } = await serve([json({ aliexpress_issue_image_upload_response: { result_object: true } })]);
    const bytes = Buffer.from('\x89PNG fake bytes');
    const body = await client(url, createManualClock(START)).call(
      'aliexpress.issue.image.upload',
      { buyer_login_id: 'us1', issue_id: iopLong('8123456789012345'), extension: 'png' },
      { file: { field: 'image_bytes', fileName: 'proof.png', contentType: 'image/png', bytes } },
    );
    expect(body).toEqual({ result_object: true });
    const first = received[0] as Received;
    expect(first.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(first.body.includes(bytes)).toBe(true);
    const { params, valid } = await signedParams(first);
    expect(params).toMatchObject({ buyer_login_id: 'us1', issue_id: '8123456789012345', extension: 'png' });
    expect('image_bytes' in params).toBe(false);
    expect(valid(null)).toBe(true);
  });

  it('on IllegalAccessToken refreshes once and repeats the call once with the new token', async () => {
    const { url, received } = await serve([refused, json({ aliexpress_trade_seller_order_refusecancel_response: { result: { success: true, target: true } } })]);
    const tokens = tokenSource({ renewed: 'token-2' });
    const clock = createManualClock(START);
    const body = await client(url, clock, { tokens }).call(API, { buyer_login_id: 'us1' });
    expect(body).toEqual({ result: { success: true, target: true } });
    expect(tokens.refreshes).toBe(1);
    expect(received.map((entry) => entry.query.session)).toEqual(['token-1', 'token-2']);
  });

  it('a token refused again after the refresh means signing in again (credentials_rejected)', async () => {
    const { url, received } = await serve([refused, refused]);
    const tokens = tokenSource();
    const error = await failureOf(client(url, createManualClock(START), { tokens }).call(API, {}));
    expect(error.kind).toBe('token');
    expect(error.code).toBe('credentials_rejected');
    expect(error.message).toBe('AliExpress refused the access token; sign in again in Settings.');
    expect(tokens.refreshes).toBe(1);
    expect(received).toHaveLength(2);
  });

  it('a repeat after the refresh that fails otherwise throws that failure as it is', async () => {
    const { url, received } = await serve([refused, json('oops', 502)]);
    const error = await failureOf(client(url, createManualClock(START)).call(API, {}));
    expect(error.kind).toBe('unclear');
    expect(error.status).toBe(502);
    expect(received).toHaveLength(2);
  });

  it('a refresh that fails means signing in again, and the call is not repeated', async () => {
    const { url, received } = await serve([refused]);
    const tokens = tokenSource({ refreshFails: new IopError({ kind: 'token', message: 'The refresh token expired.' }) });
    const error = await failureOf(client(url, createManualClock(START), { tokens }).call(API, {}));
    expect(error.code).toBe('credentials_rejected');
    expect(error.message).toBe('AliExpress refused the access token; sign in again in Settings.');
    expect(received).toHaveLength(1);
    const rejected = tokenSource({ refreshFails: new IopError({ kind: 'rejected', message: 'isv.refresh-token-invalid' }) });
    expect((await failureOf(client(url, createManualClock(START), { tokens: rejected }).call(API, {}))).code).toBe('credentials_rejected');
  });

  it('a refresh whose own fate is unclear leaves the call surely unapplied; other failures pass through', async () => {
    const { url } = await serve([refused]);
    const unclear = tokenSource({ refreshFails: new IopError({ kind: 'unclear', message: 'AliExpress did not answer /auth/token/refresh (timed out).' }) });
    const error = await failureOf(client(url, createManualClock(START), { tokens: unclear }).call(API, {}));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/^AliExpress refused the access token and renewing it did not get through/);
    const limited = new IopError({ kind: 'rate_limited', message: 'slow down', retryAfterMs: 1000 });
    expect(await failureOf(client(url, createManualClock(START), { tokens: tokenSource({ refreshFails: limited }) }).call(API, {}))).toBe(limited);
    const storage = new DeskError('secret_unreadable', 'The saved token cannot be read.');
    await expect(client(url, createManualClock(START), { tokens: tokenSource({ refreshFails: storage }) }).call(API, {})).rejects.toBe(storage);
  });

  it('ApiCallLimit is rate_limited with the ban length, and is not retried', async () => {
    const { url, received } = await serve([json({ error_response: { type: 'ISV', code: 'ApiCallLimit', msg: 'Api access frequency exceeds the limit. this ban will last 1 seconds', request_id: 'r9' } })]);
    const error = await failureOf(client(url, createManualClock(START)).call(API, {}));
    expect(error.kind).toBe('rate_limited');
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(1000);
    expect(error.requestId).toBe('r9');
    expect(received).toHaveLength(1);
  });

  it('no call goes out during the ban ApiCallLimit names: the next waits for it on the clock, then is sent as it was', async () => {
    const ban = json({ error_response: { type: 'ISV', code: 'ApiCallLimit', msg: 'Api access frequency exceeds the limit. this ban will last 3 seconds', request_id: 'r9' } });
    const { url, received } = await serve([ban, json({ result: { success: true }, request_id: 'r10' })]);
    const clock = createManualClock(START);
    const iop = client(url, clock);
    expect((await failureOf(iop.call(API, {}))).retryAfterMs).toBe(3000);
    const next = iop.call(API, {});
    // Held on the clock, not sent.
    await vi.waitFor(() => expect(clock.pendingTimers()).toBe(1));
    expect(received).toHaveLength(1);
    clock.advance(3000);
    expect(await next).toEqual({ result: { success: true }, request_id: 'r10' });
    expect(received).toHaveLength(2);
    const { params } = await signedParams(received[1] as Received);
    // Stamped when it left, after the ban.
    expect(params.timestamp).toBe(String(START + 3000));
  });

  it('HTTP 500 may have been applied, and is not retried', async () => {
    const { url, received } = await serve([json('oops', 500)]);
    const error = await failureOf(client(url, createManualClock(START)).call(API, {}));
    expect(error.kind).toBe('unclear');
    expect(error.status).toBe(500);
    expect(received).toHaveLength(1);
  });

  it('a business error in result is rejected with the marketplace message', async () => {
    const { url } = await serve([json({ aliexpress_trade_seller_order_refusecancel_response: { result: { success: false, error_code: 'ORDER_NOT_IN_CANCEL', error_message: 'Order is not in cancel' } } })]);
    const error = await failureOf(client(url, createManualClock(START)).call(API, {}));
    expect(error.kind).toBe('rejected');
    expect(error.message).toBe(`AliExpress did not apply ${API}: Order is not in cancel (ORDER_NOT_IN_CANCEL).`);
  });

  it('a connection dropped after the request was read may have been applied', async () => {
    const { url, received } = await serve([(_received, _response, request) => request.socket.destroy()]);
    const error = await failureOf(client(url, createManualClock(START)).call(API, { buyer_login_id: 'us1' }));
    expect(error.kind).toBe('unclear');
    expect(error.code).toBe('marketplace_unreachable');
    expect(error.message).toMatch(/it may have applied it\.$/);
    expect(received).toHaveLength(1);
  });

  it('an answer cut off midway may have been applied', async () => {
    const { url } = await serve([
      (_received, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        response.write('{"aliexpress_trade_seller_order_refusecancel_response":{');
        setImmediate(() => response.socket?.destroy());
      },
    ]);
    expect((await failureOf(client(url, createManualClock(START)).call(API, {}))).kind).toBe('unclear');
  });

  it('a refused connection was surely not sent (unreachable)', async () => {
    const { url } = await serve([json({})]);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const error = await failureOf(client(url, createManualClock(START)).call(API, {}));
    expect(error.kind).toBe('unreachable');
    expect(error.code).toBe('marketplace_unreachable');
    expect(error.message).toBe(`Nobody answered at ${url} (ECONNREFUSED); ${API} was not sent.`);
  });

  it('a timeout may have been applied', async () => {
    const timedOut: typeof fetch = () => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    const error = await failureOf(client('http://127.0.0.1:9', createManualClock(START), { fetch: timedOut }).call(API, {}));
    expect(error.kind).toBe('unclear');
    expect(error.message).toBe(`AliExpress did not answer ${API} (timed out); it may have applied it.`);
  });

  it('refuses an answer past maxJsonBytes, declared or streamed', async () => {
    const big = JSON.stringify({ result: { success: true, padding: 'x'.repeat(4096) } });
    const { url } = await serve([
      json(big),
      (_received, response) => {
        // Chunked: no Content-Length to refuse up front.
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write(big.slice(0, 2000));
        response.end(big.slice(2000));
      },
    ]);
    const iop = client(url, createManualClock(START), { maxJsonBytes: 1024 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await failureOf(iop.call(API, {}));
      expect(error.kind).toBe('unclear');
      expect(error.code).toBe('payload_too_large');
      expect(error.message).toMatch(/larger than 1 KiB/);
    }
  });

  it('tells onUnconfirmed what the reference does not confirm', async () => {
    const facts: string[] = [];
    const { url } = await serve([json({ error_response: { code: 'IllegalAccessToken' } }, 401), json({ result: { success: true } })]);
    await client(url, createManualClock(START), { onUnconfirmed: (fact) => facts.push(fact) }).call(API, {});
    expect(facts).toEqual([`AliExpress sent an error envelope (IllegalAccessToken) with HTTP 401 for ${API}.`]);
  });

  it('waits for the rate limit on the injected clock, and stamps the time the request leaves', async () => {
    const { url, received } = await serve([json({ result: { success: true } })]);
    const clock = createManualClock(START);
    const iop = client(url, clock, { requestsPerSecond: 1, burst: 1 });
    await iop.call(API, {});
    const second = iop.call(API, {});
    // The second call waits for a token: its timer is on the manual clock, nothing is sent.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(clock.pendingTimers()).toBe(1);
    expect(received).toHaveLength(1);
    clock.advance(1000);
    await second;
    expect(received.map((entry) => entry.query.timestamp)).toEqual([String(START), String(START + 1000)]);
  });
});

describe('IopClient.rest', () => {
  it('signs /auth/token/create with its path, sends no token, and answers the flat body', async () => {
    const { url, received } = await serve([json('{"access_token":"50000abc","refresh_token":"50001def","expire_time":1714192160000,"seller_id":"200042362","code":"0","request_id":"212a"}')]);
    const tokens = tokenSource();
    const body = await client(url, createManualClock(START), { tokens }).rest('/auth/token/create', { code: '3_513774_b38kGp17' });
    expect(body).toEqual({ access_token: '50000abc', refresh_token: '50001def', expire_time: 1714192160000, seller_id: '200042362', code: '0', request_id: '212a' });
    const first = received[0] as Received;
    expect(first.path).toBe('/rest/auth/token/create');
    const { params, valid } = await signedParams(first);
    expect(params).toMatchObject({ app_key: 'app-1', code: '3_513774_b38kGp17', timestamp: String(START), sign_method: 'sha256' });
    expect('session' in params || 'access_token' in params || 'method' in params).toBe(false);
    expect(valid('/auth/token/create')).toBe(true);
    expect(valid(null)).toBe(false);
    expect(tokens.refreshes).toBe(0);
  });

  it('throws the flat GOP error, classified', async () => {
    const { url } = await serve([json({ type: 'ISV', code: 'InvalidAppKey', message: 'The specified app key is invalid', request_id: 'r' })]);
    const error = await failureOf(client(url, createManualClock(START)).rest('/auth/token/refresh', { refresh_token: 'x' }));
    expect(error.kind).toBe('config');
    expect(error.code).toBe('marketplace_config');
    expect(error.message).toMatch(/check the App Key in Settings/);
  });
});
