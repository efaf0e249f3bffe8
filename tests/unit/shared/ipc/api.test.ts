import { describe, expect, it, vi } from 'vitest';
import { createDeskApi, DESK_EVENTS, DESK_METHODS, eventChannel, type DeskTransport } from '../../../../shared/ipc/api';
import { CHANNELS, EVENTS } from '../../../../shared/ipc/contract';

describe('the desk API surface', () => {
  it('has exactly one named method per contract channel, and one subscription per event', () => {
    expect(Object.values(DESK_METHODS).sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(Object.values(DESK_EVENTS).sort()).toEqual(Object.keys(EVENTS).sort());
  });

  it('routes each method to its channel and each subscription to its event', async () => {
    const subscribe = vi.fn(() => () => undefined);
    const transport: DeskTransport = {
      invoke: (channel, input) => Promise.resolve({ ok: true as const, value: { channel, input } }),
      subscribe,
    };
    const api = createDeskApi(transport);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(DESK_METHODS), ...Object.keys(DESK_EVENTS)].sort());
    expect(await api.listQueue({ view: 'all' })).toEqual({ ok: true, value: { channel: 'queue.list', input: { view: 'all' } } });
    const listener = vi.fn();
    api.onSyncStatus(listener);
    expect(subscribe).toHaveBeenCalledWith('sync.status', expect.any(Function));
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('names event channels apart from call channels', () => {
    for (const event of Object.keys(EVENTS)) {
      expect(Object.keys(CHANNELS)).not.toContain(eventChannel(event as keyof typeof EVENTS));
    }
  });
});
