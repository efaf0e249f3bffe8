import { z } from 'zod';
import type { Clock } from '../../../../shared/domain/time';
import { DeskError } from '../../../../shared/errors';
import { cleanMarketplaceText, IopError, type IopTokenSource } from '../../marketplace/aliexpress/iop';
import type { CredentialVault } from '../credentials';
import { readAliExpressCredentials, writeAliExpressCredentials, type AliExpressCredentials } from './credentials';
import type { TokenCall } from './token-call';

/** An access token this close to its end is renewed before it is used (a call must not die half-way). */
export const RENEW_BEFORE_MS = 10 * 60_000;

const PRINTABLE = /^[\x21-\x7e]+$/;
/** Epoch ms up to the year 275760 (what Date takes), as a JSON number or its digits. */
const MAX_MS = 8_640_000_000_000_000;
const WholeNumber = z.union([
  z.number().int().min(0).max(MAX_MS),
  z
    .string()
    .trim()
    .regex(/^\d{1,16}$/)
    .transform(Number)
    .pipe(z.number().int().max(MAX_MS)),
]);
/** Ids come as strings (§3.2), a Long may come bare: kept as text either way. */
const IdText = z.union([z.string().trim().min(1).max(256), z.number().int().min(0).transform(String)]);
const Token = z.string().trim().min(1).max(1_024).regex(PRINTABLE, 'must be printable characters without spaces');

/** The token answer's fields the desk reads (§3.2); the others (`locale`, `sp`, `havana_id`…) are left alone. */
const TokenAnswerSchema = z.object({
  access_token: Token,
  refresh_token: Token.nullish(),
  /** Access-token expiry, epoch ms. */
  expire_time: WholeNumber.nullish(),
  /** Refresh-token expiry, epoch ms. */
  refresh_token_valid_time: WholeNumber.nullish(),
  /** Remaining access-token life, seconds (used when expire_time is absent). */
  expires_in: WholeNumber.nullish(),
  refresh_expires_in: WholeNumber.nullish(),
  seller_id: IdText.nullish(),
  account: IdText.nullish(),
  user_nick: IdText.nullish(),
});

/** What one token answer gave. */
export interface TokenGrant {
  accessToken: string;
  /** Null when the answer carried none (a renewal keeps the one it had). */
  refreshToken: string | null;
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
  sellerId: string | null;
  account: string | null;
}

function codeText(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.trim();
  return null;
}

/** `expire_time` (epoch ms) when there, else now + `expires_in` seconds, else not told. */
function expiry(at: number | null | undefined, inSeconds: number | null | undefined, nowMs: number): number | null {
  if (at !== null && at !== undefined && at > 0) return at;
  if (inSeconds !== null && inSeconds !== undefined) return Math.min(MAX_MS, nowMs + inSeconds * 1000);
  return null;
}

/**
 * The grant in a token answer (protocol §3.2: numbers as JSON numbers or digit strings, `code`
 * "0" on success). `what` names the call in the sentences ("the sign-in", "the renewal of the
 * sign-in"). Throws DeskError: 'marketplace_error' when the answer says it failed, and
 * 'invalid_payload' when it does not read (no access token among them).
 */
export function readTokenAnswer(body: unknown, nowMs: number, what: string): TokenGrant {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DeskError('invalid_payload', `AliExpress answered ${what} with something that is not a token answer.`);
  }
  const record = body as Readonly<Record<string, unknown>>;
  const code = codeText(record.code);
  if (code !== null && code !== '' && code !== '0') {
    const said = cleanMarketplaceText(record.message) ?? cleanMarketplaceText(record.msg);
    throw new DeskError('marketplace_error', `AliExpress refused ${what} (${code.slice(0, 80)}${said === null ? '' : `: ${said}`}).`);
  }
  if (typeof record.access_token !== 'string' || record.access_token.trim() === '') {
    throw new DeskError('invalid_payload', `AliExpress answered ${what} without an access token, so Cancel Desk cannot act for the store.`);
  }
  const parsed = TokenAnswerSchema.safeParse(record);
  if (!parsed.success) {
    // The paths only: the values may be the tokens themselves.
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
    throw new DeskError('invalid_payload', `AliExpress answered ${what} with fields Cancel Desk cannot read (${fields}).`);
  }
  const answer = parsed.data;
  const refreshToken = answer.refresh_token ?? null;
  return {
    accessToken: answer.access_token,
    refreshToken,
    accessExpiresAt: expiry(answer.expire_time, answer.expires_in, nowMs),
    refreshExpiresAt: refreshToken === null ? null : expiry(answer.refresh_token_valid_time, answer.refresh_expires_in, nowMs),
    sellerId: answer.seller_id ?? null,
    account: answer.account ?? answer.user_nick ?? null,
  };
}

/** The credentials after a renewal: the new tokens, and what the answer left out kept as it was. */
export function renewedCredentials(previous: AliExpressCredentials, grant: TokenGrant): AliExpressCredentials {
  return {
    ...previous,
    accessToken: grant.accessToken,
    accessExpiresAt: grant.accessExpiresAt,
    refreshToken: grant.refreshToken ?? previous.refreshToken,
    refreshExpiresAt: grant.refreshToken === null ? previous.refreshExpiresAt : grant.refreshExpiresAt,
    sellerId: grant.sellerId ?? previous.sellerId,
    account: grant.account ?? previous.account,
  };
}

