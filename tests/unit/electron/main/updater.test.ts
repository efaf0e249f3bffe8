import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi, type Mock } from 'vitest';
import type { Logger } from '../../../../electron/backend/log';
import {
  decideUpdateTrust,
  parseInstallerFeed,
  resolveUpdateFeed,
  smallTextFetcher,
  startAutoUpdates,
  type UpdateFeed,
  type UpdateOffer,
  type UpdaterLike,
  type UpdateTrust,
} from '../../../../electron/main/updater';
import { encodeUpdatePublicKey, signUpdateFile } from '../../../../electron/main/update-signature';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

type FakeUpdater = UpdaterLike & {
  feed: unknown;
  /** Fires the updater's events. */
  emitter: EventEmitter;
  spies: { checkForUpdates: Mock<() => Promise<unknown>>; checkForUpdatesAndNotify: Mock<() => Promise<unknown>>; install: Mock<(isSilent?: boolean, isForceRunAfter?: boolean) => boolean> };
};

/** electron-updater's AppUpdater as far as updater.ts uses it. */
function fakeUpdater(check: () => Promise<unknown> = () => Promise.resolve(null)): FakeUpdater {
  const emitter = new EventEmitter();
  const spies = { checkForUpdates: vi.fn(() => check()), checkForUpdatesAndNotify: vi.fn(() => check()), install: vi.fn((_isSilent?: boolean, _isForceRunAfter?: boolean) => true) };
  const fake: FakeUpdater = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    logger: null,
    feed: null,
    emitter,
    spies,
    setFeedURL: (options) => {
      fake.feed = options;
    },
    checkForUpdates: spies.checkForUpdates,
    checkForUpdatesAndNotify: spies.checkForUpdatesAndNotify,
    install: spies.install,
    on: (event, listener) => emitter.on(event, listener as (...args: unknown[]) => void),
  };
  return fake;
}

const FEED: UpdateFeed = { kind: 'generic', url: 'https://updates.example/desk', source: 'settings' };

/** Starts updates against a fake updater; `quit(code)` runs what was registered for the app's quit. */
async function start(options: { trust: UpdateTrust; feed?: UpdateFeed; fetchSignature?: (url: string) => Promise<string>; updater?: FakeUpdater }) {
  const updater = options.updater ?? fakeUpdater();
  const log = recordingLog();
  const offers: UpdateOffer[] = [];
  const quitHandlers: Array<(exitCode: number) => void> = [];
  let scheduled: (() => void) | null = null;
  const updates = await startAutoUpdates({
    feed: options.feed ?? FEED,
    trust: options.trust,
    log,
    loadUpdater: () => Promise.resolve(updater),
    schedule: (callback) => {
      scheduled = callback;
      return () => (scheduled = null);
    },
    onQuit: (handler) => quitHandlers.push(handler),
    fetchSignature: options.fetchSignature ?? (() => Promise.reject(new Error('no signature in this test'))),
    offer: (offer) => offers.push(offer),
  });
  return {
    updater,
    log,
    offers,
    updates,
    scheduled: () => scheduled,
    quit: (exitCode = 0) => quitHandlers.forEach((handler) => handler(exitCode)),
  };
}

describe('where updates come from', () => {
  const base = { isPackaged: true, settingsUrl: null, installer: { kind: 'none' } } as const;
  const installer = { kind: 'generic', url: 'https://installer.example/', publisherNames: [] } as const;

  it('is off unless a feed is configured, and always off in development', () => {
    expect(resolveUpdateFeed(base)).toMatchObject({ kind: 'off' });
    expect(resolveUpdateFeed({ ...base, isPackaged: false, settingsUrl: 'https://updates.example/' })).toMatchObject({ kind: 'off' });
  });

  it('prefers the desktop settings, then the installer’s own feed (never the environment: it is not an input)', () => {
    expect(resolveUpdateFeed({ ...base, settingsUrl: 'https://settings.example/', installer })).toEqual({ kind: 'generic', url: 'https://settings.example/', source: 'settings' });
    expect(resolveUpdateFeed({ ...base, installer })).toEqual({ kind: 'generic', url: 'https://installer.example/', source: 'installer' });
    expect(resolveUpdateFeed({ ...base, installer: { kind: 'invalid', problem: 'app-update.yml is invalid (url: nope)' } })).toEqual({ kind: 'off', reason: 'app-update.yml is invalid (url: nope)' });
  });

  it('reads the installer’s app-update.yml, with its publisher names, and refuses an insecure or broken one', () => {
    expect(parseInstallerFeed(null)).toEqual({ kind: 'none' });
    expect(parseInstallerFeed('provider: generic\nurl: https://u.example/desk/\nupdaterCacheDirName: cancel-desk-updater\n')).toEqual({ kind: 'generic', url: 'https://u.example/desk/', publisherNames: [] });
    expect(parseInstallerFeed('provider: generic\nurl: https://u.example/\npublisherName: Cancel Desk Ltd\n')).toMatchObject({ publisherNames: ['Cancel Desk Ltd'] });
    expect(parseInstallerFeed('provider: generic\nurl: https://u.example/\npublisherName:\n  - CN=Cancel Desk Ltd\n  - "  "\n')).toMatchObject({ publisherNames: ['CN=Cancel Desk Ltd'] });
    expect(parseInstallerFeed('provider: generic\nurl: http://updates.example/\n')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('https') as unknown });
    expect(parseInstallerFeed('provider: github\nurl: https://u.example/\n')).toMatchObject({ kind: 'invalid' });
    expect(parseInstallerFeed('url: [')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('not YAML') as unknown });
  });
});

