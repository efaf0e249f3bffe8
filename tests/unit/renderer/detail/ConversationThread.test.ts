import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Thread, ThreadMessage } from '../../../../shared/ipc/contract';
import ConversationThread from '../../../../renderer/src/components/detail/ConversationThread.vue';
import { formatDateTime } from '../../../../renderer/src/format';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { useManualClock } from '../manual-clock';

const MARKETPLACE: Thread['marketplace'] = { name: 'Demo marketplace', messages: true, messageMax: 2000 };

function message(overrides: Partial<ThreadMessage>): ThreadMessage {
  return { id: 'm-1', from: 'buyer', text: 'Where is my refund?', at: '2026-11-26T08:00:00.000Z', status: 'received', failure: null, ...overrides };
}

function thread(messages: ThreadMessage[], marketplace = MARKETPLACE): Thread {
  return { requestId: 'r-1', messages, marketplace };
}

beforeEach(() => {
  useManualClock(Date.parse('2026-11-26T09:30:00.000Z'));
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('the conversation in the detail pane', () => {
  it('shows each message as the backend orders it (oldest first): who wrote it, when, and where a reply stands', () => {
    const messages = [
      message({ id: 'm-1' }),
      message({ id: 'm-2', from: 'seller', text: 'We are checking.', at: '2026-11-26T08:30:00.000Z', status: 'sent' }),
      message({ id: 'm-3', from: 'seller', text: 'Sent yesterday.', at: '2026-11-26T09:00:00.000Z', status: 'failed', failure: 'The marketplace refused it: too long.' }),
      message({ id: 'local-o-4', from: 'seller', text: 'On it.', at: '2026-11-26T09:29:00.000Z', status: 'pending' }),
    ];
    const wrapper = mount(ConversationThread, { props: { thread: thread(messages), error: null } });
    const items = wrapper.findAll('.detail-thread-message');
    expect(items.map((item) => item.get('strong').text())).toEqual(['Buyer', 'You', 'You', 'You']);
    expect(items.map((item) => item.get('.detail-thread-text').text())).toEqual(messages.map((entry) => entry.text));
    expect(items[0]?.get('time').attributes('datetime')).toBe('2026-11-26T08:00:00.000Z');
    expect(items[0]?.get('time').text()).toBe(formatDateTime('2026-11-26T08:00:00.000Z'));
    expect(items[1]?.find('.detail-thread-status').exists()).toBe(false);
    expect(items[2]?.get('.detail-thread-status').text()).toBe('Not sent');
    expect(items[2]?.get('.detail-thread-failure').text()).toBe('The marketplace refused it: too long.');
    expect(items[3]?.get('.detail-thread-status').text()).toContain('Not sent yet');
    expect(items.map((item) => item.attributes('data-status'))).toEqual(['received', 'sent', 'failed', 'pending']);
  });

  it.each(HOSTILE_NAMES)("isolates the buyer's text (%s) and renders markup as text", (_label, hostile) => {
    const text = `${hostile} <img src=x onerror=alert(1)>`;
    const wrapper = mount(ConversationThread, { props: { thread: thread([message({ text })]), error: null }, attachTo: document.body });
    const holder = expectIsolated(wrapper.get('.detail-thread-message').element, text);
    expect(holder.tagName).toBe('BDI');
    expect(wrapper.find('img').exists()).toBe(false);
    // The app's own words around it stay outside the isolate.
    expect(wrapper.get('strong').text()).toBe('Buyer');
  });

  it('offers Reply (m) and emits its command; says when the marketplace takes no messages, and when there are none', async () => {
    const wrapper = mount(ConversationThread, { props: { thread: thread([]), error: null } });
    expect(wrapper.text()).toContain('No messages yet.');
    expect(wrapper.get('button').text()).toBe('Reply m');
    await wrapper.get('button').trigger('click');
    expect(wrapper.emitted('command')).toEqual([['request.message']]);
    await wrapper.setProps({ thread: thread([], { ...MARKETPLACE, name: 'AliExpress', messages: false }) });
    expect(wrapper.find('button').exists()).toBe(false);
    expect(wrapper.text()).toContain('AliExpress does not take messages from Cancel Desk.');
    await wrapper.setProps({ thread: null, error: 'The cache is still opening.' });
    expect(wrapper.text()).toContain('Could not read the conversation: The cache is still opening.');
  });
});
