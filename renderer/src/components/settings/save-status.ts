import { DeskCallError } from '../../api/desk';

/** What a section's last save came to, shown in its status line. */
export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'saved'; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; message: string };

export const IDLE: SaveStatus = { kind: 'idle' };

export function invalidStatus(errorCount: number): SaveStatus {
  return {
    kind: 'invalid',
    message: `Not saved: ${errorCount === 1 ? 'one field needs' : `${errorCount} fields need`} a fix (see below each field).`,
  };
}

/** The backend's refusal with its own message; anything else as what it says. */
export function failedStatus(cause: unknown): SaveStatus {
  const message = cause instanceof DeskCallError || cause instanceof Error ? cause.message : String(cause);
  return { kind: 'failed', message: `Not saved: ${message}` };
}
