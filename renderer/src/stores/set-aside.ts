import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SetAsideList } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';

/** How many records the dialog lists (the newest); the CSV holds them all. */
export const SET_ASIDE_LIST_LIMIT = 200;

/** Records the marketplace sent malformed, kept aside at sync: the status bar's "set aside" list. */
export const useSetAsideStore = defineStore('set-aside', () => {
  const list = ref<SetAsideList | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      list.value = unwrap(await getDesk().listSetAside({ limit: SET_ASIDE_LIST_LIMIT }));
      error.value = null;
    } catch (caught) {
      error.value = caught instanceof Error ? caught.message : String(caught);
    } finally {
      loading.value = false;
    }
  }

  return { list, error, loading, load };
});
