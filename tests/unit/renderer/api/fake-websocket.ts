import type { Result } from '../../../../shared/ipc/result';

/** A call frame as the transport sends it. */
export interface SentCall {
  type: 'call';
  id: number;
  channel: string;
  input: unknown;
}

/**
 * A browser WebSocket stand-in (stub it on globalThis): the test opens it, drops it, fails it
 * before it opens, and plays the host's frames. Like a browser, `send` throws while connecting
 * and drops the frame once the socket is closing.
 */
export class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** Every socket made, oldest first. */
  static made: FakeWebSocket[] = [];

  readyState: number = FakeWebSocket.CONNECTING;
  /** Frames the host received on this socket. */
  readonly sent: SentCall[] = [];
  /** Frames given to `send` while closing: they never left. */
  discarded = 0;

  constructor(readonly url: string) {
    super();
    FakeWebSocket.made.push(this);
  }

  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.made.at(-1);
    if (socket === undefined) throw new Error('No WebSocket was made.');
    return socket;
  }

  send(data: string): void {
    if (this.readyState === FakeWebSocket.CONNECTING) throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    if (this.readyState === FakeWebSocket.OPEN) this.sent.push(JSON.parse(data) as SentCall);
    else this.discarded += 1;
  }

  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  /** The host answers call `id`. */
  answer(id: number, result: Result<unknown>): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify({ type: 'result', id, result }) }));
  }

  /** The host pushes an event. */
  push(event: string, payload: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify({ type: 'event', event, payload }) }));
  }

  /** The closing handshake has begun: the close event comes later. */
  beginClosing(): void {
    this.readyState = FakeWebSocket.CLOSING;
  }

  /** The connection is gone (or, before `open`, never came). */
  drop(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(new Event('close'));
  }
}
