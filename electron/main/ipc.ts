import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { eventChannel } from '../../shared/ipc/api';
import { CHANNELS, type ChannelName, type EventName } from '../../shared/ipc/contract';
import { dispatchCall } from '../../shared/ipc/dispatch';
import type { Result } from '../../shared/ipc/result';

/**
 * The one binding helper: every contract channel is handled here, and every call is checked for
 * its sender (our own page, in our own window) and validated before it reaches the backend.
 */
export function bindContract(
  ipcMain: Pick<IpcMain, 'handle'>,
  call: (channel: ChannelName, input: unknown) => Promise<unknown>,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): void {
  for (const channel of Object.keys(CHANNELS)) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'forbidden_sender', message: 'This call did not come from Cancel Desk’s own window.' } };
      }
      return dispatchCall(channel, input, call);
    });
  }
}

/** What the sender check reads from an IPC event (a structural subset, so tests can build one). */
export interface SenderOfCall {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * A call is trusted only from the main window's own web contents, from its top frame, while that
 * frame shows a page of the app's origin (`app://desk/...`, or the dev server in `npm run dev`).
 */
export function createSenderCheck(getWindowContents: () => unknown, origin: string): (event: SenderOfCall) => boolean {
  return (event) => {
    const contents = getWindowContents();
    if (contents === null || contents === undefined || event.sender !== contents) return false;
    const frame = event.senderFrame;
    // A frame that is gone (navigated away or destroyed) is never trusted.
    if (frame === null || frame.parent !== null) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    // Node's URL gives custom schemes an origin of "null": compare the parts instead.
    return `${url.protocol}//${url.host}` === origin && url.username === '' && url.password === '';
  };
}

/** Sends a backend event to a window, if it is still there. */
export function forwardEvent(target: WebContents, event: EventName, payload: unknown): void {
  if (!target.isDestroyed()) target.send(eventChannel(event), payload);
}
