import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../../shared/rules/policy';
import { createFakeSettingsDesk, makeConnection, makeSettings } from './fake-settings-desk';
import { errorOf, field, mountPanel, section, statusOf, submit, type Panel } from './helpers';

let mounted: Panel | null = null;
async function open(...args: Parameters<typeof mountPanel>): Promise<Panel> {
  mounted = await mountPanel(...args);
  return mounted;
}
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('loading', () => {
  it('shows the stored values in every section', async () => {
    const desk = createFakeSettingsDesk({
      settings: makeSettings({ syncIntervalMinutes: 15, deadlineAlertHours: 6, policy: { ...DEFAULT_POLICY, undoWindowSeconds: 30, proofDueDays: 5 } }),
      connection: makeConnection({ saved: { kind: 'remote', marketplaceUrl: 'https://api.shop.example' }, tokenStored: true }),
    });
    const panel = await open(desk);

    expect(field(panel, 'Sync every').element.value).toBe('15');
    expect(field(panel, 'Undo window').element.value).toBe('30');
    expect(field(panel, 'Deadline alert').element.value).toBe('6');
    expect(field(panel, 'Days to send proof').element.value).toBe('5');
    expect(field(panel, '“Act now” warning').element.value).toBe('12');
    expect(field(panel, 'Shipping after shipment').element.value).toBe('refund_if_seller_fault');
    expect(field(panel, 'Repeat canceller: requests').element.value).toBe('3');
    expect(field(panel, 'Repeat canceller: window').element.value).toBe('90');
    expect(field(panel, 'Proof request message').element.value).toBe(DEFAULT_POLICY.proofRequestTemplate);
    expect(field(panel, 'Already shipped').element.value).toBe(DEFAULT_POLICY.refusalTemplates.already_shipped);
    // Money from minor units, in the threshold's currency: JPY has no decimals, KWD three.
    const proofAmounts = section(panel, 'Store policy').findAll('fieldset').find((set) => set.find('legend').text() === 'Proof required from this amount');
    const amountFor = (currency: string): string | undefined =>
      proofAmounts?.findAll('li').find((row) => row.find('label').text() === currency)?.find<HTMLInputElement>('input').element.value;
    expect(amountFor('USD')).toBe('$50.00');
    expect(amountFor('JPY')).toBe('¥7,000');
    expect(amountFor('KWD')?.replace(/\s/g, ' ')).toBe('KWD 15.000');
    // Only reasons a photo can show are offered; the stored ones are ticked.
    expect(field(panel, 'Arrived damaged').element.checked).toBe(true);
    expect(panel.text()).not.toContain('Changed their mind');
    expect(field(panel, 'My marketplace').element.checked).toBe(true);
    expect(field(panel, 'Endpoint URL').element.value).toBe('https://api.shop.example');
    expect(desk.callsTo('settings.update')).toEqual([]);
  });

  it('says when settings cannot be loaded', async () => {
    const desk = createFakeSettingsDesk();
    desk.answer('settings.get', () => ({ ok: false, error: { code: 'internal', message: 'The settings file is unreadable.' } }));
    const panel = await open(desk);
    expect(panel.find('[role="alert"]').text()).toContain('The settings file is unreadable.');
  });
});

