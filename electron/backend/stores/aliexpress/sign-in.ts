import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../../shared/domain/time';
import { DeskError } from '../../../../shared/errors';
import { cleanMarketplaceText } from '../../marketplace/aliexpress/iop';
import { silentLogger, type Logger } from '../../log';
import type { CredentialVault } from '../credentials';
import { pendingAliExpressCredentials, readAliExpressCredentials, writeAliExpressCredentials } from './credentials';
import type { TokenCallFactory } from './token-call';
import { readTokenAnswer } from './tokens';

/**
 * "Sign in with AliExpress" (protocol §3): the OAuth code flow with a loopback redirect (RFC 8252
 * §7.3). The seller's browser goes to AliExpress's authorize page with a fresh `state`; AliExpress
 * sends it back to `http://127.0.0.1:<port>/aliexpress/callback?code=…&state=…`, where this class
 * exchanges the code for tokens (`/auth/token/create`) and keeps them. When the app's registered
 * callback is not this address (AliExpress checks `redirect_uri`), the seller pastes the code, or
 * the whole address they landed on, instead (`complete`).
 *
 * The server listens only while a sign-in waits, on the loopback address only; a callback is
 * served only for a `state` this run handed out, not expired, and its code is never logged.
 */

export const CALLBACK_PATH = '/aliexpress/callback';
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 10 * 60_000;
const STATE_BYTES = 32;
const MAX_CODE_LENGTH = 1_024;

export const NOT_THE_ONE = 'This sign-in link is not the one Cancel Desk is waiting for; start the sign-in again from Settings.';

/** The store being signed in, as Settings knows it (its app secret stays in the vault). */
export interface SignInStore {
  id: string;
  name: string;
  /** The gateway root; the authorize page is at its origin (https://api-sg.aliexpress.com/oauth/authorize). */
  gatewayUrl: string;
  appKey: string;
}

export interface SignInStart {
  /** Where the seller's browser goes. */
  authorizeUrl: string;
  /** Where AliExpress sends the browser back (this run's loopback server). */
  redirectUri: string;
}

export interface AliExpressSignInOptions {
  clock: Clock;
  /** The token calls of a store's app (`iopTokenCall` for real). */
  tokenCall: TokenCallFactory;
  /** Where the store's app key and secret are, and where the new tokens are kept. */
  vault: CredentialVault;
  /** Default 127.0.0.1: never an address another machine can reach. */
  listenHost?: string;
  /** Default 0 (a free port each time the server starts). */
  port?: number;
  /** How long a sign-in waits for its callback or its pasted code; default 10 minutes. */
  timeoutMs?: number;
  /** Told once a store's tokens are kept. */
  onSignedIn: (storeId: string) => void | Promise<void>;
  log?: Logger;
  /** Randomness of the `state`; node:crypto's by default. */
  randomBytes?: (size: number) => Buffer;
}

interface Pending {
  readonly store: SignInStore;
  readonly state: string;
  readonly redirectUri: string;
  readonly expiresAt: number;
  readonly cancelTimer: () => void;
  /** The code being exchanged: a reloaded callback page waits for the same exchange. */
  exchange: Promise<SignedIn> | null;
}

interface SignedIn {
  account: string | null;
}

export class AliExpressSignIn {
  /** Waiting sign-ins by their state. */
  private readonly pending = new Map<string, Pending>();
  private server: Server | null = null;
  private listening: Promise<number> | null = null;
  /** begin() calls between asking for the server and recording their sign-in (the server must not stop under them). */
  private starting = 0;
  private closed = false;
  private readonly log: Logger;
  private readonly host: string;

  constructor(private readonly options: AliExpressSignInOptions) {
    this.log = options.log ?? silentLogger;
    this.host = options.listenHost ?? '127.0.0.1';
  }

