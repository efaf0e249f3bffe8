import type { Random } from '../../../shared/domain/random';
import type { Clock } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';

/**
 * HTTP to a marketplace that may be slow, flaky, rate-limited or gone: timeouts, retries with
 * exponential backoff and full jitter, Retry-After honoured, a token bucket and a bound on
 * requests in flight. Answers parsed JSON, or throws a DeskError that says what happened. Every
 * answer is read with a running cap (MAX_JSON_BYTES; a file, its caller's), whatever it declares.
 */
export interface HttpClientOptions {
  baseUrl: string;
  token: string;
  clock: Clock;
  timeoutMs?: number;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Longest Retry-After we wait for; longer ones count as a failure of this attempt. */
  maxRetryAfterMs?: number;
  requestsPerSecond?: number;
  burst?: number;
  maxInFlight?: number;
  /** Largest JSON answer read (counted while it streams in, whatever Content-Length says); default MAX_JSON_BYTES. */
  maxJsonBytes?: number;
  /** Randomness for the retry jitter: the real one at the edges, a seeded one in tests. */
  random: Random;
}

export interface HttpAnswer {
  status: number;
  /** Parsed JSON (null for an empty or a binary answer). */
  body: unknown;
  /** The raw bytes, for binary answers (images). */
  bytes: Buffer | null;
  headers: Headers;
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** A body sent as these bytes with this Content-Type (a photo), instead of `body` as JSON. */
  rawBody?: { readonly bytes: Buffer; readonly contentType: string };
  headers?: Record<string, string>;
  /** Whether the call may be repeated after an unclear failure (GETs, or POSTs with an idempotency key). */
  retry?: boolean;
  /** Statuses answered to the caller instead of thrown (e.g. 409 for a version conflict). */
  accept?: readonly number[];
  /** Read the answer as bytes (an image), not JSON; at most this many. */
  binaryMaxBytes?: number;
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** A page of 200 orders is a few hundred KiB; an answer this large is a broken or hostile marketplace. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** Waits on the injected clock. */
export function wait(clock: Clock, ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => clock.setTimer(ms, resolve));
}

/**
 * Full jitter: a uniform whole number of ms in [0, min(cap, base * 2^attempt)), one draw from
 * `random` per call.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: Random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Requests per second, with bursts, on the injected clock. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  /** Resolves when a token is taken; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await wait(this.clock, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
      }
    });
    this.queue = turn;
    return turn;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}

/** At most `limit` holders at once; the rest wait in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

export type Attempt = { kind: 'answer'; answer: HttpAnswer } | { kind: 'network'; detail: string; nobodyThere: boolean };

/**
 * Failures that say "nobody is there" rather than "the line is bad": retrying within the same
 * call would only make the seller wait; the caller's own schedule tries again later.
 */
export const NOBODY_THERE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'bad port']);

