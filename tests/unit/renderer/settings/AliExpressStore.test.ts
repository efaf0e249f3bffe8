import { flushPromises, type DOMWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { ChannelName, StoreView } from '../../../../shared/ipc/contract';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import { useManualClock } from '../manual-clock';
import { MAIN_STORE, makeStore } from '../store-fixtures';
import { createFakeSettingsDesk, fakeAuthorizeUrl, type FakeSettingsDesk } from './fake-settings-desk';
import { mountPanel, section, type Panel } from './helpers';

const NOW = Date.parse('2026-11-26T11:00:00.000Z');
const SECRET = 'app-secret-0123456789';
const CODE = '3_513774_b38kGp17gUB9Kq1mFDYfL60v3668';
const WAITING = 'Waiting for AliExpress… finish signing in in your browser.';

type Within = Omit<DOMWrapper<Element>, 'exists'>;

const machineTimeZone = getTimeZone();
let mounted: Panel | null = null;
let opened: MockInstance<typeof window.open>;
beforeEach(() => {
  useManualClock(NOW);
  setTimeZone('UTC');
  opened = vi.spyOn(window, 'open').mockReturnValue(null);
});
afterEach(() => {
  mounted?.unmount();
  mounted = null;
  opened.mockRestore();
  setTimeZone(machineTimeZone);
});

async function open(stores: StoreView[] = [MAIN_STORE]): Promise<{ desk: FakeSettingsDesk; panel: Panel }> {
  const desk = createFakeSettingsDesk({ stores });
  mounted = await mountPanel(desk);
  return { desk, panel: mounted };
}

const storesSection = (panel: Panel): DOMWrapper<HTMLElement> => section(panel, 'Stores');
const item = (panel: Panel, storeId: string): Within => panel.get<HTMLElement>(`.settings-store[data-store-id="${storeId}"]`);
const button = (within: Within, text: string): DOMWrapper<HTMLButtonElement> => {
  const found = within.findAll<HTMLButtonElement>('button').find((candidate) => candidate.text() === text);
  if (found === undefined) throw new Error(`no button "${text}" in ${within.text()}`);
  return found;
};
const hasButton = (within: Within, text: string): boolean => within.findAll('button').some((candidate) => candidate.text() === text);
/** The control a label names, through its `for` (so the label is really tied to it). */
const input = (within: Within, label: string): Omit<DOMWrapper<HTMLInputElement>, 'exists'> => {
  const found = within.findAll('label').find((candidate) => candidate.text() === label);
  if (found === undefined) throw new Error(`no label "${label}" in ${within.text()}`);
  return within.get<HTMLInputElement>(`[id="${found.attributes('for') ?? ''}"]`);
};
const labels = (within: Within): string[] => within.findAll('label').map((label) => label.text());
/** The error a field shows: the first element its aria-describedby names, when it is invalid. */
const errorOf = (within: Within, control: Omit<DOMWrapper<HTMLInputElement>, 'exists'>): string | null => {
  if (control.attributes('aria-invalid') !== 'true') return null;
  const first = control.attributes('aria-describedby')?.split(' ')[0];
  return first === undefined ? null : within.get(`[id="${first}"]`).text();
};
const storeCalls = (desk: FakeSettingsDesk): ChannelName[] => desk.calls.map((call) => call.channel).filter((channel) => channel.startsWith('stores.') && channel !== 'stores.list');

async function click(target: Within): Promise<void> {
  await target.trigger('click');
  await flushPromises();
}

async function submit(form: Within): Promise<void> {
  await form.trigger('submit');
  await flushPromises();
}

async function openAddForm(panel: Panel): Promise<Within> {
  await click(button(storesSection(panel), 'Add a store…'));
  return storesSection(panel).get<HTMLElement>('form.settings-store-add');
}

async function fillAliExpress(form: Within): Promise<void> {
  await input(form, 'Store name').setValue('Lantern Home');
  await input(form, 'App Key').setValue('513774');
  await input(form, 'App Secret').setValue(SECRET);
}

/** The sign-in panel of the add form, or of a store. */
const signInPanel = (within: Within): Within => within.get('.settings-signin');

describe('Settings: adding an AliExpress store', () => {
  it('asks for the name, the gateway (prefilled), the App Key and the App Secret (a password field)', async () => {
    const { panel } = await open();
    const form = await openAddForm(panel);
    expect(form.get('select').element.value).toBe('aliexpress');
    expect(labels(form)).toEqual(['Store name', 'Marketplace', 'Gateway', 'App Key', 'App Secret']);
    expect(input(form, 'Gateway').element.value).toBe('https://api-sg.aliexpress.com');
    expect(input(form, 'App Secret').attributes('type')).toBe('password');
    expect(input(form, 'App Key').attributes('type')).toBe('text');
    expect(button(form, 'Add and sign in with AliExpress').attributes('type')).toBe('submit');
    // Another marketplace asks for its API address and token instead.
    await form.get('select').setValue('demo');
    expect(labels(form)).toEqual(['Store name', 'Marketplace', 'API address', 'Access token']);
    expect(hasButton(form, 'Add store')).toBe(true);
  });

  it('checks every field before sending, with the error next to it and the first invalid field focused', async () => {
    const { desk, panel } = await open();
    const form = await openAddForm(panel);
    await input(form, 'Gateway').setValue('');
    await submit(form);
    expect(errorOf(form, input(form, 'Store name'))).toBe('Enter a name.');
    expect(errorOf(form, input(form, 'Gateway'))).toBe('Enter a full address, such as https://marketplace.example.com.');
    expect(errorOf(form, input(form, 'App Key'))).toBe('Enter the App Key.');
    expect(errorOf(form, input(form, 'App Secret'))).toBe('Enter the App Secret (at least 8 characters).');
    expect(document.activeElement).toBe(input(form, 'Store name').element);

    await fillAliExpress(form);
    await input(form, 'Gateway').setValue('http://api-sg.aliexpress.com');
    await input(form, 'App Key').setValue('513 774');
    await input(form, 'App Secret').setValue('short');
    await submit(form);
    expect(errorOf(form, input(form, 'Store name'))).toBeNull();
    expect(errorOf(form, input(form, 'Gateway'))).toBe('Must be an https URL (plain http is allowed for localhost only).');
    expect(errorOf(form, input(form, 'App Key'))).toBe('Copy it from the AliExpress developer console: letters, digits and signs, without spaces.');
    expect(errorOf(form, input(form, 'App Secret'))).toBe('Enter the App Secret (at least 8 characters).');
    expect(document.activeElement).toBe(input(form, 'Gateway').element);
    expect(storeCalls(desk)).toEqual([]);
  });

  it('adds the store, starts the sign-in, opens AliExpress in the browser and waits, the secret gone from the page', async () => {
    const { desk, panel } = await open();
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await click(button(form, 'Add and sign in with AliExpress'));

    expect(storeCalls(desk)).toEqual(['stores.addAliExpress', 'stores.signIn']);
    expect(desk.callsTo('stores.addAliExpress')).toEqual([{ name: 'Lantern Home', gatewayUrl: 'https://api-sg.aliexpress.com', appKey: '513774', appSecret: SECRET }]);
    expect(desk.callsTo('stores.signIn')).toEqual([{ storeId: 'lantern-home' }]);
    expect(opened).toHaveBeenCalledExactlyOnceWith(fakeAuthorizeUrl('https://api-sg.aliexpress.com', 'lantern-home'), '_blank', 'noopener');

    const waiting = signInPanel(storesSection(panel));
    expect(waiting.get('[role="status"]').text()).toBe(WAITING);
    expect(document.activeElement).toBe(input(waiting, 'Paste the code instead').element);
    expect(storesSection(panel).find('form.settings-store-add').exists()).toBe(false);
    expect(item(panel, 'lantern-home').get('[data-testid="store-credentials"]').text()).toBe('Not signed in yet — sign in with AliExpress to sync');
    expect(storesSection(panel).get('[data-testid="stores-outcome"]').text()).toBe('Lantern Home added: it syncs once you have signed in.');
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect([...document.querySelectorAll('input')].map((field) => field.value)).not.toContain(SECRET);
  });

  it('takes a sandbox gateway on this machine, and opens its own sign-in page', async () => {
    const { desk, panel } = await open();
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await input(form, 'Gateway').setValue(' http://127.0.0.1:4010 ');
    await submit(form);
    expect(desk.callsTo('stores.addAliExpress')).toEqual([{ name: 'Lantern Home', gatewayUrl: 'http://127.0.0.1:4010', appKey: '513774', appSecret: SECRET }]);
    expect(opened.mock.calls[0]?.[0]).toBe(fakeAuthorizeUrl('http://127.0.0.1:4010', 'lantern-home'));
  });

  it('closes once the browser came back to Cancel Desk (the list follows stores.changed), and says so', async () => {
    const { desk, panel } = await open();
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await submit(form);
    desk.completeLoopbackSignIn('lantern-home');
    await flushPromises();
    expect(storesSection(panel).find('.settings-signin').exists()).toBe(false);
    expect(storesSection(panel).get('[data-testid="stores-outcome"]').text()).toBe('Lantern Home is signed in to AliExpress: it syncs now.');
    expect(item(panel, 'lantern-home').get('[data-testid="store-credentials"]').text()).toBe('Signed in; kept in the system keychain');
    expect(document.activeElement).toBe(button(storesSection(panel), 'Add a store…').element);
    expect(storeCalls(desk)).toEqual(['stores.addAliExpress', 'stores.signIn']);
  });

  it('takes the pasted code instead: checked first, sent once, then gone', async () => {
    const { desk, panel } = await open();
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await submit(form);
    const waiting = signInPanel(storesSection(panel));
    const paste = input(waiting, 'Paste the code instead');
    await submit(waiting.get('form'));
    expect(errorOf(waiting, paste)).toBe('Paste the code AliExpress showed, or the whole address your browser landed on.');
    expect(desk.callsTo('stores.completeSignIn')).toEqual([]);

    await paste.setValue(`  ${CODE} `);
    await click(button(waiting, 'Use this code'));
    expect(desk.callsTo('stores.completeSignIn')).toEqual([{ storeId: 'lantern-home', pasted: CODE }]);
    expect(storeCalls(desk)).toEqual(['stores.addAliExpress', 'stores.signIn', 'stores.completeSignIn']);
    expect(storesSection(panel).find('.settings-signin').exists()).toBe(false);
    expect(storesSection(panel).get('[data-testid="stores-outcome"]').text()).toBe('Lantern Home is signed in to AliExpress: it syncs now.');
    expect([...document.querySelectorAll('input')].map((field) => field.value)).not.toContain(CODE);
  });

  it("shows the backend's refusal of a pasted code next to the field, and keeps waiting", async () => {
    const { desk, panel } = await open();
    desk.answer('stores.completeSignIn', () => ({ ok: false, error: { code: 'invalid_input', message: 'This sign-in link is not the one Cancel Desk is waiting for; start the sign-in again from Settings.' } }));
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await submit(form);
    const waiting = signInPanel(storesSection(panel));
    await input(waiting, 'Paste the code instead').setValue('http://127.0.0.1:53124/aliexpress/callback?code=x&state=other');
    await submit(waiting.get('form'));
    expect(errorOf(waiting, input(waiting, 'Paste the code instead'))).toBe('This sign-in link is not the one Cancel Desk is waiting for; start the sign-in again from Settings.');
    expect(waiting.get('[role="status"]').text()).toBe(WAITING);
    expect(document.activeElement).toBe(input(waiting, 'Paste the code instead').element);
  });

  it('keeps the form and the secret when the store is refused, and starts no sign-in', async () => {
    const { desk, panel } = await open();
    desk.answer('stores.addAliExpress', () => ({ ok: false, error: { code: 'invalid_input', message: 'Another store has that name.' } }));
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await submit(form);
    expect(form.get('[role="status"]').text()).toBe('Not added: Another store has that name.');
    expect(input(form, 'App Secret').element.value).toBe(SECRET);
    expect(storeCalls(desk)).toEqual(['stores.addAliExpress']);
    expect(opened).not.toHaveBeenCalled();
  });

  it('says when the sign-in does not start, and starts it again on request', async () => {
    const { desk, panel } = await open();
    desk.answer('stores.signIn', () => ({ ok: false, error: { code: 'sign_in_unavailable', message: 'Cancel Desk could not wait for AliExpress.' } }));
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await submit(form);
    const waiting = signInPanel(storesSection(panel));
    expect(waiting.get('[role="status"]').text()).toBe('The sign-in did not start: Cancel Desk could not wait for AliExpress.');
    expect(opened).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(button(waiting, 'Try again').element);
    desk.answer('stores.signIn', () => ({ ok: true, value: { authorizeUrl: 'https://api-sg.aliexpress.com/oauth/authorize?state=2', redirectUri: 'http://127.0.0.1:1/aliexpress/callback' } }));
    await click(button(waiting, 'Try again'));
    expect(opened).toHaveBeenCalledExactlyOnceWith('https://api-sg.aliexpress.com/oauth/authorize?state=2', '_blank', 'noopener');
    expect(waiting.get('[role="status"]').text()).toBe(WAITING);
    // Opening the page again is a new sign-in.
    await click(button(waiting, 'Open the sign-in page again'));
    expect(desk.callsTo('stores.signIn')).toHaveLength(3);
  });

  it('Cancel (or Esc) leaves the sign-in and gives the focus back to "Add a store…"', async () => {
    const { panel } = await open();
    const form = await openAddForm(panel);
    await fillAliExpress(form);
    await submit(form);
    await signInPanel(storesSection(panel)).trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(storesSection(panel).find('.settings-signin').exists()).toBe(false);
    expect(panel.emitted('close')).toBeUndefined();
    expect(document.activeElement).toBe(button(storesSection(panel), 'Add a store…').element);
  });
});

describe('Settings: signing an AliExpress store in again', () => {
  const missing = makeStore({ credentials: 'missing', health: { state: 'error', since: null, message: 'Enter the credentials of Lantern Home in Settings.', lastSyncAt: null } });
  const rejected = makeStore({ id: 'harbor', name: 'Harbor Goods', health: { state: 'credentials_rejected', since: '2026-11-26T08:00:00.000Z', message: 'sign in again', lastSyncAt: null } });
  const fine = makeStore({ id: 'quay', name: 'Quay Street' });

  it('offers "Sign in with AliExpress" (not a token field) only when its sign-in is missing or refused', async () => {
    const { panel } = await open([missing, rejected, fine]);
    for (const storeId of ['lantern-home', 'harbor']) {
      expect(hasButton(item(panel, storeId), 'Sign in with AliExpress')).toBe(true);
      expect(item(panel, storeId).find('input[type="password"]').exists()).toBe(false);
    }
    expect(hasButton(item(panel, 'quay'), 'Sign in with AliExpress')).toBe(false);
    expect(item(panel, 'lantern-home').get('[data-testid="store-credentials"]').text()).toBe('Not signed in yet — sign in with AliExpress to sync');
  });

  it('signs in from the store: the page opens, the paste works, the store says it', async () => {
    const { desk, panel } = await open([rejected]);
    await click(button(item(panel, 'harbor'), 'Sign in with AliExpress'));
    expect(desk.callsTo('stores.signIn')).toEqual([{ storeId: 'harbor' }]);
    expect(opened).toHaveBeenCalledExactlyOnceWith(fakeAuthorizeUrl(rejected.endpoint, 'harbor'), '_blank', 'noopener');
    const waiting = signInPanel(item(panel, 'harbor'));
    expect(waiting.text()).toContain('Sign in with AliExpress for Harbor Goods');
    expect(waiting.get('[role="status"]').text()).toBe(WAITING);
    await input(waiting, 'Paste the code instead').setValue(CODE);
    await submit(waiting.get('form'));
    expect(desk.callsTo('stores.completeSignIn')).toEqual([{ storeId: 'harbor', pasted: CODE }]);
    expect(item(panel, 'harbor').find('.settings-signin').exists()).toBe(false);
    expect(hasButton(item(panel, 'harbor'), 'Sign in with AliExpress')).toBe(false);
    expect(item(panel, 'harbor').get('.settings-actions [role="status"]').text()).toBe('Signed in to AliExpress; the store syncs now.');
  });

  it('follows the loopback sign-in while waiting', async () => {
    const { desk, panel } = await open([missing]);
    await click(button(item(panel, 'lantern-home'), 'Sign in with AliExpress'));
    // A list that changes for another reason (still not signed in) does not end the wait.
    desk.emit('stores.changed', desk.currentStores());
    await flushPromises();
    expect(signInPanel(item(panel, 'lantern-home')).get('[role="status"]').text()).toBe(WAITING);
    desk.completeLoopbackSignIn('lantern-home');
    await flushPromises();
    expect(item(panel, 'lantern-home').find('.settings-signin').exists()).toBe(false);
    expect(item(panel, 'lantern-home').get('[data-testid="store-credentials"]').text()).toBe('Signed in; kept in the system keychain');
  });

  it('Cancel gives the focus back to the sign-in button', async () => {
    const { panel } = await open([missing]);
    await click(button(item(panel, 'lantern-home'), 'Sign in with AliExpress'));
    await click(button(signInPanel(item(panel, 'lantern-home')), 'Cancel'));
    expect(document.activeElement).toBe(button(item(panel, 'lantern-home'), 'Sign in with AliExpress').element);
  });
});
