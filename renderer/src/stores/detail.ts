import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Evidence } from '../../../shared/domain/request';
import type { RequestDetail } from '../../../shared/ipc/contract';
import { DeskCallError, getDesk, unwrap } from '../api/desk';

/** How many details stay cached, most recently shown kept (j/k back over them shows at once). */
export const DETAIL_CACHE_SIZE = 50;

/** A failed call, as the pane shows it. */
export interface DetailError {
  readonly code: string;
  readonly message: string;
}

/** One evidence file of the shown request: its object URL once downloaded, or why there is none. */
export type EvidenceImage =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly url: string; readonly contentType: string }
  /** Not an image (a video, say): the CSP allows `blob:` for img-src only. */
  | { readonly status: 'unsupported'; readonly contentType: string }
  | { readonly status: 'error'; readonly message: string };

interface CacheEntry {
  readonly detail: RequestDetail;
  /** The call sequence number that produced it: an older answer never replaces a newer one. */
  readonly seq: number;
}

function errorOf(caught: unknown): DetailError {
  if (caught instanceof DeskCallError) return { code: caught.code, message: caught.message };
  return { code: 'renderer.unexpected', message: caught instanceof Error ? caught.message : String(caught) };
}

function bytesOf(dataBase64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(dataBase64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * The detail pane's data: the request that has focus in the queue, read through `requests.get`.
 * `show` is called on every j/k, so it is cheap: a cached detail shows at once and is refreshed
 * in the background, identical calls in flight are shared, and an answer for an id that is no
 * longer shown never replaces the newer one.
 */
export const useDetailStore = defineStore('detail', () => {
  const requestId = ref<string | null>(null);
  const detail = shallowRef<RequestDetail | null>(null);
  /** True while the shown request has no detail yet (a first load, not a background refresh). */
  const loading = ref(false);
  const error = shallowRef<DetailError | null>(null);
  /** Evidence of the shown request by evidence id. */
  const evidence = shallowRef<Readonly<Record<string, EvidenceImage>>>({});

  const cache = new Map<string, CacheEntry>();
  /** Calls in flight per request id, with the change epoch they started in. */
  const inFlight = new Map<string, { epoch: number; seq: number; promise: Promise<void> }>();
  /** Bumped on every queue or outbox change: a call started before it may hold old data. */
  let epoch = 0;
  /**
   * Every call gets the next sequence number (the generation): an answer is shown only while its
   * request is the shown one and no later call for it has answered, so out-of-order answers
   * (a slow read of an id left behind by j/k, a refresh racing an older read) never win.
   */
  let seq = 0;

  function remember(id: string, entry: CacheEntry): void {
    const current = cache.get(id);
    if (current !== undefined && current.seq > entry.seq) return;
    // Re-inserting moves the id to the end: the Map's order is the least recently used first.
    cache.delete(id);
    cache.set(id, entry);
    while (cache.size > DETAIL_CACHE_SIZE) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  /** Fetches `id` into the cache (sharing a call in flight from the same epoch), then shows it if still current. */
  function fetchDetail(id: string): Promise<void> {
    const running = inFlight.get(id);
    if (running !== undefined && running.epoch === epoch) return running.promise;
    const mySeq = ++seq;
    const myEpoch = epoch;
    const promise = (async () => {
      try {
        const value = unwrap(await getDesk().getRequest({ requestId: id }));
        remember(id, { detail: value, seq: mySeq });
        const latest = cache.get(id);
        if (requestId.value === id && latest !== undefined && latest.seq === mySeq) {
          detail.value = value;
          error.value = null;
          loading.value = false;
          loadEvidence(value.request.evidence);
        }
      } catch (caught) {
        if (requestId.value === id && (cache.get(id)?.seq ?? 0) < mySeq) {
          error.value = errorOf(caught);
          loading.value = false;
        }
      } finally {
        if (inFlight.get(id)?.seq === mySeq) inFlight.delete(id);
      }
    })();
    inFlight.set(id, { epoch: myEpoch, seq: mySeq, promise });
    return promise;
  }

  /**
   * Shows `id` (null: nothing focused). A cached detail shows at once and is refreshed in the
   * background; the promise settles when the fresh answer is in (it never rejects: see `error`).
   */
  function show(id: string | null): Promise<void> {
    if (id !== requestId.value) {
      requestId.value = id;
      error.value = null;
      const cached = id === null ? undefined : cache.get(id);
      detail.value = cached?.detail ?? null;
      loading.value = id !== null && cached === undefined;
      loadEvidence(cached?.detail.request.evidence ?? []);
    }
    if (id === null) return Promise.resolve();
    return fetchDetail(id);
  }

  /** Reads the shown request again (Retry, or after a change); keeps what is shown meanwhile. */
  function refresh(): Promise<void> {
    const id = requestId.value;
    if (id === null) return Promise.resolve();
    if (detail.value === null) loading.value = true;
    error.value = null;
    epoch += 1;
    return fetchDetail(id);
  }

  /** A queue or outbox change may touch any request: drop the cache, re-read the shown one. */
  function onChanged(): void {
    cache.clear();
    void refresh();
  }

  /**
   * Refreshes the shown request on queue and outbox changes, and when a policy changes (the
   * seller's, or a store's own: its rules panel is evaluated with it); returns the unsubscribe.
   */
  function follow(): () => void {
    const desk = getDesk();
    const stops = [desk.onQueueChanged(onChanged), desk.onOutboxChanged(onChanged), desk.onSettingsChanged(onChanged), desk.onStoresChanged(onChanged)];
    return () => stops.forEach((stop) => stop());
  }

  /** Downloads the shown request's evidence as object URLs; revokes those no longer shown. */
  function loadEvidence(files: readonly Evidence[]): void {
    const wanted = new Set(files.map((file) => file.id));
    const next: Record<string, EvidenceImage> = {};
    for (const [id, image] of Object.entries(evidence.value)) {
      if (wanted.has(id)) next[id] = image;
      else if (image.status === 'ready') URL.revokeObjectURL(image.url);
    }
    const missing = files.filter((file) => next[file.id] === undefined || next[file.id]?.status === 'error');
    for (const file of missing) next[file.id] = { status: 'loading' };
    evidence.value = next;
    for (const file of missing) void downloadEvidence(file.id);
  }

  async function downloadEvidence(evidenceId: string): Promise<void> {
    let image: EvidenceImage;
    try {
      const file = unwrap(await getDesk().getEvidence({ evidenceId }));
      image = file.contentType.startsWith('image/')
        ? { status: 'ready', url: URL.createObjectURL(new Blob([bytesOf(file.dataBase64)], { type: file.contentType })), contentType: file.contentType }
        : { status: 'unsupported', contentType: file.contentType };
    } catch (caught) {
      image = { status: 'error', message: errorOf(caught).message };
    }
    // Shown meanwhile for another request, or already downloaded: this URL is nobody's.
    if (evidence.value[evidenceId]?.status !== 'loading') {
      if (image.status === 'ready') URL.revokeObjectURL(image.url);
      return;
    }
    evidence.value = { ...evidence.value, [evidenceId]: image };
  }

  /** Revokes every object URL and forgets the shown request (the pane unmounts). */
  function dispose(): void {
    loadEvidence([]);
    requestId.value = null;
    detail.value = null;
    loading.value = false;
    error.value = null;
    cache.clear();
  }

  /** For tests and diagnostics: the cached request ids, least recently used first. */
  function cachedIds(): string[] {
    return [...cache.keys()];
  }

  return { requestId, detail, loading, error, evidence, show, refresh, follow, dispose, cachedIds };
});
