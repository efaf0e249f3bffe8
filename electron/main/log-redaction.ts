/**
 * What never reaches a log file: marketplace tokens and other credentials, and buyers' e-mail
 * addresses. Applied to every line the app writes (main, the backend worker, uncaught errors).
 */

export const REDACTED = '[redacted]';
export const REDACTED_EMAIL = '[e-mail]';

const PATTERNS: ReadonlyArray<{ pattern: RegExp; replace: string }> = [
  // Authorization: Bearer abc..., Basic abc...
  { pattern: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, replace: `$1 ${REDACTED}` },
  // token=..., access_token: "...", "apiKey":"...", password=... (query strings, JSON, prose)
  {
    pattern: /((?:access[_-]?|refresh[_-]?|api[_-]?|auth[_-]?|id[_-]?|session[_-]?)?(?:token|key|secret|password|passwd|pwd|authorization|cookie)s?["']?\s*[:=]\s*["']?)([^"'\s&,;}]+)/gi,
    replace: `$1${REDACTED}`,
  },
  // user:password@host in URLs
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, replace: `$1${REDACTED}@` },
  // JSON Web Tokens wherever they appear
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: REDACTED },
  // e-mail addresses (buyers', sellers', anyone's)
  { pattern: /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+/g, replace: REDACTED_EMAIL },
];

/**
 * The text with every known secret (exact values registered at run time, such as the
 * marketplace token) and every credential- or e-mail-shaped part replaced.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  // Longest first, so a secret that contains another is removed whole.
  const known = [...secrets].filter((secret) => secret.length >= 4).sort((a, b) => b.length - a.length);
  for (const secret of known) result = result.split(secret).join(REDACTED);
  for (const { pattern, replace } of PATTERNS) result = result.replace(pattern, replace);
  return result;
}

/** Any value a logger was handed, as redacted text (errors keep their name and message). */
export function redactValue(value: unknown, secrets: Iterable<string> = []): string {
  if (typeof value === 'string') return redact(value, secrets);
  if (value instanceof Error) return redact(`${value.name}: ${value.message}${value.stack ? `\n${value.stack.split('\n').slice(1).join('\n')}` : ''}`, secrets);
  try {
    return redact(JSON.stringify(value) ?? String(value), secrets);
  } catch {
    return redact(String(value), secrets);
  }
}