describe('whether an update can be checked for its publisher (decideUpdateTrust)', () => {
  const { publicKey } = generateKeyPairSync('ed25519');
  const pinned = encodeUpdatePublicKey(publicKey);
  const base = { linuxPackageType: null, publisherNames: [], updatePublicKey: undefined, macSigned: false };

  it('Windows: installs only updates signed by the publisher built in; without one it fails closed', () => {
    expect(decideUpdateTrust({ ...base, platform: 'win32', publisherNames: ['Cancel Desk Ltd'] })).toEqual({ mode: 'install', check: 'windows-publisher', publisherNames: ['Cancel Desk Ltd'] });
    expect(decideUpdateTrust({ ...base, platform: 'win32' })).toMatchObject({ mode: 'offer', reason: expect.stringContaining('publisher name') as unknown });
    expect(decideUpdateTrust({ ...base, platform: 'win32', publisherNames: ['  '] })).toMatchObject({ mode: 'offer' });
    // A key meant for Linux does not make an unsigned Windows build install anything.
    expect(decideUpdateTrust({ ...base, platform: 'win32', updatePublicKey: pinned, macSigned: true })).toMatchObject({ mode: 'offer' });
  });

  it('macOS: only a signed build updates itself', () => {
    expect(decideUpdateTrust({ ...base, platform: 'darwin', macSigned: true })).toEqual({ mode: 'install', check: 'macos-code-signature' });
    expect(decideUpdateTrust({ ...base, platform: 'darwin', updatePublicKey: pinned, publisherNames: ['X'] })).toMatchObject({ mode: 'offer', reason: expect.stringContaining('Developer ID') as unknown });
  });

  it('Linux: AppImage and deb install only with the pinned Ed25519 key; without one, or with a broken one, they are offered', () => {
    expect(decideUpdateTrust({ ...base, platform: 'linux', updatePublicKey: pinned })).toMatchObject({ mode: 'install', check: 'ed25519', linuxPackage: 'AppImage' });
    expect(decideUpdateTrust({ ...base, platform: 'linux', linuxPackageType: 'deb\n', updatePublicKey: pinned })).toMatchObject({ mode: 'install', check: 'ed25519', linuxPackage: 'deb' });
    expect(decideUpdateTrust({ ...base, platform: 'linux', linuxPackageType: 'deb' })).toMatchObject({ mode: 'offer', reason: expect.stringContaining('no update signing key') as unknown });
    expect(decideUpdateTrust({ ...base, platform: 'linux', updatePublicKey: '' })).toMatchObject({ mode: 'offer' });
    expect(decideUpdateTrust({ ...base, platform: 'linux', updatePublicKey: 'not-a-key' })).toMatchObject({ mode: 'offer', reason: expect.stringContaining('32-byte') as unknown });
    expect(decideUpdateTrust({ ...base, platform: 'linux', linuxPackageType: 'rpm', updatePublicKey: pinned })).toMatchObject({ mode: 'offer', reason: expect.stringContaining('rpm') as unknown });
    // A publisher name or a mac flag does not stand in for the key on Linux.
    expect(decideUpdateTrust({ ...base, platform: 'linux', publisherNames: ['X'], macSigned: true })).toMatchObject({ mode: 'offer' });
  });

  it('elsewhere: offered, never installed', () => {
    expect(decideUpdateTrust({ ...base, platform: 'freebsd', updatePublicKey: pinned, macSigned: true, publisherNames: ['X'] })).toMatchObject({ mode: 'offer' });
  });
});

