import type { DeskTransport } from '../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';

interface ResultFrame {
  type: 'result';
  id: number;
  result: Result<unknown>;
}
interface EventFrame {
  type: 'event';
  event: EventName;
  payload: unknown;
}
type ServerFrame = ResultFrame | EventFrame;

const RECONNECT_MS = 1_000;

/**
 * The browser host's transport: the IPC contract over a WebSocket to the loopback host.
 * Calls made while the socket is down wait for it; a dropped socket reconnects.
 */
export function createHostTransport(wsUrl: string): DeskTransport {
  let socket: WebSocket | null = null;
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let opened: Promise<WebSocket> | null = null;

  function connect(): Promise<WebSocket> {
    opened ??= new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.addEventListener('open', () => {
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (message: MessageEvent<string>) => {
        const frame = JSON.parse(message.data) as ServerFrame;
        if (frame.type === 'result') {
          pending.get(frame.id)?.(frame.result);
          pending.delete(frame.id);
        } else {
          for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
        }
      });
      ws.addEventListener('close', () => {
        socket = null;
        opened = null;
        for (const [id, settle] of pending) {
          settle({ ok: false, error: { code: 'marketplace_unreachable', message: 'Lost the connection to Cancel Desk; retrying.' } });
          pending.delete(id);
        }
        setTimeout(() => void connect(), RECONNECT_MS);
      });
    });
    return opened;
  }
  void connect();

  return {
    async invoke(channel: ChannelName, input: unknown) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, channel, input }));
      });
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}
