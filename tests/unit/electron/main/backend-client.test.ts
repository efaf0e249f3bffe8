import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackendWorker, type BackendClient, type SaveStoreToken } from '../../../../electron/main/backend-client';
import type { Logger } from '../../../../electron/backend/log';
import { DeskError } from '../../../../shared/errors';

// A real worker thread running a stand-in backend that misbehaves on request.
const FAKE_WORKER = fileURLToPath(new URL('./fake-backend-worker.mjs', import.meta.url));

const started: BackendClient[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((client) => client.close()));
});

/** Main's keychain as the client sees it: records what it was asked to keep, and fails when told to. */
function recordingKeeper(fail?: () => Error): SaveStoreToken & { saved: Array<[string, string | null]> } {
  const saved: Array<[string, string | null]> = [];
  const save = (storeId: string, token: string | null): Promise<void> => {
    if (fail !== undefined) return Promise.reject(fail());
    saved.push([storeId, token]);
    return Promise.resolve();
  };
  return Object.assign(save, { saved });
}

function start(dataDir = 'unused', saveStoreToken: SaveStoreToken = recordingKeeper(), storeTokens: Record<string, string> = {}): { client: BackendClient; logLines: string[] } {
  const logLines: string[] = [];
  const log: Logger = {
    info: (message) => logLines.push(`info: ${message}`),
    warn: (message) => logLines.push(`warn: ${message}`),
    error: (message) => logLines.push(`error: ${message}`),
  };
  const client = startBackendWorker(FAKE_WORKER, { dataDir, appVersion: '0.0.0-test', marketplace: { kind: 'demo', seed: 1, orders: 1 }, storeTokens }, log, saveStoreToken);
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

describe('the backend client: keeping the stores’ tokens for the worker', () => {
  it('hands the worker the stores’ tokens in its config', async () => {
    const { client } = start('report-config', recordingKeeper(), { shop: 'tok-shop-1234', 'north-2': 'tok-north-5678' });
    expect(await client.call('app.info', {})).toMatchObject({ storeTokens: { shop: 'tok-shop-1234', 'north-2': 'tok-north-5678' } });
  });

  it('keeps a token the worker asks to keep, then tells it so', async () => {
    const keeper = recordingKeeper();
    const { client } = start('unused', keeper);
    expect(await client.call('stores.add', { do: 'save-secret', secretId: 1, storeId: 'shop', token: 'tok-shop-1234' })).toEqual({ type: 'secret-saved', id: 1, result: { ok: true } });
    expect(await client.call('stores.remove', { do: 'save-secret', secretId: 2, storeId: 'shop', token: null })).toEqual({ type: 'secret-saved', id: 2, result: { ok: true } });
    expect(keeper.saved).toEqual([
      ['shop', 'tok-shop-1234'],
      ['shop', null],
    ]);
  });

  it('tells the worker why a token was not kept (no keychain), and logs it', async () => {
    const reason = 'The token was not saved: no system keychain was found (Electron would fall back to a built-in key, which protects nothing). Cancel Desk never stores it in plain text.';
    const { client, logLines } = start('unused', recordingKeeper(() => new DeskError('secret_storage_unavailable', reason)));
    expect(await client.call('stores.add', { do: 'save-secret', secretId: 1, storeId: 'shop', token: 'tok-shop-1234' })).toEqual({
      type: 'secret-saved',
      id: 1,
      result: { ok: false, error: { code: 'secret_storage_unavailable', message: reason } },
    });
    expect(logLines).toContain(`warn: the token of store shop was not saved: ${reason}`);
  });

  it('tells the worker only a sentence when keeping failed unexpectedly; the log has the detail', async () => {
    const { client, logLines } = start('unused', recordingKeeper(() => Object.assign(new Error('EACCES: permission denied, open secrets.json'), { code: 'EACCES' })));
    expect(await client.call('stores.add', { do: 'save-secret', secretId: 3, storeId: 'shop', token: null })).toEqual({
      type: 'secret-saved',
      id: 3,
      result: { ok: false, error: { code: 'internal', message: 'Something went wrong inside Cancel Desk (EACCES); the details are in its log.' } },
    });
    expect(logLines).toContain('warn: the token of store shop was not deleted: EACCES: permission denied, open secrets.json');
  });

  it('keeps nothing a malformed request asks for: fails the ones it can answer, ignores the rest, logs each', async () => {
    const keeper = recordingKeeper();
    const { client, logLines } = start('unused', keeper);
    const answers = await client.call('stores.add', { do: 'secret-junk' });
    const malformed = { ok: false, error: { code: 'internal', message: 'The token was not saved: the request to keep it was malformed.' } };
    expect(answers).toEqual([
      { type: 'secret-saved', id: 7, result: malformed },
      { type: 'secret-saved', id: 8, result: malformed },
      { type: 'secret-saved', id: 10, result: malformed },
      { type: 'secret-saved', id: 9, result: { ok: true } },
    ]);
    expect(keeper.saved).toEqual([['shop', 'tok-good-5678']]);
    expect(logLines.filter((line) => line.startsWith('error: the backend sent a malformed message (ignored)'))).toHaveLength(6);
    expect(logLines.some((line) => line.includes('tok-junk-1234'))).toBe(false);
  });
});
