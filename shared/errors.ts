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

/** The `{ code, message }` of anything thrown; unknown throwables become `internal`. */
export function toErrorShape(error: unknown): DeskErrorShape {
  if (error instanceof DeskError) return { code: error.code, message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Something went wrong inside Cancel Desk: ${detail}` };
}
