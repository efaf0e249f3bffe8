import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueRow, StoreView } from '../../../../shared/ipc/contract';
import { setDesk } from '../../../../renderer/src/api/desk';
import App from '../../../../renderer/src/App.vue';
import { STORE_COUNTS_DELAY_MS, useQueueStore } from '../../../../renderer/src/stores/queue';
import { useSelectionStore } from '../../../../renderer/src/stores/selection';
import { createFakeDesk, type FakeDesk } from '../fake-desk';
import { useManualClock, type ManualClock } from '../manual-clock';
import { MAIN_STORE, makeStore, viewCounts } from '../store-fixtures';

const NOW = Date.parse('2026-11-26T09:30:00.000Z');
const lantern = makeStore();

function row(index: number, storeId: string): QueueRow {
  return {
    requestId: `r-${index}`,
    orderId: `o-${index}`,
    storeId,
    kind: 'cancel',
    reason: 'changed_mind',
    state: 'requested',
    phase: 'before_shipment',
    buyerName: 'Ada Buyer',
    buyerCountry: 'DE',
    amount: { amountMinor: 1999, currency: 'EUR' },
    requestedAt: '2026-11-26T08:00:00.000Z',
    respondBy: '2099-01-01T00:00:00.000Z',
    proofDueAt: null,
  };
}

const ROWS = [row(0, 'main'), row(1, 'lantern-home'), row(2, 'main'), row(3, 'lantern-home'), row(4, 'lantern-home')];

// happy-dom lays nothing out: give elements a size so the virtual list has a viewport.
const sizes = { clientHeight: 600, clientWidth: 900, offsetHeight: 600, offsetWidth: 900 };
const saved = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  for (const [name, value] of Object.entries(sizes)) {
    saved.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
});
afterAll(() => {
  for (const [name, descriptor] of saved) if (descriptor !== undefined) Object.defineProperty(HTMLElement.prototype, name, descriptor);
});

let clock: ManualClock;
beforeEach(() => {
  setActivePinia(createPinia());
  clock = useManualClock(NOW);
});
enableAutoUnmount(afterEach);
afterEach(() => {
  vi.restoreAllMocks();
});

/** A backend of two stores whose queue.list, queue.ids and export honour the store filter. */
function twoStores(stores: StoreView[] = [MAIN_STORE, lantern]): FakeDesk {
  const inStore = (storeId: string | null) => ROWS.filter((candidate) => storeId === null || candidate.storeId === storeId);
  return createFakeDesk({
    counts: viewCounts({ needs_reply: 5, all: 7 }),
    more: {
      'stores.list': stores,
      'queue.storeCounts': { main: viewCounts({ needs_reply: 2, all: 3 }), 'lantern-home': viewCounts({ needs_reply: 3, all: 4 }) },
      'queue.list': (input: { storeId: string | null; offset?: number; limit: number }) => {
        const rows = inStore(input.storeId);
        return { rows: rows.slice(input.offset ?? 0, (input.offset ?? 0) + input.limit), nextCursor: null, total: rows.length, truncated: false };
      },
      'queue.ids': (input: { storeId: string | null }) => ({ ids: inStore(input.storeId).map((candidate) => candidate.requestId), total: inStore(input.storeId).length }),
      'queue.exportCsv': { fileName: 'cancel-desk-queue.csv', csv: '\uFEFFrequest\r\n', rows: 3 },
    },
  });
}

