import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { MarketplaceKind } from '../../../shared/domain/marketplace';
import type { DeskErrorShape } from '../../../shared/errors';
import type { StoreSignIn, StoreView } from '../../../shared/ipc/contract';
import type { MessageTemplate } from '../../../shared/messages/templates';
import type { Policy } from '../../../shared/rules/policy';
import { DeskCallError, getDesk, unwrap } from '../api/desk';

/** What went wrong, as the backend said it (or as the renderer saw it when the call itself failed). */
function describeFailure(cause: unknown): DeskErrorShape {
  if (cause instanceof DeskCallError) return { code: cause.code, message: cause.message };
  return { code: 'renderer.unexpected', message: cause instanceof Error ? cause.message : String(cause) };
}

/** What removing a store did: its requests left the queue, its audit entries stayed. */
export interface StoreRemoval {
  readonly storeId: string;
  readonly requestsRemoved: number;
  readonly auditEntriesKept: number;
}

/**
 * The seller's stores (design.md §6b) as the backend describes them: names, marketplaces, health.
 * Credentials go one way only: a token is sent with add or update and never comes back (the views
 * say only where it is kept). Thin: every change is a backend call; the list follows
 * `stores.changed`, and each call also takes its own answer so the screen never waits on the event.
 */
export const useStoresStore = defineStore('stores', () => {
  const list = ref<readonly StoreView[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  /** Why the list could not be read (cleared by the next good read). */
  const error = ref<DeskErrorShape | null>(null);

  const byId = computed(() => new Map(list.value.map((store) => [store.id, store])));
  /** Several stores: the queue shows which one each request is from, and a filter by store. */
  const several = computed(() => list.value.length > 1);

  /** A store's name, or its id when the desk does not know it (a store removed since). */
  function nameOf(storeId: string): string {
    return byId.value.get(storeId)?.name ?? storeId;
  }

  /** Reads the list; a failure lands in `error` (it does not throw). */
  async function load(): Promise<void> {
    loading.value = true;
    try {
      list.value = unwrap(await getDesk().listStores({}));
      loaded.value = true;
      error.value = null;
    } catch (cause) {
      error.value = describeFailure(cause);
    } finally {
      loading.value = false;
    }
  }

  function put(view: StoreView): StoreView {
    const at = list.value.findIndex((store) => store.id === view.id);
    list.value = at === -1 ? [...list.value, view] : list.value.map((store, index) => (index === at ? view : store));
    return view;
  }

  /** Adds a store; throws DeskCallError (with the backend's sentence) when refused. */
  async function add(input: { name: string; kind: MarketplaceKind; url: string; token: string }): Promise<StoreView> {
    return put(unwrap(await getDesk().addStore(input)));
  }

  async function rename(storeId: string, name: string): Promise<StoreView> {
    return put(unwrap(await getDesk().updateStore({ storeId, name })));
  }

  async function setPaused(storeId: string, paused: boolean): Promise<StoreView> {
    return put(unwrap(await getDesk().updateStore({ storeId, paused })));
  }

  /** New credentials for a store whose token was rejected or is missing. */
  async function setToken(storeId: string, token: string): Promise<StoreView> {
    return put(unwrap(await getDesk().updateStore({ storeId, token })));
  }

  /** Adds an AliExpress store with its app (key and secret); it has no credentials until the seller signs in. */
  async function addAliExpress(input: { name: string; gatewayUrl: string; appKey: string; appSecret: string }): Promise<StoreView> {
    return put(unwrap(await getDesk().addAliExpressStore(input)));
  }

  /** Starts "Sign in with AliExpress": the page for the browser (the backend waits for its callback). */
  async function signIn(storeId: string): Promise<StoreSignIn> {
    return unwrap(await getDesk().signInStore({ storeId }));
  }

  /** Completes the waiting sign-in with the code (or address) the seller pasted. */
  async function completeSignIn(storeId: string, pasted: string): Promise<StoreView> {
    return put(unwrap(await getDesk().completeStoreSignIn({ storeId, pasted })));
  }

  /** The store's own policy or templates (null: back to the seller's); throws DeskCallError when refused. */
  async function setOwn(storeId: string, own: { policy?: Policy | null; messageTemplates?: MessageTemplate[] | null }): Promise<StoreView> {
    return put(unwrap(await getDesk().updateStore({ storeId, ...own })));
  }

  /** Removes a store and its requests from the desk; its audit log stays. */
  async function remove(storeId: string): Promise<StoreRemoval> {
    const removed = unwrap(await getDesk().removeStore({ storeId }));
    list.value = list.value.filter((store) => store.id !== storeId);
    return removed;
  }

  /** Follows changes (health, another window's edits); returns the unsubscribe. */
  function follow(): () => void {
    return getDesk().onStoresChanged((next) => {
      list.value = next;
      loaded.value = true;
    });
  }

  return { list, loaded, loading, error, byId, several, nameOf, load, add, addAliExpress, signIn, completeSignIn, rename, setPaused, setToken, setOwn, remove, follow };
});
