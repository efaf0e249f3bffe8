import { enableAutoUnmount, flushPromises, type DOMWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../../shared/rules/policy';
import { MAIN_STORE, makeStore } from '../store-fixtures';
import { createFakeSettingsDesk, makeSettings } from './fake-settings-desk';
import { mountPanel, section, submit, type Panel } from './helpers';

enableAutoUnmount(afterEach);
afterEach(() => {
  document.body.innerHTML = '';
});

const LANTERN = makeStore({ id: 'lantern-home', name: 'Lantern Home' });

function picker(panel: Panel, title: string) {
  return section(panel, title).get<HTMLSelectElement>('select');
}

function button(panel: Panel, title: string, text: string): DOMWrapper<HTMLElement> {
  const found = section(panel, title).findAll<HTMLElement>('button').find((candidate) => candidate.text() === text);
  if (found === undefined) throw new Error(`no button "${text}" in ${title}`);
  return found;
}

describe("a store's own policy and templates in Settings", () => {
  it('with one store there is nothing to choose: the policy is the seller’s', async () => {
    const panel = await mountPanel(createFakeSettingsDesk({ stores: [MAIN_STORE] }));
    expect(section(panel, 'Store policy').text()).not.toContain('Edit the policy of');
  });

  it("gives a store its own policy (a copy of the seller's), saves a change for that store only, and sends it back to the seller's", async () => {
    const desk = createFakeSettingsDesk({ stores: [MAIN_STORE, LANTERN], settings: makeSettings() });
    const panel = await mountPanel(desk);
    const options = picker(panel, 'Store policy').findAll('option').map((option) => option.text());
    expect(options).toEqual(['All stores', 'Demo shop', 'Lantern Home']);

    await picker(panel, 'Store policy').setValue('lantern-home');
    await flushPromises();
    expect(section(panel, 'Store policy').text()).toContain('Lantern Home follows the policy of all stores.');
    // No form while it follows the seller's: nothing to save by mistake.
    expect(section(panel, 'Store policy').find('form').exists()).toBe(false);

    await button(panel, 'Store policy', 'Give Lantern Home its own policy').trigger('click');
    await flushPromises();
    expect(desk.callsTo('stores.update')).toEqual([{ storeId: 'lantern-home', policy: DEFAULT_POLICY }]);
    expect(section(panel, 'Store policy').text()).toContain('Lantern Home has its own policy');

    const days = section(panel, 'Store policy').findAll<HTMLInputElement>('input[type="number"]')[0];
    await days?.setValue('7');
    await submit(panel, 'Store policy');
    const saved = desk.callsTo('stores.update')[1] as { storeId: string; policy: typeof DEFAULT_POLICY };
    expect(saved.storeId).toBe('lantern-home');
    expect(saved.policy.proofDueDays).toBe(7);
    // The seller's policy is untouched.
    expect(desk.callsTo('settings.update')).toEqual([]);
    expect(section(panel, 'Store policy').text()).toContain('The rules use this policy for Lantern Home from now on.');
    expect(picker(panel, 'Store policy').findAll('option').map((option) => option.text())).toContain('Lantern Home (its own)');

    await button(panel, 'Store policy', 'Follow the policy of all stores again').trigger('click');
    await flushPromises();
    expect(desk.callsTo('stores.update')[2]).toEqual({ storeId: 'lantern-home', policy: null });
    expect(section(panel, 'Store policy').text()).toContain('Lantern Home follows the policy of all stores again.');
  });

  it('refuses to switch store while the form has unsaved edits', async () => {
    const desk = createFakeSettingsDesk({ stores: [MAIN_STORE, LANTERN] });
    const panel = await mountPanel(desk);
    await section(panel, 'Store policy').findAll<HTMLInputElement>('input[type="number"]')[0]?.setValue('9');
    expect(picker(panel, 'Store policy').attributes('disabled')).toBeDefined();
    expect(section(panel, 'Store policy').text()).toContain('Save or reload your changes before switching.');
  });

  it("a store's own templates: given, edited and saved for that store only", async () => {
    const desk = createFakeSettingsDesk({ stores: [MAIN_STORE, LANTERN] });
    const panel = await mountPanel(desk);
    await picker(panel, 'Message templates').setValue('lantern-home');
    await flushPromises();
    await button(panel, 'Message templates', 'Give Lantern Home its own message templates').trigger('click');
    await flushPromises();
    const first = section(panel, 'Message templates').get<HTMLInputElement>('input[type="text"]');
    await first.setValue('Lantern photos');
    await submit(panel, 'Message templates');
    const calls = desk.callsTo('stores.update') as Array<{ storeId: string; messageTemplates: Array<{ name: string }> }>;
    expect(calls).toHaveLength(2);
    expect(calls[1]?.messageTemplates[0]?.name).toBe('Lantern photos');
    expect(desk.callsTo('settings.update')).toEqual([]);
    expect(section(panel, 'Message templates').text()).toContain('Saved: replies to buyers of Lantern Home offer these.');
  });
});
