import { describe, expect, it, vi } from 'vitest';
import { DeskError } from '../../../../shared/errors';
import { dispatchCall } from '../../../../shared/ipc/dispatch';

describe('dispatchCall', () => {
  it('passes parsed input, with defaults filled, to the handler', async () => {
    const handle = vi.fn((_channel: string, input: unknown) => Promise.resolve(input));
    const result = await dispatchCall('queue.list', { view: 'all' }, handle);
    expect(result).toEqual({ ok: true, value: { view: 'all', sort: 'time_left', limit: 50, cursor: null, search: '', storeId: null } });
    expect(handle).toHaveBeenCalledOnce();
  });

  it('refuses invalid input, naming every failing field, without calling the handler', async () => {
    const handle = vi.fn(() => Promise.resolve(null));
    const result = await dispatchCall('queue.list', { view: 'inbox', limit: 1000 }, handle);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toContain('queue.list');
    expect(result.error.message).toContain('view:');
    expect(result.error.message).toContain('limit:');
    expect(handle).not.toHaveBeenCalled();
  });

  it('refuses unknown fields (strict inputs)', async () => {
    const result = await dispatchCall('sync.now', { force: true }, () => Promise.resolve(null));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses a channel outside the contract', async () => {
    const handle = vi.fn(() => Promise.resolve(null));
    const result = await dispatchCall('fs.readFile', {}, handle);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await dispatchCall(42, {}, handle)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(handle).not.toHaveBeenCalled();
  });

  it('turns a thrown DeskError into its code and message, and anything else into internal', async () => {
    expect(
      await dispatchCall('sync.now', {}, () => Promise.reject(new DeskError('marketplace_unreachable', 'Down.'))),
    ).toEqual({ ok: false, error: { code: 'marketplace_unreachable', message: 'Down.' } });
    const other = await dispatchCall('sync.now', {}, () => Promise.reject(new TypeError('x is undefined')));
    expect(other).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
