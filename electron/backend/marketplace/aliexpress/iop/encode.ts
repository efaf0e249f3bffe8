import { DeskError } from '../../../../../shared/errors';
import { isBlankIopValue, signIop } from './sign';

/**
 * Building one IOP request the way the Java SDK does (protocol §1.2, §1.3, §5): POST, the system
 * params and `sign` in the URL query, the business params in a form-urlencoded body (multipart
 * when a file goes with them). An object or list param travels as ONE form field holding its
 * JSON text; a scalar as a plain field. Blank values are neither sent nor signed (§2.1, Java).
 */

/** Java's Long.MAX_VALUE: the widest id the marketplace can hold. */
const LONG_MAX = 9_223_372_036_854_775_807n;

/**
 * An id (a Java Long) to be written as a bare JSON number: the desk keeps AliExpress ids as digit
 * strings (convert/ids.ts), and a JS number would round one past 2^53. A plain string stays a
 * JSON string (a buyer login id or a memo of digits must not turn into a number), so ids are
 * marked explicitly with `iopLong`; `bigint` values are written bare too.
 */
export class IopLong {
  /** The id's canonical digits. */
  readonly digits: string;

  /** Its digits ("8123456789012345"), a safe integer, or a bigint, 0 to 2^63 − 1; anything else throws 'invalid_input'. */
  constructor(value: string | number | bigint) {
    const digits = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : String(value);
    if (!/^(?:0|[1-9][0-9]{0,18})$/.test(digits) || BigInt(digits) > LONG_MAX) {
      throw new DeskError('invalid_input', `Cancel Desk tried to send ${describe(value)} as an AliExpress id; an id is a whole number from 0 to 9223372036854775807.`);
    }
    this.digits = digits;
  }

  toString(): string {
    return this.digits;
  }
}

/** `new IopLong(value)`: an id to be written as a bare JSON number. */
export function iopLong(value: string | number | bigint): IopLong {
  return new IopLong(value);
}

/** What a business param (or a part of one) may hold. */
export type IopJsonValue =
  | string
  | number
  | boolean
  | bigint
  | null
  | IopLong
  | readonly IopJsonValue[]
  | { readonly [key: string]: IopJsonValue | undefined };

/** Business params by name; null and undefined ones are left out, like blank ones. */
export type IopParams = Readonly<Record<string, IopJsonValue | undefined>>;

