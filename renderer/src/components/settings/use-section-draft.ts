import { computed, ref, watch, type Ref } from 'vue';
import { sameForm } from './settings-form';

export interface SectionDraft<F> {
  /** What the person is editing; null until the section's data has loaded. */
  draft: Ref<F | null>;
  /** The draft differs from what the backend holds. */
  dirty: Readonly<Ref<boolean>>;
  /** The backend's value changed (elsewhere) while this draft had unsaved edits. */
  changedElsewhere: Readonly<Ref<boolean>>;
  /** Drops the edits and takes the backend's current value. */
  reload: () => void;
  /** A copy of the draft to hand to `saved` once a save succeeds. */
  snapshot: () => F | null;
  /** After a save: the draft becomes the backend's value, unless it was edited during the save. */
  saved: (sentFrom: F | null) => void;
}

/** Forms are plain JSON data; a JSON copy also reads through Vue's proxies (structuredClone cannot). */
function copy<F>(value: F): F {
  return JSON.parse(JSON.stringify(value)) as F;
}

/**
 * A section's draft, kept apart from the backend's value (`source`, derived from the store): a
 * change that arrives while the draft has unsaved edits never overwrites it, it raises
 * `changedElsewhere` instead.
 */
export function useSectionDraft<F>(source: () => F | null): SectionDraft<F> {
  const baseline = ref<F | null>(null) as Ref<F | null>;
  const draft = ref<F | null>(null) as Ref<F | null>;
  const changedElsewhere = ref(false);
  const dirty = computed(() => draft.value !== null && baseline.value !== null && !sameForm(draft.value, baseline.value));

  function adopt(next: F): void {
    baseline.value = next;
    draft.value = copy(next);
    changedElsewhere.value = false;
  }

  // Synchronous, so that a save's own echo is seen before `saved` settles the draft.
  watch(
    source,
    (next) => {
      if (next === null) return;
      if (draft.value === null || baseline.value === null || !dirty.value) adopt(next);
      else if (sameForm(next, draft.value)) {
        baseline.value = next;
        changedElsewhere.value = false;
      } else if (!sameForm(next, baseline.value)) changedElsewhere.value = true;
    },
    { immediate: true, flush: 'sync' },
  );

  return {
    draft,
    dirty,
    changedElsewhere,
    reload() {
      const next = source();
      if (next !== null) adopt(next);
    },
    snapshot() {
      return draft.value === null ? null : copy(draft.value);
    },
    saved(sentFrom) {
      const next = source();
      if (next === null) return;
      if (sentFrom === null || draft.value === null || sameForm(draft.value, sentFrom)) adopt(next);
      else {
        baseline.value = next;
        changedElsewhere.value = false;
      }
    },
  };
}
