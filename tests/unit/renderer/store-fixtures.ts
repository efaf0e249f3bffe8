import { DEMO_CAPABILITIES } from '../../../shared/domain/marketplace';
import { VIEW_IDS, type ViewId } from '../../../shared/domain/views';
import type { StoreView, ViewCounts } from '../../../shared/ipc/contract';

/** A store as `stores.list` describes it: an AliExpress store, up to date, its token in the keychain, unless told. */
export function makeStore(overrides: Partial<StoreView> = {}): StoreView {
  return {
    id: 'lantern-home',
    name: 'Lantern Home',
    kind: 'aliexpress',
    endpoint: 'https://api.lantern.example',
    embedded: false,
    paused: false,
    credentials: 'keychain',
    health: { state: 'up_to_date', since: null, message: null, lastSyncAt: null },
    capabilities: { ...DEMO_CAPABILITIES, kind: 'aliexpress', name: 'AliExpress' },
    policy: null,
    messageTemplates: null,
    ...overrides,
  };
}

/** The demo store the app starts with. */
export const MAIN_STORE: StoreView = makeStore({
  id: 'main',
  name: 'Demo shop',
  kind: 'demo',
  endpoint: 'http://127.0.0.1:4010',
  embedded: true,
  credentials: 'not_needed',
  capabilities: DEMO_CAPABILITIES,
});

/** Counts per view, zero unless given. */
export function viewCounts(counts: Partial<Record<ViewId, number>> = {}): ViewCounts {
  return Object.fromEntries(VIEW_IDS.map((view) => [view, counts[view] ?? 0])) as ViewCounts;
}
