import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatus } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';

export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);

  async function load(): Promise<void> {
    status.value = unwrap(await getDesk().getSyncStatus({}));
  }

  async function syncNow(): Promise<void> {
    status.value = unwrap(await getDesk().syncNow({}));
  }

  function follow(): () => void {
    return getDesk().onSyncStatus((next) => {
      status.value = next;
    });
  }

  return { status, load, syncNow, follow };
});
