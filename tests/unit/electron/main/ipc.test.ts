import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { bindContract } from '../../../../electron/main/ipc';
import { CHANNELS } from '../../../../shared/ipc/contract';

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

function bind(trusted: boolean) {
  const handlers = new Map<string, Handler>();
  const call = vi.fn((_channel: string, input: unknown) => Promise.resolve({ echoed: input }));
  bindContract({ handle: (channel: string, handler: Handler) => handlers.set(channel, handler) }, call, () => trusted);
  return { handlers, call };
}

const event = {} as IpcMainInvokeEvent;

describe('bindContract (the one binding helper in main)', () => {
  it('handles exactly the contract channels', () => {
    expect([...bind(true).handlers.keys()].sort()).toEqual(Object.keys(CHANNELS).sort());
  });

  it('validates input before the backend sees it', async () => {
    const { handlers, call } = bind(true);
    expect(await handlers.get('queue.list')?.(event, { view: 'all', limit: 2 })).toEqual({
      ok: true,
      value: { echoed: { view: 'all', limit: 2, sort: 'time_left', cursor: null, search: '' } },
    });
    const refused = await handlers.get('queue.list')?.(event, { view: 'all', limit: 'lots' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(refused)).toContain('limit');
    expect(call).toHaveBeenCalledOnce();
  });

  it('refuses a call from any other sender without reaching the backend', async () => {
    const { handlers, call } = bind(false);
    expect(await handlers.get('app.info')?.(event, {})).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(call).not.toHaveBeenCalled();
  });
});
