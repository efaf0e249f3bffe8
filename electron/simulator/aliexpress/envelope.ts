import type { JsonOut } from './json-text';

/**
 * Success and error envelopes of the IOP gateway (protocol §4). Handlers answer plain data with
 * `WireList` marking each list; the envelope renders it for the caller's shape:
 *   /sync, simplify != "true":  {"<api with . and / as _>_response": {...fields, "request_id"}},
 *                               each list as {"<item name>": [...]} ({} when empty, as captured)
 *   /sync, simplify=true:       {...fields, "request_id"}, lists as plain arrays
 *   /rest:                      {...fields, "code": "0", "request_id"}, lists as plain arrays
 * Errors: /sync {"error_response": {type, code, msg, request_id}} (business errors of the issue
 * APIs as legacy TOP: {code: 15, msg, sub_code, sub_msg, request_id}); /rest flat
 * {type, code, message, request_id}. Always HTTP 200.
 */

/** A list and the item name TOP wraps its entries in. */
export class WireList {
  constructor(
    readonly itemName: string,
    readonly items: readonly Wire[],
  ) {}
}

export type Wire =
  | null
  | boolean
  | number
  | bigint
  | string
  | WireList
  | readonly Wire[]
  | { readonly [key: string]: Wire | undefined };

export type WireObject = { readonly [key: string]: Wire | undefined };

/** A list wrapped as `{ itemName: [...] }` in the non-simplified shape. */
export function wireList(itemName: string, items: readonly Wire[]): WireList {
  return new WireList(itemName, items);
}

/** Renders handler data for one response shape. */
export function render(value: Wire, wrapLists: boolean): JsonOut {
  if (value instanceof WireList) {
    const items = value.items.map((item) => render(item, wrapLists));
    if (!wrapLists) return items;
    return items.length === 0 ? {} : { [value.itemName]: items };
  }
  if (Array.isArray(value)) return value.map((item: Wire) => render(item, wrapLists));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonOut | undefined> = {};
    for (const [key, member] of Object.entries(value as WireObject)) {
      out[key] = member === undefined ? undefined : render(member, wrapLists);
    }
    return out;
  }
  return value;
}

export type Gateway = 'sync' | 'rest';

/** The wrapper key of a /sync answer: `aliexpress.issue.detail.get` → `aliexpress_issue_detail_get_response`. */
export function responseKey(api: string): string {
  return `${api.replace(/^\//, '').replace(/[./]/g, '_')}_response`;
}

export function successBody(
  gateway: Gateway,
  api: string,
  body: WireObject,
  simplified: boolean,
  requestId: string,
): JsonOut {
  if (gateway === 'rest') return { ...(render(body, false) as Record<string, JsonOut>), code: '0', request_id: requestId };
  const fields = { ...(render(body, !simplified) as Record<string, JsonOut>), request_id: requestId };
  return simplified ? fields : { [responseKey(api)]: fields };
}

export type ErrorType = 'ISV' | 'ISP' | 'SYSTEM';

/** A gateway-level error: signature, app key, timestamp, token, parameters, throttle. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly type: ErrorType,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A business error of the issue APIs: legacy TOP code 15 with an `isv.*` sub code (Q7). */
export class BusinessError extends Error {
  override readonly name = 'BusinessError';
  constructor(
    readonly subCode: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(gateway: Gateway, error: GatewayError | BusinessError, requestId: string): JsonOut {
  if (error instanceof BusinessError) {
    return gateway === 'sync'
      ? { error_response: { code: 15, msg: 'Remote service error', sub_code: error.subCode, sub_msg: error.message, request_id: requestId } }
      : { type: 'ISV', code: error.subCode, message: error.message, request_id: requestId };
  }
  return gateway === 'sync'
    ? { error_response: { type: error.type, code: error.code, msg: error.message, request_id: requestId } }
    : { type: error.type, code: error.code, message: error.message, request_id: requestId };
}

// The gateway's errors, with the messages seen in captures where there is one (§4.4).

export const incompleteSignature = (detail?: string): GatewayError =>
  new GatewayError(
    'ISV',
    'IncompleteSignature',
    `The request signature does not conform to platform standards${detail === undefined ? '' : `: ${detail}`}`,
  );
export const invalidAppKey = (): GatewayError =>
  new GatewayError('ISV', 'InvalidAppKey', 'The specified app key is invalid or does not exist');
export const invalidTimestamp = (): GatewayError =>
  new GatewayError(
    'ISV',
    'InvalidTimestamp',
    'The specified timestamp is invalid or differs from the server time by more than 7200 seconds',
  );
export const illegalAccessToken = (): GatewayError =>
  new GatewayError('ISV', 'IllegalAccessToken', 'The specified access token is invalid or expired');
export const apiCallLimit = (): GatewayError =>
  new GatewayError('ISV', 'ApiCallLimit', 'Api access frequency exceeds the limit. this ban will last 1 seconds');
export const missingParameter = (name: string): GatewayError =>
  new GatewayError('ISV', 'MissingParameter', `The required parameter "${name}" is missing`);
export const invalidParameter = (name: string, why: string): GatewayError =>
  new GatewayError('ISV', 'InvalidParameter', `The parameter "${name}" is invalid: ${why}`);
export const invalidApiPath = (api: string, why = 'no such API on this gateway'): GatewayError =>
  new GatewayError('ISV', 'InvalidApiPath', `The specified API "${api}" is invalid: ${why}`);
