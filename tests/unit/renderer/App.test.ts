import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueRow, ViewCounts } from '../../../shared/ipc/contract';
import { formatMoney } from '../../../shared/money';
import { setDesk } from '../../../renderer/src/api/desk';
import App from '../../../renderer/src/App.vue';
import { useQueueStore } from '../../../renderer/src/stores/queue';
import { expectIsolated, HOSTILE_NAMES } from './bidi';
import { createFakeDesk, type FakeDeskAnswers } from './fake-desk';
import { useManualClock, type ManualClock } from './manual-clock';

const counts: ViewCounts = { needs_reply: 2, buyer_replied: 0, proof_requested: 0, proof_in: 0, offers: 0, escalated: 0, conflicts: 0, done: 0, all: 2 };

function row(overrides: Partial<QueueRow>): QueueRow {
  return {
    requestId: 'r-1',
    orderId: 'o-1',
    storeId: 'store-1',
    kind: 'cancel',
    reason: 'changed_mind',
    state: 'requested',
    phase: 'before_shipment',
    buyerName: 'Zoë Müller',
    buyerCountry: 'DE',
    amount: { amountMinor: 1999, currency: 'EUR' },
    requestedAt: '2026-11-26T08:00:00.000Z',
    respondBy: '2099-01-01T00:00:00.000Z',
    proofDueAt: null,
    ...overrides,
  };
}

// happy-dom lays nothing out: give elements a size so the virtual list has a viewport (600 px: 16 rows).
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

const NOW = Date.parse('2026-11-26T09:30:00.000Z');
let clock: ManualClock;

beforeEach(() => {
  setActivePinia(createPinia());
  // Countdowns read the injected clock, never the wall clock.
  clock = useManualClock(NOW);
});
// Each App installs the window's keydown listener: unmount it so the next test's App is alone.
enableAutoUnmount(afterEach);

const idle = { state: 'idle', marketplaceUrl: 'http://m', lastSyncAt: null, nextAttemptAt: null, message: null, progress: null, quarantined: 0 } as const;

function manyRows(count: number): QueueRow[] {
  return Array.from({ length: count }, (_, index) => row({ requestId: `r-${index}`, orderId: `o-${String(index).padStart(4, '0')}` }));
}

/** A fake queue.list that serves `rows` by offset, as the backend does. */
function pagedDesk(rows: QueueRow[], more: FakeDeskAnswers['more'] = {}) {
  return createFakeDesk({
    page: { rows: [], nextCursor: null, total: 0, truncated: false },
    counts: { ...counts, needs_reply: rows.length, all: rows.length },
    status: idle,
    more: {
      'queue.list': (input: { offset?: number; limit: number }) => {
        const offset = input.offset ?? 0;
        return { rows: rows.slice(offset, offset + input.limit), nextCursor: null, total: rows.length, truncated: false };
      },
      ...more,
    },
  });
}

function key(key: string, init: KeyboardEventInit = {}): void {
  const target = document.activeElement ?? document.body;
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
}

