/**
 * The app:// scheme the renderer is served from (never file://): its origin, the headers of every
 * answer, and the handler that maps a URL to a file of the built renderer and to nothing else.
 * No import of 'electron', so the handler is tested as it is; protocol.ts installs it.
 */
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
/** The app's own origin: the only one allowed to call the backend. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Sent with every answer of the scheme, refusals and errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Reads a file:// URL: Electron's net.fetch in the app. */
export type FetchFile = (fileUrl: string) => Promise<Response>;

type RendererPath = { kind: 'file'; segments: string[] } | { kind: 'malformed' } | { kind: 'forbidden' };

/**
 * A segment that names an entry of its folder, and only that, on every OS: no `.`/`..`, no
 * separator of either kind (they may arrive percent-encoded), no drive or stream colon, no
 * control character (NUL cuts a path short in C).
 */
function isPlainSegment(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..') return false;
  for (const char of segment) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || char === '/' || char === '\\' || char === ':') return false;
  }
  return true;
}

/** The URL path as segments below the renderer folder; each segment is decoded on its own. */
function rendererPath(pathname: string): RendererPath {
  if (pathname === '/' || pathname === '') return { kind: 'file', segments: ['index.html'] };
  let segments: string[];
  try {
    segments = pathname.slice(1).split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    // A `%` not followed by two hex digits, or bytes that are not UTF-8.
    return { kind: 'malformed' };
  }
  return segments.every(isPlainSegment) ? { kind: 'file', segments } : { kind: 'forbidden' };
}

function answer(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The handler of app://desk/: a file of `rendererDir` (`/` is index.html), with the security
 * headers. Refuses (403) another host, any path that would leave the folder, and a folder;
 * a malformed escape is 400, a missing file 404. Only a regular file inside the folder reaches
 * `fetchFile`.
 */
export function createRendererHandler(rendererDir: string, fetchFile: FetchFile): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'Method not allowed');
      const url = new URL(request.url);
      if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return answer(403, 'Forbidden');
      const path = rendererPath(url.pathname);
      if (path.kind === 'malformed') return answer(400, 'Bad request');
      if (path.kind === 'forbidden') return answer(403, 'Forbidden');
      const file = join(root, ...path.segments);
      // Plain segments cannot leave the folder; checked again so that no future edit can.
      if (!file.startsWith(root + sep)) return answer(403, 'Forbidden');
      let isFile: boolean;
      try {
        isFile = (await stat(file)).isFile();
      } catch {
        return answer(404, 'Not found');
      }
      if (!isFile) return answer(403, 'Forbidden');
      const response = await fetchFile(pathToFileURL(file).href);
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
      // Module scripts are refused under nosniff unless their type says JavaScript.
      if (extname(file) === '.js') headers.set('Content-Type', 'text/javascript');
      return new Response(response.body, { status: response.status, headers });
    } catch {
      return answer(500, 'The file could not be read');
    }
  };
}
