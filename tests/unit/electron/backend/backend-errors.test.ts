import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evidenceDir } from '../../../../electron/backend/evidence/files';
import type { Logger } from '../../../../electron/backend/log';
import { dispatchCall } from '../../../../shared/ipc/dispatch';
import { startDesk, type Desk } from '../../../support/desk';

let desk: Desk | null = null;
afterEach(async () => {
  await desk?.close();
  desk = null;
});

describe('a call that fails unexpectedly', () => {
  it('answers the window a sentence without the data folder’s path, and logs the whole error', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) };
    desk = await startDesk({ seed: 14, orders: 300, backend: { log } });
    const { backend, dataDir } = desk;
    const photo = (await backend.db.evidence.toArray()).find((row) => row.path !== null);
    if (photo?.path == null) throw new Error('the demo data synced no evidence photo');
    // The file goes missing behind the cache's back (a cleaner, a disk error): reading it fails in fs.
    const file = join(evidenceDir(dataDir), photo.path);
    await rm(file);

    const result = await dispatchCall('evidence.get', { evidenceId: photo.id }, (channel, input) => backend.handle(channel as 'evidence.get', input as never));
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong inside Cancel Desk (ENOENT); the details are in its log.' } });

    const logged = lines.filter((line) => line.startsWith('evidence.get failed'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(file);
    expect(logged[0]).toContain('ENOENT');
  });

  it('answers a DeskError as it is, and does not log it as a failure', async () => {
    const lines: string[] = [];
    const log: Logger = { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) };
    desk = await startDesk({ seed: 14, orders: 100, backend: { log } });
    const { backend } = desk;
    const result = await dispatchCall('evidence.get', { evidenceId: 'no-such-evidence' }, (channel, input) => backend.handle(channel as 'evidence.get', input as never));
    expect(result).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no evidence no-such-evidence.' } });
    expect(lines.filter((line) => line.includes('failed'))).toEqual([]);
  });
});
