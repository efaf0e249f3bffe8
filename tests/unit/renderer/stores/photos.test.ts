import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CAPABILITIES } from '../../../../shared/domain/marketplace';
import { DeskError } from '../../../../shared/errors';
import type { DecisionResult, QueueRow } from '../../../../shared/ipc/contract';
import { money } from '../../../../shared/money';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { setDesk } from '../../../../renderer/src/api/desk';
import { useDecisionsStore } from '../../../../renderer/src/stores/decisions';
import { usePhotosStore } from '../../../../renderer/src/stores/photos';
import { useQueueStore } from '../../../../renderer/src/stores/queue';
import { HOUR, NOW, at, makeDetail, makeOrder } from '../detail/fakes';
import { createFakeDesk, type FakeDesk } from '../fake-desk';
import { useManualClock } from '../manual-clock';

let desk: FakeDesk;

const row: QueueRow = {
  requestId: 'req-1',
  orderId: 'order-1',
  storeId: 'store-1',
  kind: 'dispute',
  reason: 'not_as_described',
  state: 'requested',
  phase: 'after_shipment',
  buyerName: 'Ada Buyer',
  buyerCountry: 'DE',
  amount: money(6000, 'USD'),
  requestedAt: at(-2 * HOUR),
  respondBy: at(46 * HOUR),
  proofDueAt: null,
};

const done: DecisionResult = { batchId: 'b-1', undoUntil: at(10_000), done: 1, skipped: 0, items: [{ requestId: 'req-1', status: 'done', state: 'refused', amount: null, summary: 'Refuse: Other.' }], totals: [] };

beforeEach(async () => {
  setActivePinia(createPinia());
  useManualClock(NOW);
  let next = 0;
  desk = createFakeDesk({
    more: {
      'queue.list': { rows: [row], nextCursor: null, total: 1, truncated: false },
      'requests.get': { ...makeDetail({ order: makeOrder({ status: 'shipped', shippedAt: at(-3 * 24 * HOUR) }) }), capabilities: DEMO_CAPABILITIES },
      'evidence.attach': (input: { fileName: string }) => ({ attachmentId: `photo-${++next}`, fileName: input.fileName, contentType: 'image/png', bytes: 12 }),
      'evidence.detach': () => ({ detached: true }),
      'decisions.decide': done,
      'settings.get': DEFAULT_SETTINGS,
    },
  });
  setDesk(desk.api);
  await useQueueStore().reset();
});

const png = (name: string): File => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], name);

describe('the decision flow carries the Photos field of one request', () => {
  it("opens refuse with the limits from the request's capabilities; a cancelled dialog takes its photos out again", async () => {
    const decisions = useDecisionsStore();
    const photos = usePhotosStore();
    await decisions.begin('refuse');
    expect(decisions.dialog).toMatchObject({ kind: 'refuse', photos: { marketplace: 'Demo marketplace', maxFiles: 10, maxBytes: 10 * 1024 * 1024 } });
    await photos.add([png('label.png'), png('box.png')]);
    expect(photos.attachmentIds).toEqual(['photo-1', 'photo-2']);
    decisions.cancel();
    await Promise.resolve();
    expect(desk.inputsOf('evidence.detach')).toEqual([{ attachmentId: 'photo-1' }, { attachmentId: 'photo-2' }]);
    expect(photos.items).toEqual([]);
  });

  it('a decided refusal keeps its photos; a refused one takes them out', async () => {
    const decisions = useDecisionsStore();
    const photos = usePhotosStore();
    await decisions.begin('refuse');
    await photos.add([png('label.png')]);
    await decisions.submit({ type: 'refuse', reason: 'other', note: 'See the photo.', attachments: ['photo-1'] });
    expect(desk.inputsOf('decisions.decide')).toEqual([{ requestIds: ['req-1'], action: { type: 'refuse', reason: 'other', note: 'See the photo.', attachments: ['photo-1'] } }]);
    expect(desk.inputsOf('evidence.detach')).toEqual([]);
    expect(photos.items).toEqual([]);

    desk.answer('decisions.decide', () => {
      throw new DeskError('too_many_attachments', 'Cannot refuse: AliExpress takes at most one photo with a decision; this one has 2.');
    });
    await decisions.begin('offer');
    expect(decisions.dialog).toMatchObject({ kind: 'offer', photos: { maxFiles: 10 } });
    await photos.add([png('a.png'), png('b.png')]);
    await expect(decisions.submit({ type: 'offer', amount: money(100, 'USD'), attachments: ['photo-2', 'photo-3'] })).rejects.toMatchObject({ code: 'too_many_attachments' });
    expect(desk.inputsOf('evidence.detach')).toEqual([{ attachmentId: 'photo-2' }, { attachmentId: 'photo-3' }]);
  });

  it('shows no Photos field where the marketplace takes none', async () => {
    desk.answer('requests.get', { ...makeDetail({ order: makeOrder({ status: 'shipped', shippedAt: at(-3 * 24 * HOUR) }) }), capabilities: { ...DEMO_CAPABILITIES, evidence: { ...DEMO_CAPABILITIES.evidence, upload: false } } });
    const decisions = useDecisionsStore();
    await decisions.begin('refuse');
    expect(decisions.dialog).toMatchObject({ kind: 'refuse', photos: null });
  });
});
