import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { money, formatMoney } from '../../../../shared/money';
import { proofDueAt } from '../../../../shared/rules/proof-due';
import { setDesk } from '../../../../renderer/src/api/desk';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import DetailPane from '../../../../renderer/src/components/detail/DetailPane.vue';
import { formatDateTime, formatFullDateTime } from '../../../../renderer/src/format';
import { useDetailStore } from '../../../../renderer/src/stores/detail';
import { expectIsolated, HOSTILE_NAMES } from '../bidi';
import { useManualClock, type ManualClock } from '../manual-clock';
import { DAY, HOUR, NOW, at, createDetailFake, makeAudit, makeDetail, makeEvidence, makeLine, makeOrder, type DetailFake } from './fakes';

let fake: DetailFake;
let clock: ManualClock;
let wrapper: VueWrapper | null = null;

const fmt = (amountMinor: number, currency: string): string => formatMoney(money(amountMinor, currency), navigator.language);

async function mountShowing(requestId: string | null): Promise<VueWrapper> {
  wrapper = mount(DetailPane, { attachTo: document.body });
  await useDetailStore().show(requestId);
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createDetailFake();
  setDesk(fake.api);
  clock = useManualClock(NOW);
});

const machineTimeZone = getTimeZone();

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  vi.restoreAllMocks();
  setTimeZone(machineTimeZone);
});

