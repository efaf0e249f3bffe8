import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageSent, QueueRow, Thread } from '../../../../shared/ipc/contract';
import { fillTemplate } from '../../../../shared/messages/templates';
import { money } from '../../../../shared/money';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { setDesk } from '../../../../renderer/src/api/desk';
import App from '../../../../renderer/src/App.vue';
import { getTimeZone } from '../../../../renderer/src/clock';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { HOUR, NOW, at, makeDetail } from '../detail/fakes';
import { createFakeDesk, type FakeDesk } from '../fake-desk';
import { useManualClock } from '../manual-clock';

// happy-dom lays nothing out: give elements a size so the virtual list has a viewport.
const sizes = { clientHeight: 600, clientWidth: 900, offsetHeight: 600, offsetWidth: 900 };
const saved = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  for (const [name, value] of Object.entries(sizes)) {
    saved.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
});
afterAll(() => {
  for (const [name, descriptor] of saved) if (descriptor !== undefined) Object.defineProperty(HTMLElement.prototype, name, descriptor);
});

beforeEach(() => {
  setActivePinia(createPinia());
  useManualClock(NOW);
});
enableAutoUnmount(afterEach);
afterEach(() => {
  document.body.innerHTML = '';
});

const ROW: QueueRow = {
  requestId: 'req-1',
  orderId: 'order-1',
  storeId: 'store-1',
  kind: 'dispute',
  reason: 'damaged',
  state: 'requested',
  phase: 'after_shipment',
  buyerName: 'Ada Buyer',
  buyerCountry: 'DE',
  amount: money(6000, 'USD'),
  requestedAt: at(-2 * HOUR),
  respondBy: at(46 * HOUR),
  proofDueAt: null,
  buyerRepliedAt: at(-HOUR),
};

const THREAD: Thread = {
  requestId: 'req-1',
  messages: [{ id: 'm-1', from: 'buyer', text: 'Any news?', at: at(-HOUR), status: 'received', failure: null }],
  marketplace: { name: 'Demo marketplace', messages: true, messageMax: 2000 },
};

/** A desk whose thread grows with what is sent (as the backend's: the outbox entry shows pending). */
function deskWith(thread: Thread = THREAD): FakeDesk {
  const messages = [...thread.messages];
  const sent: MessageSent = {
    batchId: 'b-msg',
    undoUntil: at(10_000),
    message: { id: 'local-o-1', from: 'seller', text: '', at: at(0), status: 'pending', failure: null },
  };
  return createFakeDesk({
    page: { rows: [ROW], nextCursor: null, total: 1, truncated: false },
    counts: { needs_reply: 1, buyer_replied: 1, proof_requested: 0, proof_in: 0, offers: 0, escalated: 0, conflicts: 0, done: 0, all: 1 },
    more: {
      'requests.get': makeDetail({ request: { id: 'req-1', orderId: 'order-1' } }),
      'messages.list': () => ({ ...thread, messages: [...messages] }),
      'settings.get': DEFAULT_SETTINGS,
      'messages.send': (input: { text: string }) => {
        const answer = { ...sent, message: { ...sent.message, text: input.text } };
        messages.push(answer.message);
        return answer;
      },
      'decisions.undo': (input: { batchId: string }) => ({ batchId: input.batchId, undone: 1 }),
    },
  });
}

function key(name: string, init: KeyboardEventInit = {}): void {
  const target = document.activeElement ?? document.body;
  target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init }));
}

async function openApp(desk: FakeDesk): Promise<VueWrapper> {
  setDesk(desk.api);
  const wrapper = mount(App, { attachTo: document.body });
  await flushPromises();
  return wrapper;
}

