import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, MarketplaceHttpClient, parseRetryAfter, TokenBucket } from '../../../../../electron/backend/marketplace/http-client';
import { mulberry32 } from '../../../../../shared/domain/random';
import { createInstantClock } from '../../../../support/instant-clock';
import { testSeed } from '../../../../support/seed';

/** This run's seed for the jitter draws (SEED overrides it; printed once). */
const SEED = testSeed('http-client', 20261126);
/** The seed whose delays are written out below: fixed, so a change to the jitter shows as a diff of numbers. */
const PINNED_SEED = 20261126;

/** Full jitter as design.md §5 describes it, written out independently of the code under test. */
function fullJitter(draw: number, attempt: number, baseMs: number, capMs: number): number {
  return Math.floor(draw * Math.min(capMs, baseMs * 2 ** attempt));
}

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
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), random: mulberry32(SEED) });
    await expect(client.call('/v1/x', { method: 'POST', body: {} })).rejects.toMatchObject({
      code: 'marketplace_error',
      message: expect.stringContaining('The request was withdrawn.') as string,
    });
    expect(calls).toBe(1);
  });

  it('answers accepted error statuses to the caller instead of throwing', async () => {
    const url = await serve((_request, response) => json(response, 409, { error: { code: 'version_conflict', message: 'stale' } }));
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), random: mulberry32(SEED) });
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
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), maxAttempts: 3, random: mulberry32(SEED) });
    await expect(client.call('/v1/x')).rejects.toMatchObject({ code: 'marketplace_unreachable' });
    expect(calls).toBe(3);
  });

  it('fails fast when nobody listens', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const clock = createInstantClock();
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock, random: mulberry32(SEED) });
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
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), maxInFlight: 2, burst: 100, requestsPerSecond: 1000, random: mulberry32(SEED) });
    await Promise.all(Array.from({ length: 10 }, () => client.call('/v1/x')));
    expect(most).toBe(2);
  });

  it('sends the bearer token', async () => {
    let seen = '';
    const url = await serve((request, response) => {
      seen = request.headers.authorization ?? '';
      json(response, 200, {});
    });
    await new MarketplaceHttpClient({ baseUrl: url, token: 'secret-1', clock: createInstantClock(), random: mulberry32(SEED) }).call('/v1/x');
    expect(seen).toBe('Bearer secret-1');
  });
});

describe('answers read with a running cap', () => {
  const MiB = 1024 * 1024;

  /**
   * Streams `total` bytes of a JSON-looking body in 64 KiB chunks without a Content-Length (so
   * chunked), as fast as the client reads; resolves, once the exchange is over, with how much the
   * server managed to send.
   */
  function streamChunked(response: ServerResponse, total: number, contentType: string): Promise<number> {
    response.writeHead(200, { 'Content-Type': contentType });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    return new Promise((resolve) => {
      response.once('close', () => resolve(sent));
      const pump = (): void => {
        if (sent === 0) {
          response.write('[');
          sent += 1;
        }
        while (sent < total && !response.destroyed) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!response.destroyed) response.end(']');
      };
      pump();
    });
  }

  async function chunkedMarketplace(total: number, contentType: string): Promise<{ url: string; sent: Promise<number> }> {
    let settle: (sent: number) => void = () => undefined;
    const sent = new Promise<number>((resolve) => (settle = resolve));
    const url = await serve((_request, response) => void streamChunked(response, total, contentType).then(settle));
    return { url, sent };
  }

  it('stops reading a chunked JSON page past the cap, with payload_too_large', async () => {
    const total = 32 * MiB;
    const marketplace = await chunkedMarketplace(total, 'application/json');
    const client = new MarketplaceHttpClient({ baseUrl: marketplace.url, token: 't', clock: createInstantClock(), maxJsonBytes: MiB, random: mulberry32(SEED) });
    await expect(client.call('/v1/orders?limit=200')).rejects.toMatchObject({
      code: 'payload_too_large',
      message: "The marketplace's answer to GET /v1/orders is larger than 1 MiB; Cancel Desk stopped reading it.",
    });
    // The connection was dropped: the marketplace could not send (nor the client hold) the rest.
    expect(await marketplace.sent).toBeLessThan(total / 2);
  });

  it('stops reading a chunked file past the caller’s cap, with payload_too_large', async () => {
    const total = 32 * MiB;
    const marketplace = await chunkedMarketplace(total, 'image/png');
    const client = new MarketplaceHttpClient({ baseUrl: marketplace.url, token: 't', clock: createInstantClock(), random: mulberry32(SEED) });
    await expect(client.call('/v1/evidence/e-1', { binaryMaxBytes: MiB })).rejects.toMatchObject({
      code: 'payload_too_large',
      message: "The marketplace's answer to GET /v1/evidence/e-1 is larger than 1 MiB; Cancel Desk stopped reading it.",
    });
    expect(await marketplace.sent).toBeLessThan(total / 2);
  });

  it('refuses a declared Content-Length over the cap before reading, JSON pages too', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(2 * MiB) }).end(`[${' '.repeat(2 * MiB - 2)}]`);
    });
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), maxJsonBytes: MiB, random: mulberry32(SEED) });
    await expect(client.call('/v1/orders')).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(client.call('/v1/evidence/e-1', { binaryMaxBytes: MiB })).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('never reads more than a lying Content-Length declares (small), however much is sent', async () => {
    // A raw socket: Node's own HTTP server would not send more than it declared.
    let writtenBeforeClose = 0;
    const sockets = new Set<Socket>();
    const tcp = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100\r\n\r\n');
        const chunk = Buffer.alloc(MiB, 0x41);
        const pump = (): void => {
          while (writtenBeforeClose < 32 * MiB && !socket.destroyed) {
            writtenBeforeClose += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
          socket.end();
        };
        pump();
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
      const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), maxAttempts: 1, random: mulberry32(SEED) });
      const answer = await client.call('/v1/evidence/e-1', { binaryMaxBytes: MiB });
      expect(answer.bytes?.length).toBe(100);
      // The same lie on a JSON page: 100 bytes of "AAAA..." is not JSON, and is said so.
      await expect(client.call('/v1/orders')).rejects.toMatchObject({ code: 'invalid_payload' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  it('still reads an answer under the cap, whole', async () => {
    const page = { items: Array.from({ length: 200 }, (_, index) => ({ id: `o-${index}`, note: 'x'.repeat(100) })) };
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      // Written in two parts, without a Content-Length: chunked.
      const text = JSON.stringify(page);
      response.write(text.slice(0, 1000));
      response.end(text.slice(1000));
    });
    const client = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock: createInstantClock(), maxJsonBytes: MiB, random: mulberry32(SEED) });
    expect((await client.call('/v1/orders')).body).toEqual(page);
  });
});