  /** Starts a sign-in for the store (one at a time per store: a new one replaces the one waiting). */
  async begin(store: SignInStore): Promise<SignInStart> {
    if (this.closed) throw new DeskError('not_ready', 'Cancel Desk is closing; sign in after it starts again.');
    const authorizeBase = new URL(store.gatewayUrl).origin;
    this.starting += 1;
    let port: number;
    try {
      port = await this.ensureServer();
    } finally {
      this.starting -= 1;
    }
    this.dropStore(store.id);
    const state = (this.options.randomBytes ?? cryptoRandomBytes)(STATE_BYTES).toString('base64url');
    const hostInUrl = this.host.includes(':') ? `[${this.host}]` : this.host;
    const redirectUri = `http://${hostInUrl}:${port}${CALLBACK_PATH}`;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    const cancelTimer = this.options.clock.setTimer(timeoutMs, () => this.expire(state));
    this.pending.set(state, { store, state, redirectUri, expiresAt: this.options.clock.now() + timeoutMs, cancelTimer, exchange: null });
    const query = new URLSearchParams({ response_type: 'code', force_auth: 'true', redirect_uri: redirectUri, client_id: store.appKey, state });
    return { authorizeUrl: `${authorizeBase}/oauth/authorize?${query.toString()}`, redirectUri };
  }

  /**
   * The paste fallback: the code alone, or the whole address the browser landed on (its `state`
   * is then checked). Exchanges it for the store's sign-in waiting now and keeps the tokens.
   */
  async complete(storeId: string, pasted: string): Promise<{ account: string | null }> {
    const read = readPasted(pasted);
    const pending = this.pendingOf(storeId);
    if (pending === null) {
      throw new DeskError('sign_in_not_started', 'No AliExpress sign-in is waiting for this store (a sign-in waits 10 minutes); start the sign-in again from Settings.');
    }
    if (read.state !== null && read.state !== pending.state) throw new DeskError('invalid_input', NOT_THE_ONE);
    if (read.error !== null) {
      this.drop(pending);
      throw new DeskError('sign_in_refused', `AliExpress did not sign you in (${read.error}); start the sign-in again from Settings.`);
    }
    return this.exchange(pending, read.code);
  }

  /** Forgets the store's waiting sign-in (a callback for it is then refused). */
  cancel(storeId: string): void {
    this.dropStore(storeId);
    this.stopIfIdle();
  }

  /** Forgets every waiting sign-in and stops the server. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of [...this.pending.values()]) this.drop(pending);
    await this.stopServer(true);
  }

  /** Whether a sign-in of this store waits now. */
  isWaiting(storeId: string): boolean {
    return this.pendingOf(storeId) !== null;
  }

  // --- The waiting sign-ins ---

  private pendingOf(storeId: string): Pending | null {
    for (const pending of this.pending.values()) if (pending.store.id === storeId) return this.live(pending);
    return null;
  }

  private byState(state: string | null): Pending | null {
    if (state === null) return null;
    const pending = this.pending.get(state);
    return pending === undefined ? null : this.live(pending);
  }

  /** The sign-in if it has not expired (the timer may not have fired yet on a clock that jumped). */
  private live(pending: Pending): Pending | null {
    if (pending.expiresAt > this.options.clock.now()) return pending;
    this.expire(pending.state);
    return null;
  }

  private expire(state: string): void {
    const pending = this.pending.get(state);
    if (pending === undefined) return;
    this.log.info(`the AliExpress sign-in of store ${pending.store.id} expired before it was completed`);
    this.drop(pending);
    this.stopIfIdle();
  }

  private drop(pending: Pending): void {
    pending.cancelTimer();
    this.pending.delete(pending.state);
  }

  private dropStore(storeId: string): void {
    for (const pending of [...this.pending.values()]) if (pending.store.id === storeId) this.drop(pending);
  }

  // --- Exchanging a code ---

  private exchange(pending: Pending, code: string): Promise<SignedIn> {
    if (pending.exchange === null) {
      pending.exchange = this.exchangeCode(pending, code).then(
        (signedIn) => {
          this.drop(pending);
          this.stopIfIdle();
          return signedIn;
        },
        (error: unknown) => {
          // Still waiting: the seller may reload the page or paste the code again until it expires.
          pending.exchange = null;
          throw error;
        },
      );
    }
    return pending.exchange;
  }

