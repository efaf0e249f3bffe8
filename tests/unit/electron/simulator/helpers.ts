import type { Simulator } from '../../../../electron/simulator/server';

/** A fixed "now" for simulator tests: 2026-11-26T09:00:00.000Z. */
export const START_MS = Date.UTC(2026, 10, 26, 9, 0, 0);

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/** Calls the simulator with its marketplace token (or `token`, or none when null). */
export async function call(
  sim: Simulator,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  const token = init.token === undefined ? sim.token : init.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const response = await fetch(`${sim.url}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown), headers: response.headers };
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly [key: string]: unknown };
}

export function errorOf(answer: JsonAnswer): ErrorBody['error'] {
  return (answer.body as ErrorBody).error;
}

/** POSTs a seller action with an Idempotency-Key (null: without the header). */
export function act(
  sim: Simulator,
  requestId: string,
  action: string,
  body: unknown,
  key: string | null,
): Promise<JsonAnswer> {
  return call(sim, `/v1/requests/${requestId}/${action}`, {
    method: 'POST',
    body,
    headers: key === null ? {} : { 'Idempotency-Key': key },
  });
}

/** Calls an admin endpoint with the admin token. */
export function admin(sim: Simulator, path: string, body?: unknown): Promise<JsonAnswer> {
  return call(sim, path, { method: body === undefined ? 'GET' : 'POST', body, token: sim.adminToken });
}
