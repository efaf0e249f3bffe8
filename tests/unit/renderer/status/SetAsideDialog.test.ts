import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskError } from '../../../../shared/errors';
import type { SetAsideList, SetAsideRecord, SyncStatus } from '../../../../shared/ipc/contract';
import { setDesk } from '../../../../renderer/src/api/desk';
import SetAsideDialog from '../../../../renderer/src/components/status/SetAsideDialog.vue';
import StatusBar from '../../../../renderer/src/components/status/StatusBar.vue';
import { SET_ASIDE_LIST_LIMIT } from '../../../../renderer/src/stores/set-aside';
import { useSyncStore } from '../../../../renderer/src/stores/sync';
import { useUiStore } from '../../../../renderer/src/stores/ui';
import { at } from '../detail/fakes';
import { createFakeDesk, type FakeDesk } from '../fake-desk';

/** An id as a hostile marketplace might send it: right-to-left override inside. */
const HOSTILE_ID = 'o-\u202Egnp.exe';

const record = (overrides: Partial<SetAsideRecord> = {}): SetAsideRecord => ({
  seq: 1,
  resource: 'orders',
  recordId: 'o-1',
  reason: 'buyer.name: Too big: expected string to have <=200 characters',
  excerpt: '{"id":"o-1","buyer":{"name":"xxxxxxxx',
  receivedAt: at(-60_000),
  requestIds: ['r-1'],
  ...overrides,
});

const status = (quarantined: number): SyncStatus => ({
  state: 'idle',
  marketplaceUrl: 'http://m',
  lastSyncAt: at(0),
  nextAttemptAt: null,
  message: null,
  progress: null,
  quarantined,
});

let desk: FakeDesk;
/** What quarantine.list answers now (the backend's list). */
let list: SetAsideList;

beforeEach(() => {
  setActivePinia(createPinia());
  list = {
    total: 2,
    records: [record({ seq: 2, recordId: HOSTILE_ID, requestIds: [], excerpt: `{"id":"${HOSTILE_ID}"}` }), record()],
  };
  desk = createFakeDesk({
    status: status(2),
    more: {
      'quarantine.list': () => structuredClone(list),
      'quarantine.exportCsv': { fileName: 'cancel-desk-set-aside-2026-11-26T09-30-00.csv', csv: '\uFEFFresource,id\r\norder,o-1\r\n', rows: 1 },
    },
  });
  setDesk(desk.api);
});
enableAutoUnmount(afterEach);

async function openDialog(): Promise<VueWrapper> {
  const wrapper = mount(SetAsideDialog, { props: { open: false }, attachTo: document.body });
  await wrapper.setProps({ open: true });
  await flushPromises();
  return wrapper;
}

describe('the status bar entry for records set aside', () => {
  it('counts them and opens the list; nothing shows when none are set aside', async () => {
    const sync = useSyncStore();
    sync.status = status(1);
    const bar = mount(StatusBar);
    const entry = bar.find('[data-testid="set-aside-status"]');
    expect(entry.element.tagName).toBe('BUTTON');
    expect(entry.text()).toBe('1 record set aside — review');
    sync.status = status(1204);
    await flushPromises();
    expect(bar.find('[data-testid="set-aside-status"]').text()).toBe(`${new Intl.NumberFormat(navigator.language).format(1204)} records set aside — review`);
    await bar.find('[data-testid="set-aside-status"]').trigger('click');
    expect(useUiStore().setAsideOpen).toBe(true);
    // A modal owns the keyboard while it is open, and Esc closes it like the others.
    expect(useUiStore().overlayOpen()).toBe(true);
    expect(useUiStore().closeOverlays()).toBe(true);
    expect(useUiStore().setAsideOpen).toBe(false);
    sync.status = status(0);
    await flushPromises();
    expect(bar.find('[data-testid="set-aside-status"]').exists()).toBe(false);
  });
});

