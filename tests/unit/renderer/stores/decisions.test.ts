import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../../../shared/errors';
import type { DecisionPlan, DecisionResult, QueueRow } from '../../../../shared/ipc/contract';
import { money } from '../../../../shared/money';
import type { BulkAction } from '../../../../shared/rules/bulk';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { DeskCallError, setDesk } from '../../../../renderer/src/api/desk';
import { getTimeZone, setTimeZone } from '../../../../renderer/src/clock';
import { useDecisionsStore } from '../../../../renderer/src/stores/decisions';
import { useQueueStore } from '../../../../renderer/src/stores/queue';
import { useSelectionStore } from '../../../../renderer/src/stores/selection';
import { useUiStore } from '../../../../renderer/src/stores/ui';
import { HOUR, NOW, at, makeDetail, makeOrder } from '../detail/fakes';
import { createFakeDesk, type FakeDesk } from '../fake-desk';
import { useManualClock, type ManualClock } from '../manual-clock';

let desk: FakeDesk;
let clock: ManualClock;

const machineTimeZone = getTimeZone();

beforeEach(() => {
  setActivePinia(createPinia());
  setTimeZone(machineTimeZone);
  clock = useManualClock(NOW);
  desk = createFakeDesk();
  setDesk(desk.api);
});

const ids = (count: number, from = 0): string[] => Array.from({ length: count }, (_, index) => `r-${from + index}`);

/** The plan the backend would answer: every id will be done except `skipped`. */
function planFor(requestIds: readonly string[], skipped: readonly string[] = []): DecisionPlan {
  const items = requestIds.map((requestId): DecisionPlan['items'][number] =>
    skipped.includes(requestId)
      ? { requestId, orderId: `o-${requestId}`, status: 'skipped', code: 'decision_pending', message: `${requestId} is already decided.` }
      : { requestId, orderId: `o-${requestId}`, status: 'will_do', amount: money(1000, 'USD'), summary: 'Refund 10.00' },
  );
  return { willDo: requestIds.length - skipped.length, skipped: skipped.length, items, totals: [] };
}

/** What decisions.decide answers for `requestIds`, all done unless `skipped`, in batch `batchId`. */
function resultFor(requestIds: readonly string[], batchId: string, undoUntil: string, skipped: readonly string[] = []): DecisionResult {
  const items = requestIds.map((requestId): DecisionResult['items'][number] =>
    skipped.includes(requestId)
      ? { requestId, status: 'skipped', code: 'withdrawn', message: 'The buyer withdrew the request.' }
      : { requestId, status: 'done', state: 'accepted', amount: money(1000, 'USD'), summary: 'Refund 10.00' },
  );
  const done = requestIds.length - skipped.length;
  return { batchId, undoUntil, done, skipped: skipped.length, items, totals: [] };
}

/** decisions.decide calls held until the test answers them, to see the progress between chunks. */
function holdDecide(): Array<{ requestIds: string[]; answer: (result: DecisionResult | Error) => void }> {
  const held: Array<{ requestIds: string[]; answer: (result: DecisionResult | Error) => void }> = [];
  desk.answer('decisions.decide', (input: { requestIds: string[] }) => {
    return new Promise((resolve, reject) => {
      held.push({ requestIds: input.requestIds, answer: (result) => (result instanceof Error ? reject(result) : resolve(result)) });
    });
  });
  return held;
}

function queueRow(requestId: string): QueueRow {
  return {
    requestId,
    orderId: 'order-1',
    storeId: 'store-1',
    kind: 'cancel',
    reason: 'changed_mind',
    state: 'requested',
    phase: 'before_shipment',
    buyerName: 'Ada Buyer',
    buyerCountry: 'DE',
    amount: money(6000, 'USD'),
    requestedAt: at(-2 * HOUR),
    respondBy: at(46 * HOUR),
    proofDueAt: null,
  };
}

/** The queue shows one request, focused, and nothing is selected. */
async function focusOne(requestId = 'req-1'): Promise<void> {
  desk.answer('queue.list', { rows: [queueRow(requestId)], nextCursor: null, total: 1, truncated: false });
  await useQueueStore().reset();
}

