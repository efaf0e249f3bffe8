import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { dispatchCall } from '../../shared/ipc/dispatch';
import type { Backend } from '../backend';
import type { Logger } from '../backend/log';
import { routeCall, type ShellHandlers } from '../backend/shell-channels';

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

const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = createServer((request, response) => {
    serveStatic(options.rendererDir, request, response, csp).catch((error: unknown) => {
      options.log.error(`static: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');

  const wss = new WebSocketServer({
    server,
    path: '/ipc',
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ origin: requestOrigin, req }, done) => {
      const offered = new URL(req.url ?? '/', origin).searchParams.get('token') ?? '';
      if (requestOrigin !== origin) {
        options.log.warn(`refused a WebSocket from origin ${requestOrigin || '(none)'}`);
        done(false, 403, 'Forbidden origin');
      } else if (!sameSecret(offered, token)) {
        options.log.warn('refused a WebSocket with a wrong or missing token');
        done(false, 401, 'Wrong or missing token');
      } else {
        done(true);
      }
    },
  });

  // dispatchCall hands over input parsed by that channel's own schema.
  const call = routeCall(options.connection, (channel, input) => options.backend.handle(channel, input as never));

  wss.on('connection', (socket: WebSocket) => {
    const unsubscribe = options.backend.subscribe((event, payload) => {
      send(socket, { type: 'event', event, payload });
    });
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
      void dispatchCall(channel, input, call).then((result) => send(socket, { type: 'result', id, result }));
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

async function serveStatic(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
  csp: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = normalize(join(root, relative));
  if (!file.startsWith(normalize(root) + sep)) {
    response.writeHead(403).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
