/**
 * The app's log: one rotating file in the user-data folder (logs/main.log, then main.1.log ...
 * main.3.log), redacted line by line. electron-log's Node flavour is used on purpose: its
 * Electron flavour registers an IPC channel of its own for renderer logs, which would bypass the
 * contract and its sender check.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, parse } from 'node:path';
import electronLog from 'electron-log/node';
import type { Logger } from '../backend/log';
import { redactValue } from './log-redaction';

export const LOG_FILE_NAME = 'main.log';
export const LOG_MAX_BYTES = 2 * 1024 * 1024;
export const LOG_ARCHIVES = 3;

/** main.log -> main.1.log -> main.2.log ...; the oldest beyond `keep` is deleted. Synchronous (electron-log needs it). */
export function rotateLogFiles(file: string, keep: number = LOG_ARCHIVES): void {
  const { dir, name, ext } = parse(file);
  const archive = (index: number): string => join(dir, `${name}.${index}${ext}`);
  rmSync(archive(keep), { force: true });
  for (let index = keep - 1; index >= 1; index--) {
    if (existsSync(archive(index))) renameSync(archive(index), archive(index + 1));
  }
  renameSync(file, archive(1));
}

export interface AppLog {
  /** The logger main and the backend worker write through. */
  readonly logger: Logger;
  /** The file being written. */
  readonly file: string;
  /** A value that must never appear in the log (a token), from now on replaced wherever it shows. */
  addSecret(secret: string): void;
}

export function createAppLog(options: { logsDir: string; consoleLevel: 'info' | 'warn' | false }): AppLog {
  const secrets = new Set<string>();
  const file = join(options.logsDir, LOG_FILE_NAME);
  const log = electronLog.create({ logId: 'cancel-desk' });
  const fileTransport = log.transports.file;
  fileTransport.resolvePathFn = () => file;
  fileTransport.maxSize = LOG_MAX_BYTES;
  fileTransport.level = 'info';
  // Only this user may read the log.
  fileTransport.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  fileTransport.archiveLogFn = (oldFile) => {
    try {
      rotateLogFiles(oldFile.path);
    } catch {
      // Could not rotate (a file locked by another program on Windows): start the file over.
      oldFile.clear();
    }
  };
  log.transports.console.level = options.consoleLevel;
  for (const name of ['ipc', 'remote']) {
    const transport = log.transports[name];
    if (transport) transport.level = false;
  }
  // Every message, from every transport, is redacted before it is formatted.
  log.hooks.push((message) => ({ ...message, data: message.data.map((value: unknown) => redactValue(value, secrets)) }));

  return {
    file,
    addSecret(secret) {
      if (secret.length > 0) secrets.add(secret);
    },
    logger: {
      info: (message) => log.info(message),
      warn: (message) => log.warn(message),
      error: (message) => log.error(message),
    },
  };
}
