import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESKTOP_SETTINGS, loadDesktopSettings, parseDesktopSettings, saveDesktopSettings } from '../../../../electron/main/desktop-settings';
import { chooseMarketplace, DEMO_MARKETPLACE, MARKETPLACE_TOKEN_ENV, MARKETPLACE_URL_ENV } from '../../../../electron/main/marketplace-choice';
import { readMarketplaceToken, storeMarketplaceToken } from '../../../../electron/main/marketplace-token';
import type { SecretName, SecretStore } from '../../../../electron/main/secret-store';
import type { Logger } from '../../../../electron/backend/log';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

/** The secret store's contract over a Map (the real one, on a fake keychain, is in secret-store.test.ts). */
function memorySecrets(options: { canStore?: boolean } = {}): SecretStore & { values: Map<SecretName, string> } {
  const values = new Map<SecretName, string>();
  return {
    values,
    availability: () => Promise.resolve(options.canStore === false ? { available: false as const, reason: 'no keychain' } : { available: true as const }),
    get: (name) => Promise.resolve(values.get(name) ?? null),
    has: (name) => Promise.resolve(values.has(name)),
    set(name, value) {
      if (options.canStore === false) return Promise.reject(new Error('The token was not saved: no keychain.'));
      values.set(name, value);
      return Promise.resolve();
    },
    delete(name) {
      values.delete(name);
      return Promise.resolve();
    },
    storeTokens: () =>
      Promise.resolve({
        tokens: Object.fromEntries([...values].filter(([name]) => name.startsWith('store.')).map(([name, value]) => [name.slice('store.'.length), value])),
        unreadable: [],
      }),
  };
}

async function secretsWithToken(marketplaceUrl: string, token: string): Promise<ReturnType<typeof memorySecrets>> {
  const secrets = memorySecrets();
  await storeMarketplaceToken(secrets, marketplaceUrl, token);
  return secrets;
}

describe('desktop settings', () => {
  it('defaults when there is no file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-settings-'));
    expect(await loadDesktopSettings(join(dir, 'none.json'))).toEqual({ settings: DEFAULT_DESKTOP_SETTINGS, problem: null });
    expect(DEFAULT_DESKTOP_SETTINGS).toEqual({ marketplaceUrl: null, updateFeedUrl: null });
  });

  it('reads a valid file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-settings-'));
    const file = join(dir, 'desktop-settings.json');
    await writeFile(file, JSON.stringify({ marketplaceUrl: 'https://api.market.example/', updateFeedUrl: 'http://127.0.0.1:8080/updates/' }));
    expect(await loadDesktopSettings(file)).toEqual({ settings: { marketplaceUrl: 'https://api.market.example/', updateFeedUrl: 'http://127.0.0.1:8080/updates/' }, problem: null });
  });

  it('still reads an older file that has deadlineAlertHours (now a seller setting): the key is ignored, the rest used', () => {
    const read = parseDesktopSettings(JSON.stringify({ deadlineAlertHours: 2, marketplaceUrl: 'https://api.market.example/' }));
    expect(read.problem).toBeNull();
    expect(read.settings.marketplaceUrl).toBe('https://api.market.example/');
  });

  it('saves the marketplace choice atomically, keeping the other settings and dropping the old deadline key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-settings-'));
    const file = join(dir, 'desktop-settings.json');
    await writeFile(file, JSON.stringify({ deadlineAlertHours: 2, updateFeedUrl: 'https://updates.example/' }));
    await saveDesktopSettings(file, { marketplaceUrl: 'https://api.market.example/' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ marketplaceUrl: 'https://api.market.example/', updateFeedUrl: 'https://updates.example/' });
    expect(await readdir(dir)).toEqual(['desktop-settings.json']);
    await saveDesktopSettings(file, { marketplaceUrl: null });
    expect((await loadDesktopSettings(file)).settings).toEqual({ marketplaceUrl: null, updateFeedUrl: 'https://updates.example/' });
  });

  it('refuses to save over an invalid file (it would lose what the file says) and leaves it as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-settings-'));
    const file = join(dir, 'desktop-settings.json');
    await writeFile(file, '{"updateFeedUrl": "ftp://nope"}');
    await expect(saveDesktopSettings(file, { marketplaceUrl: null })).rejects.toMatchObject({ code: 'settings_file_invalid', message: expect.stringMatching(/updateFeedUrl.*fix or remove the file/) as unknown });
    expect(await readFile(file, 'utf8')).toBe('{"updateFeedUrl": "ftp://nope"}');
  });

  it.each([
    ['{"marketplaceUrl": "http://api.market.example/"}', 'https'],
    ['{"updateFeedUrl": "https://user:pw@updates.example/"}', 'user name or password'],
    ['{"surprise": true}', 'surprise'],
    ['[1,', 'not JSON'],
  ])('falls back to the defaults on %s and says why', (text, why) => {
    const read = parseDesktopSettings(text);
    expect(read.settings).toEqual(DEFAULT_DESKTOP_SETTINGS);
    expect(read.problem).toContain(why);
  });
});

