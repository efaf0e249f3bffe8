import { DeskError } from '../../../../../shared/errors';
import type { IopGateway } from './encode';
import { cleanMarketplaceText, IopError, type IopErrorKind } from './error';
import { parseIopJson } from './json';

/**
 * Reading an IOP answer (protocol §4): the success body, unwrapped, or an IopError that says what
 * the failure means. Both /sync shapes are read whatever `simplify` asked for (the simplified bytes
 * are unconfirmed, Q4): `{"<api>_response": {…, "request_id"}}` and the fields at the root.
 * Errors come as `error_response` (TOP: `code` a string, or a number with `sub_code`), as the flat
 * GOP `{type, code, message}`, inside `result` (`success: false`, `target: false`), or as a bare
 * HTTP status. Log-free: the caller logs.
 */

export type IopAnswer =
  | { readonly ok: true; readonly body: Readonly<Record<string, unknown>>; readonly requestId: string | null }
  | { readonly ok: false; readonly error: IopError };

export interface IopAnswerInput {
  readonly gateway: IopGateway;
  /** The API name or path called (for the wrapper key and the sentences). */
  readonly api: string;
  readonly status: number;
  /** The answer's text (already capped by the reader). */
  readonly text: string;
  /** The Retry-After header, if any. */
  readonly retryAfter?: string | null;
  /** Told when the answer shows something the reference marks unconfirmed (Q4, Q6, Q11…), for the caller's log. */
  readonly onUnconfirmed?: (fact: string) => void;
}

/** The gateway refused the app's own settings; the sentence says what the seller checks. */
const CONFIG_ADVICE: Readonly<Record<string, string>> = {
  IncompleteSignature: 'check that the App Secret in Settings is the one the AliExpress developer console shows for this app',
  InvalidAppKey: 'check the App Key in Settings against the AliExpress developer console',
  AppKeyNotExist: 'check the App Key in Settings against the AliExpress developer console',
  InvalidTimestamp: "check that this computer's clock and time zone are right",
  AppWhiteIpLimit: "add this computer's public IP address to the app's IP whitelist in the AliExpress developer console",
  InsufficientPermission: 'ask for permission to use this API for the app in the AliExpress developer console',
  InvalidApiPath: 'check the gateway address in Settings (https://api-sg.aliexpress.com)',
};

const RATE_LIMIT_CODES = new Set(['ApiCallLimit', 'AppCallLimit', '7']);
const REJECTED_CODES = new Set(['MissingParameter', 'InvalidParameter']);
const UNCLEAR_CODES = new Set(['UnknownRuntimeException']);

