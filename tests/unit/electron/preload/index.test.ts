// The preload against a fake `electron` (the real module would look for the Electron binary):
// what it hands to the page is exactly window.desk, frozen, with the contract's named methods.
import { describe, expect, it, vi } from 'vitest';
import { DESK_EVENTS, DESK_METHODS, eventChannel } from '../../../../shared/ipc/api';
import { CHANNELS } from '../../../../shared/ipc/contract';

const fake = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Listener[]>();
  /** Every call the preload made to contextBridge. */
  const bridgeCalls: Array<{ method: string; args: unknown[] }> = [];
  const ipcRenderer = {
    invoke: vi.fn((channel: string, input: unknown) => Promise.resolve({ ok: true, value: { channel, input } })),
    on(channel: string, listener: Listener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      const list = listeners.get(channel) ?? [];
      const index = list.indexOf(listener);
      if (index >= 0) list.splice(index, 1);
      return ipcRenderer;
    },
    // The rest of ipcRenderer: the preload has no business calling any of it.
    send: vi.fn(),
    sendSync: vi.fn(),
    sendToHost: vi.fn(),
    postMessage: vi.fn(),
    once: vi.fn(),
    off: vi.fn(),
    addListener: vi.fn(),
    removeAllListeners: vi.fn(),
  };
  const contextBridge = {
    exposeInMainWorld: (...args: unknown[]) => bridgeCalls.push({ method: 'exposeInMainWorld', args }),
    exposeInIsolatedWorld: (...args: unknown[]) => bridgeCalls.push({ method: 'exposeInIsolatedWorld', args }),
    executeInMainWorld: (...args: unknown[]) => bridgeCalls.push({ method: 'executeInMainWorld', args }),
  };
  /** Delivers a message from main to every listener of `channel`, as Electron does. */
  const emit = (channel: string, payload: unknown): void => {
    for (const listener of [...(listeners.get(channel) ?? [])]) listener({ sender: ipcRenderer, senderId: 0, ports: [] }, payload);
  };
  return { ipcRenderer, contextBridge, listeners, bridgeCalls, emit };
});

vi.mock('electron', () => ({ contextBridge: fake.contextBridge, ipcRenderer: fake.ipcRenderer }));

await import('../../../../electron/preload/index');

type Method = (input: unknown, ...extra: unknown[]) => Promise<unknown>;
type Subscribe = (listener: (...args: unknown[]) => void) => unknown;

function exposedDesk(): Record<string, unknown> {
  const call = fake.bridgeCalls[0];
  if (call === undefined) throw new Error('the preload exposed nothing');
  return call.args[1] as Record<string, unknown>;
}

const listenerCount = (channel: string): number => fake.listeners.get(channel)?.length ?? 0;

describe('the preload', () => {
  it('exposes one object, window.desk, and nothing else, without touching IPC on load', () => {
    expect(fake.bridgeCalls.map((call) => ({ method: call.method, key: call.args[0] }))).toEqual([{ method: 'exposeInMainWorld', key: 'desk' }]);
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled();
    expect([...fake.listeners.values()].flat()).toEqual([]);
  });

  it('exposes a frozen object of exactly the contract’s named methods and subscriptions', () => {
    const desk = exposedDesk();
    expect(Object.isFrozen(desk)).toBe(true);
    expect(Object.keys(desk).sort()).toEqual([...Object.keys(DESK_METHODS), ...Object.keys(DESK_EVENTS)].sort());
    const rawPieces: unknown[] = [fake.ipcRenderer, ...Object.values(fake.ipcRenderer)];
    for (const [name, value] of Object.entries(desk)) {
      expect(typeof value, name).toBe('function');
      expect(rawPieces, `${name} is a piece of the raw ipcRenderer`).not.toContain(value);
    }
  });

  it('reaches every channel of the contract, each through its own method, with the input only', async () => {
    const desk = exposedDesk();
    fake.ipcRenderer.invoke.mockClear();
    for (const method of Object.keys(DESK_METHODS)) {
      const input = { asked: method };
      const answer = await (desk[method] as Method)(input, 'an extra argument');
      expect(answer).toEqual({ ok: true, value: { channel: DESK_METHODS[method as keyof typeof DESK_METHODS], input } });
    }
    const calls = fake.ipcRenderer.invoke.mock.calls as unknown[][];
    // Each call carries exactly (channel, input): nothing more reaches main.
    for (const call of calls) expect(call).toHaveLength(2);
    expect(calls.map((call) => call[0]).sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(fake.ipcRenderer.send).not.toHaveBeenCalled();
    expect(fake.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it.each(Object.entries(DESK_EVENTS))('%s delivers the payload only, and its unsubscribe removes just that listener', (method, event) => {
    const subscribe = exposedDesk()[method] as Subscribe;
    const channel = eventChannel(event);
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = subscribe(first);
    const unsubscribeSecond = subscribe(second);
    expect(typeof unsubscribeFirst, 'subscribing hands back an unsubscribe function, not ipcRenderer').toBe('function');
    expect(listenerCount(channel)).toBe(2);

    fake.emit(channel, { n: 1 });
    // The IpcRendererEvent (whose `sender` is the raw ipcRenderer) never reaches the page.
    expect(first.mock.calls).toEqual([[{ n: 1 }]]);
    fake.emit('desk-event:some.other', { n: 0 });
    expect(first).toHaveBeenCalledTimes(1);

    (unsubscribeFirst as () => void)();
    (unsubscribeFirst as () => void)();
    expect(listenerCount(channel)).toBe(1);
    fake.emit(channel, { n: 2 });
    expect(first).toHaveBeenCalledTimes(1);
    expect(second.mock.calls).toEqual([[{ n: 1 }], [{ n: 2 }]]);

    (unsubscribeSecond as () => void)();
    expect(listenerCount(channel)).toBe(0);
    expect(fake.ipcRenderer.removeAllListeners).not.toHaveBeenCalled();
  });
});
