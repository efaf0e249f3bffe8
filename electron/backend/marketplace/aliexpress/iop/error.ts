import { DeskError } from '../../../../../shared/errors';
import type { ActOutcome } from '../../adapter';

/**
 * What a failed IOP call means for the seller and for exactly-once (design.md §6):
 *
 * - `config`: the gateway refused the app itself (signature, app key, clock, IP whitelist, API
 *   permission, API path). Not applied; nothing works until the seller fixes the app's settings.
 * - `token`: the access token was refused (IllegalAccessToken). Not applied; refresh once, then
 *   the seller signs in again.
 * - `rate_limited`: the gateway throttled the call before running it. Not applied; try again after
 *   `retryAfterMs`.
 * - `rejected`: the API ran and said no (business error, bad or missing parameter, `isv.*`).
 *   Definitely not applied, and never will be as sent.
 * - `unclear`: it may have been applied (5xx, UnknownRuntimeException, ISP/SYSTEM errors, a
 *   timeout, a connection dropped after sending, an unreadable answer): read before resending.
 * - `unreachable`: definitely not applied: nobody answered the connect, or (after a refused
 *   token) the call never got past the gateway and renewing the token did not get through.
 */
export type IopErrorKind = 'config' | 'token' | 'rate_limited' | 'rejected' | 'unclear' | 'unreachable';

/** The DeskError code each kind carries unless a more exact one applies (invalid_payload, payload_too_large). */
export const IOP_ERROR_CODE: Readonly<Record<IopErrorKind, string>> = {
  config: 'marketplace_config',
  token: 'credentials_rejected',
  rate_limited: 'rate_limited',
  rejected: 'marketplace_error',
  unclear: 'marketplace_error',
  unreachable: 'marketplace_unreachable',
};

export interface IopErrorInit {
  readonly kind: IopErrorKind;
  /** A sentence for the seller. */
  readonly message: string;
  /** The DeskError code; IOP_ERROR_CODE[kind] when absent. */
  readonly code?: string;
  /** The marketplace's own error code (`IllegalAccessToken`, `15`, `ORDER_NOT_EXIST`…), if it sent one. */
  readonly iopCode?: string | null;
  readonly subCode?: string | null;
  /** The marketplace's own words (msg / sub_msg / error_message), cleaned and cut to 300 characters. */
  readonly marketplaceMessage?: string | null;
  readonly requestId?: string | null;
  /** HTTP status of the answer; null when none came. */
  readonly status?: number | null;
  /** How long to wait before the next call (rate_limited only). */
  readonly retryAfterMs?: number | null;
}

/** A classified IOP failure: a DeskError (code + sentence) that also says what it means for a resend. */
export class IopError extends DeskError {
  readonly kind: IopErrorKind;
  readonly iopCode: string | null;
  readonly subCode: string | null;
  readonly marketplaceMessage: string | null;
  readonly requestId: string | null;
  readonly status: number | null;
  readonly retryAfterMs: number | null;

  constructor(init: IopErrorInit) {
    super(init.code ?? IOP_ERROR_CODE[init.kind], init.message);
    this.kind = init.kind;
    this.iopCode = init.iopCode ?? null;
    this.subCode = init.subCode ?? null;
    this.marketplaceMessage = init.marketplaceMessage ?? null;
    this.requestId = init.requestId ?? null;
    this.status = init.status ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

/** The seller-facing sentence when a refreshed token is refused too, or no refresh is possible. */
export const SIGN_IN_AGAIN = 'AliExpress refused the access token; sign in again in Settings.';

/** The adapter's outcome for an action that failed this way (never `applied`; `conflict` is the adapter's to tell). */
export function iopFailureOutcome(error: IopError): Exclude<ActOutcome, { kind: 'applied' | 'conflict' }> {
  const code = error.subCode ?? error.iopCode ?? error.code;
  switch (error.kind) {
    case 'rejected':
      return { kind: 'rejected', code, message: error.message };
    case 'unclear':
      return { kind: 'unknown', code, message: error.message };
    case 'config':
    case 'token':
    case 'rate_limited':
    case 'unreachable':
      return { kind: 'not_sent', code, message: error.message };
    default:
      return missingKind(error.kind);
  }
}

function missingKind(kind: never): never {
  throw new DeskError('internal', `Cancel Desk met an IOP error kind it does not handle (${String(kind)}).`);
}

/**
 * The marketplace's text made safe for one line of a sentence: control and bidi characters
 * and runs of white space become one space (it is logged and shown), cut to 300 characters.
 */
export function cleanMarketplaceText(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).replace(/[\p{Cc}\s\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu, ' ').trim();
  if (text === '') return null;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
