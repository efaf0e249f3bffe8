import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DecisionPlan, QueueRow, RecommendedPlan } from '../../../../shared/ipc/contract';
import { formatMoney, money } from '../../../../shared/money';
import { setDesk } from '../../../../renderer/src/api/desk';
import App from '../../../../renderer/src/App.vue';
import BulkPlanDialog from '../../../../renderer/src/components/dialogs/BulkPlanDialog.vue';
import { totalsByStore } from '../../../../renderer/src/components/dialogs/plan';
import { useDecisionsStore } from '../../../../renderer/src/stores/decisions';
import { useSelectionStore } from '../../../../renderer/src/stores/selection';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { createFakeDesk } from '../fake-desk';
import { useManualClock } from '../manual-clock';
import { MAIN_STORE, makeStore, viewCounts } from '../store-fixtures';
import { makePlan, mountDialog, NOW, skipped, willDo } from './factories';

const NAMES: Readonly<Record<string, string>> = { main: 'Demo shop', 'lantern-home': 'Lantern Home' };
const nameOf = (storeId: string): string => NAMES[storeId] ?? storeId;

describe('totals per store and currency', () => {
  const plan = makePlan([
    willDo(1, 1250, 'USD'),
    willDo(2, 2501, 'USD'),
    willDo(3, 48185, 'JPY'),
    willDo(4, 15125, 'KWD'),
    willDo(5, 1, 'KWD'),
    willDo(6, null),
    willDo(7, 999, 'USD'),
    skipped(8, 'withdrawn', 'Cannot accept: the buyer withdrew.'),
  ]);
  const storeOf = new Map([
    ['req-1', 'lantern-home'],
    ['req-2', 'lantern-home'],
    ['req-3', 'main'],
    ['req-4', 'lantern-home'],
    ['req-5', 'lantern-home'],
    ['req-6', 'main'],
    ['req-8', 'main'],
  ]);

  it('adds each store\'s amounts per currency exactly (JPY no decimals, KWD three), stores by name, the unknown last', () => {
    expect(totalsByStore(plan.items, storeOf, nameOf)).toEqual([
      { storeId: 'main', name: 'Demo shop', count: 2, totals: [{ currency: 'JPY', amount: money(48185, 'JPY'), count: 1 }] },
      {
        storeId: 'lantern-home',
        name: 'Lantern Home',
        count: 4,
        totals: [
          { currency: 'KWD', amount: money(15126, 'KWD'), count: 2 },
          { currency: 'USD', amount: money(3751, 'USD'), count: 2 },
        ],
      },
      { storeId: null, name: 'Store not known', count: 1, totals: [{ currency: 'USD', amount: money(999, 'USD'), count: 1 }] },
    ]);
  });

  it('totals only the amounts asked for (a recommended plan: refunds, not offers)', () => {
    const onlyFirst = totalsByStore(plan.items, storeOf, nameOf, (item) => item.requestId !== 'req-2');
    expect(onlyFirst.find((store) => store.storeId === 'lantern-home')?.totals).toContainEqual({ currency: 'USD', amount: money(1250, 'USD'), count: 1 });
  });
});

describe('the plan dialog by store', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists each store with its count and totals, under a heading that says what they are', () => {
    const plan = makePlan([willDo(1, 1250, 'USD'), willDo(2, 48185, 'JPY'), willDo(3, 750, 'USD')]);
    const storeOf = new Map([['req-1', 'lantern-home'], ['req-2', 'main'], ['req-3', 'lantern-home']]);
    const wrapper = mountDialog(BulkPlanDialog, { props: { plan, actionTitle: 'Accept and refund', storeTotals: totalsByStore(plan.items, storeOf, nameOf) } });
    expect(wrapper.text()).toContain('By store (total refund)');
    expect(wrapper.findAll('.plan-store').map((line) => line.text())).toEqual([
      `Demo shop: 1 request, ${formatMoney(money(48185, 'JPY'), navigator.language)}`,
      `Lantern Home: 2 requests, ${formatMoney(money(2000, 'USD'), navigator.language)}`,
    ]);
  });

  it('has no store lines with one store', () => {
    const wrapper = mountDialog(BulkPlanDialog, { props: { plan: makePlan([willDo(1)]), actionTitle: 'Accept and refund' } });
    expect(wrapper.find('.plan-store').exists()).toBe(false);
  });

  it.each(HOSTILE_NAMES)('isolates a store name (%s)', (_label, hostile) => {
    const plan = makePlan([willDo(1, 1250, 'USD')]);
    const storeTotals = totalsByStore(plan.items, new Map([['req-1', 'odd']]), () => hostile);
    const wrapper = mountDialog(BulkPlanDialog, { props: { plan, actionTitle: 'Accept and refund', storeTotals } });
    expectIsolated(wrapper.get('.plan-store'), hostile);
  });
});

