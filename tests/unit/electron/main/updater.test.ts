import { describe, expect, it, vi } from 'vitest';
import { resolveUpdateFeed, startAutoUpdates, type UpdaterLike } from '../../../../electron/main/updater';
import type { Logger } from '../../../../electron/backend/log';

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function fakeUpdater(check: () => Promise<unknown>): UpdaterLike & { feed: unknown; errorListeners: Array<(error: Error) => void> } {
  const fake = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    logger: null,
    feed: null as unknown,
    errorListeners: [] as Array<(error: Error) => void>,
    setFeedURL(options: unknown) {
      fake.feed = options;
    },
    checkForUpdatesAndNotify: vi.fn(() => check()),
    on(_event: 'error', listener: (error: Error) => void) {
      fake.errorListeners.push(listener);
      return fake;
    },
  };
  return fake as unknown as UpdaterLike & { feed: unknown; errorListeners: Array<(error: Error) => void> };
}

describe('where updates come from', () => {
  const base = { isPackaged: true, envUrl: undefined, settingsUrl: null, hasBundledFeed: false };

  it('is off unless a feed is configured, and always off in development', () => {
    expect(resolveUpdateFeed(base)).toMatchObject({ kind: 'off' });
    expect(resolveUpdateFeed({ ...base, isPackaged: false, settingsUrl: 'https://updates.example/' })).toMatchObject({ kind: 'off' });
  });

  it('prefers the environment, then the desktop settings, then the installer’s own feed', () => {
    expect(resolveUpdateFeed({ ...base, envUrl: 'https://env.example/', settingsUrl: 'https://settings.example/', hasBundledFeed: true })).toEqual({ kind: 'generic', url: 'https://env.example/' });
    expect(resolveUpdateFeed({ ...base, settingsUrl: 'https://settings.example/', hasBundledFeed: true })).toEqual({ kind: 'generic', url: 'https://settings.example/' });
    expect(resolveUpdateFeed({ ...base, hasBundledFeed: true })).toEqual({ kind: 'bundled' });
  });

  it('turns updates off for an insecure URL rather than fetch code over http', () => {
    expect(resolveUpdateFeed({ ...base, envUrl: 'http://updates.example/' })).toMatchObject({ kind: 'off', reason: expect.stringContaining('https') as unknown });
  });
});

describe('automatic updates', () => {
  it('does nothing, and loads nothing, when off', async () => {
    const loadUpdater = vi.fn(() => Promise.resolve(fakeUpdater(() => Promise.resolve(null))));
    const log = recordingLog();
    await startAutoUpdates({ feed: { kind: 'off', reason: 'no update feed URL is configured' }, log, loadUpdater });
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(log.lines).toEqual(['info automatic updates are off: no update feed URL is configured']);
  });

  it('sets the generic feed and checks now and on a schedule', async () => {
    const updater = fakeUpdater(() => Promise.resolve(null));
    let scheduled: (() => void) | null = null;
    const updates = await startAutoUpdates({
      feed: { kind: 'generic', url: 'https://updates.example/desk/' },
      log: recordingLog(),
      loadUpdater: () => Promise.resolve(updater),
      schedule: (callback) => {
        scheduled = callback;
        return () => (scheduled = null);
      },
    });
    expect(updater.feed).toEqual({ provider: 'generic', url: 'https://updates.example/desk/' });
    expect(updater.autoDownload).toBe(true);
    expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledOnce();
    (scheduled as (() => void) | null)?.();
    expect(updater.checkForUpdatesAndNotify).toHaveBeenCalledTimes(2);
    updates.stop();
    expect(scheduled).toBeNull();
  });

  it('survives being offline: a failed check is logged, never thrown', async () => {
    const log = recordingLog();
    let failed!: () => void;
    const failedOnce = new Promise<void>((resolve) => (failed = resolve));
    const updater = fakeUpdater(() => {
      failed();
      return Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED'));
    });
    await startAutoUpdates({ feed: { kind: 'bundled' }, log, loadUpdater: () => Promise.resolve(updater), schedule: () => () => {} });
    await failedOnce;
    await vi.waitFor(() => expect(log.lines.some((line) => line.includes('ERR_INTERNET_DISCONNECTED'))).toBe(true));
    expect(updater.feed).toBeNull();
    updater.errorListeners[0]?.(new Error('offline'));
    expect(log.lines.some((line) => line.startsWith('warn update check failed') && line.includes('offline'))).toBe(true);
  });

  it('stays off when the updater cannot be loaded', async () => {
    const log = recordingLog();
    await startAutoUpdates({ feed: { kind: 'bundled' }, log, loadUpdater: () => Promise.reject(new Error('missing module')) });
    expect(log.lines.some((line) => line.startsWith('error') && line.includes('missing module'))).toBe(true);
  });
});
