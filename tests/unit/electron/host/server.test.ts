import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Backend } from '../../../../electron/backend';
import { silentLogger, type Logger } from '../../../../electron/backend/log';
import { CONNECTION_FILE, createHostConnection, loadSavedConnection } from '../../../../electron/host/connection';
import { startHost, type Host } from '../../../../electron/host/server';
import type { Simulator } from '../../../../electron/simulator/server';
import { startDesk, type Desk } from '../../../support/desk';

let desk: Desk;
let simulator: Simulator;
let backend: Backend;
let host: Host;
let rendererDir: string;
let dataDir: string;
/** What the host logged, as `level: message`. */
const logged: string[] = [];
const recordingLogger: Logger = {
  info: (message) => logged.push(`info: ${message}`),
  warn: (message) => logged.push(`warn: ${message}`),
  error: (message) => logged.push(`error: ${message}`),
};

beforeAll(async () => {
  // The host serves a backend that has not synced yet (start() only opens the cache).
  desk = await startDesk({ seed: 5, orders: 100, sync: false });
  ({ simulator, backend, dataDir } = desk);
  rendererDir = await mkdtemp(join(tmpdir(), 'desk-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Cancel Desk</title>');
  const connection = createHostConnection({ dataDir, active: { kind: 'demo', marketplaceUrl: simulator.url }, token: null, log: silentLogger });
  host = await startHost({ backend, connection, rendererDir, log: recordingLogger });
});

afterAll(async () => {
  await host.close();
  await desk.close();
});

function wsUrl(token: string | null): string {
  const base = host.origin.replace('http:', 'ws:');
  return token === null ? `${base}/ipc` : `${base}/ipc?token=${encodeURIComponent(token)}`;
}

function hostPort(): string {
  return new URL(host.origin).port;
}

/** Resolves with the HTTP status the upgrade was refused with, or 101 if it was accepted. */
function upgradeStatus(url: string, origin: string | undefined, hostHeader?: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { ...(origin === undefined ? {} : { origin }), ...(hostHeader === undefined ? {} : { headers: { host: hostHeader } }) });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => undefined);
  });
}

/** A GET with the path sent exactly as given (no URL normalisation) and any Host header. */
function rawGet(path: string, hostHeader = `127.0.0.1:${hostPort()}`): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: hostPort(), path, headers: { host: hostHeader } }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.once('error', reject);
    request.end();
  });
}

function closeCodeOf(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(host.token), { origin: host.origin });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function call(socket: WebSocket, id: number, channel: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    // The default binaryType hands every frame over as one Buffer.
    const onMessage = (data: Buffer): void => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string; id?: number; result?: unknown };
      if (frame.type === 'result' && frame.id === id) {
        socket.off('message', onMessage);
        resolve(frame.result);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ type: 'call', id, channel, input }));
  });
}

