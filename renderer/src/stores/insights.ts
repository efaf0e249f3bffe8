import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Insights } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';
import { getClock } from '../clock';
import { DEFAULT_PRESET, presetRange, type DayRange } from '../components/insights/range';

/** A buyer is a repeat canceller with more than this many requests in the range. */
export const REPEAT_MORE_THAN = 2;
/** Queue changes come in bursts during a sync: refresh the figures at most this often. */
export const REFRESH_THROTTLE_MS = 3_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Insights as the screen shows them: the range and store asked for, and the backend's figures. */
export const useInsightsStore = defineStore('insights', () => {
  const range = ref<DayRange>(presetRange(DEFAULT_PRESET, getClock().now()));
  const storeId = ref<string | null>(null);
  const figures = shallowRef<Insights | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;
  let lastLoadAt = Number.NEGATIVE_INFINITY;

  /** Asks for the figures of the current range and store; an older answer never wins over a newer one. */
  async function load(): Promise<void> {
    generation += 1;
    const mine = generation;
    loading.value = true;
    lastLoadAt = getClock().now();
    try {
      const answer = unwrap(
        await getDesk().getInsights({ from: range.value.from, to: range.value.to, storeId: storeId.value, repeatMoreThan: REPEAT_MORE_THAN }),
      );
      if (mine !== generation) return;
      figures.value = answer;
      error.value = null;
    } catch (caught) {
      if (mine === generation) error.value = message(caught);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function setRange(next: DayRange): Promise<void> {
    range.value = next;
    return load();
  }

  function setStore(next: string | null): Promise<void> {
    storeId.value = next;
    return load();
  }

  /**
   * Refreshes on queue changes while `shown()` (at most every `throttleMs`, the last change
   * always counted); returns the function that stops following.
   */
  function follow(shown: () => boolean, throttleMs = REFRESH_THROTTLE_MS): () => void {
    let cancelTimer: (() => void) | null = null;
    const refresh = (): void => {
      cancelTimer = null;
      if (shown()) void load();
    };
    const unsubscribe = getDesk().onQueueChanged(() => {
      if (!shown() || cancelTimer !== null) return;
      const wait = lastLoadAt + throttleMs - getClock().now();
      if (wait <= 0) refresh();
      else cancelTimer = getClock().setTimer(wait, refresh);
    });
    return () => {
      unsubscribe();
      cancelTimer?.();
    };
  }

  return { range, storeId, figures, loading, error, load, setRange, setStore, follow };
});
