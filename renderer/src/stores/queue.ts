import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ViewId } from '../../../shared/domain/views';
import type { QueueRow, ViewCounts } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';

const PAGE_SIZE = 200;

/** The queue as the screen shows it: one view, its rows, and the counts of every view. */
export const useQueueStore = defineStore('queue', () => {
  const view = ref<ViewId>('needs_reply');
  const rows = ref<QueueRow[]>([]);
  const total = ref(0);
  const nextCursor = ref<string | null>(null);
  const counts = ref<ViewCounts | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    try {
      const page = unwrap(await getDesk().listQueue({ view: view.value, limit: PAGE_SIZE }));
      if (mine !== generation) return;
      rows.value = page.rows;
      total.value = page.total;
      nextCursor.value = page.nextCursor;
      error.value = null;
    } catch (caught) {
      if (mine === generation) error.value = caught instanceof Error ? caught.message : String(caught);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Appends the next page of the current view. */
  async function loadMore(): Promise<void> {
    const cursor = nextCursor.value;
    if (cursor === null) return;
    const mine = generation;
    const page = unwrap(await getDesk().listQueue({ view: view.value, limit: PAGE_SIZE, cursor }));
    if (mine !== generation) return;
    rows.value = [...rows.value, ...page.rows];
    total.value = page.total;
    nextCursor.value = page.nextCursor;
  }

  async function loadCounts(): Promise<void> {
    counts.value = unwrap(await getDesk().getViewCounts({}));
  }

  function show(next: ViewId): Promise<void> {
    view.value = next;
    rows.value = [];
    return load();
  }

  /** Keeps rows and counts live; returns the unsubscribe function. */
  function follow(): () => void {
    return getDesk().onQueueChanged((payload) => {
      counts.value = payload.counts;
      void load();
    });
  }

  return { view, rows, total, nextCursor, counts, loading, error, load, loadMore, loadCounts, show, follow };
});
