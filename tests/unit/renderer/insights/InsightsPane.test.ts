import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { DeskError } from '../../../../shared/errors';
import type { Insights, ViewCounts } from '../../../../shared/ipc/contract';
import { setDesk } from '../../../../renderer/src/api/desk';
import App from '../../../../renderer/src/App.vue';
import { useInsightsStore } from '../../../../renderer/src/stores/insights';
import { createFakeDesk } from '../fake-desk';
import { useManualClock } from '../manual-clock';
import { makeStore } from '../store-fixtures';
import { emptyInsights, makeInsights } from './fixtures';

// happy-dom has no canvas: the charts are stubs that show what they were given.
vi.mock('vue-chartjs', () => {
  const stub = (type: string) =>
    defineComponent({
      props: { data: { type: Object, required: true }, options: { type: Object, default: () => ({}) } },
      setup: (props) => () => h('canvas', { 'data-chart-type': type, 'data-datasets': JSON.stringify((props.data as { datasets: unknown[] }).datasets.length) }),
    });
  return { Bar: stub('bar'), Doughnut: stub('doughnut') };
});

const NOW = Date.parse('2026-03-30T12:00:00.000Z');
const counts: ViewCounts = { needs_reply: 0, buyer_replied: 0, proof_requested: 0, proof_in: 0, offers: 0, escalated: 0, conflicts: 0, done: 0, all: 0 };
const idle = { state: 'idle', marketplaceUrl: 'http://m', lastSyncAt: null, nextAttemptAt: null, message: null, progress: null, quarantined: 0 } as const;

beforeEach(() => {
  setActivePinia(createPinia());
  useManualClock(NOW);
});
enableAutoUnmount(afterEach);

function deskWith(insights: (input: { from: string; to: string; storeId: string | null }) => Insights) {
  const desk = createFakeDesk({
    page: { rows: [], nextCursor: null, total: 0, truncated: false },
    counts,
    status: idle,
    more: {
      'insights.get': (input: { from: string; to: string; storeId: string | null }) => insights(input),
      'audit.exportCsv': { fileName: 'audit.csv', csv: '\uFEFFa\r\n', rows: 0 },
    },
  });
  setDesk(desk.api);
  return desk;
}

const insightCalls = (desk: ReturnType<typeof createFakeDesk>) => desk.calls.filter((call) => call.channel === 'insights.get').map((call) => call.input);

function key(name: string): void {
  const target = document.activeElement ?? document.body;
  target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
}

async function openInsights() {
  const wrapper = mount(App, { attachTo: document.body });
  await flushPromises();
  key('g');
  key('i');
  // The pane is loaded on first use (it brings Chart.js): the first import of the run can take
  // seconds on a loaded 2-core machine (CI failed once at vi.waitFor's default of 1 s).
  await vi.waitFor(() => expect(wrapper.find('.insights').exists()).toBe(true), { timeout: 15_000, interval: 20 });
  await flushPromises();
  return wrapper;
}