/** A file sent with the params (evidence photos: `aliexpress.issue.image.upload`, field `image_bytes`). Never signed. */
export interface IopFile {
  readonly field: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** Nested objects deeper than this are a bug in the caller (or a cycle), not a request. */
const MAX_DEPTH = 32;

/**
 * JSON text of a param value as the Java SDK writes it: keys in the order given, undefined
 * members left out, `IopLong` and bigint as bare numbers (`{"order_id":8123456789012345}`),
 * strings with their characters as they are (UTF-8 on the wire, §2.2 B3). Numbers must be finite,
 * and integers safe (an id goes through iopLong).
 */
export function iopJson(value: IopJsonValue): string {
  return writeJson(value, 0);
}

function writeJson(value: IopJsonValue, depth: number): string {
  if (depth > MAX_DEPTH) throw new DeskError('invalid_input', `Cancel Desk tried to send a value nested deeper than ${MAX_DEPTH} levels to AliExpress.`);
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'bigint') return iopLong(value).digits;
  if (value instanceof IopLong) return value.digits;
  if (Array.isArray(value)) {
    const items = value as readonly IopJsonValue[];
    return `[${items.map((item) => (item === undefined ? 'null' : writeJson(item, depth + 1))).join(',')}]`;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new DeskError('invalid_input', `Cancel Desk tried to send ${describe(value)} to AliExpress; only plain objects, lists, text, numbers and ids can be sent.`);
  }
  const members: string[] = [];
  for (const [key, member] of Object.entries(value as { readonly [key: string]: IopJsonValue | undefined })) {
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${writeJson(member, depth + 1)}`);
  }
  return `{${members.join(',')}}`;
}

function numberText(value: number): string {
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    throw new DeskError('invalid_input', `Cancel Desk tried to send the number ${String(value)} to AliExpress; a number past 2^53 is sent as an id (iopLong) so it keeps every digit.`);
  }
  // -0 would be "0" from String() anyway; this keeps the rule visible.
  return Object.is(value, -0) ? '0' : String(value);
}

/** The form-field text of one business param, or null when it is not sent (null, undefined, blank). */
export function iopFormValue(value: IopJsonValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  // A scalar's JSON text is its form text too (1, true, 8123456789012345), except a string's quotes.
  const text = typeof value === 'string' ? value : iopJson(value);
  return isBlankIopValue(text) ? null : text;
}

/** Which gateway: `/sync` for the dotted business APIs (TOP), `/rest` for the token calls (GOP). */
export type IopGateway = 'sync' | 'rest';

export interface IopRequestSpec {
  /** Gateway root without a path, e.g. https://api-sg.aliexpress.com (Java's convention, §1.1). */
  readonly baseUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly gateway: IopGateway;
  /** The API: a method name for /sync (`aliexpress.issue.detail.get`), a path for /rest (`/auth/token/create`). */
  readonly api: string;
  readonly params: IopParams;
  /** Sent as `session` on /sync and `access_token` on /rest (§1.3; Q1); null for the token calls. */
  readonly accessToken: string | null;
  /** Epoch ms from the injected clock; sent as its decimal text. */
  readonly timestampMs: number;
  /** /sync only: ask for the simplified shape (§4.2). Both shapes are read whatever was asked. */
  readonly simplify: boolean;
  /** The `partner_id` the SDKs send (theirs name the SDK build); ours names the desk. */
  readonly partnerId: string;
  readonly file?: IopFile;
}

/** A request ready for fetch. */
export interface IopWireRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Form-urlencoded text, or a FormData (fetch writes the multipart boundary into Content-Type). */
  readonly body: string | FormData;
  /** Every param sent but the file, `sign` included: what the receiving side verifies. */
  readonly params: Readonly<Record<string, string>>;
}

/** Names the SDKs use for system params: a business param by one of these names would be ambiguous to sign. */
const SYSTEM_PARAM_NAMES = new Set(['app_key', 'timestamp', 'sign_method', 'sign', 'method', 'session', 'access_token', 'partner_id', 'format', 'v', 'simplify', 'debug']);

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
const SYNC_METHOD = /^[a-z0-9_]+(?:[./][a-z0-9_]+)+$/i;
const REST_PATH = /^(?:\/[a-z0-9_]+)+$/i;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';

/** Builds and signs one request (no I/O). Throws DeskError 'invalid_input' for a param the desk should never send. */
export function encodeIopRequest(spec: IopRequestSpec): IopWireRequest {
  if (spec.gateway === 'sync' ? !SYNC_METHOD.test(spec.api) : !REST_PATH.test(spec.api)) {
    throw new DeskError('invalid_input', `"${spec.api.slice(0, 80)}" is not an AliExpress ${spec.gateway === 'sync' ? 'API name' : 'API path'}.`);
  }
  if (!Number.isSafeInteger(spec.timestampMs) || spec.timestampMs < 0) {
    throw new DeskError('invalid_input', `The clock gave ${spec.timestampMs} as the time; AliExpress needs epoch milliseconds.`);
  }
  const business: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.params)) {
    if (!PARAM_NAME.test(name) || SYSTEM_PARAM_NAMES.has(name) || name === spec.file?.field) {
      throw new DeskError('invalid_input', `Cancel Desk cannot send a param named "${name.slice(0, 80)}" to AliExpress: ${SYSTEM_PARAM_NAMES.has(name) ? 'the gateway sets that one itself' : name === spec.file?.field ? 'the file goes under that name' : 'a param name is letters, digits and underscores'}.`);
    }
    const text = iopFormValue(value);
    if (text !== null) business[name] = text;
  }
  if (spec.file !== undefined && !PARAM_NAME.test(spec.file.field)) {
    throw new DeskError('invalid_input', `Cancel Desk cannot send a file under the name "${spec.file.field.slice(0, 80)}" to AliExpress.`);
  }

  const system: Record<string, string> = { app_key: spec.appKey, timestamp: String(spec.timestampMs), sign_method: 'sha256', partner_id: spec.partnerId };
  if (spec.gateway === 'sync') {
    system.method = spec.api;
    system.format = 'json';
    system.v = '2.0';
    system.simplify = spec.simplify ? 'true' : 'false';
    if (spec.accessToken !== null) system.session = spec.accessToken;
  } else if (spec.accessToken !== null) {
    system.access_token = spec.accessToken;
  }
  // Blank system values (an empty token) are dropped as Java drops them: signed and sent alike.
  for (const [name, value] of Object.entries(system)) if (isBlankIopValue(value)) delete system[name];

  const sign = signIop({ ...system, ...business }, spec.appSecret, spec.gateway === 'rest' ? spec.api : null);
  const root = spec.baseUrl.replace(/\/+$/, '');
  const query = new URLSearchParams();
  // Java's URL starts with `/sync?method=…`; ours carries `method` once, first (§1.2).
  if (system.method !== undefined) query.append('method', system.method);
  for (const [name, value] of Object.entries(system)) if (name !== 'method') query.append(name, value);
  query.append('sign', sign);
  const url = spec.gateway === 'sync' ? `${root}/sync?${query.toString()}` : `${root}/rest${spec.api}?${query.toString()}`;

  const params = { ...system, ...business, sign };
  const headers: Record<string, string> = { Accept: 'application/json, text/javascript' };
  if (spec.file === undefined) {
    headers['Content-Type'] = FORM_CONTENT_TYPE;
    return { url, headers, body: new URLSearchParams(business).toString(), params };
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(business)) form.append(name, value);
  form.append(spec.file.field, new Blob([new Uint8Array(spec.file.bytes)], { type: spec.file.contentType }), spec.file.fileName);
  return { url, headers, body: form, params };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === null || typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
}
