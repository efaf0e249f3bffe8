import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestDetail } from '../../../../shared/ipc/contract';
import { DEFAULT_POLICY } from '../../../../shared/rules/policy';
import { allowedActionsWithoutOrder, recommendWithoutOrder } from '../../../../shared/rules/without-order';
import { setDesk } from '../../../../renderer/src/api/desk';
import DetailPane from '../../../../renderer/src/components/detail/DetailPane.vue';
import { useDetailStore } from '../../../../renderer/src/stores/detail';
import { useManualClock } from '../manual-clock';
import { NOW, at, createDetailFake, makeDetail, makeOrder, makeRequest, type DetailFake } from './fakes';

const REASON = 'buyer.name: Too big: expected string to have <=200 characters';

let fake: DetailFake;
let wrapper: VueWrapper | null = null;

/** A dispute whose order was set aside at sync, as the backend sends it. */
function setAsideDetail(): RequestDetail {
  const request = makeRequest({}, makeOrder({ status: 'delivered' }));
  return makeDetail({
    order: null,
    request,
    detail: {
      orderSetAside: { reason: REASON, excerpt: '{"id":"order-1","buyer":{"name":"xxxx', receivedAt: at(-5 * 60_000) },
      rules: {
        available: true,
        evaluatedAt: at(0),
        actions: allowedActionsWithoutOrder(request, DEFAULT_POLICY, NOW),
        recommendation: recommendWithoutOrder(request, DEFAULT_POLICY, NOW, { reason: REASON, cachedVersion: null }),
      },
    },
  });
}

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createDetailFake();
  setDesk(fake.api);
  useManualClock(NOW);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

describe('the detail of a request whose order was set aside', () => {
  it('says the order was set aside and why, instead of "not synced yet"', async () => {
    fake.details.set('req-1', setAsideDetail());
    wrapper = mount(DetailPane, { attachTo: document.body });
    await useDetailStore().show('req-1');
    await flushPromises();

    const note = wrapper.find('[data-testid="order-set-aside"]');
    expect(note.exists()).toBe(true);
    expect(note.text()).toContain('The marketplace sent order order-1 with data Cancel Desk cannot accept, so it was set aside at sync');
    // The reason names the field; it is the marketplace's data, so it is isolated for bidi.
    expect(note.find('.detail-set-aside-reason').element.tagName).toBe('BDI');
    expect(note.find('.detail-set-aside-reason').text()).toBe(REASON);
    expect(note.find('time').attributes('datetime')).toBe(at(-5 * 60_000));
    expect(wrapper.text()).not.toContain('has not been synced yet');
    // The header says the same: not "not synced yet", which a sync would never fix.
    expect(wrapper.text()).not.toContain('Not synced yet');
    expect(wrapper.find('.detail-phase').text()).toBe('Unknown: the order was set aside at sync');
  });

  it('shows what can be done without it, and exactly why accepting and offers cannot', async () => {
    fake.details.set('req-1', setAsideDetail());
    wrapper = mount(DetailPane, { attachTo: document.body });
    await useDetailStore().show('req-1');
    await flushPromises();

    expect(wrapper.find('.detail-recommended-action').text()).toBe('None without the order');
    expect(wrapper.find('.detail-reasons').text()).toContain(`Order order-1 was set aside at sync because the marketplace sent it malformed (${REASON})`);
    const state = (action: string): { status: string; why: string } => {
      const item = wrapper?.find(`.detail-action[data-action="${action}"]`);
      return { status: item?.find('.detail-action-status').text() ?? '', why: item?.find('.detail-action-why').text() ?? '' };
    };
    expect(state('accept')).toEqual({
      status: 'Blocked',
      why: "Cannot accept: the refund is worked out from the order's amounts (what was paid, what was already refunded, shipping), and order order-1 was set aside because the marketplace sent it malformed; this becomes possible once a valid copy of the order arrives.",
    });
    expect(state('offer').status).toBe('Blocked');
    expect(state('request_proof').status).toBe('Allowed');
    expect(state('escalate').status).toBe('Allowed');
    expect(state('refuse').status).toBe('Allowed');
  });
});