export class MarketplaceHttpClient {
  readonly baseUrl: string;
  private readonly bucket: TokenBucket;
  private readonly inFlight: Semaphore;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.bucket = new TokenBucket(options.clock, options.requestsPerSecond ?? 20, options.burst ?? 40);
    this.inFlight = new Semaphore(options.maxInFlight ?? 4);
  }

  /**
   * One attempt, never repeated (rate limit and bound on calls in flight still apply): for a call
   * whose repetition could apply twice. A network failure says whether the request surely never
   * reached the marketplace (nobody answered the connect) or may have.
   */
  async once(path: string, callOptions: Omit<CallOptions, 'retry'> = {}): Promise<Attempt> {
    return this.inFlight.run(async () => {
      await this.bucket.take();
      return this.attempt(path, callOptions);
    });
  }

  async call(path: string, callOptions: CallOptions = {}): Promise<HttpAnswer> {
    const maxAttempts = callOptions.retry === false ? 1 : (this.options.maxAttempts ?? 6);
    const what = `${callOptions.method ?? 'GET'} ${path.split('?')[0] ?? path}`;
    let lastProblem = '';
    let sawNetworkFailureLast = false;
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      if (attempt > 0) {
        await wait(this.options.clock, backoffDelay(attempt, this.options.retryBaseMs ?? 250, this.options.retryCapMs ?? 10_000, this.options.random));
      }
      const outcome = await this.inFlight.run(async () => {
        await this.bucket.take();
        return this.attempt(path, callOptions);
      });
      if (outcome.kind === 'network') {
        lastProblem = outcome.detail;
        sawNetworkFailureLast = true;
        if (NOBODY_THERE.has(outcome.detail)) break;
        continue;
      }
      sawNetworkFailureLast = false;
      const { answer } = outcome;
      if ((answer.status >= 200 && answer.status < 300) || callOptions.accept?.includes(answer.status)) return answer;
      const message = describeError(answer);
      if (answer.status === 401 || answer.status === 403) {
        // Retrying cannot help: the store waits for new credentials from the seller.
        throw new DeskError('credentials_rejected', `The marketplace refused the credentials (HTTP ${answer.status}${message}).`);
      }
      if (!RETRYABLE_STATUSES.has(answer.status)) {
        throw new DeskError('marketplace_error', `The marketplace refused ${what} (HTTP ${answer.status}${message}).`);
      }
      lastProblem = `HTTP ${answer.status}${message}`;
      const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), this.options.clock.now());
      if (retryAfter !== null && attempt + 1 < maxAttempts) {
        if (retryAfter > (this.options.maxRetryAfterMs ?? 60_000)) break;
        await wait(this.options.clock, retryAfter);
      }
    }
    if (sawNetworkFailureLast) {
      throw new DeskError('marketplace_unreachable', `The marketplace at ${this.baseUrl} did not answer ${what} (${lastProblem}).`);
    }
    throw new DeskError('marketplace_error', `The marketplace kept failing ${what} (${lastProblem}).`);
  }

  private async attempt(path: string, callOptions: CallOptions): Promise<Attempt> {
    const what = `${callOptions.method ?? 'GET'} ${path.split('?')[0] ?? path}`;
    let response: Response;
    let text = '';
    let bytes: Buffer | null = null;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: callOptions.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${this.options.token}`,
          Accept: 'application/json',
          ...(callOptions.rawBody !== undefined ? { 'Content-Type': callOptions.rawBody.contentType } : callOptions.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...callOptions.headers,
        },
        body: callOptions.rawBody !== undefined ? new Uint8Array(callOptions.rawBody.bytes) : callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      if (callOptions.binaryMaxBytes !== undefined && response.ok) {
        bytes = await readCapped(response, callOptions.binaryMaxBytes, what);
      } else {
        text = UTF8.decode(await readCapped(response, this.options.maxJsonBytes ?? MAX_JSON_BYTES, what));
      }
    } catch (error) {
      if (error instanceof DeskError) throw error;
      const detail = networkDetail(error);
      return { kind: 'network', detail, nobodyThere: NOBODY_THERE.has(detail) };
    }
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok) {
          throw new DeskError('invalid_payload', `The marketplace answered ${path.split('?')[0] ?? path} with something that is not JSON.`);
        }
      }
    }
    return { kind: 'answer', answer: { status: response.status, body, bytes, headers: response.headers } };
  }
}

const UTF8 = new TextDecoder('utf-8');

/** "16 MiB", "512 KiB", "900 bytes": a limit as a person reads it. */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function tooLarge(what: string, maxBytes: number): DeskError {
  return new DeskError('payload_too_large', `The marketplace's answer to ${what} is larger than ${sizeText(maxBytes)}; Cancel Desk stopped reading it.`);
}

/**
 * The body, at most `maxBytes` of it: a declared Content-Length over the limit is refused before
 * reading, and the bytes are counted as they stream in, so a chunked answer or one whose
 * Content-Length lies is cut off at the limit instead of being held whole in memory.
 */
export async function readCapped(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(what, maxBytes);
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stops the transfer: the connection is dropped, nothing more is read.
      await reader.cancel();
      throw tooLarge(what, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export function networkDetail(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = error.cause;
    if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
    return error.message;
  }
  return String(error);
}

function describeError(answer: HttpAnswer): string {
  const body = answer.body;
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = body.error;
    if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
      return `: ${error.message.slice(0, 300)}`;
    }
  }
  return '';
}
