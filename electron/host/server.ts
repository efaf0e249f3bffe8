import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { dispatchCall } from '../../shared/ipc/dispatch';
import type { Backend } from '../backend';
import type { Logger } from '../backend/log';
import { routeCall, type ShellHandlers } from '../backend/shell-channels';
// The Electron app's own file rules (no import of 'electron'): one set of rules for both shells.
import { APP_ORIGIN, createRendererHandler, SECURITY_HEADERS } from '../main/app-scheme';

/**
 * The browser host: serves the built renderer over loopback and carries the IPC contract over a
 * WebSocket, so the same backend and renderer run in a plain browser (tests, demos, machines
 * without the Electron binary).
 */
export interface HostOptions {
  backend: Backend;
  /** The channels the host answers itself (the marketplace connection). */
  connection: ShellHandlers;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  log: Logger;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface Host {
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Frames a client may send: nothing else is read. */
const ClientMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  input: z.unknown(),
});

// A seller's photo crosses as base64 (evidence.attach: at most 14 MiB of it, shared/ipc/seller-evidence.ts);
// every other call is far smaller. A frame over this closes that connection only (1009).
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function startHost(options: HostOptions): Promise<Host> {
  const { log } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = createServer((request, response) => {
    serveRequest(request, response).catch((error: unknown) => {
      log.error(`static: ${describeError(error)}`);
      if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // From here on a server error is logged, never thrown: one bad socket must not end the host.
  server.on('error', (error) => log.error(`HTTP server: ${describeError(error)}`));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  // The names the host answers to. Any other Host header is a page of another site whose name
  // was pointed at 127.0.0.1 (DNS rebinding): refused, pages and WebSocket alike.
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, ...(port === 80 ? ['127.0.0.1', 'localhost'] : [])]);
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const isOwnHost = (request: IncomingMessage): boolean => hosts.has((request.headers.host ?? '').toLowerCase());
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
  const headers = { ...SECURITY_HEADERS, 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' };
  const renderer = createRendererHandler(options.rendererDir, readRendererFile);

  async function serveRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isOwnHost(request)) {
      log.warn(`refused a page request for host ${JSON.stringify(request.headers.host ?? '(none)')}`);
      response.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden host');
      return;
    }
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    // The path as the browser sent it (still percent-encoded) goes to the app:// handler, which
    // decodes and checks it segment by segment: a malformed escape is 400, a way out 403.
    const url = URL.parse(request.url ?? '/', origin);
    if (url === null) {
      response.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request');
      return;
    }
    const answer = await renderer(new Request(`${APP_ORIGIN}${url.pathname}`, { method }));
    const body = method === 'HEAD' ? undefined : Buffer.from(await answer.arrayBuffer());
    // Headers are case-insensitive: set() replaces the handler's CSP (no ws: source) instead of adding a second one.
    const merged = new Headers(answer.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    response.writeHead(answer.status, Object.fromEntries(merged));
    response.end(body);
  }

  const wss = new WebSocketServer({
    server,
    path: '/ipc',
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ origin: requestOrigin, req }, done) => {
      const offered = new URL(req.url ?? '/', origin).searchParams.get('token') ?? '';
      if (!isOwnHost(req)) {
        log.warn(`refused a WebSocket for host ${JSON.stringify(req.headers.host ?? '(none)')}`);
        done(false, 403, 'Forbidden host');
      } else if (!origins.has(requestOrigin)) {
        log.warn(`refused a WebSocket from origin ${requestOrigin || '(none)'}`);
        done(false, 403, 'Forbidden origin');
      } else if (!sameSecret(offered, token)) {
        log.warn('refused a WebSocket with a wrong or missing token');
        done(false, 401, 'Wrong or missing token');
      } else {
        done(true);
      }
    },
  });
  // ws re-emits the HTTP server's errors here; without a listener they would end the process.
  wss.on('error', (error) => log.error(`WebSocket server: ${describeError(error)}`));

  // dispatchCall hands over input parsed by that channel's own schema.
  const call = routeCall(options.connection, (channel, input) => options.backend.handle(channel, input as never));

  let connections = 0;
  wss.on('connection', (socket: WebSocket) => {
    const name = `WebSocket #${++connections}`;
    const unsubscribe = options.backend.subscribe((event, payload) => {
      send(socket, { type: 'event', event, payload });
    });
    // A frame over the size limit (1009) or not UTF-8 (1007): ws closes this connection with
    // that code and reports it here. Only this connection ends; the host and the others go on.
    socket.on('error', (error) => log.warn(`${name}: ${describeError(error)}; that connection is closed`));
    socket.on('close', unsubscribe);
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return socket.close(1003, 'Text frames only');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString('utf8'));
      } catch {
        return socket.close(1007, 'Not JSON');
      }
      const message = ClientMessageSchema.safeParse(frame);
      if (!message.success) return socket.close(1008, 'Not a call');
      const { id, channel, input } = message.data;
      dispatchCall(channel, input, call)
        .then((result) => send(socket, { type: 'result', id, result }))
        .catch((error: unknown) => {
          // An answer that cannot be sent (not serialisable): the caller must not wait forever.
          log.error(`${name}: the answer to ${channel} could not be sent: ${describeError(error)}`);
          socket.close(1011, 'Internal error');
        });
    });
  });

  const close = async (): Promise<void> => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return { url: `${origin}/?token=${token}`, origin, token, close };
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? error.message : `${error.message} (${code})`;
}

/** A file the app:// handler has already checked (a regular file inside the renderer folder). */
async function readRendererFile(fileUrl: string): Promise<Response> {
  const file = fileURLToPath(fileUrl);
  return new Response(await readFile(file), {
    headers: { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' },
  });
}