describe('automatic updates', () => {
  const offerTrust: UpdateTrust = { mode: 'offer', reason: 'no update signing key was built into this copy' };

  it('does nothing, and loads nothing, when off', async () => {
    const loadUpdater = vi.fn(() => Promise.resolve(fakeUpdater()));
    const log = recordingLog();
    await startAutoUpdates({
      feed: { kind: 'off', reason: 'no update feed URL is configured' },
      trust: offerTrust,
      log,
      loadUpdater,
      onQuit: () => {},
      fetchSignature: () => Promise.reject(new Error('unused')),
      offer: () => {},
    });
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(log.lines).toEqual(['info automatic updates are off: no update feed URL is configured']);
  });

  it('with a publisher check (Windows, signed macOS): sets the feed, downloads and installs on quit, checks now and on a schedule', async () => {
    const run = await start({ trust: { mode: 'install', check: 'windows-publisher', publisherNames: ['Cancel Desk Ltd'] } });
    expect(run.updater.feed).toEqual({ provider: 'generic', url: 'https://updates.example/desk' });
    expect(run.updater.autoDownload).toBe(true);
    expect(run.updater.autoInstallOnAppQuit).toBe(true);
    expect(run.updater.spies.checkForUpdatesAndNotify).toHaveBeenCalledOnce();
    run.scheduled()?.();
    expect(run.updater.spies.checkForUpdatesAndNotify).toHaveBeenCalledTimes(2);
    run.updates.stop();
    expect(run.scheduled()).toBeNull();
    expect(run.log.lines.join('\n')).toContain('only when signed by Cancel Desk Ltd');
  });

  it('without a way to check the publisher: downloads nothing, installs nothing, and offers the download page once per version', async () => {
    const run = await start({ trust: offerTrust });
    expect(run.updater.autoDownload).toBe(false);
    expect(run.updater.autoInstallOnAppQuit).toBe(false);
    expect(run.updater.spies.checkForUpdates).toHaveBeenCalledOnce();
    expect(run.updater.spies.checkForUpdatesAndNotify).not.toHaveBeenCalled();
    run.updater.emitter.emit('update-available', { version: '0.2.0', files: [] });
    run.updater.emitter.emit('update-available', { version: '0.2.0', files: [] });
    // The feed's version is untrusted text: an odd one is not shown to the seller.
    run.updater.emitter.emit('update-available', { version: '<b>9</b>' });
    expect(run.offers).toEqual([{ version: '0.2.0', downloadPage: 'https://updates.example/desk', reason: offerTrust.reason }]);
    // Even if a download were reported, nothing installs on quit.
    run.updater.emitter.emit('update-downloaded', { version: '0.2.0', downloadedFile: '/tmp/x.deb' });
    run.quit(0);
    expect(run.updater.spies.install).not.toHaveBeenCalled();
    expect(run.log.lines.join('\n')).toMatch(/warn updates are not installed automatically: no update signing key/);
  });

  it('survives being offline: a failed check is logged, never thrown', async () => {
    let failed!: () => void;
    const failedOnce = new Promise<void>((resolve) => (failed = resolve));
    const updater = fakeUpdater(() => {
      failed();
      return Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED'));
    });
    const run = await start({ trust: { mode: 'install', check: 'macos-code-signature' }, feed: { kind: 'generic', url: 'https://installer.example/', source: 'installer' }, updater });
    await failedOnce;
    await vi.waitFor(() => expect(run.log.lines.some((line) => line.includes('ERR_INTERNET_DISCONNECTED'))).toBe(true));
    // The installer's own feed is electron-updater's to read: not set again.
    expect(updater.feed).toBeNull();
    updater.emitter.emit('error', new Error('offline'));
    expect(run.log.lines.some((line) => line.startsWith('warn update check failed') && line.includes('offline'))).toBe(true);
  });

  it('stays off when the updater cannot be loaded', async () => {
    const log = recordingLog();
    await startAutoUpdates({
      feed: FEED,
      trust: offerTrust,
      log,
      loadUpdater: () => Promise.reject(new Error('missing module')),
      onQuit: () => {},
      fetchSignature: () => Promise.reject(new Error('unused')),
      offer: () => {},
    });
    expect(log.lines.some((line) => line.startsWith('error') && line.includes('missing module'))).toBe(true);
  });
});