describe('the detail pane', () => {
  it('is a labelled landmark that asks for a selection when nothing has focus', async () => {
    const pane = await mountShowing(null);
    const aside = pane.find('aside');
    expect(aside.attributes('aria-label')).toBe('Request detail');
    expect(aside.text()).toContain('Select a request to see its details');
  });

  it('says it is loading (aria-busy), then shows the request', async () => {
    fake.details.set('req-1', makeDetail());
    fake.hold = true;
    wrapper = mount(DetailPane);
    const shown = useDetailStore().show('req-1');
    await flushPromises();
    expect(wrapper.find('aside').attributes('aria-busy')).toBe('true');
    expect(wrapper.text()).toContain('Loading…');
    fake.release('req-1');
    await shown;
    await flushPromises();
    expect(wrapper.find('aside').attributes('aria-busy')).toBe('false');
    expect(wrapper.find('h2').text()).toContain('order-1');
  });

  it('shows an error with a Retry that loads again', async () => {
    const pane = await mountShowing('req-1');
    expect(pane.find('[role="alert"]').text()).toContain('No request req-1.');
    fake.details.set('req-1', makeDetail());
    await pane.find('button.detail-retry').trigger('click');
    await flushPromises();
    expect(pane.find('[role="alert"]').exists()).toBe(false);
    expect(pane.find('h2').text()).toContain('order-1');
  });

  it('shows the header: order, buyer and country, reason label, state, phase, time left', async () => {
    fake.details.set('req-1', makeDetail());
    const pane = await mountShowing('req-1');
    const header = pane.find('.detail-header');
    expect(header.text()).toContain('order-1');
    expect(header.text()).toContain('Ada Buyer');
    expect(header.find('.detail-buyer').text()).toMatch(/Germany|DE/);
    expect(header.find('.detail-reason').text()).toBe('Changed their mind');
    expect(header.find('.detail-state').text()).toBe('Requested');
    expect(header.find('.detail-phase').text()).toBe('Before shipment');
    // The cancel was asked 2 h ago and the marketplace gives 48 h: 46 h left on the injected clock.
    expect(header.find('.time-left').text()).toMatch(/^1 d 22 h \(later\)/);
    expect(header.find('.time-left').classes()).toContain('later');
  });

  it('counts down on the injected clock: the time left, its urgency and the "due" badges move with it', async () => {
    const order = makeOrder({ status: 'delivered' });
    fake.details.set('req-1', makeDetail({ order, request: { state: 'proof_requested', proofRequest: { message: 'Photos please', dueAt: at(3 * HOUR) } } }));
    const pane = await mountShowing('req-1');
    const timeLeft = () => pane.find('.time-left');
    // The deadlines still ahead, by title (the badge's own text left out).
    const due = () => pane.findAll('.detail-event').filter((event) => event.find('.detail-due').exists()).map((event) => event.find('.detail-event-title').element.firstChild?.textContent?.trim());

    // Waiting for proof: the buyer's move, so its due time, with no urgency colour.
    expect(pane.find('.detail-when-label').text()).toBe('Proof due');
    expect(timeLeft().text()).toMatch(/^in 3 h 0 m · by /);
    expect(timeLeft().classes()).toContain('quiet');
    expect(due()).toEqual(['Reply due', 'Proof due from the buyer']);

    // The pane ticks every 15 s: each step lands on a tick. Proof overdue: the reply is owed again.
    clock.advance(3 * HOUR + 15_000);
    await nextTick();
    expect(pane.find('.detail-when-label').text()).toBe('Time left (proof overdue)');
    expect(timeLeft().text()).toMatch(/^4 d 20 h \(later\)/);
    expect(due()).toEqual(['Reply due']);

    clock.advance(5 * DAY - HOUR - (3 * HOUR + 15_000));
    await nextTick();
    expect(timeLeft().text()).toMatch(/^1 h 0 m \(critical\)/);
    expect(timeLeft().classes()).toContain('critical');
    expect(due()).toEqual(['Reply due']);

    clock.advance(HOUR + 15_000);
    await nextTick();
    expect(timeLeft().text()).toMatch(/^overdue < 1 m \(overdue\)/);
    expect(due()).toEqual([]);
    expect(pane.findAll('.detail-event-deadline')).toHaveLength(2);
  });

  it('stops ticking once it is gone', async () => {
    fake.details.set('req-1', makeDetail());
    const pane = await mountShowing('req-1');
    expect(clock.pendingTimers()).toBe(1);
    pane.unmount();
    wrapper = null;
    expect(clock.pendingTimers()).toBe(0);
  });

  it('shows lines and totals of a JPY order through Intl, without decimals', async () => {
    const order = makeOrder({
      currency: 'JPY',
      lines: [makeLine({ lineId: 'l-1', sku: 'TEA-1', title: 'Sencha', qty: 3, unitPrice: money(1500, 'JPY'), currency: 'JPY' })],
      shipping: money(500, 'JPY'),
      discount: money(300, 'JPY'),
    });
    fake.details.set('req-1', makeDetail({ order }));
    const pane = await mountShowing('req-1');
    const line = pane.find('tr.detail-line');
    expect(line.text()).toContain('TEA-1');
    expect(line.text()).toContain('Sencha');
    expect(line.find('.detail-unit').text()).toBe(fmt(1500, 'JPY'));
    expect(line.find('.detail-line-total').text()).toBe(fmt(4500, 'JPY'));
    expect(pane.find('[data-total="shipping"]').text()).toBe(fmt(500, 'JPY'));
    expect(pane.find('[data-total="discount"]').text()).toBe(`−${fmt(300, 'JPY')}`);
    expect(pane.find('[data-total="paid"]').text()).toBe(fmt(4700, 'JPY'));
    expect(pane.find('[data-total="requested"]').text()).toBe(fmt(4700, 'JPY'));
    expect(pane.find('[data-total="paid"]').text()).not.toMatch(/[.,]\d{2}$/);
  });

  it('shows lines and totals of a KWD order with three decimals', async () => {
    const order = makeOrder({
      currency: 'KWD',
      lines: [makeLine({ lineId: 'l-1', sku: 'OUD-50', title: 'Oud, 50 ml', qty: 2, unitPrice: money(12_345, 'KWD'), currency: 'KWD' })],
      shipping: money(1_500, 'KWD'),
    });
    fake.details.set('req-1', makeDetail({ order }));
    const pane = await mountShowing('req-1');
    expect(pane.find('.detail-line-total').text()).toBe(fmt(24_690, 'KWD'));
    expect(pane.find('.detail-line-total').text()).toContain('24.690');
    expect(pane.find('[data-total="paid"]').text()).toBe(fmt(26_190, 'KWD'));
    // The accept quote of a pre-shipment cancel refunds everything paid.
    expect(pane.find('[data-total="refund"]').text()).toBe(fmt(26_190, 'KWD'));
  });

  it('shows the buyer message as text, line breaks kept, no element made from it', async () => {
    const hostile = '<img src=x onerror=alert(1)>\nSecond line';
    fake.details.set('req-1', makeDetail({ request: { buyerMessage: hostile } }));
    const pane = await mountShowing('req-1');
    const message = pane.find('.detail-message');
    expect(message.element.textContent).toBe(hostile);
    expect(message.element.children).toHaveLength(0);
    expect(pane.find('img').exists()).toBe(false);
  });

  it('shows each action allowed or blocked with its sentence and key; only allowed ones emit their command', async () => {
    const detail = makeDetail();
    fake.details.set('req-1', detail);
    const pane = await mountShowing('req-1');
    if (!detail.rules.available) throw new Error('the fixture has rules');
    const proof = detail.rules.actions.find((option) => option.action === 'request_proof');
    expect(proof?.allowed).toBe(false);

    const proofLine = pane.find('[data-action="request_proof"]');
    expect(proofLine.classes()).toContain('blocked');
    expect(proofLine.text()).toContain('Blocked');
    expect(proofLine.find('.detail-action-why').text()).toBe(proof?.message);
    expect(proofLine.find('kbd').text()).toBe('p');
    expect(proofLine.find('button').attributes('aria-disabled')).toBe('true');
    await proofLine.find('button').trigger('click');

    const accept = pane.find('[data-action="accept"]');
    expect(accept.classes()).toContain('allowed');
    expect(accept.find('kbd').text()).toBe('a');
    await accept.find('button').trigger('click');
    const keys = ['accept', 'refuse', 'request_proof', 'offer', 'escalate'].map((action) => pane.find(`[data-action="${action}"] kbd`).text());
    expect(keys).toEqual(['a', 'r', 'p', 'f', 'e']);

    await pane.find('[aria-labelledby="detail-notes-title"] .detail-section-head button').trigger('click');
    expect(pane.emitted('command')).toEqual([['request.accept'], ['request.note']]);
  });

  it('shows the refund quote, the offer range and the recommendation of a dispute', async () => {
    const order = makeOrder({ status: 'delivered' });
    const detail = makeDetail({ order, request: { reason: 'damaged', evidence: makeEvidence(1) } });
    fake.details.set('req-1', detail);
    const pane = await mountShowing('req-1');
    if (!detail.rules.available) throw new Error('the fixture has rules');
    const offer = detail.rules.actions.find((option) => option.action === 'offer');
    if (offer?.action !== 'offer' || offer.range === null) throw new Error('the fixture allows an offer');
    expect(pane.find('[data-action="offer"] .detail-action-extra').text()).toBe(
      `Range: ${formatMoney(offer.range.min, navigator.language)} – ${formatMoney(offer.range.max, navigator.language)}`,
    );
    const quoteLines = pane.findAll('.detail-quote-line');
    expect(quoteLines.length).toBeGreaterThan(0);
    expect(pane.find('.detail-quote').text()).toContain('Enamel mug, blue');
    const recommendation = pane.find('.detail-recommendation');
    expect(recommendation.text()).toContain('Recommended:');
    for (const reason of detail.rules.recommendation.reasons) expect(recommendation.text()).toContain(reason.message);
  });

  it('shows why the rules are unavailable, and that the order is not synced yet', async () => {
    fake.details.set('req-1', makeDetail({ order: null }));
    const pane = await mountShowing('req-1');
    expect(pane.find('.detail-rules-unavailable').text()).toBe('The order has not been synced yet: the rules need it.');
    expect(pane.find('[data-action]').exists()).toBe(false);
    expect(pane.find('.detail-not-synced').text()).toContain('not been synced yet');
    expect(pane.find('.detail-header').text()).toContain('Not synced yet');
  });

  it('shows a pending decision with its undo key, and a conflict prominently', async () => {
    fake.details.set(
      'req-1',
      makeDetail({
        detail: {
          local: { state: 'accepted', batchId: 'b-1', outboxId: 'o-1', decidedAt: at(-60_000), baseVersion: 1 },
          conflict: { what: 'The buyer withdrew the request before your refund was sent.', detectedAt: at(-30_000), localState: 'accepted', remoteState: 'withdrawn' },
        },
      }),
    );
    const pane = await mountShowing('req-1');
    expect(pane.find('.detail-pending').text()).toMatch(/^Decision pending: Accepted \(undo with z\)$/);
    const conflict = pane.find('.detail-conflict');
    expect(conflict.attributes('role')).toBe('alert');
    expect(conflict.text()).toContain('The buyer withdrew the request before your refund was sent.');
  });

  it('merges marketplace events and audit entries in a timeline, newest first', async () => {
    const order = makeOrder({ status: 'delivered' });
    fake.details.set(
      'req-1',
      makeDetail({
        order,
        detail: {
          audit: [makeAudit({ seq: 7, at: at(-30 * 60_000), action: 'request_proof', message: 'Asked the buyer for photos.' })],
          notes: [
            { at: at(-3 * HOUR), text: 'Called the carrier.' },
            { at: at(-HOUR), text: 'Buyer is a regular.' },
          ],
        },
      }),
    );
    const pane = await mountShowing('req-1');
    const times = pane.findAll('.detail-event time').map((time) => Date.parse(time.attributes('datetime') ?? ''));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const titles = pane.findAll('.detail-event-title').map((title) => title.text());
    expect(titles[0]).toContain('Reply due');
    expect(titles).toContain('Request proof');
    expect(titles.at(-1)).toBe('Order placed');
    expect(pane.findAll('.detail-note-text').map((note) => note.text())).toEqual(['Buyer is a regular.', 'Called the carrier.']);
  });

  it('opens evidence in a modal viewer: arrows move, +/- zoom, Esc closes and focus goes back', async () => {
    let made = 0;
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:test/${++made}`);
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const files = makeEvidence(3);
    for (const file of files) fake.evidence.set(file.id, { contentType: 'image/jpeg', dataBase64: btoa('jpeg'), fetchedAt: at(0) });
    fake.details.set('req-1', makeDetail({ order: makeOrder({ status: 'delivered' }), request: { reason: 'damaged', evidence: files } }));
    const pane = await mountShowing('req-1');
    const appKeys = vi.fn();
    window.addEventListener('keydown', appKeys);

    const thumbs = pane.findAll('button.detail-thumb');
    expect(thumbs).toHaveLength(3);
    expect(thumbs[1]?.attributes('aria-label')).toContain('photo-2.jpg');
    const second = thumbs[1]?.element as HTMLButtonElement;
    second.focus();
    second.click();
    await flushPromises();
    const dialog = pane.find('dialog');
    expect((dialog.element as HTMLDialogElement).open).toBe(true);
    const title = (): string => dialog.find('#detail-viewer-title').text();
    const image = (): string | undefined => dialog.find('img').attributes('alt');
    expect(title()).toContain('Photo 2 of 3');
    expect(image()).toContain('photo-2.jpg');

    await dialog.trigger('keydown', { key: 'ArrowRight' });
    expect(title()).toContain('Photo 3 of 3');
    await dialog.trigger('keydown', { key: 'ArrowRight' });
    expect(title()).toContain('Photo 1 of 3');
    await dialog.trigger('keydown', { key: 'ArrowLeft' });
    expect(image()).toContain('photo-3.jpg');
    await dialog.trigger('keydown', { key: '+' });
    await dialog.trigger('keydown', { key: '+' });
    expect(dialog.find('.detail-zoom').text()).toBe('150%');
    await dialog.trigger('keydown', { key: '-' });
    expect(dialog.find('.detail-zoom').text()).toBe('125%');
    await dialog.trigger('keydown', { key: 'a' });
    expect(appKeys).not.toHaveBeenCalled();

    await dialog.trigger('keydown', { key: 'Escape' });
    expect((dialog.element as HTMLDialogElement).open).toBe(false);
    expect(document.activeElement).toBe(second);
    window.removeEventListener('keydown', appKeys);
  });
});

describe('the detail pane says where a request stands', () => {
  it('shows a closed request\'s outcome and when, with no urgency colour', async () => {
    const order = makeOrder({ status: 'delivered' });
    const resolution = { outcome: 'refunded' as const, amount: money(5500, 'USD'), decidedAt: at(-3 * DAY), by: 'seller' as const };
    fake.details.set('req-1', makeDetail({ order, request: { state: 'refunded', resolution, respondBy: at(-35 * DAY - 13 * HOUR) } }));
    const pane = await mountShowing('req-1');
    expect(pane.find('.detail-when-label').text()).toBe('Closed');
    const when = pane.find('.detail-when');
    expect(when.text()).toMatch(/^Refunded · 3 d ago · on /u);
    expect(when.text()).not.toContain('overdue');
    expect(when.classes()).toContain('quiet');
    expect(when.classes()).not.toContain('overdue');
  });

  it('shows an accepted request without a countdown, and the rules without "Deadline close"', async () => {
    const order = makeOrder({ status: 'delivered' });
    // Accepted 1 h ago; the marketplace's reply deadline is 2 h away, which is no longer the seller's.
    fake.details.set('req-1', makeDetail({ order, request: { state: 'accepted', updatedAt: at(-HOUR), respondBy: at(2 * HOUR) } }));
    const pane = await mountShowing('req-1');
    expect(pane.find('.detail-when').text()).toMatch(/^Accepted · 1 h ago/u);
    expect(pane.find('.detail-when').classes()).not.toContain('critical');
    expect(pane.find('.detail-recommendation').text()).not.toContain('Deadline close');
  });

  it('says a decision waits to be sent, not how long is left to reply', async () => {
    fake.details.set(
      'req-1',
      makeDetail({ request: { respondBy: at(2 * HOUR) }, detail: { local: { state: 'accepted', batchId: 'b-1', outboxId: 'o-1', decidedAt: at(-1_000), baseVersion: 1 } } }),
    );
    const pane = await mountShowing('req-1');
    expect(pane.find('.detail-when-label').text()).toBe('Your decision');
    expect(pane.find('.detail-when').text()).toBe('Accepted · waiting to be sent');
    expect(pane.find('.detail-when').classes()).not.toContain('critical');
  });

  it('shows the default proof due time in the rules panel as the dialog will send it, in the seller\'s zone', async () => {
    setTimeZone('America/New_York');
    const order = makeOrder({ status: 'delivered' });
    fake.details.set('req-1', makeDetail({ order, request: { reason: 'damaged' } }));
    const pane = await mountShowing('req-1');
    const proof = pane.find('[data-action="request_proof"]');
    // 04:30 on 26 November in New York, 3 days of proof: the end of 29 November there.
    const dueAt = proofDueAt(NOW, 3, 'America/New_York');
    expect(dueAt).toBe('2026-11-30T04:59:59.999Z');
    expect(proof.find('.detail-action-extra').text()).toBe(`Due by default ${formatFullDateTime(dueAt)}, your time`);
    expect(proof.find('.detail-action-extra').text()).toContain('November 29, 2026 at 11:59 PM');
    expect(proof.find('.detail-action-why').text()).not.toMatch(/UTC|\d{2}:\d{2}/u);
  });

  it('writes the rules\' instants in the seller\'s zone: a proof due time reads the same everywhere', async () => {
    setTimeZone('Asia/Tokyo');
    const order = makeOrder({ status: 'delivered' });
    const dueAt = '2026-11-29T14:59:59.999Z'; // the end of 29 November in Tokyo
    fake.details.set('req-1', makeDetail({ order, request: { state: 'proof_requested', proofRequest: { message: 'Photos, please.', dueAt } } }));
    const pane = await mountShowing('req-1');
    const local = formatDateTime(dueAt);
    expect(pane.find('.detail-when').text()).toContain(local);
    const refusal = pane.find('[data-action="refuse"] .detail-action-why').text();
    expect(refusal).toContain(local);
    expect(refusal).not.toContain('UTC');
  });
});

describe('untrusted text in the detail pane', () => {
  it.each(HOSTILE_NAMES)('is isolated (%s): it cannot reorder the app\'s text after it', async (_label, hostile) => {
    const order = makeOrder({
      status: 'delivered',
      buyer: { id: 'buyer-1', name: hostile, country: 'JP' },
      lines: [makeLine({ lineId: 'line-1', title: hostile, sku: `SKU-${hostile}` })],
      tracking: { carrier: hostile, number: `N-${hostile}` },
    });
    const evidence = makeEvidence(1).map((file) => ({ ...file, fileName: `${hostile}.jpg` }));
    fake.details.set(
      'req-1',
      makeDetail({
        order,
        request: { orderId: order.id, buyerMessage: hostile, evidence },
        detail: { notes: [{ at: at(-HOUR), text: hostile }] },
      }),
    );
    const pane = await mountShowing('req-1');
    // The header: "Mallory \u202Eeciffo · Japan" must not read "Mallory napaJ · office".
    const buyer = pane.find('.detail-buyer');
    expectIsolated(buyer, hostile);
    expect(buyer.text()).toMatch(/· Japan$/u);
    expect(buyer.attributes('title')).toBe(`\u2068${hostile}\u2069`);
    expectIsolated(pane.find('.detail-line-item'), hostile);
    expectIsolated(pane.find('.detail-line-item'), `SKU-${hostile}`);
    expectIsolated(pane.find('.detail-tracking'), hostile);
    expectIsolated(pane.find('.detail-tracking'), `N-${hostile}`);
    expectIsolated(pane.find('.detail-message').element.parentElement as Element, hostile);
    expectIsolated(pane.find('.detail-notes'), hostile);
    expectIsolated(pane.find('.detail-quote'), hostile);
    expectIsolated(pane.find('.detail-timeline'), `${hostile}.jpg`);
    expectIsolated(pane.find('.detail-timeline'), `${hostile} N-${hostile}`);
    // Sentences that quote it (the refund explanation) carry it between FSI and PDI.
    expect(pane.find('.detail-quote-explanation').text()).toContain(`\u2068${hostile}\u2069`);
  });

  it('isolates the order id in the title', async () => {
    const order = makeOrder({ id: 'o-\u202E1', status: 'delivered' });
    fake.details.set('req-1', makeDetail({ order, request: { orderId: order.id } }));
    const pane = await mountShowing('req-1');
    expectIsolated(pane.find('.detail-title'), 'o-\u202E1');
  });
});
