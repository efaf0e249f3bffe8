import { randomBytes } from 'node:crypto';

/**
 * Authorization codes and tokens (§3). A code is single-use and lives CODE_TTL_MS; an access
 * token lives `accessTtlMs`, a refresh token `refreshTtlMs`, both on platform time so that a test
 * advancing the clock sees them expire. `/auth/token/refresh` hands out a new access token and a
 * new refresh token with the old one's expiry (a refresh never extends the seller's consent); the
 * old access and refresh tokens stay valid until their own expiry, so a lost refresh answer does
 * not lock the connector out.
 */

/** The legacy docs say 2 minutes; the sandbox allows 10 (Q5). */
export const CODE_TTL_MS = 10 * 60_000;
export const DEFAULT_ACCESS_TTL_MS = 24 * 3_600_000;
export const DEFAULT_REFRESH_TTL_MS = 48 * 3_600_000;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomText(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHABET[byte % ALPHABET.length] ?? 'a';
  return text;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessExpiresAt: number;
  readonly refreshExpiresAt: number;
}

export class TokenStore {
  private readonly codes = new Map<string, number>();
  private readonly access = new Map<string, number>();
  private readonly refresh = new Map<string, number>();

  constructor(
    private readonly appKey: string,
    private readonly accessTtlMs: number,
    private readonly refreshTtlMs: number,
  ) {}

  /** A fresh authorization code (`3_<appkey>_<random>`, the shape seen in the wild). */
  issueCode(now: number): { code: string; expiresAt: number } {
    const code = `3_${this.appKey}_${randomText(28)}`;
    this.codes.set(code, now + CODE_TTL_MS);
    return { code, expiresAt: now + CODE_TTL_MS };
  }

  /** Spends a code: null when it is unknown, used or expired. */
  exchangeCode(code: string, now: number): IssuedTokens | null {
    const expiresAt = this.codes.get(code);
    if (expiresAt === undefined) return null;
    this.codes.delete(code);
    if (now >= expiresAt) return null;
    return this.issue(now, now + this.refreshTtlMs);
  }

  exchangeRefresh(refreshToken: string, now: number): IssuedTokens | null {
    const expiresAt = this.refresh.get(refreshToken);
    if (expiresAt === undefined || now >= expiresAt) return null;
    return this.issue(now, expiresAt);
  }

  /** True while `accessToken` is one the sandbox issued and it has not expired. */
  accessValid(accessToken: string, now: number): boolean {
    const expiresAt = this.access.get(accessToken);
    return expiresAt !== undefined && now < expiresAt;
  }

  private issue(now: number, refreshExpiresAt: number): IssuedTokens {
    const accessToken = `50000${randomText(65)}`;
    const refreshToken = `50001${randomText(65)}`;
    const accessExpiresAt = Math.min(now + this.accessTtlMs, refreshExpiresAt);
    this.access.set(accessToken, accessExpiresAt);
    this.refresh.set(refreshToken, refreshExpiresAt);
    return { accessToken, refreshToken, accessExpiresAt, refreshExpiresAt };
  }
}
