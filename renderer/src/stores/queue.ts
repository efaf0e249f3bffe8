import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef, watch } from 'vue';
import { VIEW_IDS, type ViewId } from '../../../shared/domain/views';
import type { QueueRow, QueueSort, ViewCounts } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';
import { getClock } from '../clock';

/** Rows are fetched by pages of this size from any position (a virtual list jumps around). */
export const PAGE_SIZE = 100;
/** Queue changes come in bursts during a sync: each store's counts are read again at most this often. */
export const STORE_COUNTS_DELAY_MS = 500;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The queue as the screen shows it: one view in one sort (and search), of every store or one,
 * read as sparse pages so the virtual list can show any stretch of 100k rows, the focused row,
 * and every view's count (in all and in each store).
 */
export const useQueueStore = defineStore('queue', () => {
  const view = ref<ViewId>('needs_reply');
  const sort = ref<QueueSort>('time_left');
  const search = ref('');
  /** The store the queue is filtered by; null: every store. */
  const storeId = ref<string | null>(null);
  const total = ref(0);
  const truncated = ref(false);
  const counts = ref<ViewCounts | null>(null);
  /** Each store's counts per view (queue.storeCounts); a store absent has none. */
  const storeCounts = ref<Readonly<Record<string, ViewCounts>> | null>(null);
  /** The views' counts for what the queue shows: every store's, or the filtered store's. */
  const shownCounts = computed<ViewCounts | null>(() => {
    if (storeId.value === null) return counts.value;
    if (storeCounts.value === null) return null;
    // A store with no request yet is absent from the answer: nothing in any view.
    return storeCounts.value[storeId.value] ?? (Object.fromEntries(VIEW_IDS.map((view) => [view, 0])) as ViewCounts);
  });
  /** The first answer for this view has not come yet. */
  const loading = ref(true);
  const error = ref<string | null>(null);
  /** Position of the focused row in the view. */
  const focusIndex = ref(0);
  /** page number -> rows; replaced wholesale (shallow) so the list repaints once per page. */
  const pages = shallowRef(new Map<number, QueueRow[]>());
  const inFlight = new Map<number, Promise<void>>();
  /** Pages the screen shows now, refetched when the queue changes. */
  let visible: { first: number; last: number } = { first: 0, last: 0 };
  let generation = 0;

  /** Keys pressed while the first page of a view loads wait for it, in order, instead of being lost. */
  const waiting: Array<() => void> = [];
  watch(loading, (isLoading) => {
    if (!isLoading) for (const resolve of waiting.splice(0)) resolve();
  });
  function ready(): Promise<void> {
    return loading.value ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve();
  }

  const rowAt = (index: number): QueueRow | undefined => pages.value.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  const focused = computed<QueueRow | null>(() => rowAt(focusIndex.value) ?? null);

  /** What the queue shows, as every call about it (page, select all, export) names it. */
  function query(): { view: ViewId; sort: QueueSort; search: string; storeId: string | null } {
    return { view: view.value, sort: sort.value, search: search.value, storeId: storeId.value };
  }

  async function fetchPage(page: number, mine: number): Promise<void> {
    const answer = unwrap(await getDesk().listQueue({ ...query(), limit: PAGE_SIZE, offset: page * PAGE_SIZE }));
    if (mine !== generation) return;
    const next = new Map(pages.value);
    next.set(page, answer.rows);
    pages.value = next;
    total.value = answer.total;
    truncated.value = answer.truncated;
    if (focusIndex.value >= answer.total) focusIndex.value = Math.max(0, answer.total - 1);
  }

  function loadPage(page: number, force = false): Promise<void> {
    const running = inFlight.get(page);
    if (running !== undefined && !force) return running;
    if (!force && pages.value.has(page)) return Promise.resolve();
    const mine = generation;
    const work = fetchPage(page, mine)
      .then(() => {
        if (mine === generation) error.value = null;
      })
      .catch((caught: unknown) => {
        if (mine === generation) error.value = message(caught);
      })
      .finally(() => {
        if (inFlight.get(page) === work) inFlight.delete(page);
        if (mine === generation) loading.value = false;
      });
    inFlight.set(page, work);
    return work;
  }

  /**
   * The screen shows rows first..last: make sure their pages are here, and the pages on either
   * side (so a fast scroll or j/k past the edge finds its rows already loaded).
   */
  function ensureRange(first: number, last: number): Promise<void> {
    const firstPage = Math.floor(Math.max(0, first) / PAGE_SIZE);
    const lastPage = Math.floor(Math.max(0, last) / PAGE_SIZE);
    visible = { first: firstPage, last: lastPage };
    const loads: Array<Promise<void>> = [];
    if (firstPage > 0) loads.push(loadPage(firstPage - 1));
    for (let page = firstPage; page <= lastPage + 2; page += 1) {
      if (page > firstPage && page * PAGE_SIZE >= total.value && !loading.value) break;
      loads.push(loadPage(page));
    }
    return Promise.all(loads).then(() => undefined);
  }

  /** Starts over: the view, sort or search changed. */
  function reset(): Promise<void> {
    generation += 1;
    inFlight.clear();
    pages.value = new Map();
    focusIndex.value = 0;
    loading.value = true;
    return ensureRange(0, PAGE_SIZE - 1);
  }

  /**
   * The queue changed under us (a sync, a decision): drop every page and refetch what is on
   * screen, keeping the focus where it is (a decided request leaves the view and the next one
   * slides up under the focus, as in a mail client).
   */
  function refresh(): Promise<void> {
    generation += 1;
    inFlight.clear();
    const mine = generation;
    const keep = visible;
    const fresh = new Map<number, QueueRow[]>();
    const loads: Array<Promise<void>> = [];
    for (let page = keep.first; page <= keep.last + 1; page += 1) {
      loads.push(
        getDesk()
          .listQueue({ ...query(), limit: PAGE_SIZE, offset: page * PAGE_SIZE })
          .then((result) => {
            const answer = unwrap(result);
            if (mine !== generation) return;
            fresh.set(page, answer.rows);
            total.value = answer.total;
            truncated.value = answer.truncated;
          }),
      );
    }
    return Promise.all(loads)
      .then(() => {
        if (mine !== generation) return;
        pages.value = fresh;
        error.value = null;
        // A refresh can overtake the first load after a reset: it answers for it.
        loading.value = false;
        if (focusIndex.value >= total.value) focusIndex.value = Math.max(0, total.value - 1);
      })
      .catch((caught: unknown) => {
        if (mine !== generation) return;
        error.value = message(caught);
        loading.value = false;
      });
  }

  async function loadCounts(): Promise<void> {
    counts.value = unwrap(await getDesk().getViewCounts({}));
  }

  /** Reads each store's counts; counts that cannot be read show as unknown (blank), never as stale ones. */
  async function loadStoreCounts(): Promise<void> {
    try {
      storeCounts.value = unwrap(await getDesk().getStoreCounts({}));
    } catch {
      storeCounts.value = null;
    }
  }

  /**
   * Which store each of these requests is in (a bulk plan's totals per store): from the rows
   * loaded, else the store the queue is filtered by (a selection never outlives the filter), else
   * asked store by store (the ids of this view in each of `storeIds`). Ids found nowhere are absent.
   */
  async function storesOfRequests(ids: readonly string[], storeIds: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(ids);
    const found = new Map<string, string>();
    for (const rows of pages.value.values()) for (const row of rows) if (wanted.has(row.requestId)) found.set(row.requestId, row.storeId);
    const filtered = storeId.value;
    if (filtered !== null) for (const id of wanted) if (!found.has(id)) found.set(id, filtered);
    for (const store of storeIds) {
      if (found.size >= wanted.size) break;
      const answer = unwrap(await getDesk().listQueueIds({ ...query(), storeId: store }));
      for (const id of answer.ids) if (wanted.has(id) && !found.has(id)) found.set(id, store);
    }
    return found;
  }

  /** Only this store's requests (null: every store's). */
  function setStore(next: string | null): Promise<void> {
    if (next === storeId.value) return Promise.resolve();
    storeId.value = next;
    return reset();
  }

  function show(next: ViewId): Promise<void> {
    view.value = next;
    return reset();
  }

  function setSort(next: QueueSort): Promise<void> {
    sort.value = next;
    return reset();
  }

  function setSearch(next: string): Promise<void> {
    // The same search again (Enter after the search already ran) keeps the rows and the focus.
    if (next.trim() === search.value) return Promise.resolve();
    search.value = next.trim();
    return reset();
  }

  function moveFocus(delta: number): void {
    if (total.value === 0) return;
    focusIndex.value = Math.min(total.value - 1, Math.max(0, focusIndex.value + delta));
  }

  function focusAt(index: number): void {
    if (total.value === 0) return;
    focusIndex.value = Math.min(total.value - 1, Math.max(0, index));
  }

  /**
   * Keeps rows and counts live; returns the unsubscribe function. The event carries the views'
   * counts; each store's are read again after a burst of changes settles (STORE_COUNTS_DELAY_MS).
   */
  function follow(): () => void {
    let cancelStoreCounts: (() => void) | null = null;
    const unsubscribe = getDesk().onQueueChanged((payload) => {
      counts.value = payload.counts;
      void refresh();
      cancelStoreCounts ??= getClock().setTimer(STORE_COUNTS_DELAY_MS, () => {
        cancelStoreCounts = null;
        void loadStoreCounts();
      });
    });
    return () => {
      unsubscribe();
      cancelStoreCounts?.();
    };
  }

  /** For the list to repaint after rows changed in place. */
  function touch(): void {
    triggerRef(pages);
  }

  return {
    view,
    sort,
    search,
    storeId,
    total,
    truncated,
    counts,
    storeCounts,
    shownCounts,
    query,
    loading,
    error,
    focusIndex,
    focused,
    pages,
    rowAt,
    ready,
    ensureRange,
    reset,
    refresh,
    loadCounts,
    loadStoreCounts,
    setStore,
    storesOfRequests,
    show,
    setSort,
    setSearch,
    moveFocus,
    focusAt,
    follow,
    touch,
  };
});
