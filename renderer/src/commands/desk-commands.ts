import type { InjectionKey } from 'vue';
import { COMMANDS } from '../../../shared/commands';
import type { ViewId } from '../../../shared/domain/views';
import type { SellerActionType } from '../../../shared/rules/states';
import { exportAuditCsv, exportInsightsCsv, exportQueueCsv, type Exported } from '../export/exports';
import type { InsightChartId } from '../components/insights/figure-tables';
import type { useDecisionsStore } from '../stores/decisions';
import type { useDetailStore } from '../stores/detail';
import type { useConversationStore } from '../stores/conversation';
import type { useInsightsStore } from '../stores/insights';
import type { useQueueStore } from '../stores/queue';
import type { useSelectionStore } from '../stores/selection';
import type { useSyncStore } from '../stores/sync';
import type { useUiStore } from '../stores/ui';
import type { Platform } from './keys';
import { createCommandRegistry, type CommandDefinitions, type CommandRegistry } from './registry';

/** What commands read and act on: the stores of the desk. */
export interface DeskContext {
  readonly queue: ReturnType<typeof useQueueStore>;
  readonly selection: ReturnType<typeof useSelectionStore>;
  readonly decisions: ReturnType<typeof useDecisionsStore>;
  readonly sync: ReturnType<typeof useSyncStore>;
  readonly ui: ReturnType<typeof useUiStore>;
  readonly insights: ReturnType<typeof useInsightsStore>;
  /** The focused request's detail: its rules panel says which actions are blocked, and why. */
  readonly detail: ReturnType<typeof useDetailStore>;
  /** The conversation with the buyer of the focused request, and the reply dialog (m). */
  readonly conversation: ReturnType<typeof useConversationStore>;
}

/** The queue is on screen (Insights hide it: keys must not act on rows nobody sees). */
const inQueue = (context: DeskContext): boolean => !context.ui.insightsOpen;
// While a view's first page loads there is no focused row yet: a key pressed then is kept (its
// command waits for the page, see afterLoad) rather than lost.
const reloading = (context: DeskContext): boolean => inQueue(context) && context.queue.loading;
const hasTarget = (context: DeskContext): boolean =>
  reloading(context) || (inQueue(context) && (context.selection.count > 0 || context.queue.focused !== null));
const hasFocus = (context: DeskContext): boolean => reloading(context) || (inQueue(context) && context.queue.focused !== null);
const hasRows = (context: DeskContext): boolean => reloading(context) || (inQueue(context) && context.queue.total > 0);

/** Runs once the queue's page is in, in the order the keys came. */
function afterLoad(run: (context: DeskContext) => void | Promise<void>): (context: DeskContext) => Promise<void> {
  return async (context) => {
    await context.queue.ready();
    await run(context);
  };
}
const canDecide = (context: DeskContext): boolean => hasTarget(context) && !context.decisions.busy && context.decisions.dialog === null;

/**
 * The rules panel of the focused request, when a command acts on it alone and its detail is in
 * (a selection is planned item by item instead: the plan says what is skipped and why).
 */
function focusedRules(context: DeskContext) {
  const focused = context.queue.focused;
  const shown = context.detail.detail;
  if (context.selection.count > 0 || focused === null || shown === null || shown.request.id !== focused.requestId) return null;
  return shown.rules;
}

/** The rules' sentence when they block `type` for the focused request: the palette greys the command with it. */
function actionBlocked(type: SellerActionType) {
  return (context: DeskContext): string | null => {
    const rules = focusedRules(context);
    if (rules === null) return null;
    if (!rules.available) return rules.message;
    const option = rules.actions.find((candidate) => candidate.action === type);
    return option === undefined || option.allowed ? null : option.message;
  };
}

/** Why there is nothing to follow for the focused request: no recommendation now (its first reason), or rules unavailable. */
function recommendationBlocked(context: DeskContext): string | null {
  const rules = focusedRules(context);
  if (rules === null) return null;
  if (!rules.available) return rules.message;
  const { recommendation } = rules;
  if (recommendation.action === null) return recommendation.reasons[0]?.message ?? 'Nothing is recommended for this request now.';
  const recommended = recommendation.action.type;
  const option = rules.actions.find((candidate) => candidate.action === recommended);
  return option === undefined || option.allowed ? null : option.message;
}

function notifyExported(context: DeskContext, exported: Exported): void {
  context.ui.notify(`Exported ${String(exported.rows)} ${exported.rows === 1 ? 'row' : 'rows'} to ${exported.fileName}.`);
}

/** A chart's numbers as CSV: only while Insights show loaded figures. */
function exportChart(chart: InsightChartId) {
  return {
    when: (context: DeskContext) => context.ui.insightsOpen && context.insights.figures !== null,
    run: (context: DeskContext) => {
      const figures = context.insights.figures;
      if (figures !== null) notifyExported(context, exportInsightsCsv(chart, figures, navigator.language));
    },
  };
}

function goTo(view: ViewId) {
  return {
    run: async (context: DeskContext) => {
      context.ui.insightsOpen = false;
      context.selection.clear();
      await context.queue.show(view);
      context.ui.queueFocusRequests += 1;
    },
  };
}

