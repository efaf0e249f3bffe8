import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, MarketplaceHttpClient, parseRetryAfter, TokenBucket } from '../../../../../electron/backend/marketplace/http-client';
import { createInstantClock } from '../../../../support/instant-clock';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server | null = null;

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

describe('marketplace HTTP client', () => {
  it('retries 500 and 503 and answers the first success', async () => {
    const statuses = [500, 503, 200];
    const url = await serve((_request, response) => {
      const status = statuses.shift() ?? 200;
      json(response, status, status === 200 ? { ok: true } : { error: { code: 'boom', message: 'try later' } });
    });
    const clock = createInstantClock();
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock, random: () => 0.5 });
    expect((await client.call('/v1/x')).body).toEqual({ ok: true });
    expect(statuses).toEqual([]);
  });

  it('waits what Retry-After says after a 429', async () => {
    let calls = 0;
    const url = await serve((_request, response) => {
      calls += 1;
      if (calls === 1) json(response, 429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '3' });
      else json(response, 200, { ok: true });
    });
    const clock = createInstantClock();
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock, random: () => 0 });
    await client.call('/v1/x');
    expect(calls).toBe(2);
    expect(clock.waits).toContain(3_000);
  });

  it('does not retry a permanent refusal, and says what the marketplace said', async () => {
    let calls = 0;
    const url = await serve((_request, response) => {
      calls += 1;
      json(response, 422, { error: { code: 'wrong_state', message: 'The request was withdrawn.' } });
    });
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock() });
    await expect(client.call('/v1/x', { method: 'POST', body: {} })).rejects.toMatchObject({
      code: 'marketplace_error',
      message: expect.stringContaining('The request was withdrawn.') as string,
    });
    expect(calls).toBe(1);
  });

  it('answers accepted error statuses to the caller instead of throwing', async () => {
    const url = await serve((_request, response) => json(response, 409, { error: { code: 'version_conflict', message: 'stale' } }));
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock() });
    expect((await client.call('/v1/x', { accept: [409] })).status).toBe(409);
  });

  it('gives up after its attempts with marketplace_error, having backed off between them', async () => {
    let calls = 0;
    const url = await serve((_request, response) => {
      calls += 1;
      json(response, 503, { error: { code: 'down', message: 'maintenance' } });
    });
    const clock = createInstantClock();
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock, maxAttempts: 4, retryBaseMs: 100, random: () => 0.999 });
    await expect(client.call('/v1/x')).rejects.toMatchObject({ code: 'marketplace_error' });
    expect(calls).toBe(4);
    expect(clock.waits.filter((ms) => ms > 0)).toEqual([199, 399, 799]);
  });

  it('retries a dropped connection, then reports the marketplace unreachable', async () => {
    let calls = 0;
    const url = await serve((request) => {
      calls += 1;
      request.socket.destroy();
    });
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), maxAttempts: 3 });
    await expect(client.call('/v1/x')).rejects.toMatchObject({ code: 'marketplace_unreachable' });
    expect(calls).toBe(3);
  });

  it('fails fast when nobody listens', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const clock = createInstantClock();
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock });
    await expect(client.call('/v1/x')).rejects.toMatchObject({ code: 'marketplace_unreachable', message: expect.stringContaining('ECONNREFUSED') as string });
    expect(clock.waits.filter((ms) => ms > 0)).toEqual([]);
  });

  it('keeps at most maxInFlight requests open at once', async () => {
    let open = 0;
    let most = 0;
    const url = await serve((_request, response) => {
      open += 1;
      most = Math.max(most, open);
      setImmediate(() => {
        open -= 1;
        json(response, 200, {});
      });
    });
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), maxInFlight: 2, burst: 100, requestsPerSecond: 1000 });
    await Promise.all(Array.from({ length: 10 }, () => client.call('/v1/x')));
    expect(most).toBe(2);
  });

  it('sends the bearer token', async () => {
    let seen = '';
    const url = await serve((request, response) => {
      seen = request.headers.authorization ?? '';
      json(response, 200, {});
    });
    await new MarketplaceHttpClient({ baseUrl: url, token: 'secret-1', clock: createInstantClock() }).call('/v1/x');
    expect(seen).toBe('Bearer secret-1');
  });
});

describe('rate limiting and backoff arithmetic', () => {
  it('a token bucket lets a burst through, then spaces calls at the rate', async () => {
    const clock = createInstantClock(0);
    const bucket = new TokenBucket(clock, 10, 5);
    for (let call = 0; call < 15; call += 1) await bucket.take();
    // 5 from the burst, then 10 more at 10/s: about a second of waiting in all.
    const waited = clock.waits.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThanOrEqual(1_100);
  });

  it('full jitter stays under the exponential ceiling and the cap', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0.999)).toBe(199);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelay(20, 100, 10_000, () => 0.999)).toBe(9_990);
    expect(backoffDelay(5, 100, 10_000, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2026, 10, 26, 9);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(new Date(now + 4_000).toUTCString(), now)).toBe(4_000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
