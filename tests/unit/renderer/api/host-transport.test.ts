import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeskTransport } from '../../../../shared/ipc/api';
import type { Result } from '../../../../shared/ipc/result';
import { createHostTransport, RECONNECT_MAX_MS, RECONNECT_MS } from '../../../../renderer/src/api/host-transport';
import { NOW } from '../detail/fakes';
import { useManualClock, type ManualClock } from '../manual-clock';
import { FakeWebSocket } from './fake-websocket';

const WS_URL = 'ws://127.0.0.1:5173/ipc?token=t0k';
let clock: ManualClock;

beforeEach(() => {
  clock = useManualClock(NOW);
  FakeWebSocket.made = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A call and, once it settles, its answer (undefined while it waits). */
function track(transport: DeskTransport, channel: 'decisions.decide' | 'queue.counts', input: unknown = {}): { answer: () => Result<unknown> | undefined } {
  let answer: Result<unknown> | undefined;
  void transport.invoke(channel, input).then((result) => (answer = result));
  return { answer: () => answer };
}

const sockets = (): number => FakeWebSocket.made.length;

/** Connected: the first socket is made and open. */
function connected(): DeskTransport {
  const transport = createHostTransport(WS_URL);
  FakeWebSocket.latest().open();
  return transport;
}

describe('the browser host transport', () => {
  it('sends a call made before the socket opens once it does, answers calls by id, and hands events to subscribers', async () => {
    const transport = createHostTransport(WS_URL);
    expect(FakeWebSocket.latest().url).toBe(WS_URL);
    const early = track(transport, 'queue.counts');
    FakeWebSocket.latest().open();
    const later = track(transport, 'decisions.decide', { requestIds: ['r-1'], action: { type: 'accept' } });
    await flushPromises();
    const socket = FakeWebSocket.latest();
    expect(socket.sent).toEqual([
      { type: 'call', id: 1, channel: 'queue.counts', input: {} },
      { type: 'call', id: 2, channel: 'decisions.decide', input: { requestIds: ['r-1'], action: { type: 'accept' } } },
    ]);

    socket.answer(2, { ok: true, value: 'second' });
    socket.answer(1, { ok: true, value: 'first' });
    await flushPromises();
    expect(early.answer()).toEqual({ ok: true, value: 'first' });
    expect(later.answer()).toEqual({ ok: true, value: 'second' });

    const seen: unknown[] = [];
    const unsubscribe = transport.subscribe('outbox.changed', (payload) => seen.push(payload));
    socket.push('outbox.changed', { pending: 1 });
    unsubscribe();
    socket.push('outbox.changed', { pending: 2 });
    expect(seen).toEqual([{ pending: 1 }]);
  });

  it('reconnects a dropped socket after a second, doubles the wait while attempts fail (capped), and starts over once one opens', () => {
    connected();
    FakeWebSocket.latest().drop();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      // One reconnect is scheduled at a time; measure when it makes its socket.
      expect(clock.pendingTimers()).toBe(1);
      const before = sockets();
      let waited = 0;
      while (sockets() === before && waited < 2 * RECONNECT_MAX_MS) {
        clock.advance(250);
        waited += 250;
      }
      waits.push(waited);
      if (attempt < 6) FakeWebSocket.latest().drop(); // refused: it never opened
    }
    expect(waits).toEqual([RECONNECT_MS, 2_000, 4_000, 8_000, 16_000, RECONNECT_MAX_MS, RECONNECT_MAX_MS]);
    expect(RECONNECT_MS).toBe(1_000);
    expect(RECONNECT_MAX_MS).toBe(30_000);

    FakeWebSocket.latest().open();
    expect(clock.pendingTimers()).toBe(0);
    FakeWebSocket.latest().drop();
    const before = sockets();
    clock.advance(RECONNECT_MS - 1);
    expect(sockets()).toBe(before);
    clock.advance(1);
    expect(sockets()).toBe(before + 1);
  });

  it('resumes events on the new socket after a reconnect', () => {
    const transport = connected();
    const seen: unknown[] = [];
    transport.subscribe('sync.status', (payload) => seen.push(payload));
    FakeWebSocket.latest().push('sync.status', { state: 'syncing' });
    FakeWebSocket.latest().drop();
    clock.advance(RECONNECT_MS);
    expect(sockets()).toBe(2);
    FakeWebSocket.latest().open();
    FakeWebSocket.latest().push('sync.status', { state: 'idle' });
    expect(seen).toEqual([{ state: 'syncing' }, { state: 'idle' }]);
  });

  it('answers a call whose answer was lost "may or may not have been done", and never sends it again', async () => {
    const transport = connected();
    const decide = track(transport, 'decisions.decide', { requestIds: ['r-1'], action: { type: 'accept' } });
    const first = FakeWebSocket.latest();
    expect(first.sent).toHaveLength(1);

    first.drop();
    await flushPromises();
    expect(decide.answer()).toMatchObject({ ok: false, error: { code: 'desk_connection_lost', message: expect.stringContaining('may or may not') as string } });

    clock.advance(RECONNECT_MS);
    const second = FakeWebSocket.latest();
    second.open();
    expect(second).not.toBe(first);
    expect(second.sent).toEqual([]);
  });

  it('tries at once for a call made while the socket is down, and sends it once the new socket opens', async () => {
    const transport = connected();
    FakeWebSocket.latest().drop();
    expect(sockets()).toBe(1);

    const call = track(transport, 'queue.counts');
    expect(sockets()).toBe(2);
    // The scheduled reconnect gave way to the attempt: still one loop.
    expect(clock.pendingTimers()).toBe(0);
    const socket = FakeWebSocket.latest();
    socket.open();
    expect(socket.sent).toEqual([{ type: 'call', id: 1, channel: 'queue.counts', input: {} }]);
    socket.answer(1, { ok: true, value: 3 });
    await flushPromises();
    expect(call.answer()).toEqual({ ok: true, value: 3 });
    clock.advance(RECONNECT_MAX_MS);
    expect(sockets()).toBe(2);
  });

  it('never leaves a call waiting on an attempt that fails: it is answered "not sent", and sent nowhere', async () => {
    const transport = createHostTransport(WS_URL);
    const call = track(transport, 'decisions.decide', { requestIds: ['r-1'], action: { type: 'accept' } });
    await flushPromises();
    expect(call.answer()).toBeUndefined();

    FakeWebSocket.latest().drop(); // refused before it opened
    await flushPromises();
    expect(call.answer()).toMatchObject({ ok: false, error: { code: 'desk_unreachable', message: expect.stringContaining('nothing was sent') as string } });

    clock.advance(2_000);
    FakeWebSocket.latest().open();
    expect(FakeWebSocket.made.flatMap((socket) => socket.sent)).toEqual([]);
  });

  it('holds a call made while the socket is closing for the next socket, instead of losing it', async () => {
    const transport = connected();
    const closing = FakeWebSocket.latest();
    closing.beginClosing();
    const call = track(transport, 'queue.counts');
    expect(closing.sent).toEqual([]);
    expect(closing.discarded).toBe(0);

    closing.drop();
    expect(sockets()).toBe(2);
    const next = FakeWebSocket.latest();
    next.open();
    expect(next.sent).toEqual([{ type: 'call', id: 1, channel: 'queue.counts', input: {} }]);
    next.answer(1, { ok: true, value: 5 });
    await flushPromises();
    expect(call.answer()).toEqual({ ok: true, value: 5 });
  });
});
