import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The IOP request signature (protocol §2): HMAC-SHA256 keyed with the app secret over the API
 * path prefix (GOP/`/rest` only) followed by `key1value1key2value2…` in ASCII key order,
 * upper-case hex. Written here independently of the connector so that each checks the other.
 */

/** Upper-case hex HMAC-SHA256 of `text` (UTF-8) keyed with `secret` (UTF-8). */
export function hmacSha256Upper(secret: string, text: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(text, 'utf8').digest('hex').toUpperCase();
}

/**
 * The text that gets signed. `keepEmpty` false drops empty values as the Java SDK does; true
 * keeps them as a bare key, as the Python and PHP SDKs do (Q2).
 */
export function signatureBase(
  prefix: string,
  params: ReadonlyMap<string, string>,
  keepEmpty: boolean,
): string {
  // ASCII order: compare by UTF-16 code units, which for ASCII keys is byte order (not localeCompare).
  const keys = [...params.keys()].filter((key) => key !== 'sign').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let text = prefix;
  for (const key of keys) {
    const value = params.get(key) ?? '';
    if (key === '' || (value === '' && !keepEmpty)) continue;
    text += key + value;
  }
  return text;
}

/**
 * True when `sign` matches any accepted reading of the request: each prefix in `prefixes`
 * (Q3: slash-named IM APIs on /sync are signed with or without their name) times both
 * empty-value conventions (Q2). `params` must already exclude file parts.
 */
export function signatureMatches(
  secret: string,
  prefixes: readonly string[],
  params: ReadonlyMap<string, string>,
  sign: string,
): boolean {
  const given = Buffer.from(sign, 'utf8');
  let matched = false;
  for (const prefix of new Set(prefixes)) {
    for (const keepEmpty of [false, true]) {
      const expected = Buffer.from(hmacSha256Upper(secret, signatureBase(prefix, params, keepEmpty)), 'utf8');
      // Every candidate is compared (no early exit), each in constant time.
      if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
    }
  }
  return matched;
}
