import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Order } from '../../../shared/domain/order';
import type { CancelRequest } from '../../../shared/domain/request';
import { instantMs } from '../../../shared/domain/time';
import type { DecisionPlan, DecisionResult, RecommendedPlan } from '../../../shared/ipc/contract';
import { defaultProofDueAt, type OfferOption, type RefuseOption, type RequestProofOption } from '../../../shared/rules/actions';
import type { BulkAction } from '../../../shared/rules/bulk';
import type { Policy } from '../../../shared/rules/policy';
import { REFUSAL_REASON_CATALOGUE, SELLER_REFUSAL_REASONS } from '../../../shared/rules/reasons';
import type { Result } from '../../../shared/ipc/result';
import { getDesk, unwrap } from '../api/desk';
import { countText } from '../format';
import { getClock, getTimeZone } from '../clock';
import { photoLimitsOf, type PhotoLimits } from '../components/dialogs/photos';
import { usePhotosStore } from './photos';
import { useQueueStore } from './queue';
import { useSelectionStore } from './selection';
import { useStoresStore } from './stores';
import { useUiStore } from './ui';

export type DecisionType = BulkAction['type'];

export const ACTION_TITLES: Readonly<Record<DecisionType, string>> = {
  accept: 'Accept and refund',
  refuse: 'Refuse',
  request_proof: 'Ask for proof',
  offer: 'Offer a partial refund',
  escalate: 'Escalate to the platform',
};

/** What `.` does, as its plan and undo toast say it. */
export const RECOMMENDED_TITLE = 'Do what is recommended';

/** The dialog the decision flow shows now. */
export type DecisionDialog =
  /** `photos`: what the request's marketplace takes with it (one request only; null: no Photos field). */
  | { kind: 'refuse'; targets: string[]; option: RefuseOption; photos?: PhotoLimits | null }
  | { kind: 'request_proof'; targets: string[]; option: RequestProofOption; templates: string[] }
  | { kind: 'offer'; targets: string[]; option: OfferOption | null; order: Order | null; request: CancelRequest | null; policy: Policy; photos?: PhotoLimits | null }
  | { kind: 'note'; targets: string[] }
  /** `storeOf`: each target's store, when the seller has several (the plan's totals per store). */
  | { kind: 'plan'; targets: string[]; action: BulkAction; plan: DecisionPlan; storeOf?: ReadonlyMap<string, string> | null }
  /** `.`: each target's own recommended action, grouped (one target shows one item). */
  | { kind: 'recommended'; targets: string[]; plan: RecommendedPlan; storeOf?: ReadonlyMap<string, string> | null };

/** What z undoes: the batches of the last decision, while their window is open. */
export interface UndoableDecision {
  readonly batchIds: readonly string[];
  readonly undoUntil: number;
  readonly summary: string;
}

/** Bulk decisions are committed in chunks so the progress bar moves (each chunk is durable). */
const CHUNK = 250;

/**
 * The decision flow: which requests an action targets (the selection, or the focused one), the
 * dialog that asks for its parameters, the bulk plan before and the undo after. The rules decide
 * (shared/rules, through the backend); this store only walks the steps.
 */
