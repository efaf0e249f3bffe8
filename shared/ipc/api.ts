import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
} from './contract';
import type { Result } from './result';

/**
 * The named methods of `window.desk`, each bound to one channel; and the named event
 * subscriptions. Kept free of zod so the sandboxed preload stays small.
 */
export const DESK_METHODS = {
  getAppInfo: 'app.info',
  listQueue: 'queue.list',
  getViewCounts: 'queue.counts',
  getStoreCounts: 'queue.storeCounts',
  listStores: 'stores.list',
  addStore: 'stores.add',
  updateStore: 'stores.update',
  removeStore: 'stores.remove',
  addAliExpressStore: 'stores.addAliExpress',
  signInStore: 'stores.signIn',
  completeStoreSignIn: 'stores.completeSignIn',
  getSyncStatus: 'sync.status',
  syncNow: 'sync.now',
  getRequest: 'requests.get',
  decide: 'decisions.decide',
  planDecision: 'decisions.plan',
  planRecommended: 'decisions.planRecommended',
  decideRecommended: 'decisions.decideRecommended',
  listQueueIds: 'queue.ids',
  undo: 'decisions.undo',
  addNote: 'notes.add',
  assign: 'requests.assign',
  getOutbox: 'outbox.summary',
  retryOutbox: 'outbox.retry',
  resolveOutbox: 'outbox.resolve',
  retryRefund: 'refunds.retry',
  dismissConflict: 'conflicts.dismiss',
  getEvidence: 'evidence.get',
  attachEvidence: 'evidence.attach',
  detachEvidence: 'evidence.detach',
  listAudit: 'audit.list',
  exportAuditCsv: 'audit.exportCsv',
  getSettings: 'settings.get',
  updateSettings: 'settings.update',
  getInsights: 'insights.get',
  exportQueueCsv: 'queue.exportCsv',
  listSetAside: 'quarantine.list',
  exportSetAsideCsv: 'quarantine.exportCsv',
  getConnection: 'connection.get',
  updateConnection: 'connection.update',
  listMessages: 'messages.list',
  sendMessage: 'messages.send',
} as const satisfies Record<string, ChannelName>;

export const DESK_EVENTS = {
  onSyncStatus: 'sync.status',
  onQueueChanged: 'queue.changed',
  onSettingsChanged: 'settings.changed',
  onCommand: 'command.invoke',
  onOutboxChanged: 'outbox.changed',
  onStoresChanged: 'stores.changed',
} as const satisfies Record<string, EventName>;

/** The Electron IPC channel that carries a backend event to the renderer. */
export function eventChannel(event: EventName): string {
  return `desk-event:${event}`;
}

type Methods = typeof DESK_METHODS;
type Events = typeof DESK_EVENTS;

/** The whole surface the renderer sees. */
export type DeskApi = {
  readonly [M in keyof Methods]: (
    input: ChannelInput<Methods[M]>,
  ) => Promise<Result<ChannelOutput<Methods[M]>>>;
} & {
  /** Each subscription returns its unsubscribe function. */
  readonly [E in keyof Events]: (listener: (payload: EventPayload<Events[E]>) => void) => () => void;
};

/** How a client reaches the backend: Electron IPC in the preload, a WebSocket in the browser. */
export interface DeskTransport {
  invoke(channel: ChannelName, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** Builds `window.desk` over a transport; the preload and the browser host both use this. */
export function createDeskApi(transport: DeskTransport): DeskApi {
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(DESK_METHODS)) {
    api[method] = (input: unknown) => transport.invoke(channel, input);
  }
  for (const [method, event] of Object.entries(DESK_EVENTS)) {
    api[method] = (listener: (payload: unknown) => void) => transport.subscribe(event, listener);
  }
  // The transport answers each channel with that channel's output type (the contract), which
  // the loop above cannot express to the compiler.
  return Object.freeze(api) as DeskApi;
}