describe('retry jitter drawn from the injected random source', () => {
  /** A marketplace that answers 503 `failures` times, then 200. */
  async function failingThenOk(failures: number): Promise<{ url: string; calls: () => number }> {
    let calls = 0;
    const url = await serve((_request, response) => {
      calls += 1;
      if (calls <= failures) json(response, 503, { error: { code: 'down', message: 'maintenance' } });
      else json(response, 200, { ok: true });
    });
    return { url, calls: () => calls };
  }

  it('waits exactly these delays between attempts for the pinned seed', async () => {
    const marketplace = await failingThenOk(6);
    const clock = createInstantClock();
    const client = new MarketplaceHttpClient({ baseUrl: marketplace.url, token: 't', clock, maxAttempts: 7, retryBaseMs: 100, retryCapMs: 1_000, random: mulberry32(PINNED_SEED) });
    expect((await client.call('/v1/x')).body).toEqual({ ok: true });
    expect(marketplace.calls()).toBe(7);
    // Ceilings 200, 400, 800, then the 1,000 cap; each wait one draw of mulberry32(20261126) under its ceiling.
    expect(clock.waits).toEqual([179, 274, 132, 793, 770, 317]);
  });

  it("draws once per retry, in order, from the run's seed, and waits a full-jitter delay for each", async () => {
    const retries = 9;
    const marketplace = await failingThenOk(retries);
    const clock = createInstantClock();
    const [baseMs, capMs] = [50, 3_000];
    const client = new MarketplaceHttpClient({ baseUrl: marketplace.url, token: 't', clock, maxAttempts: retries + 1, retryBaseMs: baseMs, retryCapMs: capMs, random: mulberry32(SEED) });
    await client.call('/v1/x');
    const reference = mulberry32(SEED);
    const expected = Array.from({ length: retries }, (_, index) => fullJitter(reference(), index + 1, baseMs, capMs));
    // A zero wait sets no timer, so the clock records only the others.
    expect(clock.waits).toEqual(expected.filter((ms) => ms > 0));
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

  it("full jitter stays within [0, min(cap, base * 2^attempt)) across many draws of the run's seed, and spreads over it", () => {
    const random = mulberry32(SEED);
    const [baseMs, capMs] = [250, 10_000];
    const atCap: number[] = [];
    const outside: string[] = [];
    for (let draw = 0; draw < 10_000; draw += 1) {
      const attempt = draw % 40;
      const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
      const delay = backoffDelay(attempt, baseMs, capMs, random);
      if (!Number.isInteger(delay) || delay < 0 || delay >= ceiling) outside.push(`draw ${draw}, attempt ${attempt}: ${delay} ms`);
      if (ceiling === capMs) atCap.push(delay);
    }
    expect(outside).toEqual([]);
    // Full jitter, not "half the ceiling plus jitter" nor a fixed wait: the capped draws cover [0, cap).
    expect(Math.min(...atCap)).toBeLessThan(capMs * 0.05);
    expect(Math.max(...atCap)).toBeGreaterThan(capMs * 0.95);
  });

  it("stays under the cap even for mulberry32's largest draw and a huge attempt count", () => {
    const largestDraw = (2 ** 32 - 1) / 2 ** 32;
    expect(backoffDelay(1_000, 250, 10_000, () => largestDraw)).toBe(9_999);
    expect(backoffDelay(0, 250, 10_000, () => largestDraw)).toBe(249);
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2026, 10, 26, 9);
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter(new Date(now + 4_000).toUTCString(), now)).toBe(4_000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
