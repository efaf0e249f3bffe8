import { flushPromises, type DOMWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CAPABILITIES } from '../../../../shared/domain/marketplace';
import type { StoreView } from '../../../../shared/ipc/contract';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { useManualClock } from '../manual-clock';
import { MAIN_STORE, makeStore } from '../store-fixtures';
import { healthWords } from '../../../../renderer/src/format/store-health';
import { createFakeSettingsDesk, type FakeSettingsDesk } from './fake-settings-desk';
import { mountPanel, section, type Panel } from './helpers';

const NOW = Date.parse('2026-11-26T11:00:00.000Z');
const TOKEN = 'tok-3f9a-7c21-secret';

const upToDate: StoreView = { ...MAIN_STORE, health: { state: 'up_to_date', since: null, message: null, lastSyncAt: '2026-11-26T10:42:00.000Z' } };
const unreachable = makeStore({ health: { state: 'unreachable', since: '2026-11-26T09:12:00.000Z', message: 'connect ECONNREFUSED', lastSyncAt: null } });
// A store of a marketplace that takes a token (an AliExpress store signs in instead: AliExpressStore.test.ts).
const rejected = makeStore({
  id: 'harbor',
  name: 'Harbor Goods',
  kind: 'demo',
  capabilities: DEMO_CAPABILITIES,
  endpoint: 'https://api.harbor.example',
  health: { state: 'credentials_rejected', since: '2026-11-26T08:00:00.000Z', message: '401', lastSyncAt: null },
});
const paused = makeStore({ id: 'quay', name: 'Quay Street', paused: true, credentials: 'session', health: { state: 'paused', since: null, message: null, lastSyncAt: null } });

const machineTimeZone = getTimeZone();
let mounted: Panel | null = null;
beforeEach(() => {
  useManualClock(NOW);
  setTimeZone('UTC');
});
afterEach(() => {
  mounted?.unmount();
  mounted = null;
  setTimeZone(machineTimeZone);
});

async function open(stores: StoreView[] = [upToDate, unreachable, rejected, paused]): Promise<{ desk: FakeSettingsDesk; panel: Panel }> {
  const desk = createFakeSettingsDesk({ stores });
  mounted = await mountPanel(desk);
  return { desk, panel: mounted };
}

const item = (panel: Panel, storeId: string): Within => panel.get<HTMLElement>(`.settings-store[data-store-id="${storeId}"]`);
/** An element found in the panel (`get` answers without `exists`). */
type Within = Omit<DOMWrapper<Element>, 'exists'>;
const button = (within: Within, text: string): DOMWrapper<HTMLButtonElement> => {
  const found = within.findAll<HTMLButtonElement>('button').find((candidate) => candidate.text() === text);
  if (found === undefined) throw new Error(`no button "${text}" in ${within.text()}`);
  return found;
};
const input = (within: Within, label: string): Omit<DOMWrapper<HTMLInputElement>, 'exists'> => {
  const found = within.findAll('label').find((candidate) => candidate.text() === label);
  if (found === undefined) throw new Error(`no label "${label}"`);
  return within.get<HTMLInputElement>(`[id="${found.attributes('for') ?? ''}"]`);
};
const stores = (panel: Panel) => section(panel, 'Stores');

async function click(target: Within): Promise<void> {
  await target.trigger('click');
  await flushPromises();
}