  private async exchangeCode(pending: Pending, code: string): Promise<SignedIn> {
    const { store } = pending;
    const kept = readAliExpressCredentials(this.options.vault.get(store.id));
    if (kept === null) {
      throw new DeskError('credentials_missing', `The app key and secret of ${store.name} are no longer kept; remove the store and add it again.`);
    }
    const secrets = [code, kept.appSecret];
    let body: Readonly<Record<string, unknown>>;
    let grant: ReturnType<typeof readTokenAnswer>;
    try {
      const call = this.options.tokenCall({ gatewayUrl: store.gatewayUrl, appKey: kept.appKey, appSecret: kept.appSecret });
      body = await call('/auth/token/create', { code });
      grant = readTokenAnswer(body, this.options.clock.now(), 'the sign-in');
    } catch (error) {
      const shape = error instanceof DeskError ? { code: error.code, message: error.message } : { code: 'internal', message: 'Something went wrong inside Cancel Desk.' };
      const message = redact(shape.message, secrets);
      this.log.warn(`the AliExpress sign-in of store ${store.id} did not complete: ${message}${error instanceof DeskError ? '' : ` (${redact(String(error), secrets)})`}`);
      throw new DeskError(shape.code, `The sign-in to AliExpress did not complete: ${message}`);
    }
    if (kept.sellerId !== null && grant.sellerId !== null && grant.sellerId !== kept.sellerId) {
      // The store's queue and audit log are this seller's: another account's would mix with them.
      this.log.warn(`store ${store.id} was signed in to another AliExpress seller account; its credentials were not changed`);
      throw new DeskError(
        'other_seller',
        `You signed in to AliExpress as ${grant.account ?? 'another seller'}, but ${store.name} is another seller's store; sign in with that store's account, or add a store for this one.`,
      );
    }
    const next = {
      ...pendingAliExpressCredentials(kept),
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      accessExpiresAt: grant.accessExpiresAt,
      refreshExpiresAt: grant.refreshExpiresAt,
      sellerId: grant.sellerId,
      account: grant.account,
    };
    await this.options.vault.set(store.id, writeAliExpressCredentials(next));
    this.log.info(`store ${store.id} signed in to AliExpress`);
    try {
      await this.options.onSignedIn(store.id);
    } catch (error) {
      // The tokens are kept: the sign-in did happen.
      this.log.warn(`after store ${store.id} signed in to AliExpress: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { account: grant.account };
  }

  // --- The loopback server ---

  private ensureServer(): Promise<number> {
    if (this.listening === null) {
      const server = createServer((request, response) => {
        void this.serve(request, response);
      });
      this.server = server;
      this.listening = new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port ?? 0, this.host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }).catch((error: unknown) => {
        this.server = null;
        this.listening = null;
        throw new DeskError('sign_in_unavailable', `Cancel Desk could not wait for AliExpress on ${this.host} (${error instanceof Error ? error.message : String(error)}); paste the code instead, or try again.`);
      });
    }
    return this.listening;
  }

  private stopIfIdle(): void {
    if (this.pending.size === 0 && this.starting === 0) void this.stopServer(false);
  }

  private async stopServer(now: boolean): Promise<void> {
    const server = this.server;
    const listening = this.listening;
    this.server = null;
    this.listening = null;
    if (server === null || listening === null) return;
    try {
      await listening;
    } catch {
      return;
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // A callback page being answered finishes (Connection: close); idle keep-alives go now.
      if (now) server.closeAllConnections();
      else server.closeIdleConnections();
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://loopback.invalid');
      if (url.pathname !== CALLBACK_PATH) return page(response, 404, 'Not found', 'Cancel Desk has nothing at this address.');
      if (request.method !== 'GET') return page(response, 405, 'Not allowed', 'Cancel Desk only takes the address AliExpress sends your browser to.');
      const pending = this.byState(url.searchParams.get('state'));
      // The Host a browser sends for the redirect URI; anything else is a page of another site
      // reaching this port through a DNS name of its own (DNS rebinding).
      if (pending === null || request.headers.host !== new URL(pending.redirectUri).host) return page(response, 400, 'Not this sign-in', NOT_THE_ONE);
      const refused = url.searchParams.get('error');
      if (refused !== null) {
        this.drop(pending);
        this.stopIfIdle();
        const reason = cleanMarketplaceText(url.searchParams.get('error_description')) ?? cleanMarketplaceText(refused) ?? 'no reason given';
        this.log.warn(`AliExpress did not sign store ${pending.store.id} in (${reason})`);
        return page(response, 200, 'Not signed in', `AliExpress did not sign you in (${reason}). Start the sign-in again from Settings in Cancel Desk.`);
      }
      const code = readCode(url.searchParams.get('code'));
      if (code === null) return page(response, 400, 'No sign-in code', 'AliExpress sent your browser here without a sign-in code; start the sign-in again from Settings.');
      let signedIn: SignedIn;
      try {
        signedIn = await this.exchange(pending, code);
      } catch (error) {
        return page(response, 502, 'Not signed in', `${error instanceof DeskError ? error.message : 'The sign-in to AliExpress did not complete.'} Reload this page to try again, or start the sign-in again from Settings.`);
      }
      const account = signedIn.account === null ? '' : ` as ${cleanMarketplaceText(signedIn.account) ?? signedIn.account}`;
      return page(response, 200, 'Signed in', `Signed in to AliExpress${account}. You can close this tab and go back to Cancel Desk.`);
    } catch (error) {
      this.log.error(`the AliExpress sign-in page failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) page(response, 500, 'Something went wrong', 'Cancel Desk could not finish the sign-in; start it again from Settings.');
    }
  }
}

