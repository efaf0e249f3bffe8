import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CAPABILITIES } from '../../../../shared/domain/marketplace';
import type { DecisionResult, QueueRow, RecommendedPlan, RequestDetail } from '../../../../shared/ipc/contract';
import { formatMoney, money } from '../../../../shared/money';
import { DEFAULT_POLICY, allowedActions, recommend } from '../../../../shared/rules';
import { setDesk } from '../../../../renderer/src/api/desk';
import App from '../../../../renderer/src/App.vue';
import { inSellerTime } from '../../../../renderer/src/format';
import { useSelectionStore } from '../../../../renderer/src/stores/selection';
import { useUiStore } from '../../../../renderer/src/stores/ui';
import { createFakeDesk, type FakeDesk } from '../fake-desk';
import { useManualClock } from '../manual-clock';
import { HOUR, NOW, at, makeDetail, makeOrder, makeRequest } from '../detail/fakes';

beforeEach(() => {
  setActivePinia(createPinia());
  useManualClock(NOW);
});
// Each App installs the window's keydown listener: unmount it so the next test's App is alone.
enableAutoUnmount(afterEach);
afterEach(() => {
  document.body.innerHTML = '';
});

function row(requestId: string): QueueRow {
  return {
    requestId,
    orderId: `order-${requestId}`,
    storeId: 'store-1',
    kind: 'cancel',
    reason: 'changed_mind',
    state: 'requested',
    phase: 'before_shipment',
    buyerName: 'Ada Buyer',
    buyerCountry: 'DE',
    amount: money(6000, 'USD'),
    requestedAt: at(-2 * HOUR),
    respondBy: at(46 * HOUR),
    proofDueAt: null,
  };
}

/** A cancel before shipment as the backend details it for the demo marketplace (DEMO_CAPABILITIES). */
function demoCancelDetail(requestId: string): RequestDetail {
  const order = makeOrder({ id: `order-${requestId}` });
  const request = makeRequest({ id: requestId }, order);
  return makeDetail({
    order,
    request: { id: requestId },
    detail: {
      rules: {
        available: true,
        evaluatedAt: at(0),
        actions: allowedActions(order, request, DEFAULT_POLICY, NOW, DEMO_CAPABILITIES),
        recommendation: recommend(order, request, [], DEFAULT_POLICY, NOW, DEMO_CAPABILITIES),
      },
    },
  });
}

function result(requestIds: readonly string[], batchId: string): DecisionResult {
  return {
    batchId,
    undoUntil: at(10_000),
    done: requestIds.length,
    skipped: 0,
    items: requestIds.map((requestId) => ({ requestId, status: 'done', state: 'accepted', amount: null, summary: 'Done.' })),
    totals: [],
  };
}

function deskFor(rows: QueueRow[], details: Record<string, RequestDetail>): FakeDesk {
  return createFakeDesk({
    page: { rows, nextCursor: null, total: rows.length, truncated: false },
    more: {
      'requests.get': (input: { requestId: string }) => details[input.requestId],
      'decisions.decideRecommended': (input: { items: Array<{ requestId: string }> }) => result(input.items.map((item) => item.requestId), 'b-1'),
      'decisions.undo': (input: { batchId: string }) => ({ batchId: input.batchId, undone: 1 }),
    },
  });
}

function key(name: string): void {
  const target = document.activeElement ?? document.body;
  target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
}

async function openApp(desk: FakeDesk): Promise<VueWrapper> {
  setDesk(desk.api);
  const wrapper = mount(App, { attachTo: document.body });
  await flushPromises();
  return wrapper;
}

async function confirm(wrapper: VueWrapper): Promise<void> {
  await wrapper.get('.modal-dialog form').trigger('submit');
  await flushPromises();
}

describe('the command palette and the rules of the focused request', () => {
  it("greys a command whose action the rules block for the focused request, with the rules' sentence; the others stay live", async () => {
    const desk = deskFor([row('req-1')], { 'req-1': demoCancelDetail('req-1') });
    const wrapper = await openApp(desk);
    useUiStore().paletteOpen = true;
    await flushPromises();

    const option = (id: string) => wrapper.get(`.palette-option[data-command="${id}"]`);
    expect(option('request.escalate').attributes('aria-disabled')).toBe('true');
    expect(option('request.escalate').get('.palette-why').text()).toBe('Demo marketplace has no escalation for cancellations before shipment.');
    expect(option('request.offer').get('.palette-why').text()).toBe('Demo marketplace has no partial-refund offer for cancellations before shipment.');
    expect(option('request.accept').attributes('aria-disabled')).toBe('false');
    expect(option('request.accept').find('.palette-why').exists()).toBe(false);
    expect(option('request.followRecommendation').attributes('aria-disabled')).toBe('false');

    // Choosing a greyed command does nothing.
    await option('request.escalate').trigger('click');
    await flushPromises();
    expect(desk.inputsOf('decisions.decide')).toEqual([]);
  });

  it('greys "Do what is recommended" with the reason when nothing is recommended now', async () => {
    // Proof asked for and not due yet: the rules say to wait.
    const order = makeOrder({ id: 'order-req-1', status: 'shipped' });
    const request = makeRequest({ id: 'req-1', reason: 'damaged', state: 'proof_requested', proofRequest: { message: 'Photos, please.', dueAt: at(48 * HOUR) } }, order);
    const detail = makeDetail({ order, request: { ...request } });
    const expected = detail.rules.available ? detail.rules.recommendation : null;
    expect(expected?.action).toBeNull();
    const desk = deskFor([{ ...row('req-1'), kind: 'dispute', state: 'proof_requested', phase: 'after_shipment' }], { 'req-1': detail });
    const wrapper = await openApp(desk);
    useUiStore().paletteOpen = true;
    await flushPromises();
    const follow = wrapper.get('.palette-option[data-command="request.followRecommendation"]');
    expect(follow.attributes('aria-disabled')).toBe('true');
    // In the seller's time, as the rules panel shows it.
    expect(follow.get('.palette-why').text()).toBe(inSellerTime(expected?.reasons[0]?.message ?? ''));
    expect(follow.get('.palette-why').text()).toMatch(/^Wait: proof was requested/);
  });
});

