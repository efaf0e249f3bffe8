import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import UndoToast from '../../../../renderer/src/components/feedback/UndoToast.vue';
import { useDecisionsStore } from '../../../../renderer/src/stores/decisions';
import { NOW } from '../detail/fakes';
import { useManualClock, type ManualClock } from '../manual-clock';

let clock: ManualClock;

beforeEach(() => {
  setActivePinia(createPinia());
  clock = useManualClock(NOW);
});

describe('the undo toast', () => {
  it('counts the undo window down on the injected clock and goes when it closes', async () => {
    const decisions = useDecisionsStore();
    decisions.lastDecision = { batchIds: ['b-1'], undoUntil: NOW + 10_000, summary: 'Accept and refund: 3 requests' };
    const wrapper = mount(UndoToast);
    expect(wrapper.find('span').text()).toBe('Accept and refund: 3 requests');
    expect(wrapper.find('button').text()).toBe('Undo (z) · 10 s');

    clock.advance(2_500);
    await nextTick();
    expect(wrapper.find('button').text()).toBe('Undo (z) · 8 s');

    clock.advance(7_250);
    await nextTick();
    expect(wrapper.find('button').text()).toBe('Undo (z) · 1 s');
    expect(decisions.lastDecision).not.toBeNull();

    clock.advance(250);
    await nextTick();
    expect(decisions.lastDecision).toBeNull();
    await nextTick();
    expect(wrapper.find('[data-testid="undo-toast"]').exists()).toBe(false);

    wrapper.unmount();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('starts a 10 s window at "10 s" when the decision lands between two ticks', async () => {
    const decisions = useDecisionsStore();
    const wrapper = mount(UndoToast);
    // 200 ms after the last tick (the toast ticks every 250 ms), a decision with a 10 s window arrives.
    clock.advance(200);
    decisions.lastDecision = { batchIds: ['b-1'], undoUntil: clock.now() + 10_000, summary: 'Accept and refund: done' };
    await nextTick();
    expect(wrapper.find('button').text()).toBe('Undo (z) · 10 s');

    clock.advance(50);
    await nextTick();
    expect(wrapper.find('button').text()).toBe('Undo (z) · 10 s');
    clock.advance(1_000);
    await nextTick();
    expect(wrapper.find('button').text()).toBe('Undo (z) · 9 s');
    wrapper.unmount();
  });
});
