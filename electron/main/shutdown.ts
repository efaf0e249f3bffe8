/**
 * A clean shutdown with a limit: the backend gets time to stop between requests and save, but a
 * stuck close never keeps the app from quitting.
 */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export type CloseOutcome = { kind: 'closed' } | { kind: 'timed_out'; afterMs: number } | { kind: 'failed'; message: string };

export async function closeWithin(
  close: () => Promise<void>,
  timeoutMs: number,
  setTimer: (delayMs: number, callback: () => void) => () => void,
): Promise<CloseOutcome> {
  let cancel: () => void = () => {};
  const timedOut = new Promise<CloseOutcome>((resolve) => {
    cancel = setTimer(timeoutMs, () => resolve({ kind: 'timed_out', afterMs: timeoutMs }));
  });
  const closed = close().then(
    (): CloseOutcome => ({ kind: 'closed' }),
    (error: unknown): CloseOutcome => ({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
  try {
    return await Promise.race([closed, timedOut]);
  } finally {
    cancel();
  }
}
