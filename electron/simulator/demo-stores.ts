/**
 * The two demo stores the app opens on out of the box (`npm start`, `npm run start:web`): two
 * demo marketplaces, each its own store with its own seeded data, ids that never meet, and its own
 * ledger, so a new user sees several stores in one queue at once.
 */
import type { Clock } from '../../shared/domain/time';
import { createAliExpressSandbox, type AliExpressSandbox } from './aliexpress/server';
import { systemClock } from './clock';
import { createSimulator, type Simulator } from './server';

export interface DemoStoreDefinition {
  /** The store's id in the desk, and the demo marketplace's own store id. */
  readonly id: string;
  readonly name: string;
  /** Added to the seed the app was started with: each store its own data. */
  readonly seedOffset: number;
  /** Before every id of this store's marketplace: no id is shared between the two. */
  readonly idPrefix: string;
}

export const DEMO_STORES: readonly DemoStoreDefinition[] = [
  { id: 'atlas-outdoor', name: 'Atlas Outdoor', seedOffset: 0, idPrefix: '' },
  { id: 'lantern-home', name: 'Lantern Home', seedOffset: 1, idPrefix: 'lh-' },
];

/** The AliExpress demo store: the AliExpress sandbox (electron/simulator/aliexpress/), signed in by the shell. */
export const ALIEXPRESS_DEMO_STORE = { id: 'jade-bazaar', name: 'Jade Bazaar (AliExpress)', seedOffset: 2 } as const;

export interface RunningDemoStores {
  /** The stores for createBackend's `stores` (added on the first start). */
  readonly seeds: Array<{ id: string; name: string; kind: 'demo' | 'aliexpress'; endpoint: { embedded: string } }>;
  /** Where each one's marketplace runs this time, for createBackend's `embedded`. */
  readonly embedded: Record<string, { baseUrl: string; token: string }>;
  readonly simulators: ReadonlyArray<{ store: DemoStoreDefinition; simulator: Simulator }>;
  /**
   * The AliExpress demo store when it runs: its sandbox, and the demo seller's app and tokens as if
   * they had signed in (the shell keeps them as the store's credentials for the session).
   */
  readonly aliexpress: { readonly sandbox: AliExpressSandbox; readonly seed: { id: string; name: string; kind: 'aliexpress'; endpoint: { embedded: string } }; readonly signedIn: DemoSignIn } | null;
  close(): Promise<void>;
}

/** Starts both demo marketplaces (on `clock` from `startMs` when given: tests, demos). */
export async function startDemoStores(options: { seed: number; orders: number; clock?: Clock; startMs?: number; aliexpress?: boolean }): Promise<RunningDemoStores> {
  const simulators: Array<{ store: DemoStoreDefinition; simulator: Simulator }> = [];
  let sandbox: AliExpressSandbox | null = null;
  try {
    if (options.aliexpress === true) {
      sandbox = await createAliExpressSandbox({
        seed: options.seed + ALIEXPRESS_DEMO_STORE.seedOffset,
        orders: options.orders,
        // The sandbox's clock is the app's (a steady one in tests); the real one otherwise.
        clock: options.clock ?? systemClock,
        ...(options.startMs === undefined ? {} : { startMs: options.startMs }),
      });
    }
    for (const store of DEMO_STORES) {
      const simulator = await createSimulator({
        seed: options.seed + store.seedOffset,
        orders: options.orders,
        idPrefix: store.idPrefix,
        storeIds: [store.id],
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(options.startMs === undefined ? {} : { startMs: options.startMs }),
      });
      simulators.push({ store, simulator });
    }
  } catch (error) {
    await Promise.all(simulators.map(({ simulator }) => simulator.close()));
    await sandbox?.close();
    throw error;
  }
  const running = sandbox;
  return {
    seeds: DEMO_STORES.map((store) => ({ id: store.id, name: store.name, kind: 'demo' as const, endpoint: { embedded: store.id } })),
    embedded: Object.fromEntries(simulators.map(({ store, simulator }) => [store.id, { baseUrl: simulator.url, token: simulator.token }])),
    simulators,
    aliexpress:
      running === null
        ? null
        : {
            sandbox: running,
            seed: { id: ALIEXPRESS_DEMO_STORE.id, name: ALIEXPRESS_DEMO_STORE.name, kind: 'aliexpress', endpoint: { embedded: ALIEXPRESS_DEMO_STORE.id } },
            signedIn: { baseUrl: running.url, appKey: running.appKey, appSecret: running.appSecret, ...running.grant() },
          },
    close: async () => {
      await Promise.all(simulators.map(({ simulator }) => simulator.close()));
      await running?.close();
    },
  };
}

/** The demo seller signed in to the sandbox: the app and the tokens of a code exchanged once. */
export interface DemoSignIn {
  readonly baseUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessExpiresAt: number;
  readonly refreshExpiresAt: number;
}