describe('the queue screen', () => {
  it('shows each row with money from minor units, and buyer text as text', async () => {
    const rows = [
      row({}),
      row({ requestId: 'r-2', orderId: 'o-2', buyerName: '<img src=x onerror=alert(1)>', amount: { amountMinor: 1234567, currency: 'KWD' } }),
    ];
    const desk = createFakeDesk({
      page: { rows, nextCursor: null, total: 2, truncated: false },
      counts,
      status: { state: 'idle', marketplaceUrl: 'http://m', lastSyncAt: null, nextAttemptAt: null, message: null, progress: null, quarantined: 0 },
    });
    setDesk(desk.api);
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();

    const rendered = wrapper.findAll('.queue-body .queue-row');
    expect(rendered).toHaveLength(2);
    expect(rendered[0]?.find('.amount').text()).toBe(formatMoney({ amountMinor: 1999, currency: 'EUR' }, navigator.language));
    expect(rendered[1]?.find('.amount').text()).toContain('1,234.567');
    expect(rendered[1]?.find('.buyer').text()).toBe('<img src=x onerror=alert(1)>');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.find('[data-count="needs_reply"]').text()).toBe('2');
    expect(desk.calls.find((call) => call.channel === 'queue.list')).toMatchObject({ input: { view: 'needs_reply', offset: 0 } });
  });

  it('says when the marketplace is unreachable, and follows status events', async () => {
    const desk = createFakeDesk({
      page: { rows: [], nextCursor: null, total: 0, truncated: false },
      counts,
      status: { state: 'syncing', marketplaceUrl: 'http://m', lastSyncAt: null, nextAttemptAt: null, message: null, progress: null, quarantined: 0 },
    });
    setDesk(desk.api);
    const wrapper = mount(App);
    await flushPromises();
    expect(wrapper.find('.status-bar').text()).toContain('Syncing');
    desk.emit('sync.status', { state: 'unreachable', marketplaceUrl: 'http://m', lastSyncAt: null, nextAttemptAt: null, message: 'down', progress: null, quarantined: 0 });
    await flushPromises();
    expect(wrapper.find('.status-bar').attributes('data-sync-state')).toBe('unreachable');
    expect(wrapper.find('.status-bar').text()).toContain('Offline: marketplace unreachable');
    expect(wrapper.text()).toContain('Nothing here');
  });

  it('says "1 conflict" and "1 request" in the singular', async () => {
    const desk = createFakeDesk({
      page: { rows: [row({})], nextCursor: null, total: 1, truncated: false },
      counts: { ...counts, needs_reply: 1, conflicts: 1 },
      status: idle,
    });
    setDesk(desk.api);
    const wrapper = mount(App);
    await flushPromises();
    expect(wrapper.find('.status-conflicts').text()).toBe('1 conflict');
    expect(wrapper.find('[data-testid="queue-scroll"]').attributes('aria-label')).toBe('Needs reply, 1 request');
  });

  it.each(HOSTILE_NAMES)('isolates why a sync failed (%s): the marketplace\'s words cannot reorder the status bar', async (_label, hostile) => {
    setDesk(createFakeDesk({ counts, status: { ...idle, state: 'error', message: hostile } }).api);
    const wrapper = mount(App);
    await flushPromises();
    const sync = wrapper.find('.sync-text');
    expectIsolated(sync, hostile);
    expect(sync.text()).toBe(`Sync failed: ${hostile}`);
  });

  it('isolates a searched text echoed in "No request matches"', async () => {
    const desk = pagedDesk([]);
    setDesk(desk.api);
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    await useQueueStore().setSearch('Mallory \u202Eeciffo');
    await flushPromises();
    const empty = wrapper.get('[data-testid="queue-empty"]');
    expectIsolated(empty, 'Mallory \u202Eeciffo');
    expect(empty.text()).toBe('No request matches “Mallory \u202Eeciffo” in Needs reply.');
  });

  it("counts each row's time left down on the injected clock", async () => {
    const respondBy = new Date(NOW + 61 * 60_000).toISOString();
    setDesk(pagedDesk([row({ respondBy })]).api);
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    const timeLeft = () => wrapper.find('.queue-body .queue-row .time-left');
    expect(timeLeft().text()).toMatch(/^1 h 1 m/);
    clock.advance(2 * 60_000);
    await flushPromises();
    expect(timeLeft().text()).toMatch(/^59 m/);
    clock.advance(60 * 60_000);
    await flushPromises();
    expect(timeLeft().text()).toMatch(/^overdue 1 m/);
    expect(timeLeft().classes()).toContain('overdue');
  });

  it('switching view asks the backend for that view', async () => {
    const desk = createFakeDesk({
      page: { rows: [row({})], nextCursor: null, total: 1, truncated: false },
      counts,
      status: { state: 'idle', marketplaceUrl: 'http://m', lastSyncAt: null, nextAttemptAt: null, message: null, progress: null, quarantined: 0 },
    });
    setDesk(desk.api);
    const wrapper = mount(App);
    await flushPromises();
    await wrapper.find('[data-view="done"]').trigger('click');
    await flushPromises();
    expect(desk.calls.filter((call) => call.channel === 'queue.list').at(-1)).toMatchObject({ input: { view: 'done' } });
    expect(wrapper.find('.queue-heading').text()).toContain('Done');
  });
});