describe('. does what is recommended', () => {
  it('on the focused request: shows the plan with its one item and why, Enter decides it, z undoes it', async () => {
    const plan: RecommendedPlan = {
      evaluatedAt: at(0),
      willDo: 1,
      skipped: 0,
      items: [
        {
          requestId: 'req-1',
          orderId: 'order-req-1',
          status: 'will_do',
          action: 'accept',
          amount: money(6000, 'USD'),
          summary: 'Accept and refund $60.00 in full, shipping included; the order is cancelled.',
          why: 'Before shipment a cancel is refunded in full; it can only be refused with proof of shipment.',
        },
      ],
      groups: [{ action: 'accept', count: 1, totals: [{ currency: 'USD', amount: money(6000, 'USD'), count: 1 }] }],
    };
    const desk = deskFor([row('req-1')], { 'req-1': demoCancelDetail('req-1') });
    desk.answer('decisions.planRecommended', plan);
    const wrapper = await openApp(desk);

    key('.');
    await flushPromises();
    expect(desk.inputsOf('decisions.planRecommended')).toEqual([{ requestIds: ['req-1'] }]);
    const dialog = wrapper.get('.modal-dialog');
    expect(dialog.get('.modal-title').text()).toBe('Do what is recommended: 1 request');
    expect(dialog.get('.plan-group[data-action="accept"]').text()).toBe(`Accept and refund: 1 request, ${formatMoney(money(6000, 'USD'), navigator.language)}`);
    expect(dialog.get('.plan-only-summary').text()).toBe(plan.items[0]?.status === 'will_do' ? plan.items[0].summary : '');
    expect(dialog.get('.plan-only-why').text()).toContain('Before shipment a cancel is refunded in full');
    expect(desk.inputsOf('decisions.decideRecommended')).toEqual([]);

    await confirm(wrapper);
    expect(desk.inputsOf('decisions.decideRecommended')).toEqual([{ items: [{ requestId: 'req-1', action: 'accept' }] }]);
    expect(wrapper.find('.modal-dialog').exists()).toBe(false);
    expect(wrapper.get('[data-testid="undo-toast"]').text()).toContain('Accept and refund: done');

    key('z');
    await flushPromises();
    expect(desk.inputsOf('decisions.undo')).toEqual([{ batchId: 'b-1' }]);
  });

  it("on a selection: one plan of each request's own action, grouped, with skips; Enter decides what is planned; z undoes it all", async () => {
    const rows = [row('r-1'), row('r-2'), row('r-3')];
    const plan: RecommendedPlan = {
      evaluatedAt: at(0),
      willDo: 2,
      skipped: 1,
      items: [
        { requestId: 'r-1', orderId: 'order-r-1', status: 'will_do', action: 'accept', amount: money(6000, 'USD'), summary: 'Accept and refund $60.00.', why: 'No risk.' },
        { requestId: 'r-2', orderId: 'order-r-2', status: 'skipped', code: 'no_recommendation', message: 'Wait: the buyer has until 2026-11-28 09:30 UTC to send proof.' },
        { requestId: 'r-3', orderId: 'order-r-3', status: 'will_do', action: 'request_proof', amount: null, summary: 'Ask the buyer for photos or video.', why: 'High value.' },
      ],
      groups: [
        { action: 'accept', count: 1, totals: [{ currency: 'USD', amount: money(6000, 'USD'), count: 1 }] },
        { action: 'request_proof', count: 1, totals: [] },
      ],
    };
    const desk = deskFor(rows, Object.fromEntries(rows.map((entry) => [entry.requestId, demoCancelDetail(entry.requestId)])));
    desk.answer('decisions.planRecommended', plan);
    const wrapper = await openApp(desk);
    useSelectionStore().add(['r-1', 'r-2', 'r-3']);
    await flushPromises();

    key('.');
    await flushPromises();
    expect(desk.inputsOf('decisions.planRecommended')).toEqual([{ requestIds: ['r-1', 'r-2', 'r-3'] }]);
    const dialog = wrapper.get('.modal-dialog');
    expect(dialog.get('.modal-title').text()).toBe('Do what is recommended: 3 requests');
    expect(dialog.findAll('.plan-group').map((group) => group.text())).toEqual([
      `Accept and refund: 1 request, ${formatMoney(money(6000, 'USD'), navigator.language)}`,
      'Ask for proof: 1 request',
    ]);
    expect(dialog.get('.plan-skip-reason').text()).toContain('(1 request)');
    expect(dialog.get('.plan-skip-ids').text()).toContain('order-r-2');
    expect(dialog.find('.plan-only-summary').exists()).toBe(false);

    await confirm(wrapper);
    expect(desk.inputsOf('decisions.decideRecommended')).toEqual([
      {
        items: [
          { requestId: 'r-1', action: 'accept' },
          { requestId: 'r-3', action: 'request_proof' },
        ],
      },
    ]);
    expect(useSelectionStore().count).toBe(0);
    expect(wrapper.get('[data-testid="undo-toast"]').text()).toContain('Do what is recommended: 2 requests');

    key('z');
    await flushPromises();
    expect(desk.inputsOf('decisions.undo')).toEqual([{ batchId: 'b-1' }]);
  });
});
