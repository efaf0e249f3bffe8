import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_TEMPLATES } from '../../../../shared/messages/templates';
import { createFakeSettingsDesk, makeSettings } from './fake-settings-desk';
import { errorOf, field, mountPanel, section, submit } from './helpers';

enableAutoUnmount(afterEach);
afterEach(() => {
  document.body.innerHTML = '';
});

describe('message templates in Settings', () => {
  it('lists the templates with the placeholders explained, and saves an edited and an added one as the whole list', async () => {
    const desk = createFakeSettingsDesk();
    const panel = await mountPanel(desk);
    const templates = section(panel, 'Message templates');
    expect(templates.findAll('fieldset').map((set) => set.get('legend').text())).toEqual(['Template 1', 'Template 2', 'Template 3']);
    expect(templates.text()).toContain('{orderId}');
    expect(templates.text()).toContain('{dueDate}');
    expect((field(panel, 'Name').element).value).toBe('Ask for photos');

    await field(panel, 'Name').setValue('Photos, please');
    await templates.findAll('button').find((button) => button.text() === 'Add a template')?.trigger('click');
    const sets = section(panel, 'Message templates').findAll('fieldset');
    await sets[3]?.get('input').setValue('Thanks');
    await sets[3]?.get('textarea').setValue('Thank you, {buyerName}.');
    await submit(panel, 'Message templates');
    expect(desk.callsTo('settings.update')).toEqual([
      { messageTemplates: [{ ...DEFAULT_MESSAGE_TEMPLATES[0], name: 'Photos, please' }, DEFAULT_MESSAGE_TEMPLATES[1], DEFAULT_MESSAGE_TEMPLATES[2], { name: 'Thanks', text: 'Thank you, {buyerName}.' }] },
    ]);
    expect(section(panel, 'Message templates').text()).toContain('Saved.');
  });

  it('refuses a template without a name, next to the field, and saves nothing', async () => {
    const desk = createFakeSettingsDesk({ settings: makeSettings({ messageTemplates: [{ name: 'Hi', text: 'Hello {buyerName}' }] }) });
    const panel = await mountPanel(desk);
    await field(panel, 'Name').setValue('  ');
    await submit(panel, 'Message templates');
    expect(errorOf(panel, field(panel, 'Name'))).toBe('give the template a name');
    expect(desk.callsTo('settings.update')).toEqual([]);
  });
});
