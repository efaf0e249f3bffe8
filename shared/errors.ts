/**
 * Errors are values with a stable `code` (for programs) and a `message` (a sentence for a
 * person). They cross the IPC boundary as `{ code, message }`.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_channel',
  'forbidden_sender',
  'not_found',
  'marketplace_unreachable',
  'marketplace_error',
  'invalid_payload',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DeskErrorShape {
  readonly code: string;
  readonly message: string;
}

/** An error a caller can catch by class and branch on by `code`. */
export class DeskError extends Error implements DeskErrorShape {
  override readonly name = 'DeskError';
  readonly code: string;
  constructor(code: ErrorCode | (string & {}), message: string) {
    super(message);
    this.code = code;
  }
  toJSON(): DeskErrorShape {
    return { code: this.code, message: this.message };
  }
}

/** A system error's own code (ENOENT, ENOSPC, EACCES...): safe to show, as it holds no path. */
function systemErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const code = error.code;
  return typeof code === 'string' && /^E[A-Z0-9_]{1,30}$/.test(code) ? code : null;
}

/**
 * The `{ code, message }` of anything thrown, as a person sees it (it crosses IPC): a DeskError
 * as it is; anything else becomes `internal` with a sentence, never its raw text, which may
 * hold absolute paths of the data folder or internals. The raw text is for the log
 * (errorDetail), written by whoever caught it.
 */
export function toErrorShape(error: unknown): DeskErrorShape {
  if (error instanceof DeskError) return { code: error.code, message: error.message };
  const systemCode = systemErrorCode(error);
  return {
    code: 'internal',
    message: `Something went wrong inside Cancel Desk${systemCode === null ? '' : ` (${systemCode})`}; the details are in its log.`,
  };
}

/** Everything a log line should say about a throwable (its name, code and full message), never for the renderer. */
export function errorDetail(error: unknown): string {
  if (error instanceof DeskError) return error.message;
  if (error instanceof Error) {
    const systemCode = systemErrorCode(error);
    const name = error.name === 'Error' ? '' : `${error.name}: `;
    return `${name}${error.message}${systemCode === null || error.message.includes(systemCode) ? '' : ` (${systemCode})`}`;
  }
  return String(error);
}
