import type { ChannelName } from '../../shared/ipc/contract';

/**
 * The channels the backend serves: all of the contract except the marketplace connection, which
 * belongs to the shell that starts the backend (it keeps the token; design.md §10). A module of
 * its own, so the shells can route calls without loading the backend.
 */
export type BackendChannel = Exclude<ChannelName, 'connection.get' | 'connection.update'>;

/** Whether the backend serves this channel (the shell answers the others). */
export function isBackendChannel(channel: ChannelName): channel is BackendChannel {
  return channel !== 'connection.get' && channel !== 'connection.update';
}
