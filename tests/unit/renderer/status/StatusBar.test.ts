import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreHealth, SyncStatus } from '../../../../shared/ipc/contract';
import { setDesk } from '../../../../renderer/src/api/desk';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import StatusBar from '../../../../renderer/src/components/status/StatusBar.vue';
import { useSyncStore } from '../../../../renderer/src/stores/sync';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { createFakeDesk } from '../fake-desk';
import { useManualClock } from '../manual-clock';

const NOW = Date.parse('2026-11-26T11:00:00.000Z');
const fine: StoreHealth = { state: 'up_to_date', since: null, message: null, lastSyncAt: '2026-11-26T10:58:00.000Z' };

function status(overrides: Partial<SyncStatus>): SyncStatus {
  return { state: 'idle', marketplaceUrl: '2 stores', lastSyncAt: null, nextAttemptAt: null, message: null, progress: null, quarantined: 0, ...overrides };
}

const machineTimeZone = getTimeZone();
beforeEach(() => {
  setActivePinia(createPinia());
  useManualClock(NOW);
  setTimeZone('UTC');
});
afterEach(() => setTimeZone(machineTimeZone));
enableAutoUnmount(afterEach);

async function barWith(current: SyncStatus) {
  setDesk(createFakeDesk({ status: current }).api);
  await useSyncStore().load();
  const wrapper = mount(StatusBar);
  await flushPromises();
  return wrapper;
}

describe('the status bar with several stores', () => {
  it('names the store whose sync fails, and since when', async () => {
    const wrapper = await barWith(
      status({
        state: 'unreachable',
        message: 'Lantern Home: connect ECONNREFUSED',
        stores: [
          { id: 'main', name: 'Demo shop', health: fine },
          { id: 'lantern-home', name: 'Lantern Home', health: { state: 'unreachable', since: '2026-11-26T09:12:00.000Z', message: 'connect ECONNREFUSED', lastSyncAt: null } },
        ],
      }),
    );
    const sync = wrapper.get('.status-sync').text();
    expect(sync).toMatch(/^Lantern Home: unreachable since 9:12/);
    // One store down is not the desk offline.
    expect(sync).not.toContain('Offline');
    expect(wrapper.find('[data-store-id="main"]').exists()).toBe(false);
  });

  it('names every failing store, each in its own words', async () => {
    const wrapper = await barWith(
      status({
        state: 'error',
        stores: [
          { id: 'harbor', name: 'Harbor Goods', health: { state: 'credentials_rejected', since: '2026-11-26T08:00:00.000Z', message: '401', lastSyncAt: null } },
          { id: 'quay', name: 'Quay Street', health: { state: 'error', since: null, message: 'bad page', lastSyncAt: null } },
        ],
      }),
    );
    expect(wrapper.get('.status-sync').text()).toBe('Harbor Goods: credentials rejected — enter new ones in Settings; Quay Street: sync failed — bad page');
  });

  it.each(HOSTILE_NAMES)('isolates the marketplace\'s words about a failing store (%s)', async (_label, hostile) => {
    const wrapper = await barWith(
      status({
        state: 'error',
        stores: [
          { id: 'main', name: 'Demo shop', health: fine },
          { id: 'quay', name: 'Quay Street', health: { state: 'error', since: null, message: hostile, lastSyncAt: null } },
        ],
      }),
    );
    expectIsolated(wrapper.get('.sync-store-failure'), hostile);
  });

  it('says nothing of stores when all is well, or with one store', async () => {
    const well = await barWith(status({ lastSyncAt: '2026-11-26T10:58:00.000Z', stores: [{ id: 'main', name: 'Demo shop', health: fine }, { id: 'b', name: 'B', health: fine }] }));
    expect(well.get('.status-sync').text()).toContain('Up to date');
    expect(well.find('.sync-store-failure').exists()).toBe(false);
    well.unmount();
    const single = await barWith(
      status({ state: 'unreachable', stores: [{ id: 'main', name: 'Demo shop', health: { state: 'unreachable', since: null, message: null, lastSyncAt: null } }] }),
    );
    expect(single.get('.status-sync').text()).toContain('Offline: marketplace unreachable');
    expect(single.find('.sync-store-failure').exists()).toBe(false);
  });
});
