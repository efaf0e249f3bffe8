import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../../../shared/errors';
import type { DecisionResult, OutboxSummary } from '../../../../shared/ipc/contract';
import { formatMoney, money } from '../../../../shared/money';
import { setDesk } from '../../../../renderer/src/api/desk';
import OutboxDialog from '../../../../renderer/src/components/status/OutboxDialog.vue';
import { useOutboxStore } from '../../../../renderer/src/stores/outbox';
import { useUiStore } from '../../../../renderer/src/stores/ui';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { at } from '../detail/fakes';
import { createFakeDesk, type FakeDesk } from '../fake-desk';

const HALF_HOUR = 30 * 60_000;

let desk: FakeDesk;
/** What outbox.summary answers now; retries change it as the backend would. */
let summary: OutboxSummary;

const failedDecision = (id: string, orderId: string): OutboxSummary['failed'][number] => ({
  id,
  requestId: `req-${orderId}`,
  orderId,
  endpoint: 'accept',
  code: 'marketplace_error',
  message: 'The marketplace answered 500.',
  at: at(-60_000),
});

const decided: DecisionResult = { batchId: 'b-9', undoUntil: at(10_000), done: 1, skipped: 0, items: [], totals: [] };

beforeEach(() => {
  setActivePinia(createPinia());
  summary = {
    pending: 0,
    failed: [failedDecision('ob-1', 'o-1'), failedDecision('ob-2', 'o-2')],
    conflicts: 0,
    unknown: [],
    refundsPending: [],
    refundsFailed: [{ requestId: 'req-o-3', orderId: 'o-3', amount: money(12_345, 'KWD'), failure: 'The buyer’s card was closed.', at: at(-HALF_HOUR) }],
  };
  desk = createFakeDesk({
    more: {
      'outbox.summary': () => structuredClone(summary),
      'outbox.retry': (input: { outboxId: string }) => {
        summary = { ...summary, failed: summary.failed.filter((entry) => entry.id !== input.outboxId) };
        return decided;
      },
      'outbox.resolve': (input: { outboxId: string; resolution: string }) => {
        summary = { ...summary, unknown: summary.unknown.filter((entry) => entry.id !== input.outboxId) };
        return { status: input.resolution === 'mark_sent' ? 'done' : 'retry' };
      },
      'refunds.retry': (input: { requestId: string }) => {
        summary = { ...summary, refundsFailed: summary.refundsFailed.filter((refund) => refund.requestId !== input.requestId) };
        return { outboxId: 'ob-refund' };
      },
    },
  });
  setDesk(desk.api);
});
enableAutoUnmount(afterEach);

async function openDialog(): Promise<VueWrapper> {
  const wrapper = mount(OutboxDialog, { props: { open: false }, attachTo: document.body });
  await wrapper.setProps({ open: true });
  await flushPromises();
  return wrapper;
}

const listed = (wrapper: VueWrapper): string[] => wrapper.findAll('li.failure strong').map((title) => title.text());
/** The retry button of the entry for `orderId`. */
const button = (wrapper: VueWrapper, orderId: string) => {
  const entry = wrapper.findAll('li.failure').find((item) => item.find('strong').text().toLowerCase().endsWith(`order ${orderId}`));
  if (entry === undefined) throw new Error(`No entry for order ${orderId}`);
  return entry.find('button');
};
const notices = () => useUiStore().notices.map(({ tone, text }) => ({ tone, text }));

