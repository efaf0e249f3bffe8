import { nextTick, watch, type Ref } from 'vue';

/**
 * Shows a native `<dialog>` as a modal while `open()` is true (focus trapped, the page behind
 * inert) and closes it when it turns false; `focusFirst` runs once it is shown. The browser puts
 * the focus back where it was when the dialog closes.
 */
export function useDialogOpen(dialog: Ref<HTMLDialogElement | null>, open: () => boolean, focusFirst: () => void): void {
  watch(
    open,
    async (isOpen) => {
      const element = dialog.value;
      if (element === null) return;
      if (isOpen && !element.open) {
        element.showModal();
        await nextTick();
        focusFirst();
      } else if (!isOpen && element.open) {
        element.close();
      }
    },
    { flush: 'post' },
  );
}
