import { createDeskApi, type DeskApi } from '../../../shared/ipc/api';
import type { Result } from '../../../shared/ipc/result';
import { createHostTransport } from './host-transport';

const TOKEN_KEY = 'cancel-desk.host-token';

/**
 * The one way the renderer reaches the backend: the preload's `window.desk` in Electron, or the
 * same API built over the browser host's WebSocket.
 */
function resolveDesk(): DeskApi {
  if (window.desk !== undefined) return window.desk;
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token') ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  sessionStorage.setItem(TOKEN_KEY, token);
  if (url.searchParams.has('token')) {
    // Keep the token out of the address bar and history once it is read.
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url);
  }
  const wsUrl = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}/ipc?token=${encodeURIComponent(token)}`;
  return createDeskApi(createHostTransport(wsUrl));
}

let desk: DeskApi | null = null;

export function getDesk(): DeskApi {
  desk ??= resolveDesk();
  return desk;
}

/** For tests: use this API instead of the real one. */
export function setDesk(api: DeskApi): void {
  desk = api;
}

/** Thrown by `unwrap` for an `{ ok: false }` answer; carries the backend's code. */
export class DeskCallError extends Error {
  override readonly name = 'DeskCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new DeskCallError(result.error.code, result.error.message);
}
