import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../../electron/backend';
import { silentLogger } from '../../../../electron/backend/log';
import { systemClock } from '../../../../electron/backend/system-clock';
import { dispatchCall } from '../../../../shared/ipc/dispatch';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';

describe('settings', () => {
  it('start from defaults, change, reach listeners, and survive a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-settings-'));
    const options = { dataDir, marketplace: { baseUrl: 'http://127.0.0.1:9', token: 'x' }, clock: systemClock, log: silentLogger };
    const first = createBackend(options);
    await first.start();
    expect(await first.handle('settings.get', {})).toEqual(DEFAULT_SETTINGS);
    const seen: unknown[] = [];
    first.subscribe((event, payload) => {
      if (event === 'settings.changed') seen.push(payload);
    });
    expect(await first.handle('settings.update', { syncIntervalMinutes: 15 })).toMatchObject({ syncIntervalMinutes: 15 });
    expect(seen).toMatchObject([{ syncIntervalMinutes: 15 }]);
    await first.close();

    const second = createBackend(options);
    await second.start();
    expect(await second.handle('settings.get', {})).toEqual({ ...DEFAULT_SETTINGS, syncIntervalMinutes: 15 });
    await second.close();
  });

  it('refuses an out-of-range or unknown setting, naming it', async () => {
    const handle = (): Promise<unknown> => Promise.resolve(null);
    const tooOften = await dispatchCall('settings.update', { syncIntervalMinutes: 0 }, handle);
    expect(tooOften).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(tooOften)).toContain('syncIntervalMinutes');
    expect(await dispatchCall('settings.update', { theme: 'dark' }, handle)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
