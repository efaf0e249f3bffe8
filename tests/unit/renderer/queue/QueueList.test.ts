import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueueRow } from '../../../../shared/ipc/contract';
import { setDesk } from '../../../../renderer/src/api/desk';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import QueueList from '../../../../renderer/src/components/queue/QueueList.vue';
import { useQueueStore } from '../../../../renderer/src/stores/queue';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { createFakeDesk } from '../fake-desk';
import { useManualClock } from '../manual-clock';

const NOW = Date.parse('2026-11-26T09:30:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number): string => new Date(NOW + offsetMs).toISOString();

function row(overrides: Partial<QueueRow>): QueueRow {
  return {
    requestId: 'r-1',
    orderId: 'o-1',
    storeId: 'store-1',
    kind: 'dispute',
    reason: 'damaged',
    state: 'requested',
    phase: 'after_shipment',
    buyerName: 'Ada Buyer',
    buyerCountry: 'DE',
    amount: { amountMinor: 1999, currency: 'EUR' },
    requestedAt: at(-2 * HOUR),
    respondBy: at(5 * DAY),
    proofDueAt: null,
    localState: null,
    closedAt: null,
    ...overrides,
  };
}

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

const machineTimeZone = getTimeZone();
beforeEach(() => {
  setActivePinia(createPinia());
  useManualClock(NOW);
  setTimeZone('UTC');
});
afterEach(() => setTimeZone(machineTimeZone));
enableAutoUnmount(afterEach);

async function showRows(rows: QueueRow[]): Promise<VueWrapper> {
  setDesk(createFakeDesk({ page: { rows, nextCursor: null, total: rows.length, truncated: false } }).api);
  await useQueueStore().reset();
  const wrapper = mount(QueueList, { attachTo: document.body });
  await flushPromises();
  return wrapper;
}

function rowOf(wrapper: VueWrapper, requestId: string) {
  return wrapper.get(`[data-request-id="${requestId}"]`);
}

describe('the queue rows', () => {
  it('show a closed request\'s outcome and when, never a countdown; urgency colours only where a reply is due', async () => {
    const wrapper = await showRows([
      // Closed 3 days ago; its reply deadline passed 35 days ago, which no longer matters.
      row({ requestId: 'refunded', state: 'refunded', respondBy: at(-35 * DAY), closedAt: at(-3 * DAY) }),
      // Accepted: the refund is on its way; the deadline 2 h ahead is not the seller's any more.
      row({ requestId: 'accepted', state: 'accepted', respondBy: at(2 * HOUR), closedAt: at(-HOUR) }),
      // Decided here, waiting in the outbox: the marketplace still says "requested".
      row({ requestId: 'pending', state: 'requested', respondBy: at(2 * HOUR), localState: 'accepted' }),
      row({ requestId: 'due', state: 'requested', respondBy: at(2 * HOUR) }),
      row({ requestId: 'offer', state: 'offer_made', respondBy: at(2 * HOUR) }),
      // Proof asked for and overdue: the reply is the seller's again.
      row({ requestId: 'no-proof', state: 'proof_requested', proofDueAt: at(-HOUR), respondBy: at(2 * DAY) }),
    ]);

    const refunded = rowOf(wrapper, 'refunded');
    expect(refunded.find('.time-left').text()).toBe('closed 3 d ago');
    expect(refunded.find('.state').text()).toBe('Refunded');
    expect(refunded.find('.time-left').classes()).toContain('quiet');
    expect(refunded.find('.time-left').classes()).not.toContain('overdue');

    const accepted = rowOf(wrapper, 'accepted');
    expect(accepted.find('.time-left').text()).toBe('closed 1 h ago');
    expect(accepted.find('.state').text()).toBe('Accepted');
    expect(accepted.find('.time-left').classes()).not.toContain('critical');

    const pending = rowOf(wrapper, 'pending');
    expect(pending.find('.time-left').text()).toBe('not sent yet (your decision waits to be sent)');
    expect(pending.find('.state').text()).toBe('Accepted');
    expect(pending.find('.time-left').classes()).not.toContain('critical');

    const offer = rowOf(wrapper, 'offer');
    expect(offer.find('.time-left').text()).toBe("2 h 0 m (the buyer's move)");
    expect(offer.find('.time-left').classes()).toContain('quiet');
    expect(offer.find('.time-left').classes()).not.toContain('critical');

    const noProof = rowOf(wrapper, 'no-proof');
    expect(noProof.find('.time-left').text()).toBe('2 d 0 h');
    expect(noProof.find('.state .badge').text()).toBe('proof overdue');

    const due = rowOf(wrapper, 'due');
    expect(due.find('.time-left').text()).toBe('2 h 0 m (under 6 hours)');
    expect(due.find('.time-left').classes()).toContain('critical');
  });

  it('show proof due at the one due instant, in the seller\'s time zone', async () => {
    setTimeZone('America/New_York');
    // The instant the proof dialog sends for 5 December in New York: 23:59:59.999 there.
    const dueAt = '2026-12-06T04:59:59.999Z';
    const wrapper = await showRows([row({ requestId: 'proof', state: 'proof_requested', proofDueAt: dueAt })]);
    const cell = rowOf(wrapper, 'proof').find('.time-left');
    expect(cell.find('time').attributes('datetime')).toBe(dueAt);
    expect(cell.find('time').text()).toBe('proof by Dec 5');
    expect(cell.attributes('title')).toBe('Proof due Saturday, December 5, 2026 at 11:59 PM');
    expect(cell.classes()).toContain('quiet');
  });

  it.each(HOSTILE_NAMES)('isolate untrusted text (%s): the buyer name and order id cannot reorder the row', async (_label, name) => {
    const wrapper = await showRows([row({ requestId: 'hostile', buyerName: name, orderId: `o-${name}` })]);
    const hostile = rowOf(wrapper, 'hostile');
    expectIsolated(hostile.find('.buyer'), name);
    expectIsolated(hostile.find('.order-id'), `o-${name}`);
    // The tooltip carries it between isolates too.
    expect(hostile.find('.buyer').attributes('title')).toBe(`\u2068${name}\u2069`);
  });
});
