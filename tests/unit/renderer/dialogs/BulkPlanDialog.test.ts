import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { formatMoney, money } from '../../../../shared/money';
import BulkPlanDialog from '../../../../renderer/src/components/dialogs/BulkPlanDialog.vue';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { makePlan, mountDialog, skipped, willDo } from './factories';

const mixed = makePlan([
  willDo(1, 1250, 'USD'),
  willDo(2, 2500, 'USD'),
  willDo(3, 48185, 'JPY'),
  ...Array.from({ length: 55 }, (_, index) => skipped(10 + index, 'proof_required', 'Cannot accept: your policy asks for photos first.')),
  skipped(90, 'deadline_passed', 'Cannot accept: the deadline has passed.'),
]);
const nothing = makePlan([skipped(1, 'deadline_passed', 'Cannot accept: the deadline has passed.')]);

function open(props: Record<string, unknown> = {}) {
  return mountDialog(BulkPlanDialog, { props: { plan: mixed, actionTitle: 'Accept and refund', ...props } });
}

const confirmButton = (wrapper: ReturnType<typeof open>) => wrapper.get<HTMLButtonElement>('button[type="submit"]');

afterEach(() => {
  document.body.innerHTML = '';
});

describe('BulkPlanDialog', () => {
  it('shows how many will be done and the total per currency', () => {
    const wrapper = open();
    expect(wrapper.text()).toContain('3 will be done');
    expect(wrapper.text()).toContain(formatMoney(money(3750, 'USD'), 'en-US'));
    expect(wrapper.text()).toContain('¥48,185');
    expect(confirmButton(wrapper).text()).toBe('Accept and refund (3)');
  });

  it('groups skipped requests by reason, with the first 50 order ids and a count of the rest', () => {
    const wrapper = open();
    const groups = wrapper.findAll('.plan-skip-group');
    expect(groups).toHaveLength(2);
    expect(groups[0]?.text()).toContain('Cannot accept: your policy asks for photos first. (55 requests)');
    const ids = groups[0]?.get('.plan-skip-ids').text() ?? '';
    expect(ids).toContain('order-10, order-11');
    expect(ids).toContain('order-59');
    expect(ids).not.toContain('order-60');
    expect(ids).toMatch(/and 5 more$/u);
    expect(groups[1]?.text()).toContain('order-90');
  });

  it.each(HOSTILE_NAMES)('isolates each skipped order id (%s), so the ids after it and the count keep their order', (_label, hostile) => {
    const plan = makePlan([willDo(1, 1250, 'USD'), { ...skipped(2, 'withdrawn', 'Cannot accept: the buyer withdrew.'), orderId: hostile }, skipped(3, 'withdrawn', 'Cannot accept: the buyer withdrew.')]);
    const wrapper = open({ plan });
    const ids = wrapper.get('.plan-skip-ids');
    expectIsolated(ids, hostile);
    expectIsolated(ids, 'order-3');
    expect(ids.text()).toBe(`Orders: ${hostile}, order-3`);
  });

  it('says "1 request", not "1 requests"', () => {
    const wrapper = open({ plan: makePlan([willDo(1, 1250, 'USD'), skipped(2, 'withdrawn', 'Cannot accept: the buyer withdrew.')]) });
    expect(wrapper.get('.plan-skip-reason').text()).toBe('Cannot accept: the buyer withdrew. (1 request)');
    expect(wrapper.text()).toContain('for 1 request');
  });

  it('Enter confirms; Esc cancels', async () => {
    const wrapper = open();
    await wrapper.get('dialog').trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('confirm')).toHaveLength(1);
    await wrapper.get('dialog').trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('cancel')).toHaveLength(1);
  });

  it('focuses the confirm button on open', async () => {
    open();
    await nextTick();
    await nextTick();
    expect(document.activeElement?.textContent?.trim()).toBe('Accept and refund (3)');
  });

  it('cannot confirm when nothing will be done, and says why', async () => {
    const wrapper = open({ plan: nothing });
    expect(confirmButton(wrapper).element.disabled).toBe(true);
    const reason = document.getElementById(confirmButton(wrapper).attributes('aria-describedby') ?? '');
    expect(reason?.textContent).toContain('Nothing will be done');
    await wrapper.get('dialog').trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('confirm')).toBeUndefined();
    await nextTick();
    expect(document.activeElement?.textContent?.trim()).toBe('Cancel');
  });

  it('while busy: a labelled progress bar, buttons disabled, Enter and Esc do nothing', async () => {
    const wrapper = open({ busy: true, progress: { done: 40, total: 120 } });
    const progress = wrapper.get<HTMLProgressElement>('progress');
    expect(progress.attributes('value')).toBe('40');
    expect(progress.attributes('max')).toBe('120');
    expect(document.getElementById(progress.attributes('aria-labelledby') ?? '')?.textContent).toBe('40 of 120 done');
    expect(wrapper.findAll('button').every((button) => (button.element as HTMLButtonElement).disabled)).toBe(true);
    await wrapper.get('dialog').trigger('keydown', { key: 'Enter' });
    await wrapper.get('dialog').trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('confirm')).toBeUndefined();
    expect(wrapper.emitted('cancel')).toBeUndefined();
  });
});
