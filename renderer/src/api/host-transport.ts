import type { DeskTransport } from '../../../shared/ipc/api';
import type { ChannelName, EventName } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/ipc/result';
import { getClock } from '../clock';

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

type Settle = (result: Result<unknown>) => void;
interface Call {
  readonly channel: ChannelName;
  readonly input: unknown;
  readonly settle: Settle;
}

/** The wait before reconnecting after a drop; it doubles after each failed attempt, up to the cap. */
export const RECONNECT_MS = 1_000;
export const RECONNECT_MAX_MS = 30_000;

/** A call that never left: no connection took it, so nothing was done. */
const NOT_SENT: Result<unknown> = {
  ok: false,
  error: { code: 'desk_unreachable', message: 'Cannot reach Cancel Desk: nothing was sent. Try again once it is back.' },
};
/** A call that left but whose answer was lost with the connection: it may or may not have been done. */
const ANSWER_LOST: Result<unknown> = {
  ok: false,
  error: {
    code: 'desk_connection_lost',
    message: 'The connection to Cancel Desk dropped before it answered: this may or may not have been done. Check before doing it again.',
  },
};

/**
 * The browser host's transport: the IPC contract over a WebSocket to the loopback host.
 * A dropped socket reconnects (backing off while attempts fail) and events resume on the new one.
 * A call is sent once at most: one made while the socket is down waits for the next attempt and
 * is answered "not sent" if it fails; one whose answer is lost with the socket is never resent
 * (the host may have done it), it is answered "may or may not have been done".
 */
export function createHostTransport(wsUrl: string): DeskTransport {
  let socket: WebSocket | null = null;
  let connecting: WebSocket | null = null;
  let cancelRetry: (() => void) | null = null;
  let failedAttempts = 0;
  let nextId = 1;
  /** Sent, waiting for the answer. */
  const inFlight = new Map<number, Settle>();
  /** Waiting for a socket. */
  const unsent: Call[] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  function send(ws: WebSocket, call: Call): void {
    const id = nextId++;
    inFlight.set(id, call.settle);
    ws.send(JSON.stringify({ type: 'call', id, channel: call.channel, input: call.input }));
  }

  function scheduleReconnect(): void {
    // A call waiting for the socket is someone waiting now: try at once rather than after the wait.
    if (unsent.length > 0) {
      connect();
      return;
    }
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MS * 2 ** failedAttempts);
    cancelRetry = getClock().setTimer(delay, () => {
      cancelRetry = null;
      connect();
    });
  }

  function connect(): void {
    if (socket !== null || connecting !== null) return;
    cancelRetry?.();
    cancelRetry = null;
    const ws = new WebSocket(wsUrl);
    connecting = ws;
    ws.addEventListener('open', () => {
      connecting = null;
      socket = ws;
      failedAttempts = 0;
      for (const call of unsent.splice(0)) send(ws, call);
    });
    ws.addEventListener('message', (message: MessageEvent<string>) => {
      const frame = JSON.parse(message.data) as ServerFrame;
      if (frame.type === 'result') {
        inFlight.get(frame.id)?.(frame.result);
        inFlight.delete(frame.id);
      } else {
        for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
      }
    });
    ws.addEventListener('close', () => {
      if (socket === ws) {
        socket = null;
        for (const settle of inFlight.values()) settle(ANSWER_LOST);
        inFlight.clear();
      } else {
        connecting = null;
        failedAttempts += 1;
        for (const call of unsent.splice(0)) call.settle(NOT_SENT);
      }
      scheduleReconnect();
    });
  }
  connect();

  return {
    invoke(channel: ChannelName, input: unknown) {
      return new Promise<Result<unknown>>((settle) => {
        const call = { channel, input, settle };
        // A closing socket would drop the frame unsent: such a call waits for the next one.
        if (socket?.readyState === WebSocket.OPEN) send(socket, call);
        else {
          unsent.push(call);
          if (socket === null) connect();
        }
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