describe('Insights', () => {
  it('opens with g i on the last 30 days, shows every chart with its table, and Esc goes back to the queue', async () => {
    const desk = deskWith((input) => makeInsights({ from: input.from, to: input.to }));
    const wrapper = await openInsights();

    expect(insightCalls(desk)).toEqual([{ from: '2026-03-01', to: '2026-03-30', storeId: null, repeatMoreThan: 2 }]);
    expect(wrapper.find('.app').classes()).toContain('insights-open');
    expect(document.activeElement?.id).toBe('insights-title');
    expect(wrapper.find('[data-view="insights"]').attributes('aria-current')).toBe('page');
    // Requests per day, time to respond, top SKUs, and one small refunds chart per currency.
    const currencies = new Set(makeInsights({}).refundsPerWeek.flatMap((week) => week.totals.map((total) => total.currency)));
    expect(currencies.size).toBeGreaterThan(1);
    expect(wrapper.findAll('canvas[data-chart-type="bar"]')).toHaveLength(3 + currencies.size);
    expect(wrapper.findAll('[data-chart="refundsPerWeek"] figcaption').map((caption) => caption.text())).toEqual([...currencies]);
    expect(wrapper.findAll('canvas[data-chart-type="doughnut"]')).toHaveLength(1);
    // Each figure has its table: captioned, headed, reachable by Tab.
    const tables = wrapper.findAll('.figure-table');
    expect(tables).toHaveLength(6);
    for (const region of tables) {
      expect(region.attributes('tabindex')).toBe('0');
      expect(region.find('caption').text()).not.toBe('');
      expect(region.findAll('thead th[scope="col"]').length).toBeGreaterThan(1);
    }
    expect(wrapper.find('[data-chart="responseTime"] [data-figure="median"]').text()).toBe('3 h 12 m');

    key('Escape');
    await flushPromises();
    expect(wrapper.find('.app').classes()).not.toContain('insights-open');
    expect(wrapper.find('.insights').exists()).toBe(false);
  });

  it('shows exact money in the tables (JPY without decimals, KWD with three)', async () => {
    deskWith((input) => makeInsights({ from: input.from, to: input.to }));
    const wrapper = await openInsights();
    const cells = wrapper.findAll('[data-chart="refundsPerWeek"] tbody tr').map((row) => row.findAll('th, td').map((cell) => cell.text()));
    const format = (currency: string, decimals: number, value: number) =>
      new Intl.NumberFormat(navigator.language, { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
    expect(cells.map((row) => row.slice(1))).toEqual([
      ['JPY', '2', format('JPY', 0, 15000)],
      ['KWD', '1', format('KWD', 3, 1.005)],
    ]);
    expect(wrapper.find('[data-chart="responseTime"] tbody').text()).toContain(format('KWD', 3, 12.345));
  });

  it('asks again with the range the picker chooses, and a typed range', async () => {
    const desk = deskWith((input) => makeInsights({ from: input.from, to: input.to }));
    const wrapper = await openInsights();

    await wrapper.find('[data-preset="7"]').trigger('click');
    await flushPromises();
    expect(insightCalls(desk).at(-1)).toEqual({ from: '2026-03-24', to: '2026-03-30', storeId: null, repeatMoreThan: 2 });
    expect(wrapper.find('[data-preset="7"]').attributes('aria-pressed')).toBe('true');
    expect(wrapper.find('[data-preset="30"]').attributes('aria-pressed')).toBe('false');

    await wrapper.find('[data-preset="90"]').trigger('click');
    await flushPromises();
    expect(insightCalls(desk).at(-1)).toMatchObject({ from: '2025-12-31', to: '2026-03-30' });

    await wrapper.find('input[name="from"]').setValue('2026-02-01');
    await wrapper.find('input[name="from"]').trigger('change');
    await flushPromises();
    expect(insightCalls(desk).at(-1)).toMatchObject({ from: '2026-02-01', to: '2026-03-30' });

    // A start after the end is refused with a sentence, and nothing is asked.
    const before = insightCalls(desk).length;
    await wrapper.find('input[name="from"]').setValue('2026-04-10');
    await wrapper.find('input[name="from"]').trigger('change');
    await flushPromises();
    expect(insightCalls(desk)).toHaveLength(before);
    expect(wrapper.find('.range-picker [role="alert"]').text()).toBe('The start date must not be after the end date.');

    await wrapper.find('select[name="store"]').setValue('store-jp');
    await flushPromises();
    expect(insightCalls(desk).at(-1)).toMatchObject({ storeId: 'store-jp' });
  });

  it('lists the stores by the names the seller gave them (a store it does not know by its id), and asks by id', async () => {
    const desk = deskWith((input) => makeInsights({ from: input.from, to: input.to, storeId: input.storeId }));
    desk.answer('stores.list', [makeStore({ id: 'store-eu', name: 'Lantern Home EU' }), makeStore({ id: 'harbor', name: 'Harbor Goods' })]);
    const wrapper = await openInsights();
    const options = wrapper.findAll('select[name="store"] option').map((option) => [option.attributes('value'), option.text()]);
    expect(options).toEqual([['', 'All stores'], ['store-eu', 'Lantern Home EU'], ['harbor', 'Harbor Goods'], ['store-jp', 'store-jp']]);
    await wrapper.find('select[name="store"]').setValue('harbor');
    await flushPromises();
    expect(insightCalls(desk).at(-1)).toMatchObject({ storeId: 'harbor' });
  });

  it('says when the range has no request', async () => {
    deskWith(() => emptyInsights());
    const wrapper = await openInsights();
    expect(wrapper.find('[data-testid="insights-empty"]').text()).toBe('No requests in this range');
    expect(wrapper.findAll('canvas')).toHaveLength(0);
  });

  it('shows an error and tries again', async () => {
    let fail = true;
    deskWith((input) => {
      // As the backend answers: a coded error (a plain Error's text never crosses IPC, shared/errors.ts).
      if (fail) throw new DeskError('cache_loading', 'The cache is still loading.');
      return makeInsights({ from: input.from, to: input.to });
    });
    const wrapper = await openInsights();
    expect(wrapper.find('.insights [role="alert"]').text()).toContain('The cache is still loading.');
    fail = false;
    await wrapper.find('.insights [role="alert"] button').trigger('click');
    await flushPromises();
    expect(wrapper.find('.insights [role="alert"]').exists()).toBe(false);
    expect(wrapper.findAll('.figure-table')).toHaveLength(6);
  });

  it('downloads a chart\'s CSV through its command, the same rows as its table', async () => {
    deskWith((input) => makeInsights({ from: input.from, to: input.to }));
    const created: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:test';
    });
    const revokeObjectURL = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    try {
      const wrapper = await openInsights();
      await wrapper.find('[data-export="outcomes"]').trigger('click');
      await flushPromises();
      // The download's object URL is revoked on the next tick: wait for that, not for time.
      await vi.waitFor(() => expect(revokeObjectURL).toHaveBeenCalledWith('blob:test'));
      expect(clicks).toEqual(['insights-outcomes-2026-03-01-to-2026-03-30.csv']);
      const text = new TextDecoder().decode(await created[0]?.arrayBuffer());
      // TextDecoder drops the BOM by default: check the bytes for it.
      expect([...new Uint8Array((await created[0]?.arrayBuffer()) ?? new ArrayBuffer(0)).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(text).toBe('Outcome,Requests,Share (%)\r\nAccepted,4,50\r\nRefused,2,25\r\nDecided by the platform,1,12.5\r\nStill open,1,12.5\r\n');
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:test');
      expect(wrapper.text()).toContain('Exported 4 rows to insights-outcomes-2026-03-01-to-2026-03-30.csv.');

      await wrapper.find('.insights-toolbar button.button:not([data-preset])').trigger('click');
      await flushPromises();
      expect(clicks.at(-1)).toBe('audit.csv');
    } finally {
      createObjectURL.mockRestore();
      revokeObjectURL.mockRestore();
      click.mockRestore();
    }
  });
});

describe('the Insights store', () => {
  it('refreshes on queue changes only while shown, at most once per throttle window', async () => {
    const clock = useManualClock(NOW);
    const desk = deskWith((input) => makeInsights({ from: input.from, to: input.to }));
    const store = useInsightsStore();
    let shown = false;
    const stop = store.follow(() => shown, 1_000);
    const changed = () => desk.emit('queue.changed', { counts, changedIds: [] });

    changed();
    expect(insightCalls(desk)).toHaveLength(0);
    shown = true;
    changed(); // nothing loaded yet: at once
    expect(insightCalls(desk)).toHaveLength(1);
    changed();
    changed();
    expect(insightCalls(desk)).toHaveLength(1);
    clock.advance(999);
    expect(insightCalls(desk)).toHaveLength(1);
    clock.advance(1);
    expect(insightCalls(desk)).toHaveLength(2);
    await flushPromises();
    changed(); // the throttle window runs again from that load
    expect(clock.pendingTimers()).toBe(1);
    stop();
    expect(clock.pendingTimers()).toBe(0);
    changed();
    clock.advance(1_000);
    expect(insightCalls(desk)).toHaveLength(2);
  });
});
