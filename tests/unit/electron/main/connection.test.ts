import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackendChannel } from '../../../../electron/backend/channels';
import { silentLogger } from '../../../../electron/backend/log';
import { routeCall } from '../../../../electron/backend/shell-channels';
import { createDesktopConnection } from '../../../../electron/main/connection';
import { bindContract } from '../../../../electron/main/ipc';
import { readMarketplaceToken, storeMarketplaceToken } from '../../../../electron/main/marketplace-token';
import { createSecretStore, type SafeStorageLike } from '../../../../electron/main/secret-store';
import type { Connection } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/ipc/result';

/** A stand-in for safeStorage: reversible, and visibly not plain text; or no keychain at all. */
function fakeSafeStorage(available: boolean): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: () => Promise.resolve(available),
    encryptStringAsync: (plainText: string) => Promise.resolve(Buffer.from(`enc:${[...plainText].reverse().join('')}`)),
    decryptStringAsync: (encrypted: Buffer) => Promise.resolve({ shouldReEncrypt: false, result: [...encrypted.toString().slice(4)].reverse().join('') }),
  };
}

type Handler = (event: unknown, input: unknown) => Promise<Result<unknown>>;

/** Main's binding as index.ts wires it: the contract on a recording ipcMain, connection channels to main's own handlers. */
async function bindMain(options: { keychain: boolean; settings?: string; active?: Connection['active'] }) {
  const dir = await mkdtemp(join(tmpdir(), 'desk-connection-'));
  const settingsFile = join(dir, 'desktop-settings.json');
  if (options.settings !== undefined) await writeFile(settingsFile, options.settings);
  const secrets = createSecretStore(join(dir, 'secrets.json'), fakeSafeStorage(options.keychain));
  const backendCalls: BackendChannel[] = [];
  const connection = createDesktopConnection({
    settingsFile,
    secrets,
    active: () => Promise.resolve(options.active ?? { kind: 'demo', marketplaceUrl: 'http://127.0.0.1:4000' }),
    log: silentLogger,
  });
  const handlers = new Map<string, Handler>();
  bindContract(
    { handle: (channel: string, handler: Handler) => void handlers.set(channel, handler) } as never,
    routeCall(connection, (channel) => {
      backendCalls.push(channel);
      return Promise.resolve({ version: '1' });
    }),
    () => true,
  );
  const invoke = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    const handler = handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return handler({}, input);
  };
  return { dir, settingsFile, secrets, backendCalls, invoke };
}

