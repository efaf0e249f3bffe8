import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { VueWrapper } from '@vue/test-utils';
import { formatMoney, money } from '../../../../shared/money';
import { BulkActionSchema, planAction } from '../../../../shared/rules';
import type { OfferAction } from '../../../../renderer/src/components/dialogs/actions';
import OfferDialog from '../../../../renderer/src/components/dialogs/OfferDialog.vue';
import { NOW, makeOrder, mountDialog, offerOptionFor, situation, type Situation } from './factories';

type Wrapper = VueWrapper<InstanceType<typeof OfferDialog>>;

const yen = situation(makeOrder({ currency: 'JPY' }));
const dinar = situation(makeOrder({ currency: 'KWD' }));

function openSingle(found: Situation): Wrapper {
  return mountDialog(OfferDialog, { props: { option: offerOptionFor(found), order: found.order, request: found.request, policy: found.policy } });
}

const input = (wrapper: Wrapper) => wrapper.get<HTMLInputElement>('input');
const errorText = (wrapper: Wrapper) => wrapper.find('.field-error').text();

function emitted(wrapper: Wrapper): OfferAction[] {
  return (wrapper.emitted('submit') ?? []).map(([action]) => action as OfferAction);
}

async function submit(wrapper: Wrapper): Promise<void> {
  await wrapper.get('form').trigger('submit');
  await nextTick();
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('OfferDialog, one request', () => {
  const range = offerOptionFor(yen).range;

  it('shows the cap from the rules, in the order currency', () => {
    expect(range).not.toBeNull();
    const wrapper = openSingle(yen);
    expect(wrapper.text()).toContain(`Cap: ${formatMoney(range!.max, 'en-US')}`);
    expect(wrapper.get('label').text()).toBe('Amount (JPY)');
  });

  it('says as the seller types: over the cap, under the minimum, not an amount, JPY decimals', async () => {
    const wrapper = openSingle(yen);
    const cap = formatMoney(range!.max, 'en-US');
    await input(wrapper).setValue(String(range!.max.amountMinor + 1));
    expect(errorText(wrapper)).toBe(`More than the cap (${cap}).`);
    expect(input(wrapper).attributes('aria-invalid')).toBe('true');
    await input(wrapper).setValue('0');
    expect(errorText(wrapper)).toBe('Less than the minimum (¥1).');
    await input(wrapper).setValue('lots');
    expect(errorText(wrapper)).toMatch(/^Not an amount/u);
    await input(wrapper).setValue('1000.5');
    expect(errorText(wrapper)).toBe('JPY has no decimals: enter a whole amount.');
    await submit(wrapper);
    expect(wrapper.emitted('submit')).toBeUndefined();
    expect(document.activeElement).toBe(input(wrapper).element);
  });

  it('shows the live refund quote for a valid amount and emits it; schema and rules accept it', async () => {
    const wrapper = openSingle(yen);
    await input(wrapper).setValue('2,000');
    expect(input(wrapper).attributes('aria-invalid')).toBe('false');
    expect(wrapper.find('.field-error').exists()).toBe(false);
    const quote = wrapper.get('[aria-label="Refund quote"]');
    expect(quote.text()).toContain('Refund ¥2,000');
    expect(quote.findAll('li').length).toBeGreaterThan(0);
    await input(wrapper).trigger('keydown', { key: 'Enter' });
    await nextTick();
    const [action] = emitted(wrapper);
    expect(action).toEqual({ type: 'offer', amount: money(2000, 'JPY') });
    expect(BulkActionSchema.parse(action)).toEqual(action);
    if (action !== undefined && 'amount' in action) {
      expect(planAction(yen.order, yen.request, action, yen.policy, NOW).ok).toBe(true);
    }
  });

  it('takes three decimals in KWD', async () => {
    const wrapper = openSingle(dinar);
    await input(wrapper).setValue('1.234');
    await submit(wrapper);
    expect(emitted(wrapper)[0]).toEqual({ type: 'offer', amount: money(1234, 'KWD') });
    await input(wrapper).setValue('1.2345');
    expect(errorText(wrapper)).toContain('KWD has 3 decimals');
  });

  it('an empty amount only complains on submit', async () => {
    const wrapper = openSingle(yen);
    expect(wrapper.find('.field-error').exists()).toBe(false);
    await submit(wrapper);
    expect(errorText(wrapper)).toBe('Enter an amount.');
  });

  it('is disabled with the reason when an offer is not possible', () => {
    const beforeShipment = situation(makeOrder({ status: 'awaiting_shipment', shippedAt: null, tracking: null }));
    const option = offerOptionFor(beforeShipment);
    expect(option.allowed).toBe(false);
    const wrapper = mountDialog(OfferDialog, { props: { option } });
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain(option.message);
  });
});

describe('OfferDialog, a selection', () => {
  function openBulk(): Wrapper {
    return mountDialog(OfferDialog, { props: { count: 30 } });
  }

  it('asks for a percentage from 1 to 99', async () => {
    const wrapper = openBulk();
    expect(wrapper.get('h2').text()).toBe('Offer a partial refund on 30 requests');
    for (const bad of ['0', '100', '12.5', 'half']) {
      await input(wrapper).setValue(bad);
      expect(input(wrapper).attributes('aria-invalid')).toBe('true');
      await submit(wrapper);
    }
    expect(wrapper.emitted('submit')).toBeUndefined();
    await input(wrapper).setValue('25');
    await submit(wrapper);
    const [action] = emitted(wrapper);
    expect(action).toEqual({ type: 'offer', percent: 25 });
    expect(BulkActionSchema.parse(action)).toEqual(action);
  });
});
