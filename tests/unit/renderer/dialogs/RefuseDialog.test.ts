import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { VueWrapper } from '@vue/test-utils';
import { BulkActionSchema, planAction } from '../../../../shared/rules';
import type { RefuseAction } from '../../../../renderer/src/components/dialogs/actions';
import RefuseDialog from '../../../../renderer/src/components/dialogs/RefuseDialog.vue';
import { DAY, NOW, at, makeOrder, mountDialog, refuseOptionFor, situation } from './factories';

type Wrapper = VueWrapper<InstanceType<typeof RefuseDialog>>;

const dispute = situation();
const disputeOption = refuseOptionFor(dispute);

function open(count = 1, option = disputeOption): Wrapper {
  return mountDialog(RefuseDialog, { props: { option, count } });
}

function radio(wrapper: Wrapper, reason: string) {
  return wrapper.get<HTMLInputElement>(`input[type="radio"][value="${reason}"]`);
}

function field(wrapper: Wrapper, label: string) {
  const labelElement = wrapper.findAll('label').find((candidate) => candidate.text().startsWith(label));
  if (labelElement === undefined) throw new Error(`no field labelled ${label}`);
  return wrapper.get<HTMLInputElement | HTMLTextAreaElement>(`#${CSS.escape(labelElement.attributes('for') ?? '')}`);
}

function fieldLabels(wrapper: Wrapper): string[] {
  return wrapper.findAll('.dialog-field label').map((label) => label.text());
}

function errorOf(_wrapper: Wrapper, input: { attributes(key: string): string | undefined }): string | null {
  const ids = (input.attributes('aria-describedby') ?? '').split(' ');
  const error = ids.map((id) => document.getElementById(id)).find((element) => element?.classList.contains('field-error'));
  return error?.textContent ?? null;
}

async function submit(wrapper: Wrapper): Promise<void> {
  await wrapper.get('form').trigger('submit');
  await nextTick();
}