describe('invalid input is refused with a message, and nothing is sent', () => {
  it.each([
    ['Sync every', '0', 'Must be 1 or more.'],
    ['Sync every', '', 'Enter a number.'],
    ['Undo window', '301', 'Must be 300 or less.'],
    ['Undo window', '-1', 'Must be 0 or more.'],
    ['Deadline alert', '-2', 'Must be 0 or more.'],
    ['Deadline alert', '169', 'Must be 168 or less.'],
    ['Sync every', '2.5', 'Enter a whole number.'],
    ['Deadline alert', 'x', 'Enter a number.'],
  ])('%s = "%s"', async (label, value, message) => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    await field(panel, label).setValue(value);
    await submit(panel, 'Undo, sync and alerts');
    expect(errorOf(panel, field(panel, label))).toBe(message);
    expect(statusOf(panel, 'Undo, sync and alerts')).toContain('Not saved');
    expect(document.activeElement).toBe(field(panel, label).element);
    expect(desk.callsTo('settings.update')).toEqual([]);
  });

  it.each([
    ['a negative threshold', 'USD', '-5', 'without a minus sign'],
    ['a malformed amount', 'USD', '12,50', 'is not an amount in en-US'],
    ['text', 'EUR', 'fifty', 'is not an amount'],
    ['decimals JPY does not have', 'JPY', '7000.5', 'JPY has no decimals'],
    ['more decimals than KWD has', 'KWD', '1.2345', 'KWD has 3 decimals'],
    ['an empty amount', 'GBP', '', 'Enter an amount.'],
  ])('money: %s', async (_what, currency, typed, message) => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    const input = section(panel, 'Store policy')
      .findAll('li')
      .find((row) => row.find('label').text() === currency)
      ?.find<HTMLInputElement>('input');
    if (input === undefined) throw new Error(`no ${currency} row`);
    await input.setValue(typed);
    await submit(panel, 'Store policy');
    expect(errorOf(panel, input)).toContain(message);
    expect(desk.callsTo('settings.update')).toEqual([]);
  });

  it.each([
    ['Days to send proof', '0', 'Must be 1 or more.'],
    ['Days to send proof', '31', 'Must be 30 or less.'],
    ['Repeat canceller: requests', '1', 'Must be 2 or more.'],
    ['“Act now” warning', 'soon', 'Enter a number.'],
  ])('policy: %s = "%s"', async (label, value, message) => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    await field(panel, label).setValue(value);
    await submit(panel, 'Store policy');
    expect(errorOf(panel, field(panel, label))).toBe(message);
    expect(desk.callsTo('settings.update')).toEqual([]);
  });

  it('a refusal note longer than the policy allows', async () => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    const note = field(panel, 'Other');
    // maxlength stops typing; a paste or script can still get past it, so the schema checks too.
    note.element.removeAttribute('maxlength');
    await note.setValue('x'.repeat(2001));
    await submit(panel, 'Store policy');
    expect(errorOf(panel, note)).toBe('Must be at most 2000 characters.');
    expect(desk.callsTo('settings.update')).toEqual([]);
  });

  it.each([
    ['plain http to another machine', 'http://example.com', 'Must be an https URL (plain http is allowed for localhost only).'],
    ['not a URL', 'marketplace', 'Enter a full address, such as https://marketplace.example.com.'],
    ['empty', '', 'Enter a full address, such as https://marketplace.example.com.'],
  ])('connection: %s', async (_what, url, message) => {
    const desk = createFakeSettingsDesk({ connection: makeConnection({ tokenStored: true }) });
    const panel = await open(desk);
    await field(panel, 'My marketplace').setValue(true);
    await field(panel, 'Endpoint URL').setValue(url);
    await submit(panel, 'Marketplace connection');
    expect(errorOf(panel, field(panel, 'Endpoint URL'))).toBe(message);
    expect(desk.callsTo('connection.update')).toEqual([]);
  });

  it('connection: a remote endpoint needs a token when none is stored', async () => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    await field(panel, 'My marketplace').setValue(true);
    await field(panel, 'Endpoint URL').setValue('https://api.shop.example');
    await submit(panel, 'Marketplace connection');
    expect(errorOf(panel, field(panel, 'Access token'))).toBe('Enter the access token your marketplace gave you.');
    await field(panel, 'Access token').setValue('short');
    await submit(panel, 'Marketplace connection');
    expect(errorOf(panel, field(panel, 'Access token'))).toBe('Must be at least 8 characters.');
    expect(desk.callsTo('connection.update')).toEqual([]);
  });
});

