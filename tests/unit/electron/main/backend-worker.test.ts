import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Logger } from '../../../../electron/backend/log';
import { startBackendWorker, type BackendClient } from '../../../../electron/main/backend-client';
import { FromWorkerSchema, type FromWorker, type WorkerConfig } from '../../../../electron/main/worker-protocol';
import { createSecretStore } from '../../../../electron/main/secret-store';
import { createStoreTokenKeeper } from '../../../../electron/main/store-tokens';
import { StoreAddInputSchema, StoreViewSchema } from '../../../../shared/ipc/contract';
import { staleBuildProblem } from './build-freshness';
import { fakeCiphertext, fakeSafeStorage } from './fake-safe-storage';

// The real backend worker as electron-vite builds it, run in a worker thread by main's client,
// with main's keychain on a fake safeStorage.
const WORKER_BUNDLE = 'out/main/backend-worker.js';
const TOKEN = 'tok-north-shop-7f3a9c';

const started: BackendClient[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((client) => client.close()));
});

async function startDesktopBackend(options: { dataDir: string; keychain: 'real' | 'basic_text'; passStoreTokens?: boolean }) {
  const secretsFile = join(options.dataDir, 'secrets.json');
  const secrets = createSecretStore(secretsFile, fakeSafeStorage(options.keychain === 'real' ? { backend: 'gnome_libsecret' } : { backend: 'basic_text' }));
  const logLines: string[] = [];
  const log: Logger = { info: (m) => logLines.push(`info: ${m}`), warn: (m) => logLines.push(`warn: ${m}`), error: (m) => logLines.push(`error: ${m}`) };
  const logSecrets: string[] = [];
  const keeper = createStoreTokenKeeper({ secrets, log, addSecret: (secret) => logSecrets.push(secret), configured: null });
  const storeTokens = options.passStoreTokens === false ? {} : await keeper.load();
  const client = startBackendWorker(resolve(WORKER_BUNDLE), { dataDir: options.dataDir, appVersion: '0.0.0-test', marketplace: { kind: 'demo', seed: 7, orders: 20 }, storeTokens }, log, (storeId, token) => keeper.save(storeId, token));
  started.push(client);
  await client.whenReady();
  const stores = async () => z.array(StoreViewSchema).parse(await client.call('stores.list', {}));
  return { client, secretsFile, secrets, logLines, logSecrets, stores };
}

const addNorthShop = StoreAddInputSchema.parse({ name: 'North Shop', kind: 'demo', url: 'http://127.0.0.1:9/', token: TOKEN });

describe('the backend worker keeps the stores’ tokens through main', () => {
  // Never test whatever was built last.
  beforeAll(async () => {
    const problem = await staleBuildProblem([WORKER_BUNDLE], ['electron', 'shared', 'electron.vite.config.ts'], 'run `npx electron-vite build` (npm test builds first)');
    if (problem !== null) throw new Error(problem);
  });

  it('a store added with a token: main stores it encrypted, the window never gets it back, and the next start has it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-worker-'));
    const first = await startDesktopBackend({ dataDir, keychain: 'real' });
    const added = StoreViewSchema.parse(await first.client.call('stores.add', addNorthShop));
    expect(added).toMatchObject({ id: 'north-shop', credentials: 'keychain' });
    expect(JSON.stringify(added)).not.toContain(TOKEN);

    const onDisk = await readFile(first.secretsFile, 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(JSON.parse(onDisk)).toEqual({ version: 1, secrets: { 'store.north-shop': fakeCiphertext(TOKEN) } });
    expect(first.logSecrets).toEqual([TOKEN]);
    expect(JSON.stringify(await first.stores())).not.toContain(TOKEN);
    await first.client.close();

    const next = await startDesktopBackend({ dataDir, keychain: 'real' });
    expect((await next.stores()).find((store) => store.id === 'north-shop')).toMatchObject({ credentials: 'keychain' });
    await next.client.close();

    // Without main's tokens the store has none (the worker reads no secret itself).
    const without = await startDesktopBackend({ dataDir, keychain: 'real', passStoreTokens: false });
    expect((await without.stores()).find((store) => store.id === 'north-shop')).toMatchObject({ credentials: 'missing' });

    // Removing the store deletes its token.
    await without.client.call('stores.remove', { storeId: 'north-shop' });
    expect(existsSync(first.secretsFile)).toBe(false);
    for (const line of [...first.logLines, ...next.logLines, ...without.logLines]) expect(line).not.toContain(TOKEN);
  });

  it('without a real keychain the store is refused with the reason, and nothing is kept', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-worker-'));
    const { client, secretsFile, stores } = await startDesktopBackend({ dataDir, keychain: 'basic_text' });
    const before = await stores();
    await expect(client.call('stores.add', addNorthShop)).rejects.toMatchObject({
      code: 'secret_storage_unavailable',
      message: expect.stringMatching(/^The token was not saved: no system keychain was found/) as unknown,
    });
    expect((await stores()).map((store) => store.id)).toEqual(before.map((store) => store.id));
    expect(existsSync(secretsFile)).toBe(false);
  });

  it('checks every message from main: logs and ignores junk, fails a malformed call it can name, ignores an answer nobody waits for', async () => {
    const config: WorkerConfig = { dataDir: await mkdtemp(join(tmpdir(), 'desk-worker-')), appVersion: '0.0.0-test', marketplace: { kind: 'demo', seed: 7, orders: 20 }, storeTokens: {} };
    const worker = new Worker(resolve(WORKER_BUNDLE), { workerData: config });
    const received: FromWorker[] = [];
    const waiters: Array<{ until: (message: FromWorker) => boolean; resolve: () => void }> = [];
    worker.on('message', (raw: unknown) => {
      const message = FromWorkerSchema.parse(raw);
      received.push(message);
      for (const waiter of waiters.filter((entry) => entry.until(message))) waiter.resolve();
    });
    const next = (until: (message: FromWorker) => boolean): Promise<void> => new Promise((resolve) => waiters.push({ until, resolve }));
    try {
      await next((message) => message.type === 'ready');
      for (const junk of [
        42,
        { type: 'call', id: 5, channel: 'no.such.channel', input: {} },
        { type: 'call', id: 6, channel: 'connection.get', input: {} },
        { type: 'secret-saved', id: 77, result: { ok: 'yes' } },
        { type: 'secret-saved', id: 78, result: { ok: true } },
        { type: 'nonsense' },
      ]) {
        worker.postMessage(junk);
      }
      const answered = next((message) => message.type === 'result' && message.id === 9);
      worker.postMessage({ type: 'call', id: 9, channel: 'app.info', input: {} });
      await answered;

      const results = received.filter((message) => message.type === 'result');
      const refused = { ok: false, error: { code: 'internal', message: 'The backend received a malformed request.' } };
      expect(results.map(({ id, result }) => ({ id, result: result.ok ? 'ok' : result }))).toEqual([
        { id: 5, result: refused },
        { id: 6, result: refused },
        { id: 9, result: 'ok' },
      ]);
      const logs = received.flatMap((message) => (message.type === 'log' && message.level !== 'info' ? [`${message.level}: ${message.message}`] : []));
      expect(logs.filter((line) => line.startsWith('error: main sent a malformed message (ignored)'))).toHaveLength(5);
      expect(logs).toContain('warn: main answered the secret request 78, which is not waiting for an answer (ignored)');

      const closed = next((message) => message.type === 'closed');
      worker.postMessage({ type: 'close' });
      await closed;
    } finally {
      await worker.terminate();
    }
  });
});
