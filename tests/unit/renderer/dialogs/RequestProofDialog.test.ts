import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { VueWrapper } from '@vue/test-utils';
import { BulkActionSchema, planAction } from '../../../../shared/rules';
import { proofDueAt } from '../../../../shared/rules/proof-due';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import type { RequestProofAction } from '../../../../renderer/src/components/dialogs/actions';
import { formatFullDateTime } from '../../../../renderer/src/format';
import RequestProofDialog from '../../../../renderer/src/components/dialogs/RequestProofDialog.vue';
import { DAY, NOW, mountDialog, requestProofOptionFor, situation } from './factories';

type Wrapper = VueWrapper<InstanceType<typeof RequestProofDialog>>;

const dispute = situation();
const option = requestProofOptionFor(dispute);

function open(templates: readonly string[] = [], count = 1): Wrapper {
  return mountDialog(RequestProofDialog, { props: { option, count, now: NOW, templates } });
}

/** YYYY-MM-DD of a local date, and the ISO instant of its last millisecond, computed independently. */
function localDay(ms: number): { value: string; endIso: string } {
  const date = new Date(ms);
  const value = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  const end = new Date(date.getFullYear(), date.getMonth(), date.getDate(), 23, 59, 59, 999);
  return { value, endIso: end.toISOString() };
}

function emitted(wrapper: Wrapper): RequestProofAction[] {
  return (wrapper.emitted('submit') ?? []).map(([action]) => action as RequestProofAction);
}

async function submit(wrapper: Wrapper): Promise<void> {
  await wrapper.get('form').trigger('submit');
  await nextTick();
}

const machineTimeZone = getTimeZone();

afterEach(() => {
  document.body.innerHTML = '';
  setTimeZone(machineTimeZone);
});

