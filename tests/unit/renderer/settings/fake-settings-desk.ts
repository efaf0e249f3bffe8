import { createDeskApi, type DeskApi } from '../../../../shared/ipc/api';
import type { ChannelName, Connection, EventName, StoreView } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/ipc/result';
import { DEFAULT_SETTINGS, type Settings } from '../../../../shared/settings';
import { MAIN_STORE, makeStore } from '../store-fixtures';

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...structuredClone(DEFAULT_SETTINGS), deadlineAlertHours: 0, ...overrides };
}

export function makeConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    active: { kind: 'demo', marketplaceUrl: 'http://127.0.0.1:4010' },
    saved: { kind: 'demo', marketplaceUrl: null },
    tokenStored: false,
    tokenStorage: 'keychain',
    restartRequired: false,
    ...overrides,
  };
}

type Answer = (input: unknown) => Result<unknown>;

/** A stand-in backend for the settings screen: answers per channel (replaceable), calls recorded, events fired by hand. */
export interface FakeSettingsDesk {
  api: DeskApi;
  calls: Array<{ channel: ChannelName; input: unknown }>;
  callsTo(channel: ChannelName): unknown[];
  answer(channel: ChannelName, answer: Answer): void;
  emit(event: EventName, payload: unknown): void;
  listenerCount(event: EventName): number;
  /** The stores as the fake backend keeps them now. */
  currentStores(): StoreView[];
  /** What the backend's loopback page does once AliExpress sends the browser back: the store signed in, stores.changed said. */
  completeLoopbackSignIn(storeId: string): void;
}

export const FAKE_REDIRECT_URI = 'http://127.0.0.1:53124/aliexpress/callback';

/** The fake's answer to `stores.signIn` for a store on this gateway. */
export function fakeAuthorizeUrl(gatewayUrl: string, storeId: string): string {
  return `${new URL(gatewayUrl).origin}/oauth/authorize?response_type=code&force_auth=true&redirect_uri=${encodeURIComponent(FAKE_REDIRECT_URI)}&client_id=513774&state=state-of-${storeId}`;
}

