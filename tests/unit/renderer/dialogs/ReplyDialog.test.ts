import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import ReplyDialog from '../../../../renderer/src/components/dialogs/ReplyDialog.vue';
import { mountDialog } from './factories';

afterEach(() => {
  document.body.innerHTML = '';
});

const templates = [
  { name: 'Ask for photos', text: 'Hello Ada, please send photos for order o-1 by December 3, 2026.' },
  { name: 'Tracking update', text: 'Hello Ada, order o-1 is on its way.' },
];

function open(messageMax = 2000) {
  return mountDialog(ReplyDialog, { props: { orderId: 'o-1', marketplace: { name: 'Demo marketplace', messages: true, messageMax }, templates } });
}

describe('ReplyDialog', () => {
  it('fills the text from a template (already resolved for the request) and counts it against the limit', async () => {
    const wrapper = open();
    const select = wrapper.get('select');
    expect(select.findAll('option').map((option) => option.text())).toEqual(['Choose a template…', 'Ask for photos', 'Tracking update']);
    await select.setValue('0');
    const textarea = wrapper.get('textarea');
    expect((textarea.element as HTMLTextAreaElement).value).toBe(templates[0]?.text);
    expect(wrapper.get('[data-testid="reply-count"]').text()).toContain(`${templates[0]?.text.length ?? 0} of 2,000 characters`);
    await textarea.setValue(`${templates[0]?.text ?? ''} Thanks!`);
    expect(select.findAll('option')[0]?.text()).toBe('Your own message');
  });

  it("refuses a message over the marketplace's limit with the limit, before sending, and an empty one", async () => {
    const wrapper = open(1000);
    const textarea = wrapper.get('textarea');
    await textarea.setValue('x'.repeat(1001));
    // At once, without trying to send: the count turns red and the sentence names the limit.
    expect(wrapper.get('[data-testid="reply-count"]').classes()).toContain('over-limit');
    expect(wrapper.get('.field-error').text()).toBe('Demo marketplace takes a message to the buyer of at most 1,000 characters; this one has 1,001.');
    expect(textarea.attributes('aria-invalid')).toBe('true');
    await textarea.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    await textarea.setValue('   ');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('.field-error').text()).toBe('Write something to send to the buyer.');
    expect(wrapper.emitted('submit')).toBeUndefined();
  });

  it('Ctrl/Cmd+Enter sends the text as written; a plain Enter is a new line', async () => {
    const wrapper = open();
    const textarea = wrapper.get('textarea');
    await textarea.setValue('Hello,\nwe refunded you today.');
    await textarea.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('submit')).toBeUndefined();
    await textarea.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await nextTick();
    expect(wrapper.emitted('submit')).toEqual([['Hello,\nwe refunded you today.']]);
  });
});
