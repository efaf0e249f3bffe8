import type { Clock } from '../../../../../shared/domain/time';
import { DeskError } from '../../../../../shared/errors';
import { MAX_JSON_BYTES, networkDetail, NOBODY_THERE, readCapped, Semaphore, TokenBucket, wait } from '../../http-client';
import { encodeIopRequest, type IopFile, type IopGateway, type IopParams } from './encode';
import { DEFAULT_RETRY_AFTER_MS, readIopAnswer, type IopAnswer } from './envelope';
import { IopError, SIGN_IN_AGAIN } from './error';

/** Where the client gets the seller's access token, and a new one when AliExpress refuses it. */
export interface IopTokenSource {
  accessToken(): Promise<string>;
  /** A renewed token; throws IopError kind 'token' (or 'rejected') when it cannot be renewed. */
  refresh(): Promise<string>;
}

export interface IopClientOptions {
  /** Gateway root, e.g. https://api-sg.aliexpress.com (no /sync or /rest). */
  baseUrl: string;
  appKey: string;
  appSecret: string;
  /** The `timestamp` param is this clock's now() when the request leaves (after the rate limit's wait). */
  clock: Clock;
  tokens: IopTokenSource;
  /** One attempt's limit, connect to last byte; default 30 s (Java's read timeout). */
  timeoutMs?: number;
  /** Ask /sync for the simplified shape (§4.2); default false. Both shapes are read either way. */
  simplify?: boolean;
  /** Sent as `partner_id`; default 'cancel-desk-1'. */
  partnerId?: string;
  /** Largest answer read, counted as it streams in; default MAX_JSON_BYTES (16 MiB). */
  maxJsonBytes?: number;
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Told when an answer shows something the protocol reference marks unconfirmed; for the caller's log. */
  onUnconfirmed?: (fact: string) => void;
  /** Calls per second (default 10), burst (default 10) and calls in flight (default 4): IOP_LIMITS. */
  requestsPerSecond?: number;
  burst?: number;
  maxInFlight?: number;
}

/**
 * AliExpress publishes no numbers for the seller APIs (Q11); its throttle answers "ban will last
 * 1 seconds" per API (§6). A desk working one seller's queue needs far less than this, and staying
 * under it keeps bulk actions from tripping per-second bans for the seller's other tools.
 */
export const IOP_LIMITS = { requestsPerSecond: 10, burst: 10, maxInFlight: 4 } as const;

export const IOP_DEFAULT_TIMEOUT_MS = 30_000;
export const IOP_DEFAULT_PARTNER_ID = 'cancel-desk-1';

export interface IopCallOptions {
  /** A file to send with the params (multipart); not signed. */
  file?: IopFile;
}

const UTF8 = new TextDecoder('utf-8');

/**
 * The IOP client: signs, sends ONE attempt, and reads the answer into a body or an IopError.
 * Nothing that could have been applied is repeated here; the one repeat is after IllegalAccessToken,
 * which the gateway answers before the API runs.
 */
export class IopClient {
  readonly baseUrl: string;
  private readonly bucket: TokenBucket;
  private readonly inFlight: Semaphore;
  private readonly fetchImpl: typeof fetch;
  /** Until when AliExpress banned this app's calls (ApiCallLimit: "this ban will last N seconds"). */
  private bannedUntil = 0;