/** The gateway's ban length ("… this ban will last 1 seconds", §4.4); 1 s when it says none. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/** `<api>_response`: the /sync wrapper key (`aliexpress.issue.detail.get` → `aliexpress_issue_detail_get_response`). */
export function wrapperKey(api: string): string {
  return `${api.replace(/[./]/g, '_')}_response`;
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A code, as text: TOP sends `15` as a number, GOP `"IllegalAccessToken"` as a string. */
function codeText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

interface WireError {
  readonly shape: 'error_response' | 'flat';
  readonly type: string | null;
  readonly code: string | null;
  readonly subCode: string | null;
  readonly message: string | null;
  /** msg and sub_msg both, uncut: the ban length may be in either. */
  readonly texts: readonly string[];
  readonly requestId: string | null;
}

/** The error envelope in `root`, if it is one. */
function wireError(root: JsonObject, gateway: IopGateway): WireError | null {
  const top = root.error_response;
  if (isObject(top)) {
    return {
      shape: 'error_response',
      type: codeText(top.type),
      code: codeText(top.code),
      subCode: codeText(top.sub_code),
      message: cleanMarketplaceText(top.sub_msg) ?? cleanMarketplaceText(top.msg) ?? cleanMarketplaceText(top.message),
      texts: [top.msg, top.sub_msg, top.message].filter((text): text is string => typeof text === 'string'),
      requestId: codeText(top.request_id),
    };
  }
  const code = codeText(root.code);
  // GOP success is `code` absent, "" or "0" (Java IopResponse.isSuccess). On /sync a root `code`
  // could be a simplified body's own field, so it is an error only next to `type` or `message`.
  if (code === null || code === '0') return null;
  if (gateway === 'sync' && typeof root.type !== 'string' && typeof root.message !== 'string') return null;
  return {
    shape: 'flat',
    type: codeText(root.type),
    code,
    subCode: codeText(root.sub_code),
    message: cleanMarketplaceText(root.message) ?? cleanMarketplaceText(root.msg),
    texts: [root.message, root.msg].filter((text): text is string => typeof text === 'string'),
    requestId: codeText(root.request_id),
  };
}

function banMs(texts: readonly string[], retryAfter: string | null | undefined): number {
  for (const text of texts) {
    const seconds = /ban will last (\d{1,6}) seconds?/i.exec(text)?.[1];
    if (seconds !== undefined) return Number(seconds) * 1000;
  }
  const header = retryAfter?.trim();
  if (header !== undefined && /^\d{1,6}$/.test(header)) return Number(header) * 1000;
  return DEFAULT_RETRY_AFTER_MS;
}

function kindOf(error: WireError): { kind: IopErrorKind; known: boolean } {
  const code = error.code ?? '';
  const sub = error.subCode ?? '';
  // The PHP SDK recognises a refused token by its message alone.
  if (code === 'IllegalAccessToken' || /access token is invalid/i.test(error.message ?? '')) return { kind: 'token', known: true };
  if (Object.hasOwn(CONFIG_ADVICE, code)) return { kind: 'config', known: true };
  if (RATE_LIMIT_CODES.has(code) || sub.startsWith('accesscontrol.limited')) return { kind: 'rate_limited', known: true };
  if (REJECTED_CODES.has(code) || sub.startsWith('isv.')) return { kind: 'rejected', known: true };
  if (UNCLEAR_CODES.has(code) || sub.startsWith('isp.') || error.type === 'ISP' || error.type === 'SYSTEM') return { kind: 'unclear', known: true };
  // "ISV" is the caller's own mistake: the API refused it before doing anything.
  if (error.type === 'ISV') return { kind: 'rejected', known: false };
  return { kind: 'unclear', known: false };
}

function errorFromWire(error: WireError, input: IopAnswerInput): IopError {
  const { kind, known } = kindOf(error);
  const codes = [error.code, error.subCode].filter((part): part is string => part !== null).join(' / ') || 'no code';
  const said = error.message === null ? '' : `: ${error.message}`;
  if (!known) {
    input.onUnconfirmed?.(`AliExpress answered ${input.api} with an unknown error code (${codes}, type ${error.type ?? 'none'}, HTTP ${input.status}); read as ${kind}.`);
  }
  if (input.status !== 200) {
    input.onUnconfirmed?.(`AliExpress sent an error envelope (${codes}) with HTTP ${input.status} for ${input.api}.`);
  }
  if (error.shape === 'flat' && input.gateway === 'sync') {
    input.onUnconfirmed?.(`AliExpress answered ${input.api} on /sync with a flat GOP error (${codes}).`);
  }
  const common = { iopCode: error.code, subCode: error.subCode, marketplaceMessage: error.message, requestId: error.requestId, status: input.status };
  switch (kind) {
    case 'config':
      return new IopError({ ...common, kind, message: `AliExpress refused the app's settings (${codes}${said}): ${CONFIG_ADVICE[error.code ?? ''] ?? 'check the app in Settings'}.` });
    case 'token':
      return new IopError({ ...common, kind, message: `AliExpress refused the access token (${codes}${said}).` });
    case 'rate_limited': {
      const retryAfterMs = banMs(error.texts, input.retryAfter);
      return new IopError({ ...common, kind, retryAfterMs, message: `AliExpress asked Cancel Desk to slow down (${codes}); it can call again in ${Math.ceil(retryAfterMs / 1000)} s.` });
    }
    case 'rejected':
      return new IopError({ ...common, kind, message: `AliExpress refused ${input.api}${said} (${codes}).` });
    case 'unclear':
    case 'unreachable':
      return new IopError({ ...common, kind: 'unclear', message: `AliExpress failed while handling ${input.api} (${codes}${said}); it may have applied it.` });
    default:
      return kind;
  }
}

/** A failure told by the HTTP status alone (no error envelope could be read). */
function errorFromStatus(input: IopAnswerInput): IopError {
  const { status, api } = input;
  if (status >= 200 && status < 300) {
    const what = input.text.trim() === '' ? 'an empty answer' : 'an answer Cancel Desk cannot read';
    return new IopError({ kind: 'unclear', code: 'invalid_payload', status, message: `AliExpress answered ${api} with ${what} (HTTP ${status}); it may have applied it.` });
  }
  if (status === 429) {
    const retryAfterMs = banMs([], input.retryAfter);
    return new IopError({ kind: 'rate_limited', status, retryAfterMs, message: `AliExpress asked Cancel Desk to slow down (HTTP 429); it can call again in ${Math.ceil(retryAfterMs / 1000)} s.` });
  }
  if (status === 401 || status === 403 || status === 404) {
    return new IopError({ kind: 'config', status, message: `AliExpress refused ${api} (HTTP ${status}): check the gateway address, App Key and IP whitelist of the app in Settings.` });
  }
  if (status >= 400 && status < 500 && status !== 408) {
    return new IopError({ kind: 'rejected', status, message: `AliExpress refused ${api} (HTTP ${status}).` });
  }
  return new IopError({ kind: 'unclear', status, message: `AliExpress failed while handling ${api} (HTTP ${status}); it may have applied it.` });
}

/** A business error inside a success envelope (§4.3): `result.success: false`, `result.target: false`, `result_success: false`. */
function businessError(body: JsonObject, input: IopAnswerInput, requestId: string | null): IopError | null {
  const result = body.result;
  let code: string | null;
  let message: string | null;
  if (isObject(result) && (result.success === false || result.success === 'false' || result.target === false || result.target === 'false')) {
    code = codeText(result.error_code);
    message = cleanMarketplaceText(result.error_message) ?? cleanMarketplaceText(result.error_msg);
  } else if (body.result_success === false || body.result_success === 'false') {
    code = codeText(body.result_error_code);
    message = cleanMarketplaceText(body.error_desc);
  } else {
    return null;
  }
  return new IopError({
    kind: 'rejected',
    iopCode: code,
    marketplaceMessage: message,
    requestId,
    status: input.status,
    message: `AliExpress did not apply ${input.api}: ${message ?? 'it gave no reason'}${code === null ? '' : ` (${code})`}.`,
  });
}

/** The answer as success body or classified error; never throws for anything the marketplace sends. */
export function readIopAnswer(input: IopAnswerInput): IopAnswer {
  let root: unknown;
  try {
    root = parseIopJson(input.text);
  } catch (error) {
    if (!(error instanceof DeskError)) throw error;
    return { ok: false, error: errorFromStatus(input) };
  }
  if (!isObject(root)) return { ok: false, error: errorFromStatus(input) };
  const wire = wireError(root, input.gateway);
  if (wire !== null) return { ok: false, error: errorFromWire(wire, input) };
  if (input.status < 200 || input.status >= 300) return { ok: false, error: errorFromStatus(input) };

  let body: JsonObject = root;
  if (input.gateway === 'sync') {
    const expected = wrapperKey(input.api);
    const keys = Object.keys(root);
    const wrapped = root[expected];
    if (isObject(wrapped)) {
      body = wrapped;
    } else if (keys.length === 1 && keys[0]?.endsWith('_response') === true && isObject(root[keys[0]])) {
      // One `_response` member, but not named after the API (the IM APIs' slashes, Q3).
      input.onUnconfirmed?.(`AliExpress wrapped its answer to ${input.api} in "${keys[0].slice(0, 80)}", not "${expected}".`);
      body = root[keys[0]] as JsonObject;
    }
  }
  const requestId = codeText(body.request_id) ?? codeText(root.request_id);
  const failed = businessError(body, input, requestId);
  return failed === null ? { ok: true, body, requestId } : { ok: false, error: failed };
}

/**
 * The items of a list field in either shape (§4.1, §4.2): a plain array (simplified), or the
 * wrapped `{"<itemName>": [...]}`. Without `itemName`, or when it is not there, an object whose
 * only member is an array is taken (item names are partly unknown, Q6). Absent, null or `{}` is
 * an empty list. Anything else throws DeskError 'invalid_payload'.
 */
export function iopList(value: unknown, itemName?: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as unknown[];
  if (isObject(value)) {
    if (itemName !== undefined && Array.isArray(value[itemName])) return value[itemName] as unknown[];
    const members = Object.values(value);
    if (members.length === 0) return [];
    if (members.length === 1 && Array.isArray(members[0])) return members[0] as unknown[];
  }
  throw new DeskError('invalid_payload', `AliExpress sent a list${itemName === undefined ? '' : ` of ${itemName}`} in a shape Cancel Desk does not know.`);
}

/**
 * `parent[listName]` as a list, with the Java SDK's fallback item name: the list name minus a
 * trailing "s" (`issues` → `issue`), when no item name is given or it is not there.
 */
export function iopListAt(parent: Readonly<Record<string, unknown>>, listName: string, itemName?: string): unknown[] {
  const value = parent[listName];
  if (isObject(value) && (itemName === undefined || !Array.isArray(value[itemName]))) {
    const fallback = listName.endsWith('s') ? listName.slice(0, -1) : listName;
    if (Array.isArray(value[fallback])) return value[fallback] as unknown[];
  }
  return iopList(value, itemName);
}
