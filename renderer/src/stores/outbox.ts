import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { OutboxSummary } from '../../../shared/ipc/contract';
import { getDesk, unwrap } from '../api/desk';

/** Decisions on their way to the marketplace: pending, failed (retryable), conflicts, refunds. */
export const useOutboxStore = defineStore('outbox', () => {
  const summary = ref<OutboxSummary | null>(null);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    try {
      summary.value = unwrap(await getDesk().getOutbox({}));
      error.value = null;
    } catch (caught) {
      error.value = caught instanceof Error ? caught.message : String(caught);
    }
  }

  async function retry(outboxId: string): Promise<void> {
    unwrap(await getDesk().retryOutbox({ outboxId }));
    await load();
  }

  /** A decision the marketplace could not say it applied: the seller checked and settles it. */
  async function resolve(outboxId: string, resolution: 'mark_sent' | 'send_again'): Promise<void> {
    unwrap(await getDesk().resolveOutbox({ outboxId, resolution }));
    await load();
  }

  async function retryRefund(requestId: string): Promise<void> {
    unwrap(await getDesk().retryRefund({ requestId }));
    await load();
  }

  function follow(): () => void {
    return getDesk().onOutboxChanged((next) => {
      summary.value = next;
    });
  }

  return { summary, error, load, retry, resolve, retryRefund, follow };
});