/** What a seller pasted: a code, or an address (or its query) with `code`, `state` or `error`. */
function readPasted(pasted: string): { code: string; state: string | null; error: string | null } {
  const text = pasted.trim();
  const address = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  const query = address ? safeQuery(text) : /(^|[?&])(code|state|error)=/.test(text) ? new URLSearchParams(text.replace(/^\?/, '')) : null;
  if (address && query === null) throw new DeskError('invalid_input', 'This address cannot be read; paste the whole address AliExpress sent you to, or only the code.');
  if (query === null) {
    const code = readCode(text);
    if (code === null) throw new DeskError('invalid_input', 'Paste the code AliExpress showed, or the whole address your browser landed on.');
    return { code, state: null, error: null };
  }
  const state = query.get('state');
  const error = query.get('error');
  if (error !== null) return { code: '', state, error: cleanMarketplaceText(query.get('error_description')) ?? cleanMarketplaceText(error) ?? 'no reason given' };
  const code = readCode(query.get('code'));
  if (code === null) throw new DeskError('invalid_input', 'This address has no sign-in code in it; paste the whole address AliExpress sent you to, or only the code.');
  return { code, state, error: null };
}

function safeQuery(text: string): URLSearchParams | null {
  try {
    return new URL(text).searchParams;
  } catch {
    return null;
  }
}

/** A code as AliExpress issues them (`3_513774_b38kGp17…`, §3.1): printable, no spaces, bounded. */
function readCode(value: string | null): string | null {
  if (value === null) return null;
  const code = value.trim();
  return code.length > 0 && code.length <= MAX_CODE_LENGTH && /^[\x21-\x7e]+$/.test(code) ? code : null;
}

/** The text with every secret in it replaced (an error may quote what was sent). */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length >= 4).reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** A small page with no script, style or link: nothing on it can run or reach anywhere. */
function page(response: ServerResponse, status: number, title: string, sentence: string): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cancel Desk: ${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(sentence)}</p></body></html>`;
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The address holds the code: no page may learn it as a referrer.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  response.end(body);
}