  constructor(private readonly options: IopClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.bucket = new TokenBucket(options.clock, options.requestsPerSecond ?? IOP_LIMITS.requestsPerSecond, options.burst ?? IOP_LIMITS.burst);
    this.inFlight = new Semaphore(options.maxInFlight ?? IOP_LIMITS.maxInFlight);
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * A /sync business API (`aliexpress.issue.detail.get`): the body inside `<api>_response` (or the
   * root, simplified). Throws IopError; a refused token is refreshed once and the call repeated
   * once, and a second refusal is 'credentials_rejected' ("sign in again").
   */
  async call(method: string, params: IopParams, callOptions: IopCallOptions = {}): Promise<Readonly<Record<string, unknown>>> {
    const first = await this.attempt('sync', method, params, await this.options.tokens.accessToken(), callOptions.file);
    if (first.ok) return first.body;
    if (first.error.kind !== 'token') throw first.error;
    const renewed = await this.refreshAfter(first.error);
    const second = await this.attempt('sync', method, params, renewed, callOptions.file);
    if (second.ok) return second.body;
    if (second.error.kind === 'token') throw signInAgain(second.error);
    throw second.error;
  }

  /** A /rest system API (`/auth/token/create`, `/auth/token/refresh`): signed with the path, no token; the flat body. */
  async rest(path: string, params: IopParams): Promise<Readonly<Record<string, unknown>>> {
    const answer = await this.attempt('rest', path, params, null, undefined);
    if (answer.ok) return answer.body;
    throw answer.error;
  }

  private async refreshAfter(refused: IopError): Promise<string> {
    try {
      return await this.options.tokens.refresh();
    } catch (error) {
      if (!(error instanceof IopError)) throw error;
      if (error.kind === 'token' || error.kind === 'rejected') throw signInAgain(refused);
      if (error.kind === 'unclear') {
        // The refused call never ran; only the renewal's fate is unclear, and that is not this call's.
        throw new IopError({
          kind: 'unreachable',
          code: error.code,
          status: error.status,
          message: `AliExpress refused the access token and renewing it did not get through (${error.message}); the call was not applied.`,
        });
      }
      throw error;
    }
  }

  private attempt(gateway: IopGateway, api: string, params: IopParams, accessToken: string | null, file: IopFile | undefined): Promise<IopAnswer> {
    return this.inFlight.run(async () => {
      await this.bucket.take();
      // No call goes out during a ban AliExpress named: each would only extend it.
      const banLeft = this.bannedUntil - this.options.clock.now();
      if (banLeft > 0) await wait(this.options.clock, banLeft);
      const wire = encodeIopRequest({
        baseUrl: this.baseUrl,
        appKey: this.options.appKey,
        appSecret: this.options.appSecret,
        gateway,
        api,
        params,
        accessToken,
        timestampMs: this.options.clock.now(),
        simplify: this.options.simplify ?? false,
        partnerId: this.options.partnerId ?? IOP_DEFAULT_PARTNER_ID,
        ...(file === undefined ? {} : { file }),
      });
      let response: Response;
      try {
        response = await this.fetchImpl(wire.url, {
          method: 'POST',
          headers: wire.headers,
          body: wire.body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? IOP_DEFAULT_TIMEOUT_MS),
        });
      } catch (error) {
        return { ok: false, error: this.networkFailure(api, error) };
      }
      let text: string;
      try {
        text = UTF8.decode(await readCapped(response, this.options.maxJsonBytes ?? MAX_JSON_BYTES, api));
      } catch (error) {
        if (error instanceof DeskError) {
          // Too large: whatever it said, it said it after handling the call.
          return { ok: false, error: new IopError({ kind: 'unclear', code: error.code, status: response.status, message: `${error.message} It may have applied the call.` }) };
        }
        return { ok: false, error: this.networkFailure(api, error) };
      }
      const answer = readIopAnswer({
        gateway,
        api,
        status: response.status,
        text,
        retryAfter: response.headers.get('retry-after'),
        ...(this.options.onUnconfirmed === undefined ? {} : { onUnconfirmed: this.options.onUnconfirmed }),
      });
      if (!answer.ok && answer.error.kind === 'rate_limited') {
        this.bannedUntil = Math.max(this.bannedUntil, this.options.clock.now() + (answer.error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS));
      }
      return answer;
    });
  }

  /** Nobody at the connect: surely not sent. Anything later (timeout, reset, a cut answer): it may have been applied. */
  private networkFailure(api: string, error: unknown): IopError {
    const detail = networkDetail(error);
    if (NOBODY_THERE.has(detail)) {
      return new IopError({ kind: 'unreachable', message: `Nobody answered at ${this.baseUrl} (${detail}); ${api} was not sent.` });
    }
    return new IopError({ kind: 'unclear', code: 'marketplace_unreachable', message: `AliExpress did not answer ${api} (${detail}); it may have applied it.` });
  }
}

function signInAgain(refused: IopError): IopError {
  return new IopError({
    kind: 'token',
    iopCode: refused.iopCode,
    subCode: refused.subCode,
    marketplaceMessage: refused.marketplaceMessage,
    requestId: refused.requestId,
    status: refused.status,
    message: SIGN_IN_AGAIN,
  });
}
