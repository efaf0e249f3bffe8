import { createHmac } from 'node:crypto';

/**
 * The IOP request signature (protocol §2): HMAC-SHA256 over `apiPath? + key1value1key2value2…`,
 * keyed with the app secret, as upper-case hex. Names sorted in ASCII (UTF-16 code unit) order,
 * values raw UTF-8, `sign` itself left out. File parts never reach this map (§2.1: "except … byte
 * array type").
 */

/**
 * Whether a value counts as absent, as the Java SDK decides it (`IopUtils.isEmpty`): empty, or
 * only characters `Character.isWhitespace` accepts (ASCII controls \t \n \v \f \r, \x1C–\x1F and the
 * Unicode space separators except the no-break ones). Java neither signs nor sends such a value
 * (§2.1); the encoder drops it with this same test, so what is signed is always what is sent.
 */
export function isBlankIopValue(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    if (!isJavaWhitespace(value.charCodeAt(index))) return false;
  }
  return true;
}

const UNICODE_SEPARATOR = /^[\p{Zs}\p{Zl}\p{Zp}]$/u;

function isJavaWhitespace(code: number): boolean {
  if (code === 0x00a0 || code === 0x2007 || code === 0x202f) return false;
  return (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f) || UNICODE_SEPARATOR.test(String.fromCharCode(code));
}

/** ASCII order, as Java's `Arrays.sort` on keys, Python's `sorted` and PHP's `ksort` agree for ASCII names. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The exact text that gets signed: `apiPath` (only for the `/rest` calls such as
 * `/auth/token/create`; null for `/sync`, where Java signs with an empty prefix) followed by every
 * non-blank param but `sign` as name + value, sorted by name.
 */
export function stringToSign(params: Readonly<Record<string, string>>, apiPath: string | null): string {
  let text = apiPath ?? '';
  for (const name of Object.keys(params).sort(byCodeUnits)) {
    const value = params[name];
    if (name === 'sign' || value === undefined || isBlankIopValue(name) || isBlankIopValue(value)) continue;
    text += name + value;
  }
  return text;
}

/** The `sign` param for these params: 64 upper-case hex characters. */
export function signIop(params: Readonly<Record<string, string>>, appSecret: string, apiPath: string | null): string {
  return createHmac('sha256', Buffer.from(appSecret, 'utf8')).update(stringToSign(params, apiPath), 'utf8').digest('hex').toUpperCase();
}