describe('the list of records set aside', () => {
  it('opens as a modal and lists resource, id, why, the record as received, when, and what it holds back', async () => {
    const wrapper = await openDialog();
    expect((wrapper.find('dialog').element as HTMLDialogElement).open).toBe(true);
    expect(desk.inputsOf('quarantine.list')).toEqual([{ limit: SET_ASIDE_LIST_LIMIT }]);
    const rows = wrapper.findAll('tr.set-aside-row');
    expect(rows).toHaveLength(2);
    const [hostile, order] = rows;
    expect(order?.find('.set-aside-resource').text()).toBe('Order');
    expect(order?.find('.set-aside-id').text()).toBe('o-1');
    expect(order?.find('.set-aside-reason').text()).toBe('buyer.name: Too big: expected string to have <=200 characters');
    expect(order?.find('.set-aside-excerpt pre').text()).toBe('{"id":"o-1","buyer":{"name":"xxxxxxxx');
    expect(order?.find('time').attributes('datetime')).toBe(at(-60_000));
    expect(order?.find('.set-aside-held').text()).toContain('Holds back Request r-1');
    // Untrusted text is plain text, isolated for bidi.
    expect(hostile?.find('.set-aside-id').element.tagName).toBe('BDI');
    expect(hostile?.find('.set-aside-id').text()).toBe(HOSTILE_ID);
    expect(hostile?.find('.set-aside-reason').element.tagName).toBe('BDI');
    expect(hostile?.find('.set-aside-excerpt pre').attributes('dir')).toBe('auto');
    expect(hostile?.find('.set-aside-held').exists()).toBe(false);
  });

  it('follows the sync while open: a record that arrives valid leaves the list', async () => {
    const wrapper = await openDialog();
    expect(wrapper.findAll('tr.set-aside-row')).toHaveLength(2);
    const stop = useSyncStore().follow();
    // The next pass receives o-1 valid: the backend's list and count drop it.
    list = { total: 1, records: list.records.slice(0, 1) };
    desk.emit('sync.status', status(1));
    await flushPromises();
    expect(wrapper.findAll('tr.set-aside-row').map((row) => row.find('.set-aside-id').text())).toEqual([HOSTILE_ID]);
    list = { total: 0, records: [] };
    desk.emit('sync.status', status(0));
    await flushPromises();
    expect(wrapper.findAll('tr.set-aside-row')).toHaveLength(0);
    expect(wrapper.text()).toContain('Nothing is set aside.');
    expect(wrapper.find('button.button').attributes('disabled')).toBeDefined();
    stop();
  });

  it('says when only the newest are listed', async () => {
    list = { total: 950, records: list.records };
    const wrapper = await openDialog();
    expect(wrapper.find('.set-aside-more').text()).toBe(`The newest 2 of ${new Intl.NumberFormat(navigator.language).format(950)} are listed; the CSV holds them all.`);
  });

  it('exports the CSV the backend writes and says so', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:test';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicks: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    try {
      const wrapper = await openDialog();
      const exportButton = wrapper.findAll('button').find((button) => button.text() === 'Export CSV');
      await exportButton?.trigger('click');
      await flushPromises();
      await vi.waitFor(() => expect(revoke).toHaveBeenCalledWith('blob:test'));
      expect(desk.inputsOf('quarantine.exportCsv')).toEqual([{}]);
      expect(clicks).toEqual(['cancel-desk-set-aside-2026-11-26T09-30-00.csv']);
      expect([...new Uint8Array((await created[0]?.arrayBuffer()) ?? new ArrayBuffer(0)).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(useUiStore().notices.map((notice) => notice.text)).toEqual(['Exported 1 row to cancel-desk-set-aside-2026-11-26T09-30-00.csv.']);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('shows the requests an order holds back in the queue, searched by its id in all views', async () => {
    const wrapper = await openDialog();
    await wrapper.find('tr.set-aside-row[data-resource="orders"]:last-child .set-aside-show').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('close')).toHaveLength(1);
    expect(desk.inputsOf('queue.list').at(-1)).toMatchObject({ view: 'all', search: 'o-1' });
  });

  it('says what failed when the list cannot be read', async () => {
    desk.answer('quarantine.list', () => {
      throw new DeskError('not_ready', 'The cache is still opening; try again in a moment.');
    });
    const wrapper = await openDialog();
    expect(wrapper.find('[role="alert"]').text()).toContain('The cache is still opening');
  });
});