describe('valid saves send exactly the expected patch', () => {
  it('timing: only the fields that changed', async () => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    await field(panel, 'Sync every').setValue('15');
    await field(panel, 'Deadline alert').setValue('4');
    await submit(panel, 'Undo, sync and alerts');
    expect(desk.callsTo('settings.update')).toEqual([{ syncIntervalMinutes: 15, deadlineAlertHours: 4 }]);
    expect(statusOf(panel, 'Undo, sync and alerts')).toBe('Saved.');
  });

  it('timing: 0 turns deadline alerts off; a fraction of an hour is kept', async () => {
    const desk = createFakeSettingsDesk({ settings: makeSettings({ deadlineAlertHours: 4 }) });
    const panel = await open(desk);
    await field(panel, 'Deadline alert').setValue('0');
    await submit(panel, 'Undo, sync and alerts');
    await field(panel, 'Deadline alert').setValue('1.5');
    await submit(panel, 'Undo, sync and alerts');
    expect(desk.callsTo('settings.update')).toEqual([{ deadlineAlertHours: 0 }, { deadlineAlertHours: 1.5 }]);
  });

  it('timing: the undo window goes inside the whole stored policy', async () => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    await field(panel, 'Undo window').setValue('0');
    await submit(panel, 'Undo, sync and alerts');
    expect(desk.callsTo('settings.update')).toEqual([{ policy: { ...DEFAULT_POLICY, undoWindowSeconds: 0 } }]);
  });

  it('policy: the whole edited policy, money in minor units of each currency', async () => {
    const desk = createFakeSettingsDesk({ settings: makeSettings({ policy: { ...DEFAULT_POLICY, undoWindowSeconds: 42 } }) });
    const panel = await open(desk);
    const policy = section(panel, 'Store policy');
    const rowInput = (legend: string, currency: string) => {
      const list = policy.findAll('fieldset').find((set) => set.find('legend').text() === legend);
      const input = list?.findAll('li').find((row) => row.find('label').text() === currency)?.find<HTMLInputElement>('input');
      if (input === undefined) throw new Error(`no ${currency} in ${legend}`);
      return input;
    };
    await rowInput('Proof required from this amount', 'USD').setValue('60');
    await rowInput('Proof required from this amount', 'JPY').setValue('¥7,500');
    await rowInput('High-value claim from', 'KWD').setValue('150.250');
    // Remove BRL from the high-value list; add CHF to it.
    const highValue = policy.findAll('fieldset').find((set) => set.find('legend').text() === 'High-value claim from');
    await highValue?.find('button[aria-label="Remove the BRL amount"]').trigger('click');
    await highValue?.find('select').setValue('CHF');
    await highValue?.findAll('button').find((button) => button.text() === 'Add')?.trigger('click');
    await rowInput('High-value claim from', 'CHF').setValue('1,000.05');
    await field(panel, 'Arrived damaged').setValue(false);
    await field(panel, 'Shipping after shipment').setValue('keep');
    await field(panel, 'Days to send proof').setValue('7');
    await field(panel, 'Other').setValue('We cannot accept this request.');
    await submit(panel, 'Store policy');

    const { BRL: _dropped, ...highValueKept } = DEFAULT_POLICY.highValue;
    expect(desk.callsTo('settings.update')).toEqual([
      {
        policy: {
          ...DEFAULT_POLICY,
          undoWindowSeconds: 42,
          proofRequired: {
            reasons: DEFAULT_POLICY.proofRequired.reasons.filter((reason) => reason !== 'damaged'),
            minAmount: { ...DEFAULT_POLICY.proofRequired.minAmount, USD: 6000, JPY: 7500 },
          },
          highValue: { ...highValueKept, KWD: 150250, CHF: 100005 },
          shippingAfterShipment: 'keep',
          proofDueDays: 7,
          refusalTemplates: { ...DEFAULT_POLICY.refusalTemplates, other: 'We cannot accept this request.' },
        },
      },
    ]);
    expect(statusOf(panel, 'Store policy')).toContain('Saved');
    // The form now shows what was saved, formatted by the money module.
    expect(rowInput('Proof required from this amount', 'USD').element.value).toBe('$60.00');
  });

  it('connection: the demo marketplace', async () => {
    const desk = createFakeSettingsDesk({
      connection: makeConnection({ active: { kind: 'remote', marketplaceUrl: 'https://api.shop.example' }, saved: { kind: 'remote', marketplaceUrl: 'https://api.shop.example' } }),
    });
    const panel = await open(desk);
    await field(panel, 'The demo marketplace').setValue(true);
    await submit(panel, 'Marketplace connection');
    expect(desk.callsTo('connection.update')).toEqual([{ kind: 'demo' }]);
  });

  it('shows the backend refusal with its message', async () => {
    const desk = createFakeSettingsDesk();
    desk.answer('settings.update', () => ({ ok: false, error: { code: 'invalid_input', message: 'syncIntervalMinutes: the scheduler is busy.' } }));
    const panel = await open(desk);
    await field(panel, 'Sync every').setValue('10');
    await submit(panel, 'Undo, sync and alerts');
    expect(statusOf(panel, 'Undo, sync and alerts')).toBe('Not saved: syncIntervalMinutes: the scheduler is busy.');
    // The edit is kept, to fix or retry.
    expect(field(panel, 'Sync every').element.value).toBe('10');
  });
});

