import { createHmac } from 'node:crypto';
import { createManualClock, type ManualClock } from '../../../../../electron/simulator/clock';
import {
  createAliExpressSandbox,
  type AliExpressSandbox,
  type AliExpressSandboxOptions,
} from '../../../../../electron/simulator/aliexpress/server';

/**
 * A client for the sandbox written from the protocol reference alone (§1.2, §2): its own
 * signer, so that the sandbox's verifier is checked against an independent implementation.
 */

/** 2026-11-26T17:00:00Z (09:00 in Los Angeles, PST). */
export const START_MS = Date.UTC(2026, 10, 26, 17, 0, 0);
export const APP_KEY = '12345678';
export const SECRET = 'helloworld';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** HMAC-SHA256, upper-case hex. */
export function hmacUpper(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
}

/** The documented signature: prefix + sorted key/value pairs (empty values dropped unless `keepEmpty`). */
export function signParams(params: Readonly<Record<string, string>>, prefix = '', options: { secret?: string; keepEmpty?: boolean } = {}): string {
  const keys = Object.keys(params)
    .filter((key) => key !== 'sign' && (options.keepEmpty === true || params[key] !== ''))
    .sort();
  return hmacUpper(options.secret ?? SECRET, prefix + keys.map((key) => `${key}${params[key] ?? ''}`).join(''));
}

export interface Started {
  readonly sandbox: AliExpressSandbox;
  readonly clock: ManualClock;
}

export async function start(options: Partial<AliExpressSandboxOptions> = {}, startMs = START_MS): Promise<Started> {
  const clock = createManualClock(startMs);
  const sandbox = await createAliExpressSandbox({ seed: 42, orders: 30, clock, appKey: APP_KEY, appSecret: SECRET, ...options });
  return { sandbox, clock };
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: Record<string, unknown>;
  readonly headers: Headers;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: response.status, text, json, headers: response.headers };
}

export type Style = 'java' | 'python' | 'get' | 'php';

export interface CallOptions {
  readonly token?: string | null;
  /** `session` (default on /sync) or `access_token`. */
  readonly tokenParam?: 'session' | 'access_token';
  readonly simplify?: boolean;
  readonly style?: Style;
  readonly timestamp?: string;
  /** Overrides or extra system params (after signing unless `signAfter`). */
  readonly extra?: Readonly<Record<string, string>>;
  /** Replace the computed sign. */
  readonly sign?: string;
  readonly prefix?: string;
  readonly keepEmpty?: boolean;
  readonly file?: { name: string; filename: string; type: string; bytes: Uint8Array };
}

function systemParams(started: Started, method: string | null, options: CallOptions): Record<string, string> {
  const params: Record<string, string> = {
    app_key: started.sandbox.appKey,
    timestamp: options.timestamp ?? String(started.clock.now()),
    sign_method: 'sha256',
    ...(method === null ? {} : { method }),
  };
  const token = options.token;
  if (token !== undefined && token !== null) params[options.tokenParam ?? 'session'] = token;
  if (options.simplify === true) params.simplify = 'true';
  return { ...params, ...options.extra };
}

function multipart(fields: Readonly<Record<string, string>>, file: CallOptions['file']): { body: Buffer; type: string } {
  const boundary = '-------------' + 'a1b2c3d4e5';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
  }
  if (file !== undefined) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`, 'utf8'));
    chunks.push(Buffer.from(file.bytes));
    chunks.push(Buffer.from('\r\n', 'utf8'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** Sends params the way one SDK does: Java (sys in query with method twice, form body), Python (all in body), PHP (sys in query, multipart body), GET. */
async function send(url: string, system: Record<string, string>, business: Record<string, string>, options: CallOptions, prefix: string): Promise<Answer> {
  const all = { ...system, ...business };
  const sign = options.sign ?? signParams(all, options.prefix ?? prefix, { keepEmpty: options.keepEmpty ?? false });
  const style: Style = options.file !== undefined ? (options.style === 'python' ? 'python' : 'php') : (options.style ?? 'java');
  const signed = { ...system, sign };
  switch (style) {
    case 'java': {
      const query = new URLSearchParams(signed);
      const head = system.method === undefined ? '' : `method=${encodeURIComponent(system.method)}&`;
      return answerOf(await fetch(`${url}?${head}${query.toString()}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(business).toString(),
      }));
    }
    case 'python': {
      if (options.file !== undefined) {
        const { body, type } = multipart({ ...signed, ...business }, options.file);
        return answerOf(await fetch(url, { method: 'POST', headers: { 'Content-Type': type }, body }));
      }
      return answerOf(await fetch(url, { method: 'POST', body: new URLSearchParams({ ...signed, ...business }) }));
    }
    case 'php': {
      const { body, type } = multipart(business, options.file);
      return answerOf(await fetch(`${url}?${new URLSearchParams(signed).toString()}`, { method: 'POST', headers: { 'Content-Type': type }, body }));
    }
    case 'get':
      return answerOf(await fetch(`${url}?${new URLSearchParams({ ...signed, ...business }).toString()}`));
  }
}

/** A TOP call on /sync. */
export function callSync(started: Started, method: string, business: Record<string, string>, options: CallOptions = {}): Promise<Answer> {
  return send(`${started.sandbox.url}/sync`, systemParams(started, method, options), business, options, '');
}

/** A GOP call on /rest: the path in the URL (Java) or in `method` (Python, `viaMethod`). */
export function callRest(started: Started, path: string, business: Record<string, string>, options: CallOptions & { viaMethod?: boolean } = {}): Promise<Answer> {
  const viaMethod = options.viaMethod === true;
  const system = systemParams(started, viaMethod ? path : null, { ...options, tokenParam: options.tokenParam ?? 'access_token' });
  return send(`${started.sandbox.url}/rest${viaMethod ? '' : path}`, system, business, { style: 'python', ...options }, path);
}

/** Authorizes through the admin shortcut and /auth/token/create; returns the token answer. */
export async function authorize(started: Started): Promise<{ access_token: string; refresh_token: string; [key: string]: unknown }> {
  const code = started.sandbox.issueCode();
  const answer = await callRest(started, '/auth/token/create', { code });
  return answer.json as { access_token: string; refresh_token: string };
}

/** Admin API call. */
export async function admin(started: Started, path: string, body?: unknown, token = started.sandbox.adminToken): Promise<Answer> {
  return answerOf(
    await fetch(`${started.sandbox.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
  );
}

/** The `error_response` of a /sync answer. */
export function errorOf(answer: Answer): Record<string, unknown> {
  return (answer.json.error_response ?? {}) as Record<string, unknown>;
}

/** The wrapped body of a /sync answer (`<api>_response`). */
export function bodyOf(answer: Answer, api: string): Record<string, unknown> {
  return (answer.json[`${api.replace(/[./]/g, '_')}_response`] ?? {}) as Record<string, unknown>;
}