describe('Linux updates signed with the pinned Ed25519 key', () => {
  const publisher = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ed25519');
  const trust: UpdateTrust = { mode: 'install', check: 'ed25519', publicKey: publisher.publicKey, linuxPackage: 'deb' };

  /** A downloaded update file as electron-updater leaves it in its cache. */
  async function downloaded(content = 'the 0.2.0 deb'): Promise<string> {
    const file = join(await mkdtemp(join(tmpdir(), 'desk-update-')), 'cancel-desk-0.2.0-amd64.deb');
    await writeFile(file, content);
    return file;
  }

  async function signatureOf(file: string, privateKey: KeyObject = publisher.privateKey, appVersion = '0.2.0'): Promise<string> {
    return JSON.stringify(await signUpdateFile({ file, appVersion, privateKey }));
  }

  /** Downloads `file` as version `version`, waits until the verdict is logged, then quits with `exitCode`. */
  async function downloadThenQuit(options: { file: string; version?: string; signature: string | null; exitCode?: number }) {
    const asked: string[] = [];
    const run = await start({
      trust,
      fetchSignature: (url) => {
        asked.push(url);
        return options.signature === null ? Promise.reject(new Error('the server answered 404')) : Promise.resolve(options.signature);
      },
    });
    expect(run.updater.autoDownload).toBe(true);
    // electron-updater must not install on its own: only this module does, after the check.
    expect(run.updater.autoInstallOnAppQuit).toBe(false);
    run.updater.emitter.emit('update-available', { version: options.version ?? '0.2.0' });
    run.updater.emitter.emit('update-downloaded', { version: options.version ?? '0.2.0', downloadedFile: options.file, files: [] });
    await vi.waitFor(() => expect(run.log.lines.some((line) => /is signed with|is not installed/.test(line))).toBe(true));
    expect(run.updater.spies.install).not.toHaveBeenCalled();
    run.quit(options.exitCode ?? 0);
    return { ...run, asked };
  }

  it('installs a good one on quit, fetched beside the file in the feed folder, and stops checking', async () => {
    const file = await downloaded();
    const run = await downloadThenQuit({ file, signature: await signatureOf(file) });
    expect(run.asked).toEqual(['https://updates.example/desk/cancel-desk-0.2.0-amd64.deb.sig']);
    expect(run.updater.spies.install).toHaveBeenCalledExactlyOnceWith(true, false);
    expect(run.scheduled()).toBeNull();
  });

  it('refuses a tampered file', async () => {
    const file = await downloaded();
    const signature = await signatureOf(file);
    await appendFile(file, '; rm -rf ~');
    const run = await downloadThenQuit({ file, signature });
    expect(run.updater.spies.install).not.toHaveBeenCalled();
    expect(run.log.lines.join('\n')).toContain('error Cancel Desk 0.2.0 is not installed: the downloaded file is not the file that was signed');
  });

  it('refuses a file signed with another key', async () => {
    const file = await downloaded();
    const run = await downloadThenQuit({ file, signature: await signatureOf(file, stranger.privateKey) });
    expect(run.updater.spies.install).not.toHaveBeenCalled();
    expect(run.log.lines.join('\n')).toContain('not made with the update key built into this copy');
  });

  it('refuses a file without a signature', async () => {
    const file = await downloaded();
    const run = await downloadThenQuit({ file, signature: null });
    expect(run.updater.spies.install).not.toHaveBeenCalled();
    expect(run.log.lines.join('\n')).toMatch(/not installed: no signature could be fetched from https:\/\/updates\.example\/desk\/cancel-desk-0\.2\.0-amd64\.deb\.sig \(the server answered 404\)/);
  });

  it('refuses an older signed file announced as a newer version (a rollback), and junk in place of a signature', async () => {
    const file = await downloaded();
    const rollback = await downloadThenQuit({ file, version: '0.3.0', signature: await signatureOf(file, publisher.privateKey, '0.2.0') });
    expect(rollback.updater.spies.install).not.toHaveBeenCalled();
    expect(rollback.log.lines.join('\n')).toContain('the signature is for version 0.2.0, not 0.3.0');
    const junk = await downloadThenQuit({ file, signature: '<html>404</html>' });
    expect(junk.updater.spies.install).not.toHaveBeenCalled();
  });

  it('does not install when the app quits with an error', async () => {
    const file = await downloaded();
    const run = await downloadThenQuit({ file, signature: await signatureOf(file), exitCode: 1 });
    expect(run.updater.spies.install).not.toHaveBeenCalled();
  });
});

describe('fetching a signature', () => {
  const answer = (body: string, status = 200) => () => Promise.resolve(new Response(body, { status }));

  it('reads a small answer and refuses an error status or an oversized body', async () => {
    await expect(smallTextFetcher(answer('{"ok":1}'))('https://u.example/a.sig')).resolves.toBe('{"ok":1}');
    await expect(smallTextFetcher(answer('nope', 404))('https://u.example/a.sig')).rejects.toThrow('the server answered 404');
    await expect(smallTextFetcher(answer('x'.repeat(5_000)), { maxBytes: 4_096 })('https://u.example/a.sig')).rejects.toThrow('larger than 4096 bytes');
  });
});