function row(index: number, storeId: string): QueueRow {
  return {
    requestId: `req-${index}`, orderId: `order-${index}`, storeId, kind: 'cancel', reason: 'changed_mind', state: 'requested', phase: 'before_shipment',
    buyerName: 'Ada Buyer', buyerCountry: 'DE', amount: money(1000, 'USD'), requestedAt: '2026-11-26T08:00:00.000Z', respondBy: '2099-01-01T00:00:00.000Z', proofDueAt: null,
  };
}

describe('a bulk plan over several stores', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    useManualClock(NOW);
  });
  enableAutoUnmount(afterEach);

  /** Two rows on screen; req-9 was selected by "select all" and is not loaded. */
  function deskOf(stores = [MAIN_STORE, makeStore()]) {
    const rows = [row(1, 'main'), row(2, 'lantern-home')];
    const desk = createFakeDesk({
      counts: viewCounts({ needs_reply: 3, all: 3 }),
      page: { rows, nextCursor: null, total: rows.length, truncated: false },
      more: {
        'stores.list': stores,
        'queue.ids': (input: { storeId: string | null }) => (input.storeId === 'lantern-home' ? { ids: ['req-2', 'req-9'], total: 2 } : { ids: ['req-1'], total: 1 }),
        'decisions.plan': (): DecisionPlan => makePlan([willDo(1, 1000, 'USD'), willDo(2, 2500, 'USD'), willDo(9, 700, 'EUR')]),
        'decisions.planRecommended': (): RecommendedPlan => ({
          evaluatedAt: '2026-11-26T09:30:00.000Z',
          willDo: 2,
          skipped: 0,
          items: [
            { requestId: 'req-1', orderId: 'order-1', status: 'will_do', action: 'accept', amount: money(1000, 'USD'), summary: 'Accept.', why: 'Cheap.' },
            { requestId: 'req-9', orderId: 'order-9', status: 'will_do', action: 'offer', amount: money(500, 'EUR'), summary: 'Offer.', why: 'Partial.' },
          ],
          groups: [],
        }),
      },
    });
    setDesk(desk.api);
    return desk;
  }

  async function planFor(ids: string[], recommended = false) {
    const wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    useSelectionStore().add(ids);
    if (recommended) await useDecisionsStore().followRecommendation();
    else await useDecisionsStore().begin('accept');
    await flushPromises();
    return wrapper;
  }

  it('shows what it does in each store: rows on screen by their store, the others asked store by store', async () => {
    const desk = deskOf();
    const wrapper = await planFor(['req-1', 'req-2', 'req-9']);
    expect(desk.inputsOf('queue.ids')).toEqual([
      { view: 'needs_reply', sort: 'time_left', search: '', storeId: 'main' },
      { view: 'needs_reply', sort: 'time_left', search: '', storeId: 'lantern-home' },
    ]);
    const usd = (minor: number) => formatMoney(money(minor, 'USD'), navigator.language);
    const eur = (minor: number) => formatMoney(money(minor, 'EUR'), navigator.language);
    expect(wrapper.findAll('.plan-store').map((line) => line.text())).toEqual([`Demo shop: 1 request, ${usd(1000)}`, `Lantern Home: 2 requests, ${eur(700)} and ${usd(2500)}`]);
  });

  it('totals the refunds of a recommended plan per store, not its offers', async () => {
    deskOf();
    const wrapper = await planFor(['req-1', 'req-9'], true);
    expect(wrapper.text()).toContain('By store (refund totals)');
    expect(wrapper.findAll('.plan-store').map((line) => line.text())).toEqual([
      `Demo shop: 1 request, ${formatMoney(money(1000, 'USD'), navigator.language)}`,
      'Lantern Home: 1 request',
    ]);
  });

  it('asks nothing more and shows no store lines with one store; a plan whose stores cannot be told still shows', async () => {
    const one = deskOf([MAIN_STORE]);
    const single = await planFor(['req-1', 'req-9']);
    expect(one.inputsOf('queue.ids')).toEqual([]);
    expect(single.find('.plan-store').exists()).toBe(false);
    single.unmount();

    setActivePinia(createPinia());
    const failing = deskOf();
    failing.answer('queue.ids', () => {
      throw new Error('gone');
    });
    const wrapper = await planFor(['req-1', 'req-9']);
    expect(wrapper.find('.plan-will-do').exists()).toBe(true);
    expect(wrapper.find('.plan-store').exists()).toBe(false);
  });
});
