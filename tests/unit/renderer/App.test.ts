import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { QueueRow, ViewCounts } from '../../../shared/ipc/contract';
import { formatMoney } from '../../../shared/money';
import { setDesk } from '../../../renderer/src/api/desk';
import App from '../../../renderer/src/App.vue';
import { createFakeDesk } from './fake-desk';

const counts: ViewCounts = { needs_reply: 2, proof_requested: 0, proof_in: 0, offers: 0, escalated: 0, conflicts: 0, done: 0, all: 2 };

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

beforeEach(() => {
  setActivePinia(createPinia());
});

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
    const wrapper = mount(App);
    await flushPromises();

    const rendered = wrapper.findAll('tr.queue-row');
    expect(rendered).toHaveLength(2);
    expect(rendered[0]?.find('.amount').text()).toBe(formatMoney({ amountMinor: 1999, currency: 'EUR' }, navigator.language));
    expect(rendered[1]?.find('.amount').text()).toContain('1,234.567');
    expect(rendered[1]?.find('.buyer').text()).toBe('<img src=x onerror=alert(1)>');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.find('[data-count="needs_reply"]').text()).toBe('2');
    expect(desk.calls[0]).toMatchObject({ channel: 'queue.list', input: { view: 'needs_reply' } });
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
    expect(wrapper.find('.status-bar').text()).toContain('Marketplace unreachable');
    expect(wrapper.text()).toContain('Nothing here');
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
    expect(wrapper.find('.queue-title').text()).toContain('Done');
  });
});
