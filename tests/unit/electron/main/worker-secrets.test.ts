import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../electron/backend/log';
import { createSecretRequests, initialStoreTokens, keychainVault } from '../../../../electron/main/worker-secrets';
import type { FromWorker, WorkerConfig } from '../../../../electron/main/worker-protocol';
import { DeskError } from '../../../../shared/errors';

function recordingPort(): { posted: FromWorker[]; post: (message: FromWorker) => void; log: Logger; logLines: string[] } {
  const posted: FromWorker[] = [];
  const logLines: string[] = [];
  return {
    posted,
    post: (message) => posted.push(message),
    logLines,
    log: { info: (m) => logLines.push(`info: ${m}`), warn: (m) => logLines.push(`warn: ${m}`), error: (m) => logLines.push(`error: ${m}`) },
  };
}

/** How `promise` has settled by now (queued reactions run first), or 'still waiting'; no clock involved. */
function settledNow<T>(promise: Promise<T>): Promise<T | 'still waiting'> {
  return Promise.race([promise, Promise.resolve('still waiting' as const)]);
}

const demoConfig = (storeTokens: Record<string, string>): WorkerConfig => ({ dataDir: 'unused', appVersion: '0.0.0-test', marketplace: { kind: 'demo', seed: 1, orders: 1 }, storeTokens });
const remoteConfig = (token: string, storeTokens: Record<string, string>): WorkerConfig => ({
  dataDir: 'unused',
  appVersion: '0.0.0-test',
  marketplace: { kind: 'remote', baseUrl: 'https://api.example.com/', token },
  storeTokens,
});

describe('the worker’s secret requests to main', () => {
  it('asks main with one id per request and waits for its answer', async () => {
    const port = recordingPort();
    const requests = createSecretRequests(port.post, port.log);
    const first = requests.save('shop', 'tok-shop-1234');
    const second = requests.save('north', null);
    expect(port.posted).toEqual([
      { type: 'secret-save', id: 1, storeId: 'shop', token: 'tok-shop-1234' },
      { type: 'secret-save', id: 2, storeId: 'north', token: null },
    ]);
    expect(await settledNow(first)).toBe('still waiting');
    requests.settle(2, { ok: false, error: { code: 'secret_storage_unavailable', message: 'The token was not saved: no keychain.' } });
    requests.settle(1, { ok: true });
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow(new DeskError('secret_storage_unavailable', 'The token was not saved: no keychain.'));
  });

  it('ignores (and logs) an answer nobody waits for; a malformed answer fails the request it claims', async () => {
    const port = recordingPort();
    const requests = createSecretRequests(port.post, port.log);
    const waiting = requests.save('shop', 'tok-shop-1234');
    requests.settle(5, { ok: true });
    expect(port.logLines).toEqual(['warn: main answered the secret request 5, which is not waiting for an answer (ignored)']);
    expect(requests.fail(5, 'malformed')).toBe(false);
    expect(await settledNow(waiting)).toBe('still waiting');
    expect(requests.fail(1, 'The token was not saved: main sent a malformed answer.')).toBe(true);
    await expect(waiting).rejects.toThrow(new DeskError('internal', 'The token was not saved: main sent a malformed answer.'));
    // Answered once: a second answer for it is nobody's.
    requests.settle(1, { ok: true });
    expect(port.logLines).toHaveLength(2);
  });
});

describe('the backend’s vault in the desktop app', () => {
  it('starts with the stores’ tokens main decrypted', () => {
    expect(initialStoreTokens(demoConfig({ shop: 'tok-shop-1234', marketplace: 'tok-added-5678' }))).toEqual({ shop: 'tok-shop-1234', marketplace: 'tok-added-5678' });
  });

  it('gives a configured marketplace’s store its origin-tied token, never a store secret of that id', () => {
    expect(initialStoreTokens(remoteConfig('tok-configured-1', { shop: 'tok-shop-1234', marketplace: 'tok-other-host' }))).toEqual({ shop: 'tok-shop-1234', marketplace: 'tok-configured-1' });
    expect(initialStoreTokens(remoteConfig('', { shop: 'tok-shop-1234', marketplace: 'tok-other-host' }))).toEqual({ shop: 'tok-shop-1234' });
  });

  it('says tokens are kept in the keychain, and uses a new one only once main has stored it', async () => {
    const port = recordingPort();
    const requests = createSecretRequests(port.post, port.log);
    const vault = keychainVault(demoConfig({ shop: 'tok-old-1234' }), requests);
    expect(vault.storage).toBe('keychain');
    expect(vault.get('shop')).toBe('tok-old-1234');

    const kept = vault.set('shop', 'tok-new-5678');
    expect(port.posted).toEqual([{ type: 'secret-save', id: 1, storeId: 'shop', token: 'tok-new-5678' }]);
    expect(await settledNow(kept)).toBe('still waiting');
    expect(vault.get('shop'), 'not in use before main stored it').toBe('tok-old-1234');
    requests.settle(1, { ok: true });
    expect(await kept).toBe('keychain');
    expect(vault.get('shop')).toBe('tok-new-5678');

    // Refused by main: the call fails, the token in force stays.
    const refused = vault.set('shop', 'tok-newer-9999');
    requests.settle(2, { ok: false, error: { code: 'secret_storage_unavailable', message: 'The token was not saved: no keychain.' } });
    await expect(refused).rejects.toMatchObject({ code: 'secret_storage_unavailable' });
    expect(vault.get('shop')).toBe('tok-new-5678');

    const removed = vault.delete('shop');
    expect(port.posted[2]).toEqual({ type: 'secret-save', id: 3, storeId: 'shop', token: null });
    requests.settle(3, { ok: true });
    await removed;
    expect(vault.get('shop')).toBeNull();
  });
});
