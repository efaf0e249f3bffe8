import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createRendererHandler, SECURITY_HEADERS, type FetchFile } from '../../../../electron/main/app-scheme';

const SECRET = 'the seller’s marketplace token';

interface Served {
  status: number;
  headers: Headers;
  text: string;
}

let base = '';
let rendererDir = '';
/** Every file URL the handler handed to fetchFile, in order. */
const fetched: string[] = [];
const readFromDisk: FetchFile = async (fileUrl) => {
  fetched.push(fileUrl);
  return new Response(await readFile(fileURLToPath(fileUrl)));
};

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'desk-scheme-'));
  rendererDir = join(base, 'renderer');
  await mkdir(join(rendererDir, 'assets', 'nested'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<div id="app"></div>');
  await writeFile(join(rendererDir, 'assets', 'index-abc.js'), 'export {};');
  await writeFile(join(rendererDir, 'assets', 'index-abc.css'), 'body {}');
  // Beside the renderer folder, and in a folder whose name starts like it.
  await writeFile(join(base, 'secret.txt'), SECRET);
  await mkdir(join(base, 'renderer-other'));
  await writeFile(join(base, 'renderer-other', 'secret.txt'), SECRET);
});

async function serve(url: string, init: RequestInit = {}, fetchFile: FetchFile = readFromDisk): Promise<Served> {
  const response = await createRendererHandler(rendererDir, fetchFile)(new Request(url, init));
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Serves a URL and tells whether fetchFile was asked for anything meanwhile. */
async function serveAndWatch(url: string): Promise<Served & { fetched: string[] }> {
  const before = fetched.length;
  const served = await serve(url);
  return { ...served, fetched: fetched.slice(before) };
}

function expectSecurityHeaders(served: Served, url: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(served.headers.get(name), `${name} on ${url} (${served.status})`).toBe(value);
}

describe('the app:// handler', () => {
  it('serves index.html for / and the renderer’s files, scripts typed as JavaScript', async () => {
    const root = await serve('app://desk/');
    expect(root.status).toBe(200);
    expect(root.text).toBe('<div id="app"></div>');
    expect((await serve('app://desk/index.html')).text).toBe('<div id="app"></div>');
    const script = await serve('app://desk/assets/index-abc.js?v=1#x');
    expect(script.status).toBe(200);
    expect(script.headers.get('Content-Type')).toBe('text/javascript');
    expect(script.text).toBe('export {};');
    expect((await serve('app://desk/assets/index-abc.css')).text).toBe('body {}');
  });

  it.each([
    // The URL parser already folds these (Chromium does too): what is left is looked up inside.
    ['app://desk/../secret.txt', 404],
    ['app://desk/%2e%2e/secret.txt', 404],
    ['app://desk/.%2E/secret.txt', 404],
    // Encoded separators survive the parser: the handler must refuse them itself.
    ['app://desk/..%2fsecret.txt', 403],
    ['app://desk/assets/..%2F..%2Fsecret.txt', 403],
    ['app://desk/%2e%2e%2fsecret.txt', 403],
    ['app://desk/..%5csecret.txt', 403],
    ['app://desk/assets%5c..%5c..%5csecret.txt', 403],
    ['app://desk/..%2frenderer-other%2fsecret.txt', 403],
    ['app://desk/assets/%2e/index-abc.js', 200],
    // Absolute paths, Windows drives and shares.
    ['app://desk//etc/passwd', 403],
    ['app://desk/%2Fetc%2Fpasswd', 403],
    ['app://desk/C:/Windows/win.ini', 403],
    ['app://desk/C%3A%5CWindows%5Cwin.ini', 403],
    ['app://desk/%5C%5Cserver%5Cshare%5Cfile', 403],
    ['app://desk/index.html:stream', 403],
    // NUL, which cuts a path short below JavaScript.
    ['app://desk/index.html%00.png', 403],
    ['app://desk/%00', 403],
  ])('keeps %s inside the renderer folder (answers %i)', async (url, status) => {
    const served = await serveAndWatch(url);
    expect(served.status).toBe(status);
    expect(served.text).not.toContain(SECRET);
    for (const file of served.fetched) expect(fileURLToPath(file).startsWith(join(rendererDir, 'assets', 'index-'))).toBe(true);
    if (status !== 200) expect(served.fetched, 'nothing is fetched for a refused path').toEqual([]);
    expectSecurityHeaders(served, url);
  });

  it('keeps the absolute path of a file outside the folder outside', async () => {
    const served = await serveAndWatch(`app://desk/${encodeURIComponent(join(base, 'secret.txt'))}`);
    expect(served.status).toBe(403);
    expect(served.fetched).toEqual([]);
  });

  it.each(['app://desk/%', 'app://desk/%zz', 'app://desk/assets/%E0%A4%A', 'app://desk/%C3%28'])('answers 400 to the malformed escape in %s, instead of throwing', async (url) => {
    const served = await serveAndWatch(url);
    expect(served.status).toBe(400);
    expect(served.fetched).toEqual([]);
    expectSecurityHeaders(served, url);
  });

  it('answers 404 to a missing file without fetching it', async () => {
    const served = await serveAndWatch('app://desk/assets/missing.js');
    expect(served.status).toBe(404);
    expect(served.fetched).toEqual([]);
    expectSecurityHeaders(served, 'missing');
  });

  it.each(['app://desk/assets', 'app://desk/assets/', 'app://desk/assets/nested'])('refuses the folder %s, never handing it to fetchFile', async (url) => {
    const served = await serveAndWatch(url);
    expect(served.status).toBe(403);
    expect(served.fetched).toEqual([]);
    expectSecurityHeaders(served, url);
  });

  it.each(['app://evil/index.html', 'app://desk.evil/index.html', 'app://desk:8080/index.html', 'https://desk/index.html'])('refuses %s: another origin than app://desk', async (url) => {
    const served = await serveAndWatch(url);
    expect(served.status).toBe(403);
    expect(served.fetched).toEqual([]);
    expectSecurityHeaders(served, url);
  });

  it('answers only GET and HEAD', async () => {
    const served = await serve('app://desk/index.html', { method: 'POST', body: 'x' });
    expect(served.status).toBe(405);
    expectSecurityHeaders(served, 'POST');
    expect((await serve('app://desk/index.html', { method: 'HEAD' })).status).toBe(200);
  });

  it('puts its own security headers over whatever the file answer carried', async () => {
    const lax: FetchFile = () => Promise.resolve(new Response('<p>', { headers: { 'Content-Security-Policy': "default-src *; script-src 'unsafe-inline'", 'X-Content-Type-Options': 'sniff' } }));
    const served = await serve('app://desk/index.html', {}, lax);
    expect(served.status).toBe(200);
    expectSecurityHeaders(served, 'a lax file answer');
  });

  it('answers 500 with the headers when the file cannot be read', async () => {
    const failing: FetchFile = () => Promise.reject(new Error('net::ERR_ACCESS_DENIED'));
    const served = await serve('app://desk/index.html', {}, failing);
    expect(served.status).toBe(500);
    expectSecurityHeaders(served, 'a failed read');
  });

  it('sends a CSP with no inline script, no plugins, no framing and no foreign origin', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }));
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:/);
  });
});
