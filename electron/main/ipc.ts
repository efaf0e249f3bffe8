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

/** Sends a backend event to a window, if it is still there. */
export function forwardEvent(target: WebContents, event: EventName, payload: unknown): void {
  if (!target.isDestroyed()) target.send(eventChannel(event), payload);
}
