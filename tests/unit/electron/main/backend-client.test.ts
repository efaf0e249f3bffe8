import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackendWorker, type BackendClient } from '../../../../electron/main/backend-client';
import type { Logger } from '../../../../electron/backend/log';
import { DeskError } from '../../../../shared/errors';

// A real worker thread running a stand-in backend that misbehaves on request.
const FAKE_WORKER = fileURLToPath(new URL('./fake-backend-worker.mjs', import.meta.url));

const started: BackendClient[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((client) => client.close()));
});

function start(dataDir = 'unused'): { client: BackendClient; logLines: string[] } {
  const logLines: string[] = [];
  const log: Logger = {
    info: (message) => logLines.push(`info: ${message}`),
    warn: (message) => logLines.push(`warn: ${message}`),
    error: (message) => logLines.push(`error: ${message}`),
  };
  const client = startBackendWorker(FAKE_WORKER, { dataDir, appVersion: '0.0.0-test', marketplace: { kind: 'demo', seed: 1, orders: 1 } }, log);
  started.push(client);
  return { client, logLines };
}

/** How `promise` has settled by now (queued reactions run first), or 'still waiting'; no clock involved. */
function settledNow<T>(promise: Promise<T>): Promise<T | 'still waiting'> {
  return Promise.race([promise, Promise.resolve('still waiting' as const)]);
}

/** A call's outcome as a value, so that a call left waiting is no unhandled rejection later. */
function outcome(promise: Promise<unknown>): Promise<{ value: unknown } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe('the backend client (main thread side of the worker boundary)', () => {
  it('relays answers and errors to the call that asked', async () => {
    const { client } = start();
    await client.whenReady();
    const [first, second] = await Promise.all([client.call('app.info', { do: 'echo', value: 'one' }), client.call('app.info', { do: 'echo', value: 'two' })]);
    expect([first, second]).toEqual(['one', 'two']);
    const refused = client.call('requests.get', { do: 'refuse' });
    await expect(refused).rejects.toBeInstanceOf(DeskError);
    await expect(refused).rejects.toMatchObject({ code: 'not_found', message: 'There is no request R-1.' });
  });

  it('fails every waiting call with a clear error when the worker dies, and later calls at once', async () => {
    const { client, logLines } = start();
    const waiting = [client.call('queue.list', { do: 'hang' }), client.call('queue.counts', { do: 'hang' }), client.call('app.info', { do: 'die' })];
    for (const call of waiting) await expect(call).rejects.toThrow(new DeskError('internal', 'The backend stopped before it answered (exit code 3).'));
    expect(logLines).toContain('error: the backend worker stopped with code 3');

    const after = client.call('app.info', { do: 'echo', value: 'anyone there?' });
    await expect(settledNow(after)).rejects.toThrow(/^The backend stopped \(exit code 3\)\. Restart Cancel Desk/);
    // Nothing left to close: close() returns instead of waiting for a 'closed' that cannot come.
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('fails the waiting calls when the worker throws', async () => {
    const { client, logLines } = start();
    const waiting = outcome(client.call('queue.list', { do: 'hang' }));
    // An uncaught exception ends a thread with code 1.
    const stopped = new DeskError('internal', 'The backend stopped before it answered (exit code 1).');
    await expect(client.call('app.info', { do: 'throw' })).rejects.toThrow(stopped);
    expect(await waiting).toEqual({ error: stopped });
    expect(logLines).toContain('error: backend worker error: boom in the backend');
  });

  it('ignores and logs malformed messages, without crashing or answering another call with them', async () => {
    const { client, logLines } = start();
    const events: unknown[] = [];
    client.onEvent((event, payload) => events.push({ event, payload }));
    const alerts: unknown[] = [];
    client.onDeadlineAlert((alert) => alerts.push(alert));
    const hanging = outcome(client.call('queue.list', { do: 'hang' }));

    // Messages arrive in order: once the real answer is in, every piece of junk before it was handled.
    await expect(client.call('app.info', { do: 'junk' })).resolves.toBe('the real answer');
    expect(await settledNow(hanging), 'no junk answered the waiting call').toBe('still waiting');
    expect(events).toEqual([{ event: 'queue.changed', payload: { counts: {} } }]);
    expect(alerts).toEqual([]);
    const malformed = logLines.filter((line) => line.startsWith('error: the backend sent a malformed message (ignored)'));
    expect(malformed).toHaveLength(10);
    expect(logLines).toContain('warn: the backend answered call 999999, which is not waiting for an answer (ignored)');
    expect(logLines.some((line) => line.includes('stray'))).toBe(false);

    // Still working afterwards.
    await expect(client.call('app.info', { do: 'echo', value: 'still here' })).resolves.toBe('still here');
    await client.close();
    expect(await hanging).toEqual({ error: new DeskError('internal', 'The backend closed before it answered.') });
  });

  it('fails a call whose answer is malformed, instead of leaving it waiting', async () => {
    const { client, logLines } = start();
    await expect(client.call('app.info', { do: 'garble' })).rejects.toThrow(new DeskError('internal', 'The backend sent a malformed answer to this request.'));
    expect(logLines.some((line) => line.startsWith('error: the backend sent a malformed message (ignored): result'))).toBe(true);
  });

  it('fails calls at once when the backend failed to start, and closes without waiting for it', async () => {
    const { client, logLines } = start('fail-at-start');
    const reason = 'The backend failed to start (the cache is unreadable). Restart Cancel Desk; if it keeps failing, see the log.';
    await expect(client.call('app.info', { do: 'echo', value: 1 })).rejects.toThrow(new DeskError('internal', reason));
    expect(logLines).toContain('error: the backend failed to start: the cache is unreadable');
    await expect(settledNow(client.call('queue.counts', {}))).rejects.toThrow(reason);
    // This backend ignores 'close': close() must not wait for it.
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('answers nothing more once closed', async () => {
    const { client } = start();
    await client.close();
    await expect(settledNow(client.call('app.info', { do: 'echo', value: 1 }))).rejects.toThrow(new DeskError('internal', 'The backend has closed.'));
  });
});
