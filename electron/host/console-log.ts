/**
 * The browser host's log: one line per event on stderr (stdout carries only the running
 * address), redacted exactly like the desktop app's log file: known secrets (the marketplace
 * token, the host's own token) and anything shaped like a credential or an e-mail address.
 */
import type { Logger } from '../backend/log';
// The desktop app's rules, pure (no import of 'electron'): one definition of what is never logged.
import { redact } from '../main/log-redaction';

export interface ConsoleLog {
  readonly logger: Logger;
  /** A value never to be written (a token), from now on replaced wherever it shows. */
  addSecret(secret: string): void;
  /** `text` as it would be written: for lines written outside the logger (a fatal error). */
  redact(text: string): string;
}

export type LogLevel = keyof Logger;

function writeToConsole(level: LogLevel, line: string): void {
  if (level === 'warn') console.warn(line);
  else console.error(line);
}

export function createConsoleLog(prefix: string, write: (level: LogLevel, line: string) => void = writeToConsole): ConsoleLog {
  const secrets = new Set<string>();
  const clean = (text: string): string => redact(text, secrets);
  const line = (level: LogLevel) => (message: string) => write(level, `${prefix} ${clean(message)}`);
  return {
    logger: { info: line('info'), warn: line('warn'), error: line('error') },
    addSecret(secret) {
      if (secret.length > 0) secrets.add(secret);
    },
    redact: clean,
  };
}
