/** The backend's logger: one line per event on stderr (stdout is for a tool's own output); never tokens or buyer e-mails. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export function prefixedConsoleLogger(prefix: string): Logger {
  return {
    info: (message) => console.error(`${prefix} ${message}`),
    warn: (message) => console.warn(`${prefix} ${message}`),
    error: (message) => console.error(`${prefix} ${message}`),
  };
}

/** How a control character is written in a log line: the usual short escapes, else \uXXXX. */
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

/**
 * What must not reach a log line as it is: C0 controls and DEL (a newline forges a new line, an
 * escape sequence drives the terminal), C1 controls (U+0085 is a newline to some readers), the
 * line and paragraph separators, and the bidi controls (marks, embeddings, overrides, isolates)
 * that make a line read in another order than it was written.
 */
function isUnsafeInLog(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Text from outside (the marketplace, a buyer) made safe for one log line: every unsafe
 * character becomes a visible escape (`\n`, `\u202e`). Backslashes are left alone, so a Windows
 * path reads as it is; a literal "\n" in the text then looks like an escaped newline, but it can
 * no longer start a line.
 */
export function escapeForLog(text: string): string {
  let escaped = '';
  let copiedUpTo = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (!isUnsafeInLog(code)) continue;
    escaped += text.slice(copiedUpTo, index) + (SHORT_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`);
    copiedUpTo = index + 1;
  }
  return copiedUpTo === 0 ? text : escaped + text.slice(copiedUpTo);
}

/**
 * A logger whose lines are escaped (escapeForLog) before they reach `log`: the backend logs
 * marketplace text in many places (sync, delivery, evidence, the HTTP client's errors), so it is
 * done once, where every line passes, and no call site can forget it.
 */
export function escapingLogger(log: Logger): Logger {
  return {
    info: (message) => log.info(escapeForLog(message)),
    warn: (message) => log.warn(escapeForLog(message)),
    error: (message) => log.error(escapeForLog(message)),
  };
}