describe('the token', () => {
  it('is never filled in; the stored token is described, and an empty field keeps it', async () => {
    const desk = createFakeSettingsDesk({
      connection: makeConnection({
        active: { kind: 'remote', marketplaceUrl: 'https://api.shop.example' },
        saved: { kind: 'remote', marketplaceUrl: 'https://api.shop.example' },
        tokenStored: true,
        tokenStorage: 'keychain',
      }),
    });
    const panel = await open(desk);
    const token = field(panel, 'Access token');
    expect(token.attributes('type')).toBe('password');
    expect(token.element.value).toBe('');
    expect(section(panel, 'Marketplace connection').text()).toContain('A token is stored (in the system keychain)');

    await field(panel, 'Endpoint URL').setValue('https://api2.shop.example/v1');
    await submit(panel, 'Marketplace connection');
    expect(desk.callsTo('connection.update')).toEqual([{ kind: 'remote', marketplaceUrl: 'https://api2.shop.example/v1' }]);
  });

  it('is sent when typed, then cleared from the form', async () => {
    const desk = createFakeSettingsDesk({ connection: makeConnection({ tokenStorage: 'session' }) });
    const panel = await open(desk);
    await field(panel, 'My marketplace').setValue(true);
    await field(panel, 'Endpoint URL').setValue('http://localhost:4010');
    await field(panel, 'Access token').setValue('  secret-token-123  ');
    await submit(panel, 'Marketplace connection');
    expect(desk.callsTo('connection.update')).toEqual([{ kind: 'remote', marketplaceUrl: 'http://localhost:4010', token: 'secret-token-123' }]);
    expect(field(panel, 'Access token').element.value).toBe('');
    expect(panel.html()).not.toContain('secret-token-123');
    expect(section(panel, 'Marketplace connection').text()).toContain('A token is stored (for this session only)');
  });
});

it('says when a connection change waits for the next start', async () => {
  const desk = createFakeSettingsDesk({ connection: makeConnection({ tokenStored: true }) });
  const panel = await open(desk);
  await field(panel, 'My marketplace').setValue(true);
  await field(panel, 'Endpoint URL').setValue('https://api.shop.example');
  await submit(panel, 'Marketplace connection');
  expect(statusOf(panel, 'Marketplace connection')).toBe('Saved. Cancel Desk connects to https://api.shop.example the next time it starts.');
});