describe('choosing the marketplace', () => {
  const configured = { ...DEFAULT_DESKTOP_SETTINGS, marketplaceUrl: 'https://api.market.example/v1' };

  it('is the embedded demo out of the box', async () => {
    const env: Record<string, string | undefined> = {};
    expect(await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env, allowUrlOverride: true, secrets: memorySecrets(), log: recordingLog() })).toEqual(DEMO_MARKETPLACE);
  });

  it('uses a configured marketplace with the token stored for its origin (another path on the same origin keeps it)', async () => {
    const choice = await chooseMarketplace({
      settings: configured,
      env: {},
      allowUrlOverride: false,
      secrets: await secretsWithToken('https://api.market.example/', 'tok-stored'),
      log: recordingLog(),
    });
    expect(choice).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/v1', token: 'tok-stored' });
  });

  it('never sends a token entered for another marketplace, and says which', async () => {
    const log = recordingLog();
    for (const other of ['https://old-market.example/', 'http://api.market.example/', 'https://api.market.example:8443/']) {
      const choice = await chooseMarketplace({ settings: configured, env: {}, allowUrlOverride: false, secrets: await secretsWithToken(other, 'tok-for-old'), log });
      expect(choice, other).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/v1', token: '' });
    }
    expect(log.lines.join('\n')).toContain('error The stored marketplace token was entered for https://old-market.example and is never sent to another marketplace: enter the token for https://api.market.example.');
    expect(log.lines.join('\n')).not.toContain('tok-for-old');
  });

  it('never sends a token saved by an earlier version (tied to no marketplace)', async () => {
    const log = recordingLog();
    const secrets = memorySecrets();
    await secrets.set('marketplace.token', 'tok-legacy');
    const choice = await chooseMarketplace({ settings: configured, env: {}, allowUrlOverride: false, secrets, log });
    expect(choice).toMatchObject({ kind: 'remote', token: '' });
    expect(log.lines.join('\n')).toContain('saved by an earlier version of Cancel Desk is not tied to a marketplace');
    // A new token replaces it, for its own origin only.
    await storeMarketplaceToken(secrets, 'https://api.market.example/', 'tok-new');
    expect([...secrets.values.keys()]).toEqual(['marketplace.credential']);
  });

  it('stores a token given in the environment for the configured marketplace, and deletes it from the environment', async () => {
    const env: Record<string, string | undefined> = { [MARKETPLACE_TOKEN_ENV]: 'tok-env' };
    const secrets = memorySecrets();
    const choice = await chooseMarketplace({ settings: configured, env, allowUrlOverride: false, secrets, log: recordingLog() });
    expect(choice).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/v1', token: 'tok-env' });
    expect(await readMarketplaceToken(secrets, 'https://api.market.example/')).toEqual({ kind: 'match', token: 'tok-env' });
    expect(await readMarketplaceToken(secrets, 'https://elsewhere.example/')).toEqual({ kind: 'other_origin', origin: 'https://api.market.example' });
    expect(env).not.toHaveProperty(MARKETPLACE_TOKEN_ENV);
  });

  it('does not keep a token from the environment when no marketplace is configured (it would be tied to nothing)', async () => {
    const log = recordingLog();
    const secrets = memorySecrets();
    const env: Record<string, string | undefined> = { [MARKETPLACE_TOKEN_ENV]: 'tok-env' };
    expect(await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env, allowUrlOverride: false, secrets, log })).toEqual(DEMO_MARKETPLACE);
    expect(secrets.values.size).toBe(0);
    expect(env).not.toHaveProperty(MARKETPLACE_TOKEN_ENV);
    expect(log.lines.join('\n')).toMatch(/warn CANCEL_DESK_MARKETPLACE_TOKEN is not used: no marketplace is configured/);
  });

  it('takes the marketplace URL from the environment only when allowed (development builds)', async () => {
    const env = { [MARKETPLACE_URL_ENV]: 'https://evil.example/' };
    const secrets = await secretsWithToken('https://api.market.example/', 'tok-stored');
    expect(await chooseMarketplace({ settings: configured, env, allowUrlOverride: false, secrets, log: recordingLog() })).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/v1', token: 'tok-stored' });
    expect(await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env, allowUrlOverride: false, secrets, log: recordingLog() })).toEqual(DEMO_MARKETPLACE);
    // In development it applies, and the stored token, being for another origin, is not sent to it.
    expect(await chooseMarketplace({ settings: configured, env, allowUrlOverride: true, secrets, log: recordingLog() })).toEqual({ kind: 'remote', baseUrl: 'https://evil.example/', token: '' });
  });

  it('uses an environment token for this session only when it cannot be stored, and says so', async () => {
    const log = recordingLog();
    const env: Record<string, string | undefined> = { [MARKETPLACE_URL_ENV]: 'https://api.market.example/', [MARKETPLACE_TOKEN_ENV]: 'tok-env' };
    const choice = await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env, allowUrlOverride: true, secrets: memorySecrets({ canStore: false }), log });
    expect(choice).toMatchObject({ kind: 'remote', token: 'tok-env' });
    expect(log.lines.join('\n')).toMatch(/error .*not saved.*this session only/);
    expect(log.lines.join('\n')).not.toContain('tok-env');
  });

  it('ignores an invalid URL from the environment', async () => {
    const log = recordingLog();
    const choice = await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env: { [MARKETPLACE_URL_ENV]: 'ftp://x' }, allowUrlOverride: true, secrets: memorySecrets(), log });
    expect(choice).toEqual(DEMO_MARKETPLACE);
    expect(log.lines.some((line) => line.startsWith('error') && line.includes(MARKETPLACE_URL_ENV))).toBe(true);
  });

  it('keeps a configured marketplace without a token (sync then shows the marketplace’s refusal)', async () => {
    const log = recordingLog();
    const choice = await chooseMarketplace({ settings: configured, env: {}, allowUrlOverride: false, secrets: memorySecrets(), log });
    expect(choice).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/v1', token: '' });
    expect(log.lines).toContain('warn no marketplace token is stored for https://api.market.example: enter it in Settings');
  });
});