describe('m replies to the buyer of the focused request', () => {
  it('opens the reply dialog with the templates filled for the request; Ctrl+Enter sends, the reply shows pending, z takes it back', async () => {
    const desk = deskWith();
    const wrapper = await openApp(desk);
    // The conversation is in the detail pane, oldest first.
    expect(wrapper.get('[data-testid="conversation"]').text()).toContain('Any news?');

    key('m');
    await flushPromises();
    const dialog = wrapper.get('.modal-dialog');
    expect(dialog.get('.modal-title').text()).toBe('Reply to the buyer');
    const [photos] = DEFAULT_SETTINGS.messageTemplates;
    const filled = fillTemplate(photos?.text ?? '', { orderId: 'order-1', amount: money(6000, 'USD'), dueAt: ROW.respondBy, buyerName: makeDetail().order?.buyer.name ?? '' }, { locale: navigator.language, timeZone: getTimeZone() });
    await dialog.get('select').setValue('0');
    const textarea = dialog.get('textarea');
    expect((textarea.element as HTMLTextAreaElement).value).toBe(filled);
    expect(filled).toContain('order-1');
    expect(filled).not.toMatch(/\{(orderId|dueDate|buyerName)\}/);

    await textarea.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(desk.inputsOf('messages.send')).toEqual([{ requestId: 'req-1', text: filled }]);
    expect(wrapper.find('.modal-dialog').exists()).toBe(false);
    const pending = wrapper.get('[data-testid="conversation"] .detail-thread-message[data-status="pending"]');
    expect(pending.text()).toContain('Not sent yet');
    expect(wrapper.get('[data-testid="undo-toast"]').text()).toContain('Message to the buyer: written');

    key('z');
    await flushPromises();
    expect(desk.inputsOf('decisions.undo')).toEqual([{ batchId: 'b-msg' }]);
  });

  it("offers the request's store's own templates as messages.list gives them, not the seller's", async () => {
    const own = [{ name: 'Lantern photos', text: 'Photos of order {orderId}, please.' }];
    const desk = deskWith({ ...THREAD, templates: own });
    const wrapper = await openApp(desk);
    key('m');
    await flushPromises();
    const dialog = wrapper.get('.modal-dialog');
    expect(dialog.findAll('select option').map((option) => option.text())).toContain('Lantern photos');
    expect(dialog.findAll('select option').map((option) => option.text())).not.toContain(DEFAULT_SETTINGS.messageTemplates[0]?.name);
    await dialog.get('select').setValue('0');
    expect((dialog.get('textarea').element as HTMLTextAreaElement).value).toBe('Photos of order order-1, please.');
  });

  it('refuses a text over the limit in the dialog, naming the limit, and sends nothing', async () => {
    const desk = deskWith({ ...THREAD, marketplace: { ...THREAD.marketplace, messageMax: 50 } });
    const wrapper = await openApp(desk);
    key('m');
    await flushPromises();
    const textarea = wrapper.get('.modal-dialog textarea');
    await textarea.setValue('x'.repeat(51));
    await textarea.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(wrapper.get('.modal-dialog .field-error').text()).toBe('Demo marketplace takes a message to the buyer of at most 50 characters; this one has 51.');
    expect(desk.inputsOf('messages.send')).toEqual([]);
  });

  it('marks the row "buyer replied" and counts the view; isolates hostile buyer text in the thread', async () => {
    const [, hostile] = HOSTILE_NAMES[0] ?? ['', ''];
    const desk = deskWith({ ...THREAD, messages: [{ ...THREAD.messages[0], id: 'm-1', from: 'buyer', text: hostile, at: at(-HOUR), status: 'received', failure: null }] });
    const wrapper = await openApp(desk);
    expect(wrapper.get('[data-request-id="req-1"] [data-testid="buyer-replied"]').text()).toBe('buyer replied');
    expect(wrapper.get('[data-view="buyer_replied"]').text()).toBe('Buyer replied1');
    expectIsolated(wrapper.get('[data-testid="conversation"]').element, hostile);
    key('g');
    key('b');
    await flushPromises();
    expect(desk.inputsOf('queue.list').at(-1)).toMatchObject({ view: 'buyer_replied' });
  });
});