function emitted(wrapper: Wrapper): RefuseAction[] {
  return (wrapper.emitted('submit') ?? []).map(([action]) => action as RefuseAction);
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('RefuseDialog', () => {
  it('lists every reason from the rules; blocked ones disabled with their sentence', () => {
    const wrapper = open();
    expect(wrapper.findAll('input[type="radio"]')).toHaveLength(disputeOption.reasons.length);
    const noEvidence = disputeOption.reasons.find((reason) => reason.reason === 'no_evidence_provided');
    expect(noEvidence?.allowed).toBe(false);
    const blocked = radio(wrapper, 'no_evidence_provided');
    expect(blocked.element.disabled).toBe(true);
    const why = document.getElementById(blocked.attributes('aria-describedby') ?? '');
    expect(why?.textContent).toContain(noEvidence?.message ?? '?');
    expect(radio(wrapper, 'already_shipped').element.disabled).toBe(false);
  });

  it('focuses the first usable reason on open', async () => {
    open();
    await nextTick();
    await nextTick();
    expect((document.activeElement as HTMLInputElement | null)?.value).toBe('already_shipped');
  });

  it('digits choose the nth reason while the picker has focus', async () => {
    const wrapper = open();
    await radio(wrapper, 'already_shipped').trigger('keydown', { key: '2' });
    expect(radio(wrapper, 'buyer_agreed_to_keep').element.checked).toBe(true);
    expect(document.activeElement).toBe(radio(wrapper, 'buyer_agreed_to_keep').element);
    expect(fieldLabels(wrapper)).toEqual(['Note to the buyer']);
    await radio(wrapper, 'buyer_agreed_to_keep').trigger('keydown', { key: '5' });
    expect(radio(wrapper, 'other').element.checked).toBe(true);
  });

  it('a digit for a blocked reason chooses nothing and says why', async () => {
    const wrapper = open();
    await radio(wrapper, 'already_shipped').trigger('keydown', { key: '1' });
    await radio(wrapper, 'already_shipped').trigger('keydown', { key: '3' });
    expect(radio(wrapper, 'already_shipped').element.checked).toBe(true);
    expect(wrapper.get('[role="status"]').text()).toContain('No evidence provided cannot be used');
  });

  it('digits typed in a text field stay in the text field', async () => {
    const wrapper = open();
    await radio(wrapper, 'already_shipped').trigger('keydown', { key: '1' });
    const carrier = field(wrapper, 'Carrier');
    const event = new KeyboardEvent('keydown', { key: '2', bubbles: true, cancelable: true });
    carrier.element.dispatchEvent(event);
    await nextTick();
    expect(event.defaultPrevented).toBe(false);
    expect(radio(wrapper, 'already_shipped').element.checked).toBe(true);
    expect(fieldLabels(wrapper)).toEqual(['Carrier', 'Tracking number']);
  });

  it('asks to choose a reason before submitting', async () => {
    const wrapper = open();
    await submit(wrapper);
    expect(wrapper.text()).toContain('Choose a reason.');
    expect(wrapper.emitted('submit')).toBeUndefined();
  });

  it('"Already shipped" shows carrier and tracking prefilled from the order; the action passes the schema and the rules', async () => {
    const wrapper = open();
    await radio(wrapper, 'already_shipped').setValue(true);
    expect(fieldLabels(wrapper)).toEqual(['Carrier', 'Tracking number']);
    expect(field(wrapper, 'Carrier').element.value).toBe('DHL');
    expect(field(wrapper, 'Tracking number').element.value).toBe('JD014600006281230704');
    await submit(wrapper);
    const [action] = emitted(wrapper);
    expect(action).toEqual({ type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'JD014600006281230704' });
    expect(BulkActionSchema.parse(action)).toEqual(action);
    expect(planAction(dispute.order, dispute.request, action!, dispute.policy, NOW).ok).toBe(true);
  });

  it('requires carrier and tracking number for "Already shipped" and caps them at 100 characters', async () => {
    const wrapper = open();
    await radio(wrapper, 'already_shipped').setValue(true);
    const carrier = field(wrapper, 'Carrier');
    const tracking = field(wrapper, 'Tracking number');
    await carrier.setValue('  ');
    await tracking.setValue('x'.repeat(101));
    expect(carrier.attributes('aria-invalid')).toBe('true');
    expect(errorOf(wrapper, carrier)).toBe('"Already shipped" needs the carrier.');
    expect(tracking.attributes('aria-invalid')).toBe('true');
    expect(errorOf(wrapper, tracking)).toBe('Tracking number is 101 characters; the limit is 100.');
    await submit(wrapper);
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(document.activeElement).toBe(carrier.element);
    await carrier.setValue('UPS');
    await tracking.setValue('x'.repeat(100));
    expect(carrier.attributes('aria-invalid')).toBe('false');
    await submit(wrapper);
    expect(emitted(wrapper)[0]).toMatchObject({ carrier: 'UPS', trackingNumber: 'x'.repeat(100) });
  });

  it.each([
    ['buyer_agreed_to_keep', 'Buyer agreed to keep the item'],
    ['evidence_contradicts_claim', 'Evidence contradicts the claim'],
    ['other', 'Other'],
  ])('"%s" needs a note of at most 2,000 characters', async (reason, label) => {
    const wrapper = open();
    await radio(wrapper, reason).setValue(true);
    expect(fieldLabels(wrapper)).toEqual(['Note to the buyer']);
    const note = field(wrapper, 'Note to the buyer');
    await note.setValue('   ');
    await submit(wrapper);
    expect(errorOf(wrapper, note)).toBe(`"${label}" needs a note.`);
    expect(note.attributes('aria-invalid')).toBe('true');
    await note.setValue('y'.repeat(2001));
    expect(errorOf(wrapper, note)).toBe('Note to the buyer is 2,001 characters; the limit is 2,000.');
    await submit(wrapper);
    expect(wrapper.emitted('submit')).toBeUndefined();
    await note.setValue(`  ${'y'.repeat(1996)}  `);
    await submit(wrapper);
    const [action] = emitted(wrapper);
    expect(action).toEqual({ type: 'refuse', reason, note: 'y'.repeat(1996) });
    expect(BulkActionSchema.safeParse(action).success).toBe(true);
  });

  it('starts a note from the policy template', async () => {
    const wrapper = open();
    await radio(wrapper, 'buyer_agreed_to_keep').setValue(true);
    expect(field(wrapper, 'Note to the buyer').element.value).toBe(dispute.policy.refusalTemplates.buyer_agreed_to_keep);
    await submit(wrapper);
    expect(emitted(wrapper)[0]?.note).toBe(dispute.policy.refusalTemplates.buyer_agreed_to_keep);
  });

  it('keeps what was typed per reason when switching', async () => {
    const wrapper = open();
    await radio(wrapper, 'other').setValue(true);
    await field(wrapper, 'Note to the buyer').setValue('Typed for other');
    await radio(wrapper, 'already_shipped').setValue(true);
    await radio(wrapper, 'other').setValue(true);
    expect(field(wrapper, 'Note to the buyer').element.value).toBe('Typed for other');
  });

  it('"No evidence provided" needs no field once the proof is overdue', async () => {
    const overdue = situation(makeOrder(), { state: 'proof_requested', proofRequest: { message: 'Photos please', dueAt: at(-DAY) } });
    const option = refuseOptionFor(overdue);
    const wrapper = open(1, option);
    await radio(wrapper, 'no_evidence_provided').setValue(true);
    expect(fieldLabels(wrapper)).toEqual([]);
    await submit(wrapper);
    const [action] = emitted(wrapper);
    expect(action).toEqual({ type: 'refuse', reason: 'no_evidence_provided' });
    expect(planAction(overdue.order, overdue.request, action!, overdue.policy, NOW).ok).toBe(true);
  });

  it('in bulk, carrier and tracking may be left blank: each order keeps its own tracking', async () => {
    const wrapper = open(12);
    expect(wrapper.get('h2').text()).toBe('Refuse 12 requests');
    await radio(wrapper, 'already_shipped').setValue(true);
    expect(fieldLabels(wrapper)).toEqual(['Carrier (optional)', 'Tracking number (optional)']);
    expect(field(wrapper, 'Carrier').element.value).toBe('');
    await submit(wrapper);
    const [action] = emitted(wrapper);
    expect(action).toEqual({ type: 'refuse', reason: 'already_shipped' });
    expect(BulkActionSchema.parse(action)).toEqual(action);
  });

  it('cannot submit when no reason applies, and says why', async () => {
    const unpaid = situation(makeOrder({ status: 'awaiting_payment', paid: { amountMinor: 0, currency: 'USD' }, paidAt: null, shippedAt: null, tracking: null }));
    const option = refuseOptionFor(unpaid);
    expect(option.allowed).toBe(false);
    const wrapper = open(1, option);
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain(option.message);
    await submit(wrapper);
    expect(wrapper.emitted('submit')).toBeUndefined();
  });

  it('emits cancel on Esc', async () => {
    const wrapper = open();
    await radio(wrapper, 'already_shipped').trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('cancel')).toHaveLength(1);
  });
});
