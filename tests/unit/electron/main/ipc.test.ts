import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { bindContract, createSenderCheck } from '../../../../electron/main/ipc';
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
      value: { echoed: { view: 'all', limit: 2, sort: 'time_left', cursor: null, search: '', storeId: null } },
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

describe('the sender check', () => {
  const windowContents = { id: 1 };
  const isTrusted = createSenderCheck(() => windowContents, 'app://desk');
  const topFrame = (url: string) => ({ url, parent: null });

  it('trusts only the main window’s top frame on the app’s origin', () => {
    expect(isTrusted({ sender: windowContents, senderFrame: topFrame('app://desk/index.html') })).toBe(true);
    expect(isTrusted({ sender: windowContents, senderFrame: topFrame('app://desk/') })).toBe(true);
  });

  it.each([
    ['another web contents', { sender: { id: 2 }, senderFrame: topFrame('app://desk/index.html') }],
    ['a foreign origin', { sender: windowContents, senderFrame: topFrame('https://evil.example/') }],
    ['a look-alike host', { sender: windowContents, senderFrame: topFrame('app://desk.evil/index.html') }],
    ['a prefix of the origin', { sender: windowContents, senderFrame: topFrame('app://deskx/index.html') }],
    ['credentials in the URL', { sender: windowContents, senderFrame: topFrame('app://user@desk/index.html') }],
    ['a file URL', { sender: windowContents, senderFrame: topFrame('file:///index.html') }],
    ['a sub-frame', { sender: windowContents, senderFrame: { url: 'app://desk/index.html', parent: {} } }],
    ['a destroyed frame', { sender: windowContents, senderFrame: null }],
    ['an unparsable URL', { sender: windowContents, senderFrame: topFrame('::') }],
  ])('refuses %s', (_what, event) => {
    expect(isTrusted(event)).toBe(false);
  });

  it('refuses everything when the window is gone', () => {
    expect(createSenderCheck(() => null, 'app://desk')({ sender: windowContents, senderFrame: topFrame('app://desk/index.html') })).toBe(false);
  });

  it('trusts the dev server’s origin in development', () => {
    const dev = createSenderCheck(() => windowContents, 'http://localhost:5173');
    expect(dev({ sender: windowContents, senderFrame: topFrame('http://localhost:5173/index.html') })).toBe(true);
    expect(dev({ sender: windowContents, senderFrame: topFrame('http://localhost:5174/index.html') })).toBe(false);
  });
});
