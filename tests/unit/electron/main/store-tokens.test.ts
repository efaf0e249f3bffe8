import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../electron/backend/log';
import { readMarketplaceToken, storeMarketplaceToken } from '../../../../electron/main/marketplace-token';
import { createSecretStore } from '../../../../electron/main/secret-store';
import { createStoreTokenKeeper } from '../../../../electron/main/store-tokens';
import { fakeCiphertext, fakeSafeStorage } from './fake-safe-storage';

async function keeper(options: { keychain?: 'real' | 'basic_text'; configured?: { storeId: string; baseUrl: string }; file?: string } = {}) {
  const file = options.file ?? join(await mkdtemp(join(tmpdir(), 'desk-store-tokens-')), 'secrets.json');
  const secrets = createSecretStore(file, fakeSafeStorage(options.keychain === 'basic_text' ? { backend: 'basic_text' } : { backend: 'kwallet5' }));
  const logLines: string[] = [];
  const log: Logger = { info: (m) => logLines.push(`info: ${m}`), warn: (m) => logLines.push(`warn: ${m}`), error: (m) => logLines.push(`error: ${m}`) };
  const logSecrets: string[] = [];
  /** What the keeper did, in order: registering a log secret, and storing in the keychain. */
  const steps: string[] = [];
  const set = secrets.set.bind(secrets);
  secrets.set = (name, value) => {
    steps.push(`set ${name}`);
    return set(name, value);
  };
  const tokens = createStoreTokenKeeper({
    secrets,
    log,
    addSecret: (secret) => {
      steps.push('addSecret');
      logSecrets.push(secret);
    },
    configured: options.configured ?? null,
  });
  return { file, secrets, tokens, logLines, logSecrets, steps };
}

describe('the stores’ tokens in main', () => {
  it('stores a token encrypted as store.<storeId>, a secret of the log before anything else, and reads it back at the next start', async () => {
    const first = await keeper();
    await first.tokens.save('north-shop', 'tok-north-1234');
    expect(first.steps).toEqual(['addSecret', 'set store.north-shop']);
    const onDisk = await readFile(first.file, 'utf8');
    expect(onDisk).not.toContain('tok-north-1234');
    expect(JSON.parse(onDisk)).toEqual({ version: 1, secrets: { 'store.north-shop': fakeCiphertext('tok-north-1234') } });
    expect(first.logLines).toEqual(['info: the token of store north-shop was saved in the system keychain']);

    const next = await keeper({ file: first.file });
    expect(await next.tokens.load()).toEqual({ 'north-shop': 'tok-north-1234' });
    expect(next.logSecrets).toEqual(['tok-north-1234']);

    await next.tokens.save('north-shop', null);
    expect(existsSync(first.file)).toBe(false);
    expect(next.logLines).toContain('info: the token of store north-shop was deleted from the system keychain');
  });

  it('refuses to store a token without a real keychain, says why, and writes nothing', async () => {
    const { file, tokens, logSecrets, logLines } = await keeper({ keychain: 'basic_text' });
    await expect(tokens.save('shop', 'tok-shop-1234')).rejects.toMatchObject({
      code: 'secret_storage_unavailable',
      message: expect.stringMatching(/^The token was not saved: no system keychain was found .*Cancel Desk never stores it in plain text\.$/) as unknown,
    });
    expect(existsSync(file)).toBe(false);
    // Whatever is logged about it later, the token is not.
    expect(logSecrets).toEqual(['tok-shop-1234']);
    expect(logLines).toEqual([]);
  });

  it('refuses what is not a store id', async () => {
    const { file, tokens } = await keeper();
    await expect(tokens.save('../secrets', 'tok-shop-1234')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(existsSync(file)).toBe(false);
  });

  it('at start leaves out a token it cannot decrypt (the store asks for its credentials again), and says so in the log', async () => {
    const { file, tokens, logLines, logSecrets } = await keeper();
    await writeFile(file, JSON.stringify({ version: 1, secrets: { 'store.good': fakeCiphertext('tok-good-1234'), 'store.broken': Buffer.from('garbage').toString('base64') } }));
    expect(await tokens.load()).toEqual({ good: 'tok-good-1234' });
    expect(logLines).toEqual(['error: the token of store broken could not be read, so the store asks for its credentials again: The stored token could not be decrypted (bad ciphertext); enter it again.']);
    expect(logSecrets).toEqual(['tok-good-1234']);
  });

  it('at start, with an unreadable secret file, starts with no store token and says so', async () => {
    const { file, tokens, logLines } = await keeper();
    await writeFile(file, 'not json');
    expect(await tokens.load()).toEqual({});
    expect(logLines).toEqual([expect.stringMatching(/^error: the stores' tokens could not be read, so every store asks for its credentials again: The secret store .* is not JSON/) as unknown]);
  });

  it('keeps the configured marketplace’s store token with its origin, never as a store secret', async () => {
    const configured = { storeId: 'marketplace', baseUrl: 'https://api.example.com/v1' };
    const { secrets, tokens, logLines } = await keeper({ configured });
    await secrets.set('store.marketplace', 'tok-added-in-demo');
    await secrets.set('store.shop', 'tok-shop-1234');
    // A token entered for this store in another mode could belong to any host: not sent here.
    expect(await tokens.load()).toEqual({ shop: 'tok-shop-1234' });
    expect(logLines).toContain('warn: the token stored as store marketplace is not used: that store is the configured marketplace, whose token is kept with its address');

    await tokens.save('marketplace', 'tok-configured-5678');
    expect(await readMarketplaceToken(secrets, 'https://api.example.com/other')).toEqual({ kind: 'match', token: 'tok-configured-5678' });
    expect(await secrets.get('store.marketplace')).toBe('tok-added-in-demo');
    await tokens.save('marketplace', null);
    expect(await readMarketplaceToken(secrets, configured.baseUrl)).toEqual({ kind: 'none' });
  });

  it('leaves the configured marketplace’s own token alone for other stores', async () => {
    const { secrets, tokens } = await keeper({ configured: { storeId: 'marketplace', baseUrl: 'https://api.example.com/' } });
    await storeMarketplaceToken(secrets, 'https://api.example.com/', 'tok-configured-5678');
    await tokens.save('shop', 'tok-shop-1234');
    await tokens.save('shop', null);
    expect(await readMarketplaceToken(secrets, 'https://api.example.com/')).toEqual({ kind: 'match', token: 'tok-configured-5678' });
  });
});
