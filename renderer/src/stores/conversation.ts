import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { instantMs } from '../../../shared/domain/time';
import type { Thread } from '../../../shared/ipc/contract';
import { DEFAULT_MESSAGE_TEMPLATES, fillTemplate, type MessageTemplate } from '../../../shared/messages/templates';
import { DeskCallError, getDesk, unwrap } from '../api/desk';
import { getTimeZone } from '../clock';
import { useDecisionsStore } from './decisions';
import { useDetailStore } from './detail';
import { useQueueStore } from './queue';
import { useUiStore } from './ui';

/** The reply dialog: which request, what its marketplace takes, and the templates filled for it. */
export interface ReplyDialog {
  readonly requestId: string;
  readonly orderId: string;
  readonly marketplace: Thread['marketplace'];
  /** The seller's templates with their placeholders filled for this request. */
  readonly templates: readonly MessageTemplate[];
}

function messageOf(caught: unknown): string {
  return caught instanceof DeskCallError || caught instanceof Error ? caught.message : String(caught);
}

/**
 * The conversation with the buyer of the request shown in the detail pane, and the reply dialog
 * (m). Thin: the backend keeps the thread and the outbox; the rules (shared/rules/message.ts)
 * check a reply; this store loads, sends and hands the undo to the decisions' toast (z).
 */
export const useConversationStore = defineStore('conversation', () => {
  const requestId = ref<string | null>(null);
  const thread = shallowRef<Thread | null>(null);
  const error = ref<string | null>(null);
  const dialog = shallowRef<ReplyDialog | null>(null);
  const sending = ref(false);
  /** The latest load: an older answer (j/k moved on) never replaces it. */
  let seq = 0;

  async function load(id: string | null): Promise<void> {
    const mine = ++seq;
    if (id !== requestId.value) {
      requestId.value = id;
      thread.value = null;
      error.value = null;
    }
    if (id === null) return;
    try {
      const answer = unwrap(await getDesk().listMessages({ requestId: id }));
      if (mine !== seq) return;
      thread.value = answer;
      error.value = null;
    } catch (caught) {
      if (mine === seq) error.value = messageOf(caught);
    }
  }

  function refresh(): Promise<void> {
    return load(requestId.value);
  }

  /** Reloads the shown thread on queue and outbox changes (a sync, a delivery); returns the unsubscribe. */
  function follow(): () => void {
    const again = (): void => void refresh();
    const stops = [getDesk().onQueueChanged(again), getDesk().onOutboxChanged(again)];
    return () => stops.forEach((stop) => stop());
  }

  /** m: the reply dialog for the focused request, its templates filled for it. */
  async function openReply(): Promise<void> {
    const focused = useQueueStore().focused;
    if (focused === null) return;
    const ui = useUiStore();
    const answer = unwrap(await getDesk().listMessages({ requestId: focused.requestId }));
    if (!answer.marketplace.messages) {
      ui.notify(`${answer.marketplace.name} does not take messages to buyers from Cancel Desk; write to the buyer there.`, 'error');
      return;
    }
    const shown = useDetailStore().detail;
    const order = shown?.request.id === focused.requestId ? shown.order : null;
    const context = {
      orderId: focused.orderId,
      amount: focused.amount,
      // The proof due date once proof was asked; until then, the date the seller must answer by.
      dueAt: focused.proofDueAt ?? focused.respondBy,
      buyerName: order?.buyer.name ?? focused.buyerName,
    };
    const format = { locale: navigator.language, timeZone: getTimeZone() };
    // The request's store's templates (its own, or the seller's), as the backend gives them.
    const templates = (answer.templates ?? DEFAULT_MESSAGE_TEMPLATES).map((template) => ({ name: template.name, text: fillTemplate(template.text, context, format) }));
    dialog.value = { requestId: focused.requestId, orderId: focused.orderId, marketplace: answer.marketplace, templates };
  }

  /** Sends the reply: it shows at once as pending, and z takes it back while its window is open. */
  async function send(text: string): Promise<void> {
    const current = dialog.value;
    if (current === null || sending.value) return;
    sending.value = true;
    try {
      const sent = unwrap(await getDesk().sendMessage({ requestId: current.requestId, text }));
      dialog.value = null;
      useDecisionsStore().lastDecision = { batchIds: [sent.batchId], undoUntil: instantMs(sent.undoUntil), summary: 'Message to the buyer: written' };
      if (requestId.value === current.requestId && thread.value !== null) {
        thread.value = { ...thread.value, messages: [...thread.value.messages, sent.message] };
      }
      void refresh();
    } finally {
      sending.value = false;
    }
  }

  function cancel(): void {
    if (!sending.value) dialog.value = null;
  }

  return { requestId, thread, error, dialog, sending, load, refresh, follow, openReply, send, cancel };
});