const notices = () => useUiStore().notices.map(({ tone, text }) => ({ tone, text }));
const accept: BulkAction = { type: 'accept' };

describe('bulk decisions', () => {
  it('plans on the selection, commits the planned requests in chunks with progress, and undoes every chunk', async () => {
    const store = useDecisionsStore();
    const selection = useSelectionStore();
    const selected = ids(600);
    selection.add(selected);
    desk.answer('decisions.plan', (input: { requestIds: string[] }) => planFor(input.requestIds, ['r-3', 'r-400']));

    await store.begin('accept');
    expect(desk.inputsOf('decisions.plan')).toEqual([{ requestIds: selected, action: accept }]);
    expect(store.dialog?.kind).toBe('plan');
    expect(store.busy).toBe(false);

    const held = holdDecide();
    const confirming = store.confirmPlan();
    await flushPromises();
    const planned = selected.filter((id) => id !== 'r-3' && id !== 'r-400');
    expect(store.busy).toBe(true);
    expect(store.progress).toEqual({ done: 0, total: 598 });
    expect(held.map((call) => call.requestIds)).toEqual([planned.slice(0, 250)]);

    // The chunks' windows close a second apart: z must undo all of them, so the first one counts.
    held[0]?.answer(resultFor(planned.slice(0, 250), 'b-1', at(10_000)));
    await flushPromises();
    expect(store.progress).toEqual({ done: 250, total: 598 });
    expect(held.map((call) => call.requestIds)).toEqual([planned.slice(0, 250), planned.slice(250, 500)]);

    held[1]?.answer(resultFor(planned.slice(250, 500), 'b-2', at(11_000)));
    await flushPromises();
    expect(store.progress).toEqual({ done: 500, total: 598 });
    expect(held[2]?.requestIds).toEqual(planned.slice(500));

    held[2]?.answer(resultFor(planned.slice(500), 'b-3', at(12_000), ['r-599']));
    await confirming;
    expect(held).toHaveLength(3);
    expect(store.busy).toBe(false);
    expect(store.progress).toBeNull();
    expect(store.dialog).toBeNull();
    expect(selection.count).toBe(0);
    expect(store.lastDecision).toEqual({ batchIds: ['b-1', 'b-2', 'b-3'], undoUntil: NOW + 10_000, summary: 'Accept and refund: 597 requests' });
    expect(notices()).toEqual([{ tone: 'error', text: '1 request skipped: The buyer withdrew the request.' }]);

    desk.answer('decisions.undo', (input: { batchId: string }) => ({ batchId: input.batchId, undone: input.batchId === 'b-3' ? 97 : 250 }));
    clock.advance(9_999);
    await store.undo();
    expect(desk.inputsOf('decisions.undo')).toEqual([{ batchId: 'b-1' }, { batchId: 'b-2' }, { batchId: 'b-3' }]);
    expect(store.lastDecision).toBeNull();
    expect(notices().at(-1)).toEqual({ tone: 'info', text: 'Undone: 597 requests restored.' });
  });

  it('refuses to undo once the first chunk went out, without asking the backend', async () => {
    const store = useDecisionsStore();
    store.lastDecision = { batchIds: ['b-1', 'b-2'], undoUntil: NOW + 10_000, summary: 'Accept and refund: 300 requests' };
    clock.advance(10_000);
    await store.undo();
    expect(desk.inputsOf('decisions.undo')).toEqual([]);
    expect(store.lastDecision).toBeNull();
    expect(notices()).toEqual([{ tone: 'error', text: 'Too late to undo: the decision is being sent to the marketplace.' }]);
  });

  it('keeps the chunks that went through undoable when a later chunk fails', async () => {
    const store = useDecisionsStore();
    useSelectionStore().add(ids(300));
    desk.answer('decisions.plan', (input: { requestIds: string[] }) => planFor(input.requestIds));
    await store.begin('accept');
    let calls = 0;
    desk.answer('decisions.decide', (input: { requestIds: string[] }) => {
      calls += 1;
      if (calls === 2) throw new DeskError('disk_full', 'The disk is full: nothing was decided.');
      return resultFor(input.requestIds, 'b-1', at(10_000));
    });

    const failure = await store.confirmPlan().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeskCallError);
    expect(failure).toMatchObject({ code: 'disk_full' });
    expect(store.busy).toBe(false);
    expect(store.progress).toBeNull();
    expect(store.lastDecision).toEqual({ batchIds: ['b-1'], undoUntil: NOW + 10_000, summary: 'Accept and refund: 250 requests' });
    // The plan stays for Enter to try again; the backend skips what is already decided.
    expect(store.dialog?.kind).toBe('plan');
    expect(useSelectionStore().count).toBe(300);
  });

  it('tries every chunk on undo; the ones that fail stay for z to try again', async () => {
    const store = useDecisionsStore();
    store.lastDecision = { batchIds: ['b-1', 'b-2', 'b-3'], undoUntil: NOW + 10_000, summary: 'Accept and refund: 600 requests' };
    desk.answer('decisions.undo', (input: { batchId: string }) => {
      if (input.batchId === 'b-2') throw new DeskError('internal', 'The cache is busy.');
      return { batchId: input.batchId, undone: 200 };
    });

    await store.undo();
    expect(desk.inputsOf('decisions.undo')).toEqual([{ batchId: 'b-1' }, { batchId: 'b-2' }, { batchId: 'b-3' }]);
    expect(notices()).toEqual([
      { tone: 'info', text: 'Undone: 400 requests restored.' },
      { tone: 'error', text: 'Not undone: The cache is busy.' },
    ]);
    expect(store.lastDecision).toEqual({ batchIds: ['b-2'], undoUntil: NOW + 10_000, summary: 'Accept and refund: 600 requests' });

    desk.answer('decisions.undo', (input: { batchId: string }) => ({ batchId: input.batchId, undone: 200 }));
    await store.undo();
    expect(desk.inputsOf('decisions.undo').slice(3)).toEqual([{ batchId: 'b-2' }]);
    expect(store.lastDecision).toBeNull();
  });

  it('a plan the backend refuses opens no dialog and leaves nothing busy', async () => {
    const store = useDecisionsStore();
    useSelectionStore().add(ids(2));
    desk.answer('decisions.plan', () => {
      throw new DeskError('invalid_input', 'A batch holds at most 5000 requests.');
    });
    await expect(store.begin('escalate')).rejects.toMatchObject({ code: 'invalid_input', message: 'A batch holds at most 5000 requests.' });
    expect(store.dialog).toBeNull();
    expect(store.busy).toBe(false);
    expect(desk.inputsOf('decisions.decide')).toEqual([]);
  });

  it('asks for the parameters of a bulk refusal first, then plans with them', async () => {
    const store = useDecisionsStore();
    useSelectionStore().add(ids(2));
    desk.answer('decisions.plan', (input: { requestIds: string[] }) => planFor(input.requestIds));
    await store.begin('refuse');
    expect(store.dialog?.kind).toBe('refuse');
    expect(desk.inputsOf('decisions.plan')).toEqual([]);

    const refusal: BulkAction = { type: 'refuse', reason: 'already_shipped', carrier: 'DHL', trackingNumber: 'JD1' };
    await store.submit(refusal);
    expect(desk.inputsOf('decisions.plan')).toEqual([{ requestIds: ids(2), action: refusal }]);
    expect(store.dialog).toMatchObject({ kind: 'plan', action: refusal });
  });

  it("proposes proof due the policy's days from the injected clock, to the end of that day in the seller's zone", async () => {
    // NOW is 09:30 UTC on 26 November: 18:30 in Tokyo.
    setTimeZone('Asia/Tokyo');
    const store = useDecisionsStore();
    useSelectionStore().add(ids(2));
    const policy = { ...DEFAULT_SETTINGS.policy, proofDueDays: 5, proofRequestTemplate: 'Photos of the parcel, please.' };
    desk.answer('settings.get', { ...DEFAULT_SETTINGS, policy });

    await store.begin('request_proof');
    expect(store.dialog).toMatchObject({
      kind: 'request_proof',
      option: { defaultDueAt: '2026-12-01T14:59:59.999Z', dueDays: 5, defaultMessage: 'Photos of the parcel, please.' },
      templates: ['Photos of the parcel, please.'],
    });

    store.cancel();
    // 05:30 on 27 November in Tokyo: two days on is the 29th.
    clock.advance(11 * HOUR);
    // A policy changed in Settings meanwhile is the one the next dialog uses.
    desk.answer('settings.get', { ...DEFAULT_SETTINGS, policy: { ...policy, proofDueDays: 2 } });
    await store.begin('request_proof');
    expect(store.dialog).toMatchObject({ kind: 'request_proof', option: { defaultDueAt: '2026-11-29T14:59:59.999Z', dueDays: 2 } });
  });

  it('adds a note to every selected request', async () => {
    const store = useDecisionsStore();
    useSelectionStore().add(ids(2));
    desk.answer('notes.add', (input: { text: string }) => ({ at: at(0), text: input.text }));
    store.openNote();
    await store.addNote('Called the carrier.');
    expect(desk.inputsOf('notes.add')).toEqual([
      { requestId: 'r-0', text: 'Called the carrier.' },
      { requestId: 'r-1', text: 'Called the carrier.' },
    ]);
    expect(store.dialog).toBeNull();
    expect(notices()).toEqual([{ tone: 'info', text: 'Note added to 2 requests.' }]);
  });
});