describe('browser host', () => {
  it('prints its URL with the token and binds to loopback', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('refuses a WebSocket with a missing or wrong token, or a foreign Origin, before any call', async () => {
    expect(await upgradeStatus(wsUrl(null), host.origin)).toBe(401);
    expect(await upgradeStatus(wsUrl('wrong'), host.origin)).toBe(401);
    expect(await upgradeStatus(wsUrl(host.token), 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(wsUrl(host.token), undefined)).toBe(403);
    expect(await upgradeStatus(wsUrl(host.token), host.origin)).toBe(101);
  });

  it('answers calls through the contract, and invalid input with invalid_input naming the field', async () => {
    const socket = await connect();
    try {
      expect(await call(socket, 1, 'app.info', {})).toMatchObject({ ok: true, value: { marketplaceUrl: simulator.url } });
      const bad = (await call(socket, 2, 'queue.list', { view: 'all', limit: -3 })) as { ok: boolean; error: { code: string; message: string } };
      expect(bad.ok).toBe(false);
      expect(bad.error.code).toBe('invalid_input');
      expect(bad.error.message).toContain('limit');
      expect(await call(socket, 3, 'fs.rm', { path: '/' })).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
      // Still serving after bad input.
      expect(await call(socket, 4, 'queue.counts', {})).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  });

  it('answers the connection channels itself: the URL saved in the data folder, the token kept for the session and never sent back', async () => {
    const socket = await connect();
    try {
      expect(await call(socket, 1, 'connection.get', {})).toEqual({
        ok: true,
        value: {
          active: { kind: 'demo', marketplaceUrl: simulator.url },
          saved: { kind: 'demo', marketplaceUrl: null },
          tokenStored: false,
          tokenStorage: 'session',
          restartRequired: false,
        },
      });
      expect(await call(socket, 2, 'connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/' })).toMatchObject({
        ok: false,
        error: { code: 'token_required' },
      });
      const saved = await call(socket, 3, 'connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/', token: 'tok-session-only' });
      expect(saved).toEqual({
        ok: true,
        value: {
          active: { kind: 'demo', marketplaceUrl: simulator.url },
          saved: { kind: 'remote', marketplaceUrl: 'https://api.market.example/' },
          tokenStored: true,
          tokenStorage: 'session',
          restartRequired: true,
        },
      });
      const file = await readFile(join(dataDir, CONNECTION_FILE), 'utf8');
      expect(JSON.parse(file)).toEqual({ version: 1, marketplaceUrl: 'https://api.market.example/' });
      expect(file).not.toContain('tok-session-only');
      expect(await loadSavedConnection(dataDir)).toEqual({ saved: { kind: 'remote', marketplaceUrl: 'https://api.market.example/' }, problem: null });
      // The session's token belongs to the marketplace it was entered for: another origin needs its own.
      const elsewhere = await call(socket, 6, 'connection.update', { kind: 'remote', marketplaceUrl: 'https://other.market.example/' });
      expect(elsewhere).toMatchObject({ ok: false, error: { code: 'token_required', message: expect.stringContaining('never sent to another marketplace') as unknown } });
      expect(await loadSavedConnection(dataDir)).toEqual({ saved: { kind: 'remote', marketplaceUrl: 'https://api.market.example/' }, problem: null });
      // The same origin, another path: the token goes with it.
      expect(await call(socket, 7, 'connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/v2/' })).toMatchObject({ ok: true });
      // Back to the demo: what runs is what is saved again.
      expect(await call(socket, 4, 'connection.update', { kind: 'demo' })).toMatchObject({ ok: true, value: { saved: { kind: 'demo', marketplaceUrl: null }, restartRequired: false } });
      expect(await call(socket, 5, 'connection.update', { kind: 'remote', marketplaceUrl: 'http://api.market.example/' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    } finally {
      socket.close();
    }
  });

  it('reads a broken connection.json as the demo and says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-host-conn-'));
    await writeFile(join(dir, CONNECTION_FILE), JSON.stringify({ version: 1, marketplaceUrl: 'http://evil.example/' }));
    const read = await loadSavedConnection(dir);
    expect(read.saved).toEqual({ kind: 'demo' });
    expect(read.problem).toContain('marketplaceUrl: must be an https URL');
  });

  it('closes a socket that sends something other than a call', async () => {
    const socket = await connect();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('not json at all');
    expect(await closed).toBe(1007);
  });

  it('serves the renderer with a strict CSP, and nothing outside its folder', async () => {
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // One policy, the host's: it lets the page reach its WebSocket (two would both apply).
    expect(csp.match(/default-src/g)).toHaveLength(1);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${hostPort()} ws://localhost:${hostPort()}`);
    expect((await fetch(`${host.origin}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(403);
    expect((await fetch(`${host.origin}/missing.js`)).status).toBe(404);
  });

  it.each([
    ['a text frame over 16 MiB', 1009, Buffer.alloc(17 * 1024 * 1024, 0x20)],
    ['a text frame that is not UTF-8', 1007, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ])('closes only the connection that sends %s (%i), logs it, and keeps answering the others', async (_what, code, frame) => {
    const bystander = await connect();
    const offender = await connect();
    try {
      const loggedBefore = logged.length;
      const closed = closeCodeOf(offender);
      // Sent as a text frame as it is: the client's own checks do not run on a Buffer.
      offender.send(frame, { binary: false });
      expect(await closed).toBe(code);
      expect(await call(bystander, 1, 'queue.counts', {})).toMatchObject({ ok: true });
      const fresh = await connect();
      try {
        expect(await call(fresh, 1, 'app.info', {})).toMatchObject({ ok: true });
      } finally {
        fresh.close();
      }
      expect(logged.slice(loggedBefore).filter((line) => line.includes('that connection is closed'))).toHaveLength(1);
    } finally {
      bystander.close();
    }
  });

  it('answers 400 to a malformed percent-escape, and refuses a way out per segment', async () => {
    const malformed = await rawGet('/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await rawGet('/%FF')).status).toBe(400);
    expect((await rawGet('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await rawGet('/..%2F..%2Fetc%2Fpasswd')).status).toBe(403);
    expect((await rawGet('/..%5C..%5Cetc%5Cpasswd')).status).toBe(403);
    expect((await rawGet('/index.html%00.js')).status).toBe(403);
    expect((await rawGet('/index.html')).status).toBe(200);
  });

  it('serves pages and the WebSocket to its own names only (DNS rebinding)', async () => {
    const port = hostPort();
    expect((await rawGet('/', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await rawGet('/', `localhost:${port}`)).status).toBe(200);
    expect((await rawGet('/', `evil.example:${port}`)).status).toBe(403);
    expect((await rawGet('/', 'evil.example')).status).toBe(403);
    expect((await rawGet('/', `127.0.0.1:${Number(port) + 1}`)).status).toBe(403);
    expect(await upgradeStatus(wsUrl(host.token), `http://evil.example:${port}`, `evil.example:${port}`)).toBe(403);
    expect(await upgradeStatus(wsUrl(host.token), host.origin, `evil.example:${port}`)).toBe(403);
    expect(await upgradeStatus(wsUrl(host.token), `http://localhost:${port}`, `localhost:${port}`)).toBe(101);
    expect(logged).toContain(`warn: refused a page request for host "evil.example:${port}"`);
  });
});
