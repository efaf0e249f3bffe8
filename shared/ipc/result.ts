import type { DeskErrorShape } from '../errors';

/** What every IPC call answers: a value, or an error with a stable code and a sentence. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DeskErrorShape };