describe('the marketplace connection in Electron main', () => {
  it('answers from the desktop settings and the keychain, never from the backend worker', async () => {
    const main = await bindMain({ keychain: true });
    const answer = await main.invoke('connection.get', {});
    expect(answer).toEqual({
      ok: true,
      value: {
        active: { kind: 'demo', marketplaceUrl: 'http://127.0.0.1:4000' },
        saved: { kind: 'demo', marketplaceUrl: null },
        tokenStored: false,
        tokenStorage: 'keychain',
        restartRequired: false,
      },
    });
    expect(main.backendCalls).toEqual([]);
    // Every other channel still goes to the backend.
    await main.invoke('app.info', {});
    expect(main.backendCalls).toEqual(['app.info']);
  });

  it('saves a remote marketplace with its token encrypted, never returns the token, and says a restart is needed', async () => {
    const main = await bindMain({ keychain: true, settings: JSON.stringify({ deadlineAlertHours: 2, updateFeedUrl: 'https://updates.example/' }) });
    const answer = await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/v1', token: 'tok-very-secret' });
    expect(answer).toEqual({
      ok: true,
      value: {
        active: { kind: 'demo', marketplaceUrl: 'http://127.0.0.1:4000' },
        saved: { kind: 'remote', marketplaceUrl: 'https://api.market.example/v1' },
        tokenStored: true,
        tokenStorage: 'keychain',
        restartRequired: true,
      },
    });
    expect(JSON.stringify(answer)).not.toContain('tok-very-secret');
    expect(JSON.parse(await readFile(main.settingsFile, 'utf8'))).toEqual({ marketplaceUrl: 'https://api.market.example/v1', updateFeedUrl: 'https://updates.example/' });
    expect(await readFile(join(main.dir, 'secrets.json'), 'utf8')).not.toContain('tok-very-secret');
    expect(await readMarketplaceToken(main.secrets, 'https://api.market.example/v1')).toEqual({ kind: 'match', token: 'tok-very-secret' });
    expect(main.backendCalls).toEqual([]);
  });

  it('needs no restart when what is saved is what runs, and does after a new token', async () => {
    const active = { kind: 'remote', marketplaceUrl: 'https://api.market.example/v1' } as const;
    const main = await bindMain({ keychain: true, settings: JSON.stringify({ marketplaceUrl: 'https://api.market.example/v1' }), active });
    await storeMarketplaceToken(main.secrets, 'https://api.market.example/v1', 'tok-at-start');
    expect(await main.invoke('connection.get', {})).toMatchObject({ ok: true, value: { restartRequired: false, tokenStored: true } });
    // Keeping the stored token (none given) changes nothing that runs.
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/v1' })).toMatchObject({ ok: true, value: { restartRequired: false } });
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/v1', token: 'tok-rotated-1' })).toMatchObject({ ok: true, value: { restartRequired: true } });
    expect(await main.invoke('connection.update', { kind: 'demo' })).toMatchObject({ ok: true, value: { saved: { kind: 'demo', marketplaceUrl: null }, restartRequired: true } });
  });

  it('refuses a token it cannot encrypt, and saves nothing (never plain text)', async () => {
    const main = await bindMain({ keychain: false });
    const answer = await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/', token: 'tok-very-secret' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'secret_storage_unavailable', message: expect.stringContaining('never stores it in plain text') as unknown } });
    expect(existsSync(main.settingsFile)).toBe(false);
    expect(existsSync(join(main.dir, 'secrets.json'))).toBe(false);
  });

  it('refuses a remote marketplace without any token, and validates the URL at the boundary', async () => {
    const main = await bindMain({ keychain: true });
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/' })).toMatchObject({ ok: false, error: { code: 'token_required' } });
    const plainHttp = await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'http://api.market.example/', token: 'tok-very-secret' });
    expect(plainHttp).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('marketplaceUrl: must be an https URL') as unknown } });
    const withPassword = await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://me:pw@api.market.example/', token: 'tok-very-secret' });
    expect(withPassword).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('user name or password') as unknown } });
    expect(existsSync(main.settingsFile)).toBe(false);
  });

  it('refuses to carry a stored token to another marketplace: a new origin needs its own token', async () => {
    const main = await bindMain({ keychain: true });
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/v1', token: 'tok-for-market' })).toMatchObject({ ok: true });
    // Another path on the same origin keeps the token.
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/v2' })).toMatchObject({ ok: true, value: { tokenStored: true } });

    for (const other of ['https://evil.example/v2', 'https://api.market.example:8443/v2', 'http://127.0.0.1:4000/']) {
      const answer = await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: other });
      expect(answer, other).toEqual({
        ok: false,
        error: {
          code: 'token_required',
          message: `The stored marketplace token was entered for https://api.market.example and is never sent to another marketplace: enter the token for ${new URL(other).origin}.`,
        },
      });
    }
    // Nothing was saved by the refusals.
    expect(JSON.parse(await readFile(main.settingsFile, 'utf8'))).toMatchObject({ marketplaceUrl: 'https://api.market.example/v2' });

    // With its own token the new marketplace is saved, and the old token is gone.
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://other-market.example/', token: 'tok-for-other' })).toMatchObject({ ok: true, value: { tokenStored: true } });
    expect(await readMarketplaceToken(main.secrets, 'https://api.market.example/v1')).toEqual({ kind: 'other_origin', origin: 'https://other-market.example' });
  });

  it('does not count a token entered for another marketplace as stored for the saved one', async () => {
    const main = await bindMain({ keychain: true, settings: JSON.stringify({ marketplaceUrl: 'https://new-market.example/' }) });
    await storeMarketplaceToken(main.secrets, 'https://old-market.example/', 'tok-for-old');
    expect(await main.invoke('connection.get', {})).toMatchObject({ ok: true, value: { saved: { kind: 'remote', marketplaceUrl: 'https://new-market.example/' }, tokenStored: false } });
    // The demo needs no token, and switching back to the token's own marketplace needs none either.
    expect(await main.invoke('connection.update', { kind: 'demo' })).toMatchObject({ ok: true, value: { tokenStored: false } });
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://old-market.example/' })).toMatchObject({ ok: true, value: { tokenStored: true } });
  });

  it('asks again for a token saved by an earlier version (tied to no marketplace)', async () => {
    const main = await bindMain({ keychain: true, settings: JSON.stringify({ marketplaceUrl: 'https://api.market.example/' }) });
    await main.secrets.set('marketplace.token', 'tok-legacy');
    expect(await main.invoke('connection.get', {})).toMatchObject({ ok: true, value: { tokenStored: false } });
    expect(await main.invoke('connection.update', { kind: 'remote', marketplaceUrl: 'https://api.market.example/' })).toMatchObject({
      ok: false,
      error: { code: 'token_required', message: expect.stringContaining('earlier version') as unknown },
    });
  });
});
