import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESKTOP_SETTINGS, loadDesktopSettings, parseDesktopSettings, saveDesktopSettings } from '../../../../electron/main/desktop-settings';
import { chooseMarketplace, DEMO_MARKETPLACE, MARKETPLACE_TOKEN_ENV, MARKETPLACE_URL_ENV } from '../../../../electron/main/marketplace-choice';
import type { SecretStore } from '../../../../electron/main/secret-store';
import type { Logger } from '../../../../electron/backend/log';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function memorySecrets(options: { canStore?: boolean; stored?: string | null } = {}): SecretStore & { value: string | null } {
  const store = {
    value: options.stored ?? null,
    availability: () => Promise.resolve(options.canStore === false ? { available: false as const, reason: 'no keychain' } : { available: true as const }),
    get: () => Promise.resolve(store.value),
    has: () => Promise.resolve(store.value !== null),
    set(_name: string, value: string) {
      if (options.canStore === false) return Promise.reject(new Error('The token was not saved: no keychain.'));
      store.value = value;
      return Promise.resolve();
    },
    delete() {
      store.value = null;
      return Promise.resolve();
    },
  };
  return store;
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
  it('is the embedded demo out of the box', async () => {
    const env: Record<string, string | undefined> = {};
    expect(await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env, secrets: memorySecrets(), log: recordingLog() })).toEqual(DEMO_MARKETPLACE);
  });

  it('uses a configured marketplace with the token from the secret store', async () => {
    const choice = await chooseMarketplace({
      settings: { ...DEFAULT_DESKTOP_SETTINGS, marketplaceUrl: 'https://api.market.example/' },
      env: {},
      secrets: memorySecrets({ stored: 'tok-stored' }),
      log: recordingLog(),
    });
    expect(choice).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/', token: 'tok-stored' });
  });

  it('stores a token given in the environment, and removes it from the environment', async () => {
    const env: Record<string, string | undefined> = { [MARKETPLACE_URL_ENV]: 'https://api.market.example/', [MARKETPLACE_TOKEN_ENV]: 'tok-env' };
    const secrets = memorySecrets();
    const choice = await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env, secrets, log: recordingLog() });
    expect(choice).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/', token: 'tok-env' });
    expect(secrets.value).toBe('tok-env');
    expect(env).not.toHaveProperty(MARKETPLACE_TOKEN_ENV);
  });

  it('uses an environment token for this session only when it cannot be stored, and says so', async () => {
    const log = recordingLog();
    const env: Record<string, string | undefined> = { [MARKETPLACE_URL_ENV]: 'https://api.market.example/', [MARKETPLACE_TOKEN_ENV]: 'tok-env' };
    const choice = await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env, secrets: memorySecrets({ canStore: false }), log });
    expect(choice).toMatchObject({ kind: 'remote', token: 'tok-env' });
    expect(log.lines.join('\n')).toMatch(/error .*not saved.*this session only/);
    expect(log.lines.join('\n')).not.toContain('tok-env');
  });

  it('ignores an invalid URL from the environment', async () => {
    const log = recordingLog();
    const choice = await chooseMarketplace({ settings: DEFAULT_DESKTOP_SETTINGS, env: { [MARKETPLACE_URL_ENV]: 'ftp://x' }, secrets: memorySecrets(), log });
    expect(choice).toEqual(DEMO_MARKETPLACE);
    expect(log.lines.some((line) => line.startsWith('error') && line.includes(MARKETPLACE_URL_ENV))).toBe(true);
  });

  it('keeps a configured marketplace without a token (sync then shows the marketplace’s refusal)', async () => {
    const log = recordingLog();
    const choice = await chooseMarketplace({ settings: { ...DEFAULT_DESKTOP_SETTINGS, marketplaceUrl: 'https://api.market.example/' }, env: {}, secrets: memorySecrets(), log });
    expect(choice).toEqual({ kind: 'remote', baseUrl: 'https://api.market.example/', token: '' });
    expect(log.lines.some((line) => line.startsWith('warn'))).toBe(true);
  });
});