describe('a decision on the focused request', () => {
  it('accepts at once by the rules, with nothing to plan, and offers the undo', async () => {
    const store = useDecisionsStore();
    await focusOne();
    desk.answer('requests.get', makeDetail());
    desk.answer('decisions.decide', (input: { requestIds: string[] }) => resultFor(input.requestIds, 'b-1', at(10_000)));

    await store.begin('accept');
    expect(desk.inputsOf('decisions.plan')).toEqual([]);
    expect(desk.inputsOf('decisions.decide')).toEqual([{ requestIds: ['req-1'], action: accept }]);
    expect(store.lastDecision).toEqual({ batchIds: ['b-1'], undoUntil: NOW + 10_000, summary: 'Accept and refund: done' });
  });

  it('says why an action the rules block cannot be taken, and decides nothing', async () => {
    const store = useDecisionsStore();
    await focusOne();
    const detail = makeDetail();
    desk.answer('requests.get', detail);
    const proof = detail.rules.available ? detail.rules.actions.find((option) => option.action === 'request_proof') : undefined;
    expect(proof?.allowed).toBe(false);

    await store.begin('request_proof');
    expect(store.dialog).toBeNull();
    expect(desk.inputsOf('decisions.decide')).toEqual([]);
    expect(notices()).toEqual([{ tone: 'error', text: proof?.message }]);
  });

  it('says the rules need the order while it is not synced', async () => {
    const store = useDecisionsStore();
    await focusOne();
    desk.answer('requests.get', makeDetail({ order: null }));
    await store.begin('accept');
    expect(desk.inputsOf('decisions.decide')).toEqual([]);
    expect(notices()).toEqual([{ tone: 'error', text: 'The order has not been synced yet: the rules need it.' }]);
  });

  it('opens the offer dialog with the order, the request and the policy', async () => {
    const store = useDecisionsStore();
    await focusOne();
    const order = makeOrder({ status: 'delivered' });
    desk.answer('requests.get', makeDetail({ order, request: { reason: 'damaged' } }));
    desk.answer('settings.get', DEFAULT_SETTINGS);
    await store.begin('offer');
    expect(store.dialog).toMatchObject({ kind: 'offer', targets: ['req-1'], order: { id: order.id }, request: { id: 'req-1' }, policy: DEFAULT_SETTINGS.policy });
  });

  it('leaves nothing to undo when the backend refuses the decision', async () => {
    const store = useDecisionsStore();
    await focusOne();
    desk.answer('requests.get', makeDetail());
    desk.answer('decisions.decide', () => {
      throw new DeskError('decision_pending', 'A decision on this request is already waiting to be sent; undo it first to change it.');
    });
    await expect(store.begin('accept')).rejects.toMatchObject({ code: 'decision_pending' });
    expect(store.lastDecision).toBeNull();
    expect(store.busy).toBe(false);
    expect(store.progress).toBeNull();
  });
});
