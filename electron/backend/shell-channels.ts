/**
 * The channels of the contract the backend does not serve: the marketplace connection belongs
 * to the shell that starts the backend (Electron main, or the browser host), because the shell
 * chooses the marketplace and keeps its token (design.md §10). Both shells route a validated
 * call with `routeCall`: these channels to their own handlers, every other one to the backend.
 */
import type { ChannelName, ChannelOutput, ChannelParsedInput, Connection } from '../../shared/ipc/contract';
import { isBackendChannel, type BackendChannel } from './channels';

export type ShellChannel = Exclude<ChannelName, BackendChannel>;

export type ShellHandlers = { [C in ShellChannel]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

/** One `call` for the binding helper: shell channels to the shell, the rest to the backend. */
export function routeCall(
  shell: ShellHandlers,
  backend: (channel: BackendChannel, input: unknown) => Promise<unknown>,
): (channel: ChannelName, input: unknown) => Promise<unknown> {
  return (channel, input) => {
    if (isBackendChannel(channel)) return backend(channel, input);
    // The binding helper parsed `input` with this channel's own schema before routing it here.
    return shell[channel](input as never);
  };
}

export type MarketplaceTarget = { kind: 'demo' } | { kind: 'remote'; marketplaceUrl: string };

/**
 * The Settings screen's view of the connection. A restart is needed when what is saved differs
 * from what runs: another marketplace, or a token entered since the start.
 */
export function connectionView(options: {
  active: { kind: 'demo' | 'remote'; marketplaceUrl: string };
  saved: MarketplaceTarget;
  tokenStored: boolean;
  tokenChangedSinceStart: boolean;
  tokenStorage: Connection['tokenStorage'];
}): Connection {
  const { active, saved } = options;
  const savedUrl = saved.kind === 'remote' ? saved.marketplaceUrl : null;
  const differs =
    saved.kind !== active.kind || (saved.kind === 'remote' && (sameUrl(saved.marketplaceUrl, active.marketplaceUrl) === false || options.tokenChangedSinceStart));
  return {
    active,
    saved: { kind: saved.kind, marketplaceUrl: savedUrl },
    tokenStored: options.tokenStored,
    tokenStorage: options.tokenStorage,
    restartRequired: differs,
  };
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}