export const useDecisionsStore = defineStore('decisions', () => {
  const dialog = shallowRef<DecisionDialog | null>(null);
  const busy = ref(false);
  const progress = ref<{ done: number; total: number } | null>(null);
  const lastDecision = shallowRef<UndoableDecision | null>(null);
  /** The seller's policy as it is now (a bulk dialog's defaults; each item is planned with its store's). */
  async function policy(): Promise<Policy> {
    return unwrap(await getDesk().getSettings({})).policy;
  }

  /** The selection when there is one, else the focused request. */
  function targets(): string[] {
    const selection = useSelectionStore();
    if (selection.count > 0) return [...selection.ids];
    const focused = useQueueStore().focused;
    return focused === null ? [] : [focused.requestId];
  }

  function isBulk(ids: readonly string[]): boolean {
    return ids.length > 1 || useSelectionStore().count > 0;
  }

  /** Starts an action on the targets: straight away, or through its dialog and plan. */
  async function begin(type: DecisionType): Promise<void> {
    const ui = useUiStore();
    const ids = targets();
    if (ids.length === 0) return;
    if (isBulk(ids)) {
      await beginBulk(type, ids);
      return;
    }
    const [requestId = ''] = ids;
    const detail = unwrap(await getDesk().getRequest({ requestId }));
    if (!detail.rules.available) {
      ui.notify(detail.rules.message, 'error');
      return;
    }
    const option = detail.rules.actions.find((candidate) => candidate.action === type);
    if (option === undefined) return;
    if (!option.allowed) {
      ui.notify(option.message, 'error');
      return;
    }
    switch (option.action) {
      case 'accept':
      case 'escalate':
        await submit({ type: option.action });
        return;
      case 'refuse': {
        const photos = photoLimitsOf(detail.capabilities);
        usePhotosStore().open(requestId, photos);
        dialog.value = { kind: 'refuse', targets: ids, option, photos };
        return;
      }
      case 'request_proof':
        dialog.value = { kind: 'request_proof', targets: ids, option, templates: [option.defaultMessage] };
        return;
      case 'offer': {
        const photos = photoLimitsOf(detail.capabilities);
        // The request's store's policy (its own, or the seller's): the live refund quote uses it.
        const current = detail.policy ?? (await policy());
        usePhotosStore().open(requestId, photos);
        dialog.value = { kind: 'offer', targets: ids, option, order: detail.order, request: detail.request, policy: current, photos };
        return;
      }
    }
  }

  async function beginBulk(type: DecisionType, ids: string[]): Promise<void> {
    switch (type) {
      case 'accept':
      case 'escalate':
        await plan(ids, { type });
        return;
      case 'refuse':
        dialog.value = {
          kind: 'refuse',
          targets: ids,
          option: {
            action: 'refuse',
            allowed: true,
            code: null,
            message: 'Each request is checked against this reason; the plan lists any it cannot apply to.',
            reasons: SELLER_REFUSAL_REASONS.map((reason) => ({
              reason,
              label: REFUSAL_REASON_CATALOGUE[reason].label,
              allowed: true,
              code: null,
              message: REFUSAL_REASON_CATALOGUE[reason].meaning,
              requires: REFUSAL_REASON_CATALOGUE[reason].requires,
              prefill: { carrier: null, trackingNumber: null, note: '' },
            })),
          },
        };
        return;
      case 'request_proof': {
        const current = await policy();
        const defaultDueAt = defaultProofDueAt(current, getClock().now(), getTimeZone());
        dialog.value = {
          kind: 'request_proof',
          targets: ids,
          option: {
            action: 'request_proof',
            allowed: true,
            code: null,
            message: 'Ask each buyer for proof.',
            defaultMessage: current.proofRequestTemplate,
            defaultDueAt,
            dueDays: current.proofDueDays,
          },
          templates: [current.proofRequestTemplate],
        };
        return;
      }
      case 'offer':
        dialog.value = {
          kind: 'offer',
          targets: ids,
          option: null,
          order: null,
          request: null,
          policy: await policy(),
        };
        return;
    }
  }

  /** A dialog gave the action's parameters: decide (one request) or show the plan (several). */
  async function submit(action: BulkAction): Promise<void> {
    const ids = dialog.value?.targets ?? targets();
    if (ids.length === 0) return;
    if (isBulk(ids)) {
      await plan(ids, action);
      return;
    }
    dialog.value = null;
    // The photos went with the decision; a decision that failed leaves them to nobody.
    const photos = usePhotosStore();
    try {
      await commit(ids, action);
    } catch (error) {
      await photos.discard();
      throw error;
    }
    photos.settle();
  }

  /** Which store each target is in, when the seller has several; null otherwise, or when it cannot be told (the plan stands without it). */
  async function storesOf(ids: readonly string[]): Promise<ReadonlyMap<string, string> | null> {
    const stores = useStoresStore();
    if (!stores.several) return null;
    try {
      return await useQueueStore().storesOfRequests(ids, stores.list.map((store) => store.id));
    } catch {
      return null;
    }
  }

  async function plan(ids: string[], action: BulkAction): Promise<void> {
    busy.value = true;
    try {
      const [answer, storeOf] = await Promise.all([getDesk().planDecision({ requestIds: ids, action }).then(unwrap), storesOf(ids)]);
      dialog.value = { kind: 'plan', targets: ids, action, plan: answer, storeOf };
    } finally {
      busy.value = false;
    }
  }

  /**
   * `.`: plans what is recommended for the targets (the selection, or the focused request) and
   * shows the plan, one item or many; Enter confirms it (confirmPlan).
   */
  async function followRecommendation(): Promise<void> {
    const ids = targets();
    if (ids.length === 0) return;
    busy.value = true;
    try {
      const [answer, storeOf] = await Promise.all([getDesk().planRecommended({ requestIds: ids }).then(unwrap), storesOf(ids)]);
      dialog.value = { kind: 'recommended', targets: ids, plan: answer, storeOf };
    } finally {
      busy.value = false;
    }
  }

  /** Enter on the plan: decide every planned request, chunk by chunk. */
  async function confirmPlan(): Promise<void> {
    const current = dialog.value;
    if ((current?.kind !== 'plan' && current?.kind !== 'recommended') || busy.value) return;
    if (current.kind === 'plan') {
      const willDo = current.plan.items.flatMap((item) => (item.status === 'will_do' ? [item.requestId] : []));
      await commit(willDo, current.action);
    } else {
      // Each request with the action the plan showed: the backend skips one whose recommendation changed since.
      const willDo = current.plan.items.flatMap((item) => (item.status === 'will_do' ? [{ requestId: item.requestId, action: item.action }] : []));
      const [only] = willDo;
      const title = willDo.length === 1 && only !== undefined ? ACTION_TITLES[only.action] : RECOMMENDED_TITLE;
      await commitChunks(willDo, (chunk) => getDesk().decideRecommended({ items: chunk }), title);
    }
    dialog.value = null;
    useSelectionStore().clear();
  }

  function commit(ids: readonly string[], action: BulkAction): Promise<void> {
    return commitChunks(ids, (chunk) => getDesk().decide({ requestIds: chunk, action }), ACTION_TITLES[action.type]);
  }

  /** Decides `entries` chunk by chunk with `send`; z then takes back every chunk as one decision. */
  async function commitChunks<Entry>(entries: readonly Entry[], send: (chunk: Entry[]) => Promise<Result<DecisionResult>>, title: string): Promise<void> {
    const ui = useUiStore();
    busy.value = true;
    progress.value = { done: 0, total: entries.length };
    const batchIds: string[] = [];
    // z takes back every chunk, so its window is the one that closes first.
    let undoUntil: number | null = null;
    let done = 0;
    const skipped: string[] = [];
    try {
      for (let start = 0; start < entries.length; start += CHUNK) {
        const chunk = entries.slice(start, start + CHUNK);
        const result: DecisionResult = unwrap(await send([...chunk]));
        if (result.batchId !== null) batchIds.push(result.batchId);
        if (result.undoUntil !== null) undoUntil = Math.min(undoUntil ?? Infinity, instantMs(result.undoUntil));
        done += result.done;
        for (const item of result.items) if (item.status === 'skipped') skipped.push(item.message);
        progress.value = { done: start + chunk.length, total: entries.length };
      }
    } finally {
      busy.value = false;
      progress.value = null;
      // Each chunk is durable on its own: those that went through stay undoable when a later one fails.
      if (batchIds.length > 0) {
        const summary = entries.length === 1 ? `${title}: done` : `${title}: ${countText(done, 'request')}`;
        lastDecision.value = { batchIds, undoUntil: undoUntil ?? 0, summary };
      }
    }
    if (skipped.length > 0) ui.notify(entries.length === 1 ? (skipped[0] ?? '') : `${countText(skipped.length, 'request')} skipped: ${skipped[0] ?? ''}`, 'error');
  }

  async function addNote(text: string): Promise<void> {
    const current = dialog.value;
    if (current?.kind !== 'note') return;
    const ui = useUiStore();
    for (const requestId of current.targets) unwrap(await getDesk().addNote({ requestId, text }));
    dialog.value = null;
    ui.notify(current.targets.length === 1 ? 'Note added.' : `Note added to ${countText(current.targets.length, 'request')}.`);
  }

  function openNote(): void {
    const ids = targets();
    if (ids.length > 0) dialog.value = { kind: 'note', targets: ids };
  }

  /** z: takes the last decision back while its window is open. */
  async function undo(): Promise<void> {
    const last = lastDecision.value;
    const ui = useUiStore();
    if (last === null) return;
    if (last.undoUntil <= getClock().now()) {
      lastDecision.value = null;
      ui.notify('Too late to undo: the decision is being sent to the marketplace.', 'error');
      return;
    }
    // Taken while it runs (a second z finds nothing); every chunk is tried, so one that fails
    // keeps no other from being undone, and only the failed ones stay for z to try again.
    lastDecision.value = null;
    let undone = 0;
    const failed: string[] = [];
    let problem = '';
    for (const batchId of last.batchIds) {
      try {
        undone += unwrap(await getDesk().undo({ batchId })).undone;
      } catch (error) {
        failed.push(batchId);
        problem ||= error instanceof Error ? error.message : String(error);
      }
    }
    if (undone > 0 || failed.length === 0) ui.notify(`Undone: ${countText(undone, 'request')} restored.`);
    if (failed.length > 0) {
      lastDecision.value ??= { ...last, batchIds: failed };
      ui.notify(`Not undone: ${problem}`, 'error');
    }
  }

  function dismissUndo(): void {
    lastDecision.value = null;
  }

  function cancel(): void {
    if (busy.value) return;
    dialog.value = null;
    // Photos attached in a cancelled dialog are taken out again.
    const photos = usePhotosStore();
    if (photos.requestId !== null) void photos.discard();
  }

  return {
    dialog,
    busy,
    progress,
    lastDecision,
    targets,
    begin,
    submit,
    followRecommendation,
    confirmPlan,
    addNote,
    openNote,
    undo,
    dismissUndo,
    cancel,
  };
});