export function createFakeSettingsDesk(initial: { settings?: Settings; connection?: Connection; stores?: StoreView[] } = {}): FakeSettingsDesk {
  let settings = initial.settings ?? makeSettings();
  let connection = initial.connection ?? makeConnection();
  // The stores as the backend keeps them: a token is taken, never given back (StoreView has none).
  let stores = initial.stores ?? [MAIN_STORE];
  const storeNamed = (storeId: string): StoreView | undefined => stores.find((store) => store.id === storeId);
  /** An AliExpress store once its seller signed in: its tokens kept, a first sync under way. */
  const signedIn = (storeId: string): StoreView | undefined => {
    const current = storeNamed(storeId);
    if (current === undefined) return undefined;
    const next: StoreView = { ...current, credentials: 'keychain', health: { state: 'syncing', since: null, message: null, lastSyncAt: null } };
    stores = stores.map((store) => (store.id === storeId ? next : store));
    return next;
  };
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: FakeSettingsDesk['calls'] = [];
  const answers = new Map<ChannelName, Answer>([
    ['settings.get', () => ({ ok: true, value: settings })],
    ['connection.get', () => ({ ok: true, value: connection })],
    [
      'settings.update',
      (input) => {
        settings = { ...settings, ...(input as Partial<Settings>) };
        return { ok: true, value: settings };
      },
    ],
    ['stores.list', () => ({ ok: true, value: stores })],
    [
      'stores.add',
      (input) => {
        const { name, kind, url } = input as { name: string; kind: StoreView['kind']; url: string };
        const added = makeStore({ id: name.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-'), name, kind, endpoint: url, health: { state: 'never_synced', since: null, message: null, lastSyncAt: null } });
        stores = [...stores, added];
        return { ok: true, value: added };
      },
    ],
    [
      'stores.update',
      (input) => {
        const { storeId, name, paused, token, policy, messageTemplates } = input as {
          storeId: string;
          name?: string;
          paused?: boolean;
          token?: string;
          policy?: StoreView['policy'];
          messageTemplates?: StoreView['messageTemplates'];
        };
        const current = storeNamed(storeId);
        if (current === undefined) return { ok: false, error: { code: 'not_found', message: `No store ${storeId}.` } };
        const next: StoreView = {
          ...current,
          name: name ?? current.name,
          paused: paused ?? current.paused,
          ...(policy === undefined ? {} : { policy }),
          ...(messageTemplates === undefined ? {} : { messageTemplates }),
          ...(token === undefined ? {} : { credentials: 'keychain' as const, health: { state: 'syncing' as const, since: null, message: null, lastSyncAt: null } }),
        };
        stores = stores.map((store) => (store.id === storeId ? next : store));
        return { ok: true, value: next };
      },
    ],
    [
      'stores.addAliExpress',
      (input) => {
        // The app key and secret are taken, never given back (StoreView has no field for them).
        const { name, gatewayUrl } = input as { name: string; gatewayUrl?: string; appKey: string; appSecret: string };
        const added = makeStore({
          id: name.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-'),
          name,
          kind: 'aliexpress',
          endpoint: gatewayUrl ?? 'https://api-sg.aliexpress.com',
          credentials: 'missing',
          health: { state: 'error', since: null, message: `Enter the credentials of ${name} in Settings.`, lastSyncAt: null },
        });
        stores = [...stores, added];
        return { ok: true, value: added };
      },
    ],
    [
      'stores.signIn',
      (input) => {
        const { storeId } = input as { storeId: string };
        const store = storeNamed(storeId);
        if (store === undefined) return { ok: false, error: { code: 'not_found', message: `No store ${storeId}.` } };
        return { ok: true, value: { authorizeUrl: fakeAuthorizeUrl(store.endpoint, storeId), redirectUri: FAKE_REDIRECT_URI } };
      },
    ],
    [
      'stores.completeSignIn',
      (input) => {
        const { storeId } = input as { storeId: string; pasted: string };
        const next = signedIn(storeId);
        return next === undefined ? { ok: false, error: { code: 'not_found', message: `No store ${storeId}.` } } : { ok: true, value: next };
      },
    ],
    [
      'stores.remove',
      (input) => {
        const { storeId } = input as { storeId: string };
        stores = stores.filter((store) => store.id !== storeId);
        return { ok: true, value: { storeId, requestsRemoved: 412, auditEntriesKept: 1024 } };
      },
    ],
    [
      'connection.update',
      (input) => {
        const update = input as { kind: 'demo' } | { kind: 'remote'; marketplaceUrl: string; token?: string };
        const saved = update.kind === 'demo' ? { kind: 'demo' as const, marketplaceUrl: null } : { kind: 'remote' as const, marketplaceUrl: update.marketplaceUrl };
        connection = {
          ...connection,
          saved,
          tokenStored: update.kind === 'remote' && (connection.tokenStored || update.token !== undefined),
          restartRequired: saved.kind !== connection.active.kind || (saved.marketplaceUrl ?? connection.active.marketplaceUrl) !== connection.active.marketplaceUrl,
        };
        return { ok: true, value: connection };
      },
    ],
  ]);
  const api = createDeskApi({
    invoke(channel, input) {
      calls.push({ channel, input });
      const answer = answers.get(channel);
      return Promise.resolve<Result<unknown>>(
        answer === undefined ? { ok: false, error: { code: 'unknown_channel', message: `no fake answer for ${channel}` } } : answer(input),
      );
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });
  return {
    api,
    calls,
    callsTo: (channel) => calls.filter((call) => call.channel === channel).map((call) => call.input),
    answer: (channel, answer) => answers.set(channel, answer),
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
    currentStores: () => stores,
    completeLoopbackSignIn(storeId) {
      signedIn(storeId);
      for (const listener of listeners.get('stores.changed') ?? []) listener(stores);
    },
  };
}
