import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setDesk } from '../../../../renderer/src/api/desk';
import { DETAIL_CACHE_SIZE, useDetailStore } from '../../../../renderer/src/stores/detail';
import { createDetailFake, makeDetail, makeEvidence, makeOrder, type DetailFake } from './fakes';

let fake: DetailFake;

function addRequest(id: string, buyerMessage = `Message of ${id}`, evidence = 0): void {
  const order = makeOrder({ id: `order-${id}` });
  const files = makeEvidence(evidence).map((file) => ({ ...file, id: `${id}-${file.id}` }));
  fake.details.set(id, makeDetail({ order, request: { id, buyerMessage, evidence: files } }));
  for (const file of files) fake.evidence.set(file.id, { contentType: 'image/png', dataBase64: btoa('png-bytes'), fetchedAt: '2026-11-26T09:00:00.000Z' });
}

function requestCalls(): string[] {
  return fake.calls.filter((call) => call.channel === 'requests.get').map((call) => (call.input as { requestId: string }).requestId);
}

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createDetailFake();
  setDesk(fake.api);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the detail store', () => {
  it('shows nothing for null, and loads a request with loading on meanwhile', async () => {
    addRequest('r-1');
    const store = useDetailStore();
    await store.show(null);
    expect(store.detail).toBeNull();
    expect(store.loading).toBe(false);

    const done = store.show('r-1');
    expect(store.requestId).toBe('r-1');
    expect(store.loading).toBe(true);
    await done;
    expect(store.loading).toBe(false);
    expect(store.detail?.request.buyerMessage).toBe('Message of r-1');
    expect(store.error).toBeNull();
  });

  it('never lets a slow answer for an older id replace the newer one', async () => {
    addRequest('r-1');
    addRequest('r-2');
    fake.hold = true;
    const store = useDetailStore();
    const first = store.show('r-1');
    const second = store.show('r-2');
    fake.release('r-2');
    await second;
    expect(store.detail?.request.id).toBe('r-2');
    fake.release('r-1');
    await first;
    expect(store.requestId).toBe('r-2');
    expect(store.detail?.request.id).toBe('r-2');
    expect(store.loading).toBe(false);
  });

  it('never lets an older read of the same id replace a newer one', async () => {
    addRequest('r-1', 'old text');
    fake.hold = true;
    const store = useDetailStore();
    const stop = store.follow();
    const first = store.show('r-1');
    const [olderRead] = fake.held.splice(0, 1);
    // A change arrives while the first read is out: the store reads again instead of sharing it.
    fake.details.set('r-1', makeDetail({ request: { id: 'r-1', buyerMessage: 'new text' } }));
    fake.emit('queue.changed', { counts: {} });
    expect(requestCalls()).toEqual(['r-1', 'r-1']);
    fake.release('r-1');
    await flushPromises();
    expect(store.detail?.request.buyerMessage).toBe('new text');
    // The first read answers last, with what it read before the change.
    olderRead?.resolve({ ok: true, value: makeDetail({ request: { id: 'r-1', buyerMessage: 'old text' } }) });
    await first;
    expect(store.detail?.request.buyerMessage).toBe('new text');
    stop();
  });

  it('keeps the newest answer when the older id answers with an error', async () => {
    addRequest('r-2');
    fake.hold = true;
    const store = useDetailStore();
    const first = store.show('r-1');
    const second = store.show('r-2');
    fake.release('r-2');
    await second;
    fake.release('r-1', { code: 'requests.not_found', message: 'gone' });
    await first;
    expect(store.error).toBeNull();
    expect(store.detail?.request.id).toBe('r-2');
  });

  it('shows a cached detail at once and refreshes it in the background', async () => {
    addRequest('r-1', 'first');
    addRequest('r-2');
    const store = useDetailStore();
    await store.show('r-1');
    await store.show('r-2');
    fake.details.set('r-1', makeDetail({ request: { id: 'r-1', buyerMessage: 'second' } }));
    fake.hold = true;
    const back = store.show('r-1');
    expect(store.loading).toBe(false);
    expect(store.detail?.request.buyerMessage).toBe('first');
    fake.release('r-1');
    await back;
    expect(store.detail?.request.buyerMessage).toBe('second');
  });

  it('shares a read in flight instead of asking twice (j, k, j)', async () => {
    addRequest('r-1');
    addRequest('r-2');
    fake.hold = true;
    const store = useDetailStore();
    const one = store.show('r-1');
    const two = store.show('r-2');
    const three = store.show('r-1');
    expect(requestCalls()).toEqual(['r-1', 'r-2']);
    fake.release('r-1');
    fake.release('r-2');
    await Promise.all([one, two, three]);
    expect(store.detail?.request.id).toBe('r-1');
  });

  it(`keeps at most ${DETAIL_CACHE_SIZE} details, dropping the least recently shown`, async () => {
    const store = useDetailStore();
    for (let index = 0; index <= DETAIL_CACHE_SIZE; index += 1) {
      addRequest(`r-${index}`);
      await store.show(`r-${index}`);
    }
    const cached = store.cachedIds();
    expect(cached).toHaveLength(DETAIL_CACHE_SIZE);
    expect(cached).not.toContain('r-0');
    expect(cached.at(-1)).toBe(`r-${DETAIL_CACHE_SIZE}`);
  });

  it('refreshes the shown request on queue and outbox changes, and stops when unsubscribed', async () => {
    addRequest('r-1', 'before');
    const store = useDetailStore();
    const stop = store.follow();
    await store.show('r-1');
    fake.details.set('r-1', makeDetail({ request: { id: 'r-1', buyerMessage: 'after the sync' } }));
    fake.emit('queue.changed', { counts: {} });
    await flushPromises();
    expect(store.detail?.request.buyerMessage).toBe('after the sync');

    fake.details.set('r-1', makeDetail({ request: { id: 'r-1', buyerMessage: 'after the outbox' }, detail: { local: null } }));
    fake.emit('outbox.changed', { pending: 0, failed: [], conflicts: 0, unknown: [], refundsPending: [], refundsFailed: [] });
    await flushPromises();
    expect(store.detail?.request.buyerMessage).toBe('after the outbox');

    stop();
    expect(fake.listenerCount('queue.changed')).toBe(0);
    expect(fake.listenerCount('outbox.changed')).toBe(0);
  });

  it('drops cached details on a change, so a request shown again is not stale', async () => {
    addRequest('r-1', 'cached');
    addRequest('r-2');
    const store = useDetailStore();
    const stop = store.follow();
    await store.show('r-1');
    await store.show('r-2');
    fake.emit('queue.changed', { counts: {} });
    await flushPromises();
    expect(store.cachedIds()).toEqual(['r-2']);
    stop();
  });

  it('reports an error with its code, and Retry loads again', async () => {
    const store = useDetailStore();
    await store.show('r-9');
    expect(store.detail).toBeNull();
    expect(store.loading).toBe(false);
    expect(store.error).toEqual({ code: 'requests.not_found', message: 'No request r-9.' });
    addRequest('r-9');
    await store.refresh();
    expect(store.error).toBeNull();
    expect(store.detail?.request.id).toBe('r-9');
  });

  it('downloads evidence as blob URLs and revokes them once the request is no longer shown', async () => {
    let made = 0;
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:test/${++made}`);
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    addRequest('r-1', 'with photos', 2);
    addRequest('r-2');
    const store = useDetailStore();
    await store.show('r-1');
    await flushPromises();
    expect(create).toHaveBeenCalledTimes(2);
    const blob = create.mock.calls[0]?.[0];
    expect(blob).toBeInstanceOf(Blob);
    expect((blob as Blob).type).toBe('image/png');
    expect(store.evidence['r-1-ev-1']).toEqual({ status: 'ready', url: 'blob:test/1', contentType: 'image/png' });

    await store.show('r-2');
    expect(revoke.mock.calls.map(([url]) => url).sort()).toEqual(['blob:test/1', 'blob:test/2']);
    expect(store.evidence).toEqual({});
  });

  it('revokes a URL that arrives after its request was left, and everything on dispose', async () => {
    let made = 0;
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:test/${++made}`);
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    addRequest('r-1', 'with photos', 1);
    addRequest('r-2', 'with photos too', 1);
    const store = useDetailStore();
    await store.show('r-1');
    // The evidence download for r-1 is still out when r-2 is shown.
    void store.show('r-2');
    await flushPromises();
    expect(revoke).toHaveBeenCalledWith('blob:test/1');
    expect(Object.keys(store.evidence)).toEqual(['r-2-ev-1']);
    store.dispose();
    expect(revoke).toHaveBeenCalledWith('blob:test/2');
    expect(store.evidence).toEqual({});
  });

  it('does not make object URLs for evidence that is not an image', async () => {
    const create = vi.spyOn(URL, 'createObjectURL');
    addRequest('r-1', 'a video', 1);
    fake.evidence.set('r-1-ev-1', { contentType: 'video/mp4', dataBase64: btoa('mp4'), fetchedAt: '2026-11-26T09:00:00.000Z' });
    const store = useDetailStore();
    await store.show('r-1');
    await flushPromises();
    expect(create).not.toHaveBeenCalled();
    expect(store.evidence['r-1-ev-1']).toEqual({ status: 'unsupported', contentType: 'video/mp4' });
  });
});
