import type { MarketplaceKind } from '../../../../shared/domain/marketplace';
import { DeskError } from '../../../../shared/errors';
import type { ChannelOutput, ChannelParsedInput, StoreView } from '../../../../shared/ipc/contract';
import type { CredentialVault } from '../credentials';
import { pendingAliExpressCredentials, readAliExpressCredentials, writeAliExpressCredentials } from './credentials';
import type { AliExpressSignIn } from './sign-in';

/** A store as the sign-in needs it: from the cache's row, for a store in use. */
export interface StoreFacts {
  id: string;
  name: string;
  kind: MarketplaceKind;
  /** The marketplace's address (an AliExpress store's gateway); null for an embedded demo store. */
  url: string | null;
}

export interface AliExpressStoreChannelsDeps {
  /** The vault itself (not the registry's signed-in view): the app key and secret are read here. */
  vault: CredentialVault;
  signIn: Pick<AliExpressSignIn, 'begin' | 'complete'>;
  /** StoreRegistry.add: the store with its (not yet signed-in) credentials. */
  addStore(input: { name: string; kind: 'aliexpress'; url: string; token: string }): Promise<StoreView>;
  /** The store's view now (after a sign-in, with its new adapter). */
  view(storeId: string): StoreView | undefined;
  /** A store in use, or null. */
  store(storeId: string): Promise<StoreFacts | null>;
}

type AliExpressChannel = 'stores.addAliExpress' | 'stores.signIn' | 'stores.completeSignIn';
export type AliExpressStoreHandlers = { [C in AliExpressChannel]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

/**
 * The backend's handlers of the AliExpress store channels: add a store with its app (key and
 * secret, kept in the vault; never sent back), start its sign-in, and complete it with a pasted
 * code. The loopback callback completes a sign-in on its own; the list follows `stores.changed`.
 */
export function aliExpressStoreHandlers(deps: AliExpressStoreChannelsDeps): AliExpressStoreHandlers {
  const aliExpressStore = async (storeId: string): Promise<StoreFacts & { url: string }> => {
    const store = await deps.store(storeId);
    if (store === null) throw new DeskError('not_found', `There is no store ${storeId}.`);
    if (store.kind !== 'aliexpress' || store.url === null) {
      throw new DeskError('invalid_input', `${store.name} is not an AliExpress store: it takes an access token, not a sign-in with AliExpress.`);
    }
    return { ...store, url: store.url };
  };
  const viewOf = (storeId: string): StoreView => {
    const view = deps.view(storeId);
    if (view === undefined) throw new DeskError('not_found', `There is no store ${storeId}.`);
    return view;
  };

  return {
    'stores.addAliExpress': (input) =>
      deps.addStore({
        name: input.name,
        kind: 'aliexpress',
        url: input.gatewayUrl,
        token: writeAliExpressCredentials(pendingAliExpressCredentials({ appKey: input.appKey, appSecret: input.appSecret })),
      }),
    'stores.signIn': async (input) => {
      const store = await aliExpressStore(input.storeId);
      const credentials = readAliExpressCredentials(deps.vault.get(store.id));
      if (credentials === null) {
        throw new DeskError('credentials_missing', `The app key and secret of ${store.name} are not kept in Cancel Desk; remove the store and add it again with them.`);
      }
      return deps.signIn.begin({ id: store.id, name: store.name, gatewayUrl: store.url, appKey: credentials.appKey });
    },
    'stores.completeSignIn': async (input) => {
      const store = await aliExpressStore(input.storeId);
      await deps.signIn.complete(store.id, input.pasted);
      return viewOf(store.id);
    },
  };
}

/**
 * `stores.update` with a token for an AliExpress store would replace its app and sign-in with a
 * bare token no AliExpress call can use: refused with what to do instead.
 */
export function refuseBareToken(store: StoreFacts | null, token: string | undefined): void {
  if (token !== undefined && store?.kind === 'aliexpress') {
    throw new DeskError('invalid_input', `${store.name} is an AliExpress store: sign in with AliExpress from Settings instead of entering a token.`);
  }
}