/** `when` and `run` of every command in the catalogue (shared/commands.ts). */
export const DESK_COMMANDS: CommandDefinitions<DeskContext> = {
  'queue.next': { when: hasRows, run: afterLoad((context) => context.queue.moveFocus(1)) },
  'queue.previous': { when: hasRows, run: afterLoad((context) => context.queue.moveFocus(-1)) },
  'request.open': {
    when: hasFocus,
    run: (context) => {
      context.ui.detailOpen = true;
    },
  },
  'app.back': {
    run: (context) => {
      if (context.ui.closeOverlays()) return;
      if (context.ui.insightsOpen) {
        context.ui.insightsOpen = false;
        context.ui.queueFocusRequests += 1;
        return;
      }
      if (context.ui.detailOpen) {
        context.ui.detailOpen = false;
        context.ui.queueFocusRequests += 1;
        return;
      }
      if (context.selection.count > 0) {
        context.selection.clear();
        return;
      }
      if (context.queue.search !== '') void context.queue.setSearch('');
    },
  },
  'queue.search': {
    when: inQueue,
    run: (context) => {
      context.ui.searchFocusRequests += 1;
    },
  },
  'queue.toggleSelect': {
    when: hasFocus,
    run: afterLoad((context) => {
      const row = context.queue.focused;
      if (row !== null) context.selection.toggle(row.requestId, context.queue.focusIndex);
    }),
  },
  'queue.extendDown': { when: hasFocus, run: afterLoad((context) => context.selection.extend(1)) },
  'queue.extendUp': { when: hasFocus, run: afterLoad((context) => context.selection.extend(-1)) },
  'queue.selectAll': { when: hasRows, run: afterLoad((context) => context.selection.selectAll()) },
  'request.accept': { when: canDecide, blocked: actionBlocked('accept'), run: afterLoad((context) => context.decisions.begin('accept')) },
  'request.refuse': { when: canDecide, blocked: actionBlocked('refuse'), run: afterLoad((context) => context.decisions.begin('refuse')) },
  'request.requestProof': { when: canDecide, blocked: actionBlocked('request_proof'), run: afterLoad((context) => context.decisions.begin('request_proof')) },
  'request.offer': { when: canDecide, blocked: actionBlocked('offer'), run: afterLoad((context) => context.decisions.begin('offer')) },
  'request.escalate': { when: canDecide, blocked: actionBlocked('escalate'), run: afterLoad((context) => context.decisions.begin('escalate')) },
  'request.followRecommendation': { when: canDecide, blocked: recommendationBlocked, run: afterLoad((context) => context.decisions.followRecommendation()) },
  'request.note': { when: canDecide, run: afterLoad((context) => context.decisions.openNote()) },
  // One request at a time: a reply is written to one buyer.
  'request.message': {
    when: (context) => hasFocus(context) && context.selection.count === 0 && context.conversation.dialog === null && !context.decisions.busy && context.decisions.dialog === null,
    run: afterLoad((context) => context.conversation.openReply()),
  },
  'batch.undo': { when: (context) => context.decisions.lastDecision !== null && !context.decisions.busy, run: (context) => context.decisions.undo() },
  'view.needsReply': goTo('needs_reply'),
  'view.buyerReplied': goTo('buyer_replied'),
  'view.proofRequested': goTo('proof_requested'),
  'view.proofIn': goTo('proof_in'),
  'view.offers': goTo('offers'),
  'view.escalated': goTo('escalated'),
  'view.conflicts': goTo('conflicts'),
  'view.done': goTo('done'),
  'view.all': goTo('all'),
  'view.insights': {
    run: async (context) => {
      context.ui.closeOverlays();
      context.ui.detailOpen = false;
      context.ui.insightsOpen = true;
      await context.insights.load();
    },
  },
  'export.queueCsv': {
    run: async (context) => {
      notifyExported(context, await exportQueueCsv(context.queue.query()));
    },
  },
  'export.auditCsv': { run: async (context) => notifyExported(context, await exportAuditCsv()) },
  'export.insights.requestsPerDay': exportChart('requestsPerDay'),
  'export.insights.outcomes': exportChart('outcomes'),
  'export.insights.responseTime': exportChart('responseTime'),
  'export.insights.refundsPerWeek': exportChart('refundsPerWeek'),
  'export.insights.topSkus': exportChart('topSkus'),
  'export.insights.repeatCancellers': exportChart('repeatCancellers'),
  'sync.now': { when: (context) => context.sync.status?.state !== 'syncing', run: (context) => context.sync.syncNow() },
  'app.palette': {
    run: (context) => {
      context.ui.closeOverlays();
      context.ui.paletteOpen = true;
    },
  },
  'app.help': {
    run: (context) => {
      context.ui.closeOverlays();
      context.ui.helpOpen = true;
    },
  },
  'app.settings': {
    run: (context) => {
      context.ui.closeOverlays();
      context.ui.settingsOpen = true;
    },
  },
};

export function createDeskRegistry(context: () => DeskContext, platform: Platform): CommandRegistry {
  return createCommandRegistry({
    catalogue: COMMANDS,
    definitions: DESK_COMMANDS,
    context,
    platform,
    keysSuspended: () => {
      const current = context();
      return current.ui.overlayOpen() || current.decisions.dialog !== null || current.conversation.dialog !== null;
    },
    onError: (id, error) => {
      const title = COMMANDS.find((command) => command.id === id)?.title ?? id;
      context().ui.notify(`${title}: ${error instanceof Error ? error.message : String(error)}`, 'error');
    },
  });
}

export const REGISTRY_KEY: InjectionKey<CommandRegistry> = Symbol('command registry');
