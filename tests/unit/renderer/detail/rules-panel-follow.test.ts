import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import RulesPanel from '../../../../renderer/src/components/detail/RulesPanel.vue';
import { useManualClock } from '../manual-clock';
import { HOUR, NOW, at, makeDetail, makeOrder } from './fakes';

beforeEach(() => {
  setActivePinia(createPinia());
  useManualClock(NOW);
});

describe('the rules panel and the recommendation', () => {
  it('offers "Do what is recommended" with its key when something is recommended, and runs the command', async () => {
    const order = makeOrder();
    const detail = makeDetail({ order });
    const wrapper = mount(RulesPanel, { props: { rules: detail.rules, order, now: NOW } });
    const follow = wrapper.get('.detail-follow');
    expect(follow.text()).toBe('Do what is recommended .');
    await follow.trigger('click');
    expect(wrapper.emitted('command')).toEqual([['request.followRecommendation']]);
  });

  it('has no such button when nothing is recommended now', () => {
    const order = makeOrder({ status: 'shipped' });
    const detail = makeDetail({ order, request: { reason: 'damaged', state: 'proof_requested', proofRequest: { message: 'Photos, please.', dueAt: at(48 * HOUR) } } });
    const wrapper = mount(RulesPanel, { props: { rules: detail.rules, order, now: NOW } });
    expect(wrapper.find('.detail-follow').exists()).toBe(false);
  });
});