describe('Settings: Stores', () => {
  it('lists each store with its marketplace, endpoint, health in words and where its credentials are', async () => {
    const { panel } = await open();
    expect(item(panel, 'main').get('h4').text()).toBe('Demo shop');
    expect(item(panel, 'main').get('.settings-store-health').text()).toMatch(/^Up to date · synced 10:42/);
    expect(item(panel, 'main').get('dl').text()).toContain('Demo marketplace');
    expect(item(panel, 'main').get('[data-testid="store-credentials"]').text()).toBe('No credentials needed');
    expect(item(panel, 'lantern-home').get('.settings-store-health').text()).toMatch(/^Unreachable since 9:12.* — connect ECONNREFUSED$/);
    expect(item(panel, 'lantern-home').get('dl').text()).toContain('AliExpress');
    expect(item(panel, 'lantern-home').get('dl').text()).toContain('https://api.lantern.example');
    expect(item(panel, 'lantern-home').get('[data-testid="store-credentials"]').text()).toBe('Signed in; kept in the system keychain');
    expect(item(panel, 'harbor').get('.settings-store-health').text()).toBe('Credentials rejected — enter new ones');
    // An AliExpress store has no token to type in: its seller signs in again.
    expect(healthWords({ state: 'credentials_rejected', since: null, message: null, lastSyncAt: null }, 0, 'aliexpress').text).toBe('Signed out — sign in with AliExpress again');
    expect(item(panel, 'quay').get('.settings-store-health').text()).toBe('Paused');
    expect(button(item(panel, 'quay'), 'Resume').text()).toBe('Resume');
    expect(item(panel, 'quay').get('[data-testid="store-credentials"]').text()).toContain('this session only');
    // Only a store whose token is missing or rejected asks for one.
    expect(item(panel, 'harbor').find('input[type="password"]').exists()).toBe(true);
    expect(item(panel, 'lantern-home').find('input[type="password"]').exists()).toBe(false);
  });

  it.each(HOSTILE_NAMES)('isolates what the marketplace said about a failing store (%s)', async (_label, hostile) => {
    const { panel } = await open([upToDate, makeStore({ health: { state: 'error', since: null, message: hostile, lastSyncAt: null } })]);
    expectIsolated(item(panel, 'lantern-home').get('.settings-store-health'), hostile);
  });

  it('says when the stores cannot be read, and reads them again on request', async () => {
    const desk = createFakeSettingsDesk();
    desk.answer('stores.list', () => ({ ok: false, error: { code: 'not_ready', message: 'The cache is still opening.' } }));
    mounted = await mountPanel(desk);
    const alert = stores(mounted).get('[role="alert"]');
    expect(alert.text()).toContain('The cache is still opening.');
    desk.answer('stores.list', () => ({ ok: true, value: [upToDate] }));
    await click(button(alert, 'Try again'));
    expect(mounted.find('.settings-store[data-store-id="main"]').exists()).toBe(true);
  });

  it('renames inline: 1 to 60 characters, Esc cancels, the answer shows at once', async () => {
    const { desk, panel } = await open();
    const lantern = item(panel, 'lantern-home');
    await click(button(lantern, 'Rename'));
    const name = input(lantern, 'Store name');
    expect(name.element.value).toBe('Lantern Home');
    expect(document.activeElement).toBe(name.element);

    for (const [typed, message] of [['   ', 'Enter a name.'], ['x'.repeat(61), 'At most 60 characters.']] as const) {
      await name.setValue(typed);
      await lantern.get('form').trigger('submit');
      await flushPromises();
      expect(lantern.get('.settings-field-error').text()).toBe(message);
      expect(name.attributes('aria-invalid')).toBe('true');
    }
    expect(desk.callsTo('stores.update')).toEqual([]);

    await name.trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(lantern.find('form.settings-store-rename').exists()).toBe(false);
    expect(panel.emitted('close')).toBeUndefined();

    await click(button(lantern, 'Rename'));
    await input(lantern, 'Store name').setValue('  Lantern Home EU ');
    await lantern.get('form').trigger('submit');
    await flushPromises();
    expect(desk.callsTo('stores.update')).toEqual([{ storeId: 'lantern-home', name: 'Lantern Home EU' }]);
    expect(lantern.get('h4').text()).toBe('Lantern Home EU');
    expect(lantern.get('[role="status"]').text()).toBe('Renamed to “Lantern Home EU”.');
  });

  it('shows a refusal where the action was taken', async () => {
    const { desk, panel } = await open();
    desk.answer('stores.update', () => ({ ok: false, error: { code: 'invalid_input', message: 'Another store has that name.' } }));
    const lantern = item(panel, 'lantern-home');
    await click(button(lantern, 'Rename'));
    await input(lantern, 'Store name').setValue('Demo shop');
    await lantern.get('form').trigger('submit');
    await flushPromises();
    expect(lantern.get('[role="status"]').text()).toBe('Not renamed: Another store has that name.');
    expect(lantern.get('h4').text()).toBe('Lantern Home');
    await click(button(lantern, 'Pause'));
    expect(lantern.get('[role="status"]').text()).toBe('Not paused: Another store has that name.');
  });

  it('pauses and resumes', async () => {
    const { desk, panel } = await open();
    await click(button(item(panel, 'lantern-home'), 'Pause'));
    expect(button(item(panel, 'lantern-home'), 'Resume').text()).toBe('Resume');
    await click(button(item(panel, 'quay'), 'Resume'));
    expect(desk.callsTo('stores.update')).toEqual([
      { storeId: 'lantern-home', paused: true },
      { storeId: 'quay', paused: false },
    ]);
    expect(item(panel, 'quay').get('[role="status"]').text()).toContain('Resumed');
  });

  it('removes after a confirmation that says the audit log is kept, and says what the removal did', async () => {
    const { desk, panel } = await open();
    const lantern = item(panel, 'lantern-home');
    await click(button(lantern, 'Remove…'));
    const confirm = lantern.get<HTMLElement>('.settings-store-confirm');
    expect(confirm.text()).toContain('Remove Lantern Home from Cancel Desk?');
    expect(confirm.text()).toContain('The audit log is kept');
    expect(document.activeElement).toBe(button(confirm, 'Keep it').element);
    await click(button(confirm, 'Keep it'));
    expect(desk.callsTo('stores.remove')).toEqual([]);
    expect(lantern.find('.settings-store-confirm').exists()).toBe(false);

    await click(button(lantern, 'Remove…'));
    await click(button(lantern.get<HTMLElement>('.settings-store-confirm'), 'Remove store'));
    expect(desk.callsTo('stores.remove')).toEqual([{ storeId: 'lantern-home' }]);
    expect(panel.find('[data-store-id="lantern-home"]').exists()).toBe(false);
    expect(stores(panel).get('[data-testid="stores-outcome"]').text()).toBe(
      'Lantern Home removed: its 412 requests left the queue; the audit log is kept (1,024 entries).',
    );
  });

  it('keeps a store the backend would not remove, and says why', async () => {
    const { desk, panel } = await open();
    desk.answer('stores.remove', () => ({ ok: false, error: { code: 'invalid_input', message: 'The last store cannot be removed.' } }));
    const lantern = item(panel, 'lantern-home');
    await click(button(lantern, 'Remove…'));
    await click(button(lantern.get<HTMLElement>('.settings-store-confirm'), 'Remove store'));
    expect(item(panel, 'lantern-home').get('[role="status"]').text()).toBe('Not removed: The last store cannot be removed.');
  });

  it('adds a store: every field checked first, the token a password field, sent once and never shown', async () => {
    const { desk, panel } = await open([upToDate]);
    await click(button(stores(panel), 'Add a store…'));
    const form = stores(panel).get<HTMLElement>('form.settings-store-add');
    await form.get('select').setValue('demo');
    expect(input(form, 'Access token').attributes('type')).toBe('password');
    await form.trigger('submit');
    await flushPromises();
    const errors = form.findAll('.settings-field-error').map((error) => error.text());
    expect(errors).toEqual(['Enter a name.', 'Enter a full address, such as https://marketplace.example.com.', 'Enter the access token (at least 8 characters).']);
    expect(document.activeElement).toBe(input(form, 'Store name').element);
    expect(desk.callsTo('stores.add')).toEqual([]);

    await input(form, 'Store name').setValue('Lantern Home');
    await input(form, 'API address').setValue('https://api.lantern.example');
    await input(form, 'Access token').setValue(TOKEN);
    await form.trigger('submit');
    await flushPromises();
    expect(desk.callsTo('stores.add')).toEqual([{ name: 'Lantern Home', kind: 'demo', url: 'https://api.lantern.example', token: TOKEN }]);
    expect(item(panel, 'lantern-home').get('h4').text()).toBe('Lantern Home');
    expect(stores(panel).get('[data-testid="stores-outcome"]').text()).toBe('Lantern Home added: it syncs now.');
    expect(stores(panel).find('form.settings-store-add').exists()).toBe(false);
    expect(document.body.innerHTML).not.toContain(TOKEN);
    expect([...document.querySelectorAll('input')].map((field) => field.value)).not.toContain(TOKEN);
    // Opened again, the form starts empty: the token was not kept.
    await click(button(stores(panel), 'Add a store…'));
    await stores(panel).get('form.settings-store-add select').setValue('demo');
    expect(input(stores(panel).get('form.settings-store-add'), 'Access token').element.value).toBe('');
  });

  it('keeps the form when the backend refuses a new store, with its reason', async () => {
    const { desk, panel } = await open([upToDate]);
    desk.answer('stores.add', () => ({ ok: false, error: { code: 'unreachable', message: 'The marketplace did not answer at that address.' } }));
    await click(button(stores(panel), 'Add a store…'));
    const form = stores(panel).get<HTMLElement>('form.settings-store-add');
    await form.get('select').setValue('demo');
    await input(form, 'Store name').setValue('Lantern Home');
    await input(form, 'API address').setValue('https://api.lantern.example');
    await input(form, 'Access token').setValue(TOKEN);
    await form.trigger('submit');
    await flushPromises();
    expect(form.get('[role="status"]').text()).toBe('Not added: The marketplace did not answer at that address.');
    expect(input(form, 'Store name').element.value).toBe('Lantern Home');
  });

  it('takes new credentials for a store whose token was rejected, and forgets them once sent', async () => {
    const { desk, panel } = await open();
    const harbor = item(panel, 'harbor');
    const token = input(harbor, 'New access token');
    expect(token.attributes('type')).toBe('password');
    await token.setValue('short');
    await harbor.get('form').trigger('submit');
    await flushPromises();
    expect(harbor.get('.settings-field-error').text()).toBe('Enter the access token (at least 8 characters).');
    expect(desk.callsTo('stores.update')).toEqual([]);

    await token.setValue(TOKEN);
    await harbor.get('form').trigger('submit');
    await flushPromises();
    expect(desk.callsTo('stores.update')).toEqual([{ storeId: 'harbor', token: TOKEN }]);
    expect(item(panel, 'harbor').get('[role="status"]').text()).toBe('New token saved; the store syncs with it.');
    expect(item(panel, 'harbor').get('[data-testid="store-credentials"]').text()).toBe('Token kept in the system keychain');
    expect(document.body.innerHTML).not.toContain(TOKEN);
    expect([...document.querySelectorAll('input')].map((field) => field.value)).not.toContain(TOKEN);
    // Rejected again later: the field comes back empty (the token sent was not kept).
    desk.emit('stores.changed', [upToDate, rejected]);
    await flushPromises();
    expect(input(item(panel, 'harbor'), 'New access token').element.value).toBe('');
  });
});
