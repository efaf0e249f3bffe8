import { defineStore } from 'pinia';
import { ref } from 'vue';

export type NoticeTone = 'info' | 'error';
export interface Notice {
  readonly id: number;
  readonly tone: NoticeTone;
  readonly text: string;
}

/** How long an information notice stays (errors stay until dismissed). */
const INFO_NOTICE_MS = 6_000;

/** Which overlay is open, what the screen announces, and requests to move the focus. */
export const useUiStore = defineStore('ui', () => {
  const paletteOpen = ref(false);
  const helpOpen = ref(false);
  const settingsOpen = ref(false);
  const outboxOpen = ref(false);
  /** The list of records set aside at sync (from the status bar). */
  const setAsideOpen = ref(false);
  /** Enter/o: the detail of the focused request takes the keyboard (and the width). */
  const detailOpen = ref(false);
  /** Insights take the place of the queue and the detail (g i; Esc or any view goes back). */
  const insightsOpen = ref(false);
  /** Bumped to ask the search field to take the focus. */
  const searchFocusRequests = ref(0);
  /** Bumped to ask the queue to take the focus back (after Esc, after a dialog). */
  const queueFocusRequests = ref(0);
  const notices = ref<Notice[]>([]);
  let nextNotice = 1;

  /** Shows a notice; information fades after a while, errors stay until dismissed. */
  function notify(text: string, tone: NoticeTone = 'info'): void {
    const notice = { id: nextNotice++, tone, text };
    notices.value = [...notices.value.slice(-3), notice];
    if (tone === 'info') setTimeout(() => dismiss(notice.id), INFO_NOTICE_MS);
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((notice) => notice.id !== id);
  }

  /** Whether something modal owns the keyboard. */
  function overlayOpen(): boolean {
    return paletteOpen.value || helpOpen.value || settingsOpen.value || outboxOpen.value || setAsideOpen.value;
  }

  function closeOverlays(): boolean {
    const any = overlayOpen();
    paletteOpen.value = false;
    helpOpen.value = false;
    settingsOpen.value = false;
    outboxOpen.value = false;
    setAsideOpen.value = false;
    return any;
  }

  return {
    paletteOpen,
    helpOpen,
    settingsOpen,
    outboxOpen,
    setAsideOpen,
    detailOpen,
    insightsOpen,
    searchFocusRequests,
    queueFocusRequests,
    notices,
    notify,
    dismiss,
    overlayOpen,
    closeOverlays,
  };
});