describe('the outbox dialog', () => {
  it('opens as a modal, loads the summary, and lists failed decisions and failed refunds with why', async () => {
    const wrapper = await openDialog();
    expect((wrapper.find('dialog').element as HTMLDialogElement).open).toBe(true);
    expect(desk.inputsOf('outbox.summary')).toHaveLength(1);
    expect(listed(wrapper)).toEqual(['Order o-1', 'Order o-2', `Refund of ${formatMoney(money(12_345, 'KWD'), navigator.language)} for order o-3`]);
    const items = wrapper.findAll('li.failure');
    expect(items[0]?.text()).toContain('accept');
    expect(items[0]?.find('.muted').text()).toBe('The marketplace answered 500. (marketplace_error)');
    expect(items[2]?.find('.muted').text()).toBe('The buyer’s card was closed.');
    expect(items.map((item) => item.find('button').text())).toEqual(['Decide again', 'Decide again', 'Retry refund']);
    expect(wrapper.find('.empty').exists()).toBe(false);
    expect(document.activeElement?.textContent).toBe('Close (Esc)');
  });

  it('decides a failed decision again through outbox.retry, says so, and drops it from the list', async () => {
    const wrapper = await openDialog();
    await button(wrapper, 'o-2').trigger('click');
    await flushPromises();
    expect(desk.inputsOf('outbox.retry')).toEqual([{ outboxId: 'ob-2' }]);
    expect(desk.inputsOf('refunds.retry')).toEqual([]);
    expect(listed(wrapper)).toEqual(['Order o-1', expect.stringContaining('order o-3') as string]);
    expect(notices()).toEqual([{ tone: 'info', text: 'Sent again.' }]);
  });

  it('retries a failed refund through refunds.retry with its request; with nothing left it says so', async () => {
    summary = { ...summary, failed: [] };
    const wrapper = await openDialog();
    await button(wrapper, 'o-3').trigger('click');
    await flushPromises();
    expect(desk.inputsOf('refunds.retry')).toEqual([{ requestId: 'req-o-3' }]);
    expect(desk.inputsOf('outbox.retry')).toEqual([]);
    expect(listed(wrapper)).toEqual([]);
    expect(wrapper.find('.empty').text()).toBe('Nothing failed.');
  });

  it('holds every button while a retry runs; a retry that fails says why and keeps the entry', async () => {
    let refuse: (error: Error) => void = () => undefined;
    desk.answer('outbox.retry', () => new Promise((_, reject) => (refuse = reject)));
    const wrapper = await openDialog();
    await button(wrapper, 'o-1').trigger('click');
    expect(wrapper.findAll('li.failure button').map((each) => each.attributes('disabled'))).toEqual(['', '', '']);

    refuse(new DeskError('marketplace_unreachable', 'The marketplace did not answer.'));
    await flushPromises();
    expect(notices()).toEqual([{ tone: 'error', text: 'The marketplace did not answer.' }]);
    expect(listed(wrapper)).toContain('Order o-1');
    expect(wrapper.findAll('li.failure button').map((each) => each.attributes('disabled'))).toEqual([undefined, undefined, undefined]);
  });

  it('lists a decision the marketplace could not say it applied, with the sentence; the seller marks it sent or sends it again', async () => {
    const sentence = 'We cannot tell whether this refund reached AliExpress (no answer): check order 8123 there, then mark it sent or send it again.';
    summary = {
      ...summary,
      failed: [],
      refundsFailed: [],
      unknown: [
        { id: 'ob-u1', requestId: 'req-8123', orderId: '8123', endpoint: 'accept', message: sentence, at: at(-60_000) },
        { id: 'ob-u2', requestId: 'req-8124', orderId: '8124', endpoint: 'refuse', message: sentence, at: at(-60_000) },
      ],
    };
    const wrapper = await openDialog();
    expect(listed(wrapper)).toEqual(['Order 8123', 'Order 8124']);
    expect(wrapper.find('li.unknown-outcome .muted').text()).toBe(sentence);
    expect(wrapper.find('li.unknown-outcome').findAll('button').map((each) => each.text())).toEqual(['Mark sent', 'Send again']);
    await wrapper.findAll('li.unknown-outcome')[0]?.findAll('button')[0]?.trigger('click');
    await flushPromises();
    await wrapper.findAll('li.unknown-outcome')[0]?.findAll('button')[1]?.trigger('click');
    await flushPromises();
    expect(desk.inputsOf('outbox.resolve')).toEqual([
      { outboxId: 'ob-u1', resolution: 'mark_sent' },
      { outboxId: 'ob-u2', resolution: 'send_again' },
    ]);
    expect(notices()).toEqual([
      { tone: 'info', text: 'Marked sent.' },
      { tone: 'info', text: 'Sent again.' },
    ]);
    expect(wrapper.find('.empty').text()).toBe('Nothing failed.');
  });

  it.each(HOSTILE_NAMES)('isolates the marketplace\'s words and the order ids (%s)', async (_label, hostile) => {
    summary = {
      ...summary,
      failed: [{ ...failedDecision('ob-1', hostile), message: hostile }],
      refundsFailed: [{ requestId: 'req-x', orderId: `r-${hostile}`, amount: money(100, 'USD'), failure: `f-${hostile}`, at: at(-HALF_HOUR) }],
    };
    const wrapper = await openDialog();
    const [decision, refund] = wrapper.findAll('li.failure');
    if (decision === undefined || refund === undefined) throw new Error('two entries expected');
    expectIsolated(decision.find('strong'), hostile);
    expectIsolated(decision.find('.muted'), hostile);
    // The code after the message is the app's, outside the isolate.
    expect(decision.find('.muted').text()).toBe(`${hostile} (marketplace_error)`);
    expectIsolated(refund.find('strong'), `r-${hostile}`);
    expectIsolated(refund.find('.muted'), `f-${hostile}`);
  });

  it('follows outbox.changed while open', async () => {
    const wrapper = await openDialog();
    const stop = useOutboxStore().follow();
    desk.emit('outbox.changed', { ...summary, failed: [failedDecision('ob-7', 'o-7')], refundsFailed: [] });
    await flushPromises();
    expect(listed(wrapper)).toEqual(['Order o-7']);
    stop();
  });

  it('says why when the summary cannot be read', async () => {
    desk.answer('outbox.summary', () => {
      throw new DeskError('internal', 'The cache is not open.');
    });
    const wrapper = await openDialog();
    expect(wrapper.find('[role="alert"]').text()).toBe('The cache is not open.');
  });

  it('asks to close from its button and from Esc', async () => {
    const wrapper = await openDialog();
    await wrapper.find('header button').trigger('click');
    await wrapper.find('dialog').trigger('cancel');
    expect(wrapper.emitted('close')).toHaveLength(2);
    await wrapper.setProps({ open: false });
    expect((wrapper.find('dialog').element as HTMLDialogElement).open).toBe(false);
  });
});
