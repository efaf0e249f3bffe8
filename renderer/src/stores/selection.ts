import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { MAX_BATCH } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';
import { useQueueStore } from './queue';

/**
 * The requests picked for a bulk action: x toggles, Shift+j/k and Shift+click extend, select all
 * takes the whole view (up to a batch). Cleared when the view, sort, search or store filter changes.
 */
export const useSelectionStore = defineStore('selection', () => {
  const ids = ref<ReadonlySet<string>>(new Set());
  /** Where a Shift+click range starts. */
  const anchor = ref<number | null>(null);
  /** The view had more requests than one batch holds when all were selected. */
  const cappedFrom = ref<number | null>(null);
  const count = computed(() => ids.value.size);

  const has = (id: string): boolean => ids.value.has(id);

  function replace(next: Set<string>): void {
    ids.value = next;
    cappedFrom.value = null;
  }

  function clear(): void {
    replace(new Set());
    anchor.value = null;
  }

  function toggle(id: string, index: number): void {
    const next = new Set(ids.value);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    replace(next);
    anchor.value = index;
  }

  function add(rowIds: readonly string[]): void {
    const next = new Set(ids.value);
    for (const id of rowIds) next.add(id);
    replace(next);
  }

  /** Shift+j / Shift+k: the focused row and the next one in that direction join the selection. */
  function extend(direction: 1 | -1): void {
    const queue = useQueueStore();
    const from = queue.focused;
    if (from === null) return;
    queue.moveFocus(direction);
    const to = queue.focused;
    add([from.requestId, ...(to === null ? [] : [to.requestId])]);
    anchor.value ??= queue.focusIndex;
  }

  /** Shift+click: every loaded row between the anchor and this one. */
  function extendTo(index: number): void {
    const queue = useQueueStore();
    const start = anchor.value ?? queue.focusIndex;
    const [low, high] = start <= index ? [start, index] : [index, start];
    const range: string[] = [];
    for (let position = low; position <= high; position += 1) {
      const row = queue.rowAt(position);
      if (row !== undefined) range.push(row.requestId);
    }
    add(range);
  }

  /** Every request of the view (or the search; of the filtered store), in its order, up to one batch. */
  async function selectAll(): Promise<void> {
    const queue = useQueueStore();
    const answer = unwrap(await getDesk().listQueueIds(queue.query()));
    ids.value = new Set(answer.ids);
    cappedFrom.value = answer.total > answer.ids.length ? answer.total : null;
  }

  /** Drops ids that are no longer worth keeping (decided and gone from the view). */
  function remove(gone: readonly string[]): void {
    if (gone.length === 0) return;
    const next = new Set(ids.value);
    for (const id of gone) next.delete(id);
    replace(next);
  }

  return { ids, anchor, count, cappedFrom, maxBatch: MAX_BATCH, has, clear, toggle, add, extend, extendTo, selectAll, remove };
});
