import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../../electron/backend';
import { silentLogger } from '../../../../electron/backend/log';
import { createManualClock } from '../../../../electron/simulator/clock';
import { dispatchCall } from '../../../../shared/ipc/dispatch';
import { DEFAULT_POLICY } from '../../../../shared/rules/policy';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../../../shared/settings';
import { TEST_START_MS } from '../../../support/desk';

describe('settings', () => {
  it('start from defaults, change, reach listeners, and survive a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-settings-'));
    const options = { dataDir, marketplace: { baseUrl: 'http://127.0.0.1:9', token: 'x' }, clock: createManualClock(TEST_START_MS), log: silentLogger };
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

  it('changes only the fields a patch carries, validated at the boundary (the policy, the undo window, the deadline alerts)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'desk-settings-'));
    const backend = createBackend({ dataDir, marketplace: { baseUrl: 'http://127.0.0.1:9', token: 'x' }, clock: createManualClock(TEST_START_MS), log: silentLogger });
    await backend.start();
    // Through the binding helper, as the renderer's calls arrive (the patch is parsed there).
    const update = (patch: unknown) => dispatchCall('settings.update', patch, (channel, input) => backend.handle(channel as 'settings.update', input as never));
    expect(DEFAULT_SETTINGS.deadlineAlertHours).toBe(4);
    await update({ syncIntervalMinutes: 15, deadlineAlertHours: 2 });
    const policy = { ...DEFAULT_POLICY, undoWindowSeconds: 30, slaWarningHours: 6 };
    const changed = await update({ policy });
    // A policy patch used to fill the other fields with their defaults, resetting them.
    const { messageTemplates } = DEFAULT_SETTINGS;
    expect(changed).toEqual({ ok: true, value: { syncIntervalMinutes: 15, deadlineAlertHours: 2, policy, messageTemplates } });
    expect(await update({ deadlineAlertHours: 0 })).toMatchObject({ ok: true, value: { syncIntervalMinutes: 15, deadlineAlertHours: 0, policy: { undoWindowSeconds: 30 } } });
    const tooLong = await update({ deadlineAlertHours: 169 });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('deadlineAlertHours') as unknown } });
    const badUndo = await update({ policy: { ...DEFAULT_POLICY, undoWindowSeconds: 301 } });
    expect(badUndo).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('policy.undoWindowSeconds') as unknown } });
    expect(await backend.handle('settings.get', {})).toEqual({ syncIntervalMinutes: 15, deadlineAlertHours: 0, policy, messageTemplates });
    await backend.close();
  });

  it('reads a settings record stored before deadlineAlertHours existed, with its default', () => {
    expect(SettingsSchema.parse({ syncIntervalMinutes: 9 })).toEqual({ ...DEFAULT_SETTINGS, syncIntervalMinutes: 9, deadlineAlertHours: 4 });
  });
});