export interface AliExpressTokensOptions {
  storeId: string;
  /** The store's name for the sentences (it may be renamed); the id when absent. */
  storeName?: () => string;
  /** Where the store's credentials are kept; renewed tokens are kept there before they are used. */
  vault: CredentialVault;
  clock: Clock;
  tokenCall: TokenCall;
}

/**
 * A store's AliExpress tokens for the IOP client: the kept access token, renewed first when it
 * ends within RENEW_BEFORE_MS, and renewed on demand when AliExpress refuses it. One renewal at a
 * time: a refresh token may be single-use, so two renewals at once could each spend it and leave
 * the store signed out.
 *
 * What it throws is an IopError, so the adapter can tell that nothing was sent:
 * kind 'token' (DeskError code 'credentials_rejected') when the seller must sign in again.
 */
export class AliExpressTokens implements IopTokenSource {
  private renewal: Promise<string> | null = null;

  constructor(private readonly options: AliExpressTokensOptions) {}

  async accessToken(): Promise<string> {
    const credentials = this.credentials();
    const now = this.options.clock.now();
    const { accessToken, accessExpiresAt } = credentials;
    const stillValid = accessToken !== null && (accessExpiresAt === null || accessExpiresAt > now);
    const endsSoon = accessToken === null || (accessExpiresAt !== null && accessExpiresAt - now <= RENEW_BEFORE_MS);
    if (!endsSoon && accessToken !== null) return accessToken;
    if (!this.canRenew(credentials, now)) {
      // Renewal is over, but the token has a few minutes left: use them.
      if (stillValid) return accessToken;
      throw this.signInAgain();
    }
    try {
      return await this.refresh();
    } catch (error) {
      if (error instanceof IopError && error.kind === 'token') throw error;
      // A renewal that did not get through while the token still works: use it, and renew next time.
      if (stillValid) return accessToken;
      // Nothing was sent with a token the desk does not have: never "it may have been applied".
      throw notSent(error, this.storeName());
    }
  }

  /** A renewed access token, kept before it is answered; concurrent callers share one renewal. */
  refresh(): Promise<string> {
    if (this.renewal === null) {
      this.renewal = this.renew().finally(() => {
        this.renewal = null;
      });
    }
    return this.renewal;
  }

  private async renew(): Promise<string> {
    const credentials = this.credentials();
    const now = this.options.clock.now();
    if (!this.canRenew(credentials, now) || credentials.refreshToken === null) throw this.signInAgain();
    let body: Readonly<Record<string, unknown>>;
    try {
      body = await this.options.tokenCall('/auth/token/refresh', { refresh_token: credentials.refreshToken });
    } catch (error) {
      // AliExpress said no to the refresh token: only a new sign-in helps. Anything else (not
      // reached, throttled, the app's own settings) is told as it is.
      if (error instanceof IopError && (error.kind === 'token' || error.kind === 'rejected')) throw this.signInAgain();
      if (error instanceof DeskError && error.code === 'credentials_rejected') throw this.signInAgain();
      throw error;
    }
    let grant: TokenGrant;
    try {
      grant = readTokenAnswer(body, this.options.clock.now(), 'the renewal of the sign-in');
    } catch (error) {
      if (error instanceof DeskError && error.code === 'marketplace_error') throw this.signInAgain();
      // It may have renewed (and spent the old refresh token) all the same.
      throw new IopError({ kind: 'unclear', code: 'invalid_payload', message: error instanceof Error ? error.message : String(error) });
    }
    // The store may have signed in again while this renewal ran: that sign-in wins.
    const latest = readAliExpressCredentials(this.options.vault.get(this.options.storeId)) ?? credentials;
    if (latest.refreshToken !== credentials.refreshToken) {
      if (latest.accessToken !== null) return latest.accessToken;
      throw this.signInAgain();
    }
    await this.options.vault.set(this.options.storeId, writeAliExpressCredentials(renewedCredentials(latest, grant)));
    return grant.accessToken;
  }

  private credentials(): AliExpressCredentials {
    const credentials = readAliExpressCredentials(this.options.vault.get(this.options.storeId));
    if (credentials === null) throw this.signInAgain();
    return credentials;
  }

  private canRenew(credentials: AliExpressCredentials, now: number): boolean {
    return credentials.refreshToken !== null && (credentials.refreshExpiresAt === null || credentials.refreshExpiresAt > now);
  }

  private storeName(): string {
    return this.options.storeName?.() ?? this.options.storeId;
  }

  private signInAgain(): IopError {
    return new IopError({ kind: 'token', message: `AliExpress asks you to sign in again for ${this.storeName()}: the sign-in has expired.` });
  }
}

/** A failed renewal before a call, as "not sent" (the call never left without a token). */
function notSent(error: unknown, storeName: string): unknown {
  if (error instanceof IopError && error.kind !== 'unclear') return error;
  if (!(error instanceof DeskError)) return error;
  return new IopError({
    kind: 'unreachable',
    code: error instanceof IopError ? error.code : 'marketplace_unreachable',
    status: error instanceof IopError ? error.status : null,
    message: `Cancel Desk could not renew the AliExpress sign-in of ${storeName} (${error.message}); nothing was sent.`,
  });
}