async function mountApp(desk: FakeDesk): Promise<VueWrapper> {
  setDesk(desk.api);
  const wrapper = mount(App, { attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const storeButton = (wrapper: VueWrapper, id: string) => wrapper.get(`.store-filter [data-store="${id}"]`);
const lastListInput = (desk: FakeDesk) => desk.inputsOf('queue.list').at(-1);

describe('the store filter beside the views', () => {
  it('lists All stores and each store with its count in the current view', async () => {
    const wrapper = await mountApp(twoStores());
    const filter = wrapper.get('.store-filter');
    expect(filter.get('h2').text()).toContain('Stores');
    const shown = filter.findAll('button').map((button) => [button.get('.store-filter-name').text(), button.get('.count').text()]);
    expect(shown).toEqual([['All stores', '5'], ['Demo shop', '2'], ['Lantern Home', '3']]);
    expect(storeButton(wrapper, 'all').attributes('aria-pressed')).toBe('true');

    await wrapper.get('[data-view="all"]').trigger('click');
    await flushPromises();
    expect(filter.findAll('.count').map((count) => count.text())).toEqual(['7', '3', '4']);
  });

  it('is not there with one store, and neither is the Store column', async () => {
    const wrapper = await mountApp(twoStores([MAIN_STORE]));
    expect(wrapper.find('.store-filter').exists()).toBe(false);
    expect(wrapper.findAll('.queue-head [role="columnheader"]').map((header) => header.text())).not.toContain('Store');
    expect(wrapper.find('.queue-body .store').exists()).toBe(false);
  });

  it('filters the queue by the store chosen: its rows, its view counts, its name over the queue; All stores again shows every one', async () => {
    const desk = twoStores();
    const wrapper = await mountApp(desk);
    expect(wrapper.findAll('.queue-body .queue-row')).toHaveLength(5);

    await storeButton(wrapper, 'lantern-home').trigger('click');
    await flushPromises();
    expect(desk.inputsOf('queue.list')).toContainEqual(expect.objectContaining({ view: 'needs_reply', storeId: 'lantern-home', offset: 0 }));
    expect(lastListInput(desk)).toMatchObject({ storeId: 'lantern-home' });
    expect(wrapper.findAll('.queue-body .queue-row').map((element) => element.attributes('data-request-id'))).toEqual(['r-1', 'r-3', 'r-4']);
    expect(storeButton(wrapper, 'lantern-home').attributes('aria-pressed')).toBe('true');
    expect(storeButton(wrapper, 'all').attributes('aria-pressed')).toBe('false');
    expect(wrapper.get('[data-count="needs_reply"]').text()).toBe('3');
    expect(wrapper.get('[data-count="all"]').text()).toBe('4');
    expect(wrapper.get('[data-testid="queue-store"]').text()).toBe('· Lantern Home');

    await storeButton(wrapper, 'all').trigger('click');
    await flushPromises();
    expect(lastListInput(desk)).toMatchObject({ storeId: null });
    expect(wrapper.findAll('.queue-body .queue-row')).toHaveLength(5);
    expect(wrapper.get('[data-count="needs_reply"]').text()).toBe('5');
  });

  it('is reachable with the keyboard: each store is a button in the tab order', async () => {
    const wrapper = await mountApp(twoStores());
    for (const button of wrapper.findAll('.store-filter button')) {
      expect(button.element.tagName).toBe('BUTTON');
      expect(button.attributes('tabindex')).toBeUndefined();
      expect(button.attributes('disabled')).toBeUndefined();
    }
  });

  it('shows each row\'s store by name in a Store column', async () => {
    const wrapper = await mountApp(twoStores());
    expect(wrapper.findAll('.queue-head [role="columnheader"]').map((header) => header.text())).toContain('Store');
    expect(wrapper.findAll('.queue-body .store').map((cell) => cell.text())).toEqual(['Demo shop', 'Lantern Home', 'Demo shop', 'Lantern Home', 'Lantern Home']);
  });

  it('selection, select all and the CSV export follow the filter; a new filter clears the selection', async () => {
    const desk = twoStores();
    const wrapper = await mountApp(desk);
    const selection = useSelectionStore();
    selection.toggle('r-0', 0);
    await storeButton(wrapper, 'lantern-home').trigger('click');
    await flushPromises();
    expect(selection.count).toBe(0);

    await selection.selectAll();
    expect(desk.inputsOf('queue.ids').at(-1)).toEqual({ view: 'needs_reply', sort: 'time_left', search: '', storeId: 'lantern-home' });
    expect([...selection.ids]).toEqual(['r-1', 'r-3', 'r-4']);

    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:test/1');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    await wrapper.get('[data-export="queue"]').trigger('click');
    await flushPromises();
    expect(desk.inputsOf('queue.exportCsv')).toEqual([{ view: 'needs_reply', sort: 'time_left', search: '', storeId: 'lantern-home' }]);
  });

  it('reads each store\'s counts again once a burst of queue changes settles', async () => {
    const desk = twoStores();
    await mountApp(desk);
    expect(desk.inputsOf('queue.storeCounts')).toHaveLength(1);
    desk.answer('queue.storeCounts', { main: viewCounts({ needs_reply: 1 }), 'lantern-home': viewCounts({ needs_reply: 9 }) });
    for (let change = 0; change < 5; change += 1) desk.emit('queue.changed', { counts: viewCounts({ needs_reply: 10 }) });
    await flushPromises();
    expect(desk.inputsOf('queue.storeCounts')).toHaveLength(1);
    clock.advance(STORE_COUNTS_DELAY_MS);
    await flushPromises();
    expect(desk.inputsOf('queue.storeCounts')).toHaveLength(2);
    expect(useQueueStore().storeCounts?.['lantern-home']?.needs_reply).toBe(9);
  });

  it('shows every store again when the store filtered by is removed', async () => {
    const desk = twoStores();
    const wrapper = await mountApp(desk);
    await storeButton(wrapper, 'lantern-home').trigger('click');
    await flushPromises();
    desk.emit('stores.changed', [MAIN_STORE, makeStore({ id: 'harbor', name: 'Harbor Goods' })]);
    await flushPromises();
    expect(useQueueStore().storeId).toBeNull();
    expect(lastListInput(desk)).toMatchObject({ storeId: null });
  });
});
