import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { getDesk, unwrap } from '../api/desk';
import { bytesToBase64, checkPhotoFile, type PhotoLimits } from '../components/dialogs/photos';

/** One photo in the open refuse or offer dialog. */
export interface PhotoItem {
  readonly key: number;
  readonly fileName: string;
  readonly bytes: number;
  /** sending: being checked and stored by the backend; attached: it goes with the decision. */
  readonly status: 'sending' | 'attached';
  readonly attachmentId: string | null;
  /** An object URL of the file the seller picked (the thumbnail); null where the browser has none. */
  readonly previewUrl: string | null;
}

/** A file that was not attached, and why (one sentence per file). */
export interface PhotoProblem {
  readonly key: number;
  readonly message: string;
}

function messageOf(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}

/**
 * The photos of the refuse or offer dialog for one request: each file checked here, then stored
 * by the backend (evidence.attach) until the decision names them; removed again (evidence.detach)
 * when the seller takes one out or cancels the dialog. Thin: the checks are photos.ts's.
 */
export const usePhotosStore = defineStore('photos', () => {
  const requestId = ref<string | null>(null);
  const limits = shallowRef<PhotoLimits | null>(null);
  const items = ref<PhotoItem[]>([]);
  const problems = ref<PhotoProblem[]>([]);
  let nextKey = 1;

  const attachmentIds = computed(() => items.value.flatMap((item) => (item.status === 'attached' && item.attachmentId !== null ? [item.attachmentId] : [])));
  const sending = computed(() => items.value.some((item) => item.status === 'sending'));
  const full = computed(() => limits.value !== null && items.value.length >= limits.value.maxFiles);

  function reset(): void {
    for (const item of items.value) if (item.previewUrl !== null) URL.revokeObjectURL(item.previewUrl);
    items.value = [];
    problems.value = [];
  }

  /** A dialog opens for this request (null limits: its marketplace takes no photos). */
  function open(id: string, photoLimits: PhotoLimits | null): void {
    reset();
    requestId.value = id;
    limits.value = photoLimits;
  }

  function replace(key: number, next: PhotoItem | null): void {
    items.value = next === null ? items.value.filter((item) => item.key !== key) : items.value.map((item) => (item.key === key ? next : item));
  }

  /** Picked or dropped files, one after the other: each refused with its sentence, or attached. */
  async function add(files: readonly File[]): Promise<void> {
    problems.value = [];
    for (const file of files) {
      const current = limits.value;
      const id = requestId.value;
      if (current === null || id === null) return;
      const key = nextKey++;
      if (items.value.length >= current.maxFiles) {
        const most = current.maxFiles === 1 ? 'one photo' : `${current.maxFiles} photos`;
        problems.value = [...problems.value, { key, message: `${file.name} was not added: ${current.marketplace} takes at most ${most} with a decision.` }];
        continue;
      }
      const check = await checkPhotoFile(file, current);
      if (!check.ok) {
        problems.value = [...problems.value, { key, message: check.message }];
        continue;
      }
      items.value = [...items.value, { key, fileName: file.name, bytes: file.size, status: 'sending', attachmentId: null, previewUrl: null }];
      try {
        const dataBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
        const attached = unwrap(await getDesk().attachEvidence({ requestId: id, fileName: file.name, dataBase64 }));
        // The dialog may have closed meanwhile: then the photo goes again at once.
        if (requestId.value !== id || !items.value.some((item) => item.key === key)) {
          await getDesk().detachEvidence({ attachmentId: attached.attachmentId });
          continue;
        }
        const previewUrl = typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null;
        replace(key, { key, fileName: attached.fileName, bytes: attached.bytes, status: 'attached', attachmentId: attached.attachmentId, previewUrl });
      } catch (caught) {
        replace(key, null);
        problems.value = [...problems.value, { key, message: messageOf(caught) }];
      }
    }
  }

  /** The seller takes a photo out: it is removed from the backend, then from the list. */
  async function remove(key: number): Promise<void> {
    const item = items.value.find((candidate) => candidate.key === key);
    if (item === undefined || item.status !== 'attached' || item.attachmentId === null) return;
    try {
      unwrap(await getDesk().detachEvidence({ attachmentId: item.attachmentId }));
    } catch (caught) {
      problems.value = [{ key, message: `${item.fileName} was not removed: ${messageOf(caught)}` }];
      return;
    }
    if (item.previewUrl !== null) URL.revokeObjectURL(item.previewUrl);
    replace(key, null);
  }

  /** The dialog was cancelled (or its decision failed): every attached photo is removed again. */
  async function discard(): Promise<void> {
    const ids = attachmentIds.value;
    reset();
    requestId.value = null;
    limits.value = null;
    // Best effort: a photo left behind is never sent, since no decision names it.
    await Promise.all(ids.map((attachmentId) => getDesk().detachEvidence({ attachmentId })));
  }

  /** The decision took the photos: the list is cleared, the photos stay with it. */
  function settle(): void {
    reset();
    requestId.value = null;
    limits.value = null;
  }

  return { requestId, limits, items, problems, attachmentIds, sending, full, open, add, remove, discard, settle };
});
