/**
 * The two demo stores the app opens on out of the box (`npm start`, `npm run start:web`): two
 * demo marketplaces, each its own store with its own seeded data, ids that never meet, and its own
 * ledger, so a new user sees several stores in one queue at once.
 */
import type { Clock } from '../../shared/domain/time';
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

export interface RunningDemoStores {
  /** The stores for createBackend's `stores` (added on the first start). */
  readonly seeds: Array<{ id: string; name: string; kind: 'demo'; endpoint: { embedded: string } }>;
  /** Where each one's marketplace runs this time, for createBackend's `embedded`. */
  readonly embedded: Record<string, { baseUrl: string; token: string }>;
  readonly simulators: ReadonlyArray<{ store: DemoStoreDefinition; simulator: Simulator }>;
  close(): Promise<void>;
}

/** Starts both demo marketplaces (on `clock` from `startMs` when given: tests, demos). */
export async function startDemoStores(options: { seed: number; orders: number; clock?: Clock; startMs?: number }): Promise<RunningDemoStores> {
  const simulators: Array<{ store: DemoStoreDefinition; simulator: Simulator }> = [];
  try {
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
    throw error;
  }
  return {
    seeds: DEMO_STORES.map((store) => ({ id: store.id, name: store.name, kind: 'demo', endpoint: { embedded: store.id } })),
    embedded: Object.fromEntries(simulators.map(({ store, simulator }) => [store.id, { baseUrl: simulator.url, token: simulator.token }])),
    simulators,
    close: async () => {
      await Promise.all(simulators.map(({ simulator }) => simulator.close()));
    },
  };
}