describe('RequestProofDialog', () => {
  it('starts from the default message and due date; emits the end of that local day, which the schema and rules accept', async () => {
    expect(option.allowed).toBe(true);
    const wrapper = open();
    const message = wrapper.get<HTMLTextAreaElement>('textarea');
    const due = wrapper.get<HTMLInputElement>('input[type="date"]');
    expect(message.element.value).toBe(dispute.policy.proofRequestTemplate);
    const expected = localDay(Date.parse(option.defaultDueAt ?? ''));
    expect(due.element.value).toBe(expected.value);
    expect(due.attributes('min')).toBe(localDay(NOW).value);
    await submit(wrapper);
    const [action] = emitted(wrapper);
    expect(action).toEqual({ type: 'request_proof', message: dispute.policy.proofRequestTemplate, dueAt: expected.endIso });
    expect(BulkActionSchema.parse(action)).toEqual(action);
    expect(planAction(dispute.order, dispute.request, action!, dispute.policy, NOW).ok).toBe(true);
  });

  it.each([
    ['America/New_York', '2026-12-03', '2026-12-04T04:59:59.999Z'],
    ['Asia/Tokyo', '2026-12-03', '2026-12-03T14:59:59.999Z'],
    ['UTC', '2026-12-03', '2026-12-03T23:59:59.999Z'],
  ])('shows one due time in the seller\'s zone (%s) and sends that very instant', async (zone, day, dueAt) => {
    setTimeZone(zone);
    // 7 days of proof from 09:30 UTC on 26 November: the end of 3 December on the seller's calendar.
    const weekly = situation(undefined, { reason: 'damaged' }, { ...dispute.policy, proofDueDays: 7 });
    const wrapper = mountDialog(RequestProofDialog, { props: { option: requestProofOptionFor(weekly), now: NOW } });
    expect(wrapper.get<HTMLInputElement>('input[type="date"]').element.value).toBe(day);
    const hint = wrapper.findAll('.dialog-hint').at(-1)?.text() ?? '';
    expect(hint).toBe(`The buyer has until ${formatFullDateTime(dueAt)}, your time.`);
    expect(hint).toContain('December 3, 2026');
    expect(hint).toContain('11:59 PM');
    // The first line names no other due time (no UTC instant beside the seller's).
    expect(wrapper.get('.modal-description').text()).not.toMatch(/\d{2}:\d{2}|UTC/u);
    await submit(wrapper);
    expect(emitted(wrapper)[0]?.dueAt).toBe(dueAt);
    expect(emitted(wrapper)[0]?.dueAt).toBe(proofDueAt(NOW, 7, zone));
  });

  it('focuses the template picker, the first field, on open', async () => {
    open();
    await nextTick();
    await nextTick();
    expect(document.activeElement?.tagName).toBe('SELECT');
  });

  it('offers the default message when the policy has no templates, and switches between templates', async () => {
    const none = open();
    expect(none.findAll('option')).toHaveLength(1);
    expect(none.get('option').text()).toMatch(/^1\. Please send photos/u);
    expect(none.get<HTMLSelectElement>('select').element.value).toBe('0');
    const wrapper = open(['Please send a photo of the damage.', 'Please send a video of the item working.']);
    const select = wrapper.get<HTMLSelectElement>('select');
    expect(select.element.value).toBe('-1');
    await select.setValue('1');
    expect(wrapper.get<HTMLTextAreaElement>('textarea').element.value).toBe('Please send a video of the item working.');
    await wrapper.get('textarea').setValue('Please send a video of the item working, with sound.');
    expect(wrapper.get<HTMLSelectElement>('select').element.value).toBe('-1');
  });

  it('refuses a due date in the past, or today once today is over', async () => {
    const wrapper = open();
    const due = wrapper.get<HTMLInputElement>('input[type="date"]');
    await due.setValue(localDay(NOW - DAY).value);
    expect(due.attributes('aria-invalid')).toBe('true');
    expect(wrapper.text()).toContain('The due date must be in the future.');
    await submit(wrapper);
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(document.activeElement).toBe(due.element);

    const lateToday = mountDialog(RequestProofDialog, { props: { option, now: new Date(2026, 10, 26, 23, 59, 59, 999).getTime() } });
    await lateToday.get('input[type="date"]').setValue('2026-11-26');
    expect(lateToday.text()).toContain('The due date must be in the future.');
  });

  it('refuses an empty due date', async () => {
    const wrapper = open();
    await wrapper.get('input[type="date"]').setValue('');
    await submit(wrapper);
    expect(wrapper.text()).toContain('Choose a due date.');
    expect(wrapper.emitted('submit')).toBeUndefined();
  });

  it('needs a message of 1 to 2,000 characters', async () => {
    const wrapper = open();
    const message = wrapper.get('textarea');
    await message.setValue('   ');
    await submit(wrapper);
    expect(message.attributes('aria-invalid')).toBe('true');
    expect(wrapper.text()).toContain('Write a message.');
    await message.setValue('m'.repeat(2001));
    expect(wrapper.text()).toContain('A message is 2,001 characters; the limit is 2,000.');
    await submit(wrapper);
    expect(wrapper.emitted('submit')).toBeUndefined();
    await message.setValue('m'.repeat(2000));
    await submit(wrapper);
    expect(emitted(wrapper)[0]?.message).toHaveLength(2000);
  });

  it('submits on Enter in the date field', async () => {
    const wrapper = open();
    await wrapper.get('input[type="date"]').trigger('keydown', { key: 'Enter' });
    await nextTick();
    expect(wrapper.emitted('submit')).toHaveLength(1);
  });

  it('is disabled with the reason when proof cannot be asked for', () => {
    const beforeShipment = situation(undefined, {});
    const cancel = situation({ ...beforeShipment.order, status: 'awaiting_shipment', shippedAt: null, tracking: null });
    const blocked = requestProofOptionFor(cancel);
    expect(blocked.allowed).toBe(false);
    const wrapper = mountDialog(RequestProofDialog, { props: { option: blocked, now: NOW } });
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain(blocked.message);
  });
});