describe('a change from elsewhere', () => {
  it('does not overwrite unsaved edits: it offers a reload', async () => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    await field(panel, 'Sync every').setValue('20');
    desk.emit('settings.changed', makeSettings({ syncIntervalMinutes: 30, policy: { ...DEFAULT_POLICY, proofDueDays: 9 } }));
    await flushPromises();

    expect(field(panel, 'Sync every').element.value).toBe('20');
    expect(section(panel, 'Undo, sync and alerts').text()).toContain('Changed elsewhere — reload?');
    // A section without edits simply shows the new values.
    expect(field(panel, 'Days to send proof').element.value).toBe('9');
    expect(section(panel, 'Store policy').text()).not.toContain('Changed elsewhere');

    await section(panel, 'Undo, sync and alerts')
      .findAll('button')
      .find((button) => button.text().startsWith('Reload'))
      ?.trigger('click');
    expect(field(panel, 'Sync every').element.value).toBe('30');
    expect(section(panel, 'Undo, sync and alerts').text()).not.toContain('Changed elsewhere');
  });

  it('saving over it keeps the edits and sends them', async () => {
    const desk = createFakeSettingsDesk();
    const panel = await open(desk);
    await field(panel, 'Sync every').setValue('20');
    desk.emit('settings.changed', makeSettings({ syncIntervalMinutes: 30 }));
    await flushPromises();
    await submit(panel, 'Undo, sync and alerts');
    expect(desk.callsTo('settings.update')).toEqual([{ syncIntervalMinutes: 20 }]);
    expect(section(panel, 'Undo, sync and alerts').text()).not.toContain('Changed elsewhere');
  });
});

describe('the dialog', () => {
  it('opens modal with focus on the first field, closes on Esc and gives focus back', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const desk = createFakeSettingsDesk();
    const panel = await open(desk, false);
    await panel.setProps({ open: true });
    await flushPromises();
    const dialog = panel.find<HTMLDialogElement>('dialog');
    expect(dialog.element.open).toBe(true);
    expect(document.activeElement).toBe(field(panel, 'The demo marketplace').element);
    expect(desk.listenerCount('settings.changed')).toBe(1);

    await dialog.trigger('keydown', { key: 'Escape' });
    expect(panel.emitted('close')).toHaveLength(1);
    await panel.setProps({ open: false });
    expect(dialog.element.open).toBe(false);
    expect(document.activeElement).toBe(opener);
    expect(desk.listenerCount('settings.changed')).toBe(0);
    opener.remove();
  });

  it("turns the browser's cancel (Esc) into close, and keeps the dialog until the parent closes it", async () => {
    const panel = await open(createFakeSettingsDesk());
    const cancel = new Event('cancel', { cancelable: true });
    panel.find('dialog').element.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(panel.emitted('close')).toHaveLength(1);
  });

  it('labels every control', async () => {
    const panel = await open(createFakeSettingsDesk({ connection: makeConnection({ saved: { kind: 'remote', marketplaceUrl: 'https://a.example' } }) }));
    for (const control of panel.findAll('input, select, textarea')) {
      const id = control.attributes('id');
      const labelled = (id !== undefined && panel.find(`label[for="${id}"]`).exists()) || control.element.closest('label') !== null;
      expect(labelled, control.html()).toBe(true);
    }
  });
});

it("a save's own settings.changed echo does not raise 'changed elsewhere'", async () => {
  const desk = createFakeSettingsDesk();
  let stored = makeSettings();
  desk.answer('settings.update', (input) => {
    stored = { ...stored, ...(input as object) };
    // The backend broadcasts the change before the save's answer arrives.
    desk.emit('settings.changed', stored);
    return { ok: true, value: stored };
  });
  const panel = await open(desk);
  const usd = section(panel, 'Store policy')
    .findAll('li')
    .find((row) => row.find('label').text() === 'USD')
    ?.find<HTMLInputElement>('input');
  await usd?.setValue('60');
  await submit(panel, 'Store policy');
  expect(usd?.element.value).toBe('$60.00');
  expect(panel.text()).not.toContain('Changed elsewhere');
  expect(statusOf(panel, 'Store policy')).toContain('Saved');
});