describe('the keyboard on the virtual queue', () => {
  it('renders only the rows on screen out of thousands, and j/k move the focus, scrolling to keep it visible', async () => {
    const desk = pagedDesk(manyRows(5_000));
    setDesk(desk.api);
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    const scroller = wrapper.get('[data-testid="queue-scroll"]');
    expect(wrapper.findAll('.queue-body .queue-row').length).toBeLessThan(60);
    expect(wrapper.get('[data-focused="true"]').attributes('data-request-id')).toBe('r-0');
    expect(document.activeElement).toBe(scroller.element);
    expect(scroller.attributes('aria-activedescendant')).toBe('queue-row-r-0');

    // happy-dom has no layout, so it cannot scroll: record where the list asks to scroll to, and do it.
    const element = scroller.element as HTMLElement;
    let scrollTop = 0;
    Object.defineProperty(element, 'scrollTop', { configurable: true, get: () => scrollTop });
    Object.defineProperty(element, 'scrollHeight', { configurable: true, get: () => 5_001 * 36 });
    const scrollTo = vi.spyOn(element, 'scrollTo').mockImplementation((options?: ScrollToOptions | number) => {
      if (typeof options === 'object') scrollTop = options.top ?? scrollTop;
      element.dispatchEvent(new Event('scroll'));
    });
    for (let step = 0; step < 30; step += 1) key('j');
    await flushPromises();
    // Row 30 ends at 31 rows × 36 px; a 600 px viewport must start at least there minus 600.
    await vi.waitFor(() => expect(scrollTop).toBeGreaterThanOrEqual(31 * 36 - 600));
    expect(scrollTop).toBeLessThanOrEqual(30 * 36);
    expect(scrollTo).toHaveBeenCalled();
    await flushPromises();
    expect(wrapper.get('[data-focused="true"]').attributes('data-request-id')).toBe('r-30');
    expect(scroller.attributes('aria-activedescendant')).toBe('queue-row-r-30');
    key('k');
    key('ArrowUp');
    await flushPromises();
    expect(wrapper.get('[data-focused="true"]').attributes('data-request-id')).toBe('r-28');
    // Only the pages on screen and their neighbours were asked for, not the 50 pages of the view.
    const offsets = desk.calls.filter((call) => call.channel === 'queue.list').map((call) => (call.input as { offset?: number }).offset ?? 0);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(300);
    expect(new Set(offsets).size).toBeLessThanOrEqual(4);
  });

  it('x selects, Shift+J extends, Esc clears; keys typed in the search field stay there', async () => {
    setDesk(pagedDesk(manyRows(50)).api);
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    key('x');
    key('J', { shiftKey: true });
    await flushPromises();
    expect(wrapper.findAll('.queue-row[aria-selected="true"]').map((element) => element.attributes('data-request-id'))).toEqual(['r-0', 'r-1']);
    expect(wrapper.get('[data-testid="selection-summary"]').text()).toContain('2 selected');
    key('Escape');
    await flushPromises();
    expect(wrapper.find('[data-testid="selection-summary"]').exists()).toBe(false);

    key('/');
    await flushPromises();
    const search = wrapper.get('#queue-search');
    expect(document.activeElement).toBe(search.element);
    key('x');
    key('j');
    await flushPromises();
    // Shift+J had moved the focus to r-1; typing in the field moved nothing.
    expect(wrapper.get('[data-focused="true"]').attributes('data-request-id')).toBe('r-1');
    expect(wrapper.findAll('.queue-row[aria-selected="true"]')).toHaveLength(0);
  });

  it('keys pressed while a view loads wait for its rows instead of being lost', async () => {
    setDesk(pagedDesk(manyRows(40)).api);
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    key('j');
    await flushPromises();
    expect(wrapper.get('[data-focused="true"]').attributes('data-request-id')).toBe('r-1');
    // g d starts loading Done; x and Shift+J come before its first page does.
    key('g');
    key('d');
    key('x');
    key('J', { shiftKey: true });
    await flushPromises();
    expect(wrapper.get('.queue-heading').text()).toContain('Done');
    expect(wrapper.findAll('.queue-row[aria-selected="true"]').map((row) => row.attributes('data-request-id'))).toEqual(['r-0', 'r-1']);
  });

  it('g then d goes to Done', async () => {
    const desk = pagedDesk(manyRows(3));
    setDesk(desk.api);
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    key('g');
    key('d');
    await flushPromises();
    expect(wrapper.get('.queue-heading').text()).toContain('Done');
    expect(desk.calls.filter((call) => call.channel === 'queue.list').at(-1)).toMatchObject({ input: { view: 'done' } });
  });
});
