import { z } from 'zod';
import { isCommandId, type CommandId } from '../commands';
import { PHASES } from '../domain/order';
import { BuyerReasonSchema, RequestKindSchema, RequestStateSchema } from '../domain/request';
import { IsoInstantSchema } from '../domain/time';
import { MarketplaceCapabilitiesSchema, MarketplaceKindSchema } from '../domain/marketplace';
import { VIEW_IDS } from '../domain/views';
import { MoneySchema } from '../money';
import { SettingsPatchSchema, SettingsSchema } from '../settings';
import { PolicySchema } from '../rules/policy';
import { MessageTemplatesSchema } from '../messages/templates';
import { BulkActionSchema } from '../rules/bulk';
import { OrderSchema } from '../domain/order';
import { CancelRequestSchema, RequestStateSchema as StateSchema } from '../domain/request';
import type { ActionOption } from '../rules/actions';
import type { Recommendation } from '../rules/recommend';
import { SELLER_ACTION_TYPES } from '../rules/states';
import { AttachedPhotoSchema, AttachEvidenceInputSchema, DetachEvidenceInputSchema } from './seller-evidence';

/**
 * The IPC contract: every channel's input schema (validated at the boundary) and output schema
 * (types only; outputs come from our own backend). Types are derived, never written twice.
 */

const NoInput = z.object({}).strict();

/** A store's id in the desk (design.md §6b): also the storeId of its orders and requests. */
export const StoreIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a store id (lowercase letters, digits and -)');
/** The queue of one store, or of every store (null). */
const StoreFilterSchema = StoreIdSchema.nullable().default(null);

export const ViewIdSchema = z.enum(VIEW_IDS);
/** time_left: most urgent first; amount: largest first (nominal, across currencies); requested_at: oldest first. */
export const QueueSortSchema = z.enum(['time_left', 'amount', 'requested_at']);
export type QueueSort = z.infer<typeof QueueSortSchema>;

export const QueueListInputSchema = z
  .object({
    view: ViewIdSchema.default('needs_reply'),
    sort: QueueSortSchema.default('time_left'),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).nullable().default(null),
    /** Start at this position of the view instead of after a cursor (a virtual list jumping ahead). */
    offset: z.number().int().min(0).max(10_000_000).optional(),
    /** Order id, buyer name or SKU (prefix of a word, case-insensitive); within the view. */
    search: z.string().trim().max(100).default(''),
    /** Only this store's requests; null: every store. */
    storeId: StoreFilterSchema,
  })
  .strict();

export const QueueRowSchema = z.object({
  requestId: z.string(),
  orderId: z.string(),
  storeId: z.string(),
  kind: RequestKindSchema,
  reason: BuyerReasonSchema,
  state: RequestStateSchema,
  /** From the order's status; null while the order itself has not been synced. */
  phase: z.enum(PHASES).nullable(),
  buyerName: z.string(),
  buyerCountry: z.string(),
  amount: MoneySchema,
  requestedAt: IsoInstantSchema,
  respondBy: IsoInstantSchema,
  /** When proof was asked for: the buyer's due date (overdue once past). */
  proofDueAt: IsoInstantSchema.nullable(),
  /** The state of the seller's decision waiting to be sent; null (or absent) when there is none. */
  localState: StateSchema.nullable().optional(),
  /** When a done request was closed (`closedAtOf` in shared/rules/standing.ts); null (or absent) while open. */
  closedAt: IsoInstantSchema.nullable().optional(),
  /** When the buyer wrote a message the seller has not answered yet ("buyer replied"); null (or absent) otherwise. */
  buyerRepliedAt: IsoInstantSchema.nullable().optional(),
});
export type QueueRow = z.infer<typeof QueueRowSchema>;

export const QueuePageSchema = z.object({
  rows: z.array(QueueRowSchema),
  nextCursor: z.string().nullable(),
  /** Requests in the view (or matching the search). */
  total: z.number().int(),
  /** A search matched more than it reads; narrow it. */
  truncated: z.boolean(),
});
export type QueuePage = z.infer<typeof QueuePageSchema>;

export const ViewCountsSchema = z.record(ViewIdSchema, z.number().int());
export type ViewCounts = z.infer<typeof ViewCountsSchema>;

export const SyncProgressSchema = z.object({
  resource: z.enum(['orders', 'requests', 'messages']),
  pages: z.number().int(),
  items: z.number().int(),
  itemsPerSecond: z.number(),
  /** Estimated from how far the pass has come through the change feed's time range. */
  etaSeconds: z.number().nullable(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

/** How a store's sync is doing, as Settings and the status bar show it. */
export const StoreHealthSchema = z.object({
  /** up_to_date: the last pass ended well; paused: the seller paused it; credentials_rejected: it waits for new ones. */
  state: z.enum(['never_synced', 'syncing', 'up_to_date', 'unreachable', 'credentials_rejected', 'error', 'paused']),
  /** Since when it is unreachable, rejected or failing (null otherwise). */
  since: IsoInstantSchema.nullable(),
  /** What went wrong, in the marketplace's or the app's words (untrusted text). */
  message: z.string().nullable(),
  lastSyncAt: IsoInstantSchema.nullable(),
});
export type StoreHealth = z.infer<typeof StoreHealthSchema>;

export const SyncStatusSchema = z.object({
  /** idle: up to date; syncing: a pass runs; unreachable: the marketplace did not answer. */
  state: z.enum(['idle', 'syncing', 'unreachable', 'error']),
  marketplaceUrl: z.string(),
  lastSyncAt: IsoInstantSchema.nullable(),
  nextAttemptAt: IsoInstantSchema.nullable(),
  message: z.string().nullable(),
  progress: SyncProgressSchema.nullable(),
  /** Records the marketplace sent that failed validation and are kept aside now (one per record; see quarantine.list). */
  quarantined: z.number().int(),
  /** Each store's own health (the status above sums them up, naming a store that fails). */
  stores: z.array(z.object({ id: z.string(), name: z.string(), health: StoreHealthSchema })).optional(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  marketplaceUrl: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// --- Decisions (design.md §6) ---

const RequestIdSchema = z.string().min(1).max(64);

/** A batch holds at most this many requests (decide, plan, select all). */
export const MAX_BATCH = 5_000;

export const DecideInputSchema = z
  .object({
    requestIds: z.array(RequestIdSchema).min(1).max(MAX_BATCH),
    action: BulkActionSchema,
  })
  .strict()
  // Photos are of one request's parcel: a decision on several requests carries none.
  .refine((input) => input.requestIds.length === 1 || !('attachments' in input.action) || (input.action.attachments?.length ?? 0) === 0, {
    message: 'photos go with a decision on one request, not on several',
    path: ['action', 'attachments'],
  });

export const DecisionItemSchema = z.discriminatedUnion('status', [
  z.object({ requestId: z.string(), status: z.literal('done'), state: StateSchema, amount: MoneySchema.nullable(), summary: z.string() }),
  z.object({ requestId: z.string(), status: z.literal('skipped'), code: z.string(), message: z.string() }),
]);
export type DecisionItem = z.infer<typeof DecisionItemSchema>;

export const MoneyTotalSchema = z.object({ currency: z.string(), amount: MoneySchema, count: z.number().int() });

export const DecisionResultSchema = z.object({
  /** Null when nothing was decided (every item skipped). */
  batchId: z.string().nullable(),
  undoUntil: IsoInstantSchema.nullable(),
  done: z.number().int(),
  skipped: z.number().int(),
  items: z.array(DecisionItemSchema),
  totals: z.array(MoneyTotalSchema),
});
export type DecisionResult = z.infer<typeof DecisionResultSchema>;

/** What `decisions.decide` would do with the same input, without writing anything (the bulk plan). */
export const DecisionPlanSchema = z.object({
  willDo: z.number().int(),
  skipped: z.number().int(),
  items: z.array(
    z.discriminatedUnion('status', [
      z.object({ requestId: z.string(), orderId: z.string(), status: z.literal('will_do'), amount: MoneySchema.nullable(), summary: z.string() }),
      z.object({ requestId: z.string(), orderId: z.string().nullable(), status: z.literal('skipped'), code: z.string(), message: z.string() }),
    ]),
  ),
  /** Refund (accept) or offer totals per currency. */
  totals: z.array(MoneyTotalSchema),
});
export type DecisionPlan = z.infer<typeof DecisionPlanSchema>;

// --- Doing what is recommended (shared/rules/recommended-plan.ts) ---

export const SellerActionTypeSchema = z.enum(SELLER_ACTION_TYPES);

/** "Do what is recommended" on these requests: each its own recommended action, filled in by the rules. */
export const PlanRecommendedInputSchema = z.object({ requestIds: z.array(RequestIdSchema).min(1).max(MAX_BATCH) }).strict();

/** What `decisions.decideRecommended` would do, without writing anything: grouped by action, with what is skipped and why. */
export const RecommendedPlanSchema = z.object({
  /** The one instant every recommendation of the plan was worked out at. */
  evaluatedAt: IsoInstantSchema,
  willDo: z.number().int(),
  skipped: z.number().int(),
  items: z.array(
    z.discriminatedUnion('status', [
      z.object({
        requestId: z.string(),
        orderId: z.string(),
        status: z.literal('will_do'),
        /** The recommended action, as it will be sent. */
        action: SellerActionTypeSchema,
        /** The refund (accept) or the offer (offer); null for the other actions. */
        amount: MoneySchema.nullable(),
        summary: z.string(),
        /** Why it is recommended (the recommendation's main reason). */
        why: z.string(),
      }),
      z.object({ requestId: z.string(), orderId: z.string().nullable(), status: z.literal('skipped'), code: z.string(), message: z.string() }),
    ]),
  ),
  /** One per action that will be done, in the rules' order: how many, and the refund (accept) or offer totals per currency. */
  groups: z.array(z.object({ action: SellerActionTypeSchema, count: z.number().int(), totals: z.array(MoneyTotalSchema) })),
});
export type RecommendedPlan = z.infer<typeof RecommendedPlanSchema>;

export const DecideRecommendedInputSchema = z
  .object({
    /**
     * The requests of the confirmed plan, each with the action the plan showed for it: a request
     * whose recommendation changed since is skipped with the sentence why, never decided otherwise.
     */
    items: z.array(z.object({ requestId: RequestIdSchema, action: SellerActionTypeSchema }).strict()).min(1).max(MAX_BATCH),
  })
  .strict();

export const QueueIdsInputSchema = z
  .object({ view: ViewIdSchema, search: z.string().trim().max(100).default(''), sort: QueueSortSchema.default('time_left'), storeId: StoreFilterSchema })
  .strict();
export const QueueIdsSchema = z.object({
  /** In the view's order, at most MAX_BATCH. */
  ids: z.array(z.string()),
  /** Requests in the view (or matching the search). */
  total: z.number().int(),
});
export type QueueIds = z.infer<typeof QueueIdsSchema>;

export const UndoResultSchema = z.object({ batchId: z.string(), undone: z.number().int() });
export type UndoResult = z.infer<typeof UndoResultSchema>;

export const OutboxSummarySchema = z.object({
  /** Waiting for the undo window, being sent, or waiting to retry. */
  pending: z.number().int(),
  failed: z.array(
    z.object({ id: z.string(), requestId: z.string(), orderId: z.string(), endpoint: z.string(), code: z.string(), message: z.string(), at: z.string() }),
  ),
  conflicts: z.number().int(),
  /**
   * Decisions the marketplace may or may not have applied (it cannot tell): never resent on their
   * own; the seller checks on the marketplace, then marks each sent or sends it again (outbox.resolve).
   */
  unknown: z.array(z.object({ id: z.string(), requestId: z.string(), orderId: z.string(), endpoint: z.string(), message: z.string(), at: z.string() })),
  /** Refunds the marketplace accepted but has not reported as paid out yet, per currency. */
  refundsPending: z.array(MoneyTotalSchema),
  /** Refunds the marketplace reported as failed: each can be retried (refunds.retry). */
  refundsFailed: z.array(z.object({ requestId: z.string(), orderId: z.string(), amount: MoneySchema, failure: z.string(), at: z.string() })),
});
export type OutboxSummary = z.infer<typeof OutboxSummarySchema>;

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  requestId: z.string(),
  orderId: z.string(),
  batchId: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
  amount: MoneySchema.nullable(),
  rulesVersion: z.string().nullable(),
  stateBefore: z.string().nullable(),
  stateAfter: z.string().nullable(),
  message: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;

export const AuditListInputSchema = z
  .object({
    requestId: RequestIdSchema.nullable().default(null),
    limit: z.number().int().min(1).max(500).default(100),
    /** Entries before this sequence number (newest first). */
    before: z.number().int().positive().nullable().default(null),
  })
  .strict();

// --- Records set aside at sync (design.md §5: malformed payloads are kept aside, not applied) ---

export const SetAsideRecordSchema = z.object({
  seq: z.number().int(),
  resource: z.enum(['orders', 'requests', 'messages']),
  /** The record's id as the marketplace sent it; '' when it had none the app could read. */
  recordId: z.string(),
  /** Why: every failing field and what is wrong with it ("buyer.name: Too big: ..."). */
  reason: z.string(),
  /** The start of the raw record as received: untrusted text. */
  excerpt: z.string(),
  receivedAt: IsoInstantSchema,
  /** Requests in the cache this record holds back: an order's requests, or an older copy of the request itself. */
  requestIds: z.array(z.string()),
});
export type SetAsideRecord = z.infer<typeof SetAsideRecordSchema>;

export const SetAsideListSchema = z.object({
  /** Records set aside now (the status bar's count). */
  total: z.number().int(),
  /** The newest first, at most the limit asked for. */
  records: z.array(SetAsideRecordSchema),
});
export type SetAsideList = z.infer<typeof SetAsideListSchema>;

export const RequestDetailSchema = z.object({
  request: CancelRequestSchema,
  order: OrderSchema.nullable(),
  local: z.object({ state: StateSchema, batchId: z.string(), outboxId: z.string(), decidedAt: z.string(), baseVersion: z.number() }).nullable(),
  conflict: z.object({ what: z.string(), detectedAt: z.string(), localState: z.string().nullable(), remoteState: z.string() }).nullable(),
  notes: z.array(z.object({ at: z.string(), text: z.string() })),
  audit: z.array(AuditEntrySchema),
  assignee: z.string().nullable(),
  /**
   * Set when the marketplace's latest copy of the order was set aside at sync (malformed): why, and
   * when. The rules are then checked from the request alone; `order` is null, or an older copy.
   */
  orderSetAside: SetAsideRecordSchema.pick({ reason: true, excerpt: true, receivedAt: true }).nullable().optional(),
  /**
   * The rules panel, evaluated by the backend with its clock and the store policy: each action
   * allowed or blocked with the sentence why, the refund quote (on accept), the recommendation.
   * Unavailable (with the reason) while the order is not synced or a decision is pending. When
   * the order was set aside, what the request alone allows (accepting and offers blocked).
   */
  rules: z.discriminatedUnion('available', [
    z.object({
      available: z.literal(true),
      evaluatedAt: IsoInstantSchema,
      actions: z.custom<ActionOption[]>((value) => Array.isArray(value)),
      recommendation: z.custom<Recommendation>((value) => typeof value === 'object' && value !== null),
    }),
    z.object({ available: z.literal(false), code: z.string(), message: z.string() }),
  ]),
  /** What the request's store's marketplace can do (the dialogs read how many photos it takes, and how large). */
  capabilities: MarketplaceCapabilitiesSchema.optional(),
  /** The policy the rules used: the request's store's own, or the seller's (the dialogs read its templates and offer quote). */
  policy: PolicySchema.optional(),
});
export type RequestDetail = z.infer<typeof RequestDetailSchema>;

// --- Insights (issue 8): figures computed by the backend for a date range and store ---

/** A calendar day, YYYY-MM-DD, in UTC. */
export const IsoDaySchema = z.iso.date();

export const InsightsInputSchema = z
  .object({
    /** First day of the range (UTC), inclusive. */
    from: IsoDaySchema,
    /** Last day of the range (UTC), inclusive; at most 366 days after `from`. */
    to: IsoDaySchema,
    /** One store, or null for all stores. */
    storeId: z.string().min(1).max(64).nullable().default(null),
    /** A buyer is a repeat canceller with more than this many requests in the range. */
    repeatMoreThan: z.number().int().min(1).max(100).default(2),
  })
  .strict()
  .refine((input) => input.from <= input.to, { message: 'must not be after "to"', path: ['from'] })
  .refine((input) => Date.parse(input.to) - Date.parse(input.from) <= 366 * 86_400_000, {
    message: 'the range is at most 366 days',
    path: ['to'],
  });

export const INSIGHT_OUTCOMES = ['accepted', 'refused', 'proof_requested', 'offer', 'escalated', 'decided_by_platform', 'withdrawn', 'open'] as const;
export const InsightOutcomeSchema = z.enum(INSIGHT_OUTCOMES);

export const InsightsSchema = z.object({
  from: IsoDaySchema,
  to: IsoDaySchema,
  storeId: z.string().nullable(),
  /** Every store seen in the cache, for the store picker. */
  stores: z.array(z.string()),
  /** Requests opened per day (every day of the range, zeros included), by buyer reason. */
  perDay: z.array(z.object({ day: IsoDaySchema, total: z.number().int(), byReason: z.record(BuyerReasonSchema, z.number().int()) })),
  /** Requests opened in the range, by where they stand or ended. */
  outcomes: z.array(z.object({ outcome: InsightOutcomeSchema, count: z.number().int() })),
  /** From the request to the seller's first answer, for requests opened in the range. */
  responseTime: z.object({
    answered: z.number().int(),
    medianMs: z.number().nullable(),
    p90Ms: z.number().nullable(),
    /** The same as a share of the time the marketplace allowed (1 = at the deadline). */
    medianOfDeadline: z.number().nullable(),
    p90OfDeadline: z.number().nullable(),
    /** Requests the platform decided because nobody answered in time, and the refunds that cost. */
    decidedByPlatform: z.number().int(),
    decidedByPlatformCost: z.array(MoneyTotalSchema),
  }),
  /** Refunds paid (accepted requests and accepted offers), per week (Monday, UTC) and currency. */
  refundsPerWeek: z.array(z.object({ weekStart: IsoDaySchema, totals: z.array(MoneyTotalSchema) })),
  /** The SKUs in the most requests, with their most frequent reasons (top 10). */
  topSkus: z.array(
    z.object({
      sku: z.string(),
      title: z.string(),
      requests: z.number().int(),
      topReasons: z.array(z.object({ reason: BuyerReasonSchema, count: z.number().int() })),
    }),
  ),
  /** Buyers with more than `repeatMoreThan` requests in the range, most first. */
  repeatCancellers: z.array(z.object({ buyerId: z.string(), buyerName: z.string(), requests: z.number().int(), lastRequestedAt: IsoInstantSchema })),
});
export type Insights = z.infer<typeof InsightsSchema>;

export const QueueExportInputSchema = z
  .object({ view: ViewIdSchema, sort: QueueSortSchema.default('time_left'), search: z.string().trim().max(100).default(''), storeId: StoreFilterSchema })
  .strict();

// --- Stores: several marketplaces' stores in one queue (design.md §6b) ---

export const StoreNameSchema = z.string().trim().min(1).max(60);

export const StoreViewSchema = z.object({
  id: StoreIdSchema,
  name: z.string(),
  kind: MarketplaceKindSchema,
  /** The marketplace's API address; for an embedded demo store, where it runs this time. */
  endpoint: z.string(),
  /** A demo marketplace the app runs itself (no credentials to enter). */
  embedded: z.boolean(),
  paused: z.boolean(),
  /** Where its credentials are: never sent back, only whether and how they are kept. */
  credentials: z.enum(['not_needed', 'keychain', 'session', 'missing']),
  health: StoreHealthSchema,
  capabilities: MarketplaceCapabilitiesSchema,
  /** The store's own policy; null: it follows the seller's (Settings → Store policy). */
  policy: PolicySchema.nullable(),
  /** The store's own message templates; null: it offers the seller's. */
  messageTemplates: MessageTemplatesSchema.nullable(),
});
export type StoreView = z.infer<typeof StoreViewSchema>;

/** Credentials for a store: a marketplace API token (never sent back to the window). */
const StoreTokenSchema = z.string().trim().min(8).max(4_096);

export const StoreAddInputSchema = z.object({ name: StoreNameSchema, kind: MarketplaceKindSchema, url: z.lazy(() => MarketplaceUrlSchema), token: StoreTokenSchema }).strict();
export const StoreUpdateInputSchema = z
  .object({
    storeId: StoreIdSchema,
    name: StoreNameSchema.optional(),
    paused: z.boolean().optional(),
    token: StoreTokenSchema.optional(),
    /** A whole policy of the store's own; null: back to the seller's. */
    policy: PolicySchema.nullable().optional(),
    /** The store's own templates (the whole list); null: back to the seller's. */
    messageTemplates: MessageTemplatesSchema.nullable().optional(),
  })
  .strict();
export const StoreRemovedSchema = z.object({ storeId: z.string(), requestsRemoved: z.number().int(), auditEntriesKept: z.number().int() });

// --- The marketplace connection (settings; the shell keeps the token, design.md §10) ---

/** The authority of an http(s) URL (`user:pass@host:port`), read without the DOM's URL (shared/ has no DOM). */
function authorityOf(value: string): string {
  return /^https?:\/\/([^/?#]*)/i.exec(value)?.[1] ?? '';
}

function isLoopbackAuthority(authority: string): boolean {
  return /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i.test(authority);
}

/**
 * An https URL, or plain http to this machine only (a local marketplace); never with a user name
 * or password in it (the token is kept apart, encrypted). The desktop settings file uses it too.
 */
export const MarketplaceUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2_048)
  .refine((value) => !authorityOf(value).includes('@'), 'must not contain a user name or password (the token is entered separately)')
  .refine((value) => /^https:/i.test(value) || isLoopbackAuthority(authorityOf(value)), 'must be an https URL (plain http is allowed for localhost only)');

// --- AliExpress stores: the store's own app, and the seller's sign-in (protocol §3) ---

/** AliExpress's one documented gateway (protocol §1.1); a local sandbox is http on this machine. */
export const ALIEXPRESS_GATEWAY_URL = 'https://api-sg.aliexpress.com';

/** Printable characters without spaces: app keys and secrets are copied from the developer console. */
const PRINTABLE_TEXT = /^[\x21-\x7e]+$/;

/** The gateway root: https (or http on this machine, the sandbox), without query or fragment. */
export const AliExpressGatewaySchema = MarketplaceUrlSchema.refine((value) => !/[?#]/.test(value), 'must be the gateway address alone, without ? or #');

export const StoreAddAliExpressInputSchema = z
  .object({
    name: StoreNameSchema,
    gatewayUrl: AliExpressGatewaySchema.default(ALIEXPRESS_GATEWAY_URL),
    /** The App Key of the seller's app in the AliExpress developer console. */
    appKey: z.string().trim().min(1).max(64).regex(PRINTABLE_TEXT, 'must be printable characters without spaces'),
    /** Its App Secret: kept by the backend (keychain), never sent back. */
    appSecret: z.string().trim().min(8).max(256).regex(PRINTABLE_TEXT, 'must be printable characters without spaces'),
  })
  .strict();

/** Where the seller's browser goes to sign in, and where AliExpress sends it back. */
export const StoreSignInSchema = z.object({ authorizeUrl: z.string(), redirectUri: z.string() });
export type StoreSignIn = z.infer<typeof StoreSignInSchema>;

/** The paste fallback: the code AliExpress gave, or the whole address the browser landed on. */
export const StoreCompleteSignInInputSchema = z.object({ storeId: StoreIdSchema, pasted: z.string().trim().min(1).max(4_096) }).strict();

export const ConnectionSchema = z.object({
  /** What the app is connected to now. */
  active: z.object({ kind: z.enum(['demo', 'remote']), marketplaceUrl: z.string() }),
  /** What is saved for the next start (the same as active unless a change waits for a restart). */
  saved: z.object({ kind: z.enum(['demo', 'remote']), marketplaceUrl: z.string().nullable() }),
  /** A token is stored (it is never sent back). */
  tokenStored: z.boolean(),
  /** keychain: encrypted with the OS keychain (Electron safeStorage); session: kept in memory until the app stops. */
  tokenStorage: z.enum(['keychain', 'session']),
  restartRequired: z.boolean(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

export const ConnectionUpdateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('demo') }).strict(),
  z
    .object({
      kind: z.literal('remote'),
      marketplaceUrl: MarketplaceUrlSchema,
      /** Omitted: keep the stored token. */
      token: z.string().trim().min(8).max(4_096).optional(),
    })
    .strict(),
]);
export type ConnectionUpdate = z.infer<typeof ConnectionUpdateSchema>;

// --- The conversation with the buyer (issue point 5) ---

export const ThreadMessageSchema = z.object({
  id: z.string(),
  from: z.enum(['buyer', 'seller']),
  /** The buyer's is untrusted: shown as plain, bidi-isolated text only. */
  text: z.string(),
  at: IsoInstantSchema,
  /** received: the buyer's; pending: the seller's, in the outbox (undo window, or being sent); sent; failed (`failure` says why). */
  status: z.enum(['received', 'pending', 'sent', 'failed']),
  failure: z.string().nullable(),
});
export type ThreadMessage = z.infer<typeof ThreadMessageSchema>;

export const ThreadSchema = z.object({
  requestId: z.string(),
  /** Oldest first. */
  messages: z.array(ThreadMessageSchema),
  /** The store's marketplace: whether it takes messages from the desk, and the longest it takes. */
  marketplace: z.object({ name: z.string(), messages: z.boolean(), messageMax: z.number().int() }),
  /** The reply dialog's templates: the store's own, or the seller's (unfilled; the dialog fills them). */
  templates: MessageTemplatesSchema.optional(),
});
export type Thread = z.infer<typeof ThreadSchema>;

/** The most a message may carry over IPC; the store's marketplace limit is checked by the backend with a sentence. */
export const MESSAGE_INPUT_MAX = 100_000;

export const MessageSentSchema = z.object({
  /** `decisions.undo` with it takes the message back while the window is open. */
  batchId: z.string(),
  undoUntil: IsoInstantSchema,
  message: ThreadMessageSchema,
});
export type MessageSent = z.infer<typeof MessageSentSchema>;

export const CHANNELS = {
  'app.info': { input: NoInput, output: AppInfoSchema },
  'queue.list': { input: QueueListInputSchema, output: QueuePageSchema },
  'queue.counts': { input: NoInput, output: ViewCountsSchema },
  /** Each store's counts per view (the store filter beside the views). */
  'queue.storeCounts': { input: NoInput, output: z.record(z.string(), ViewCountsSchema) },
  'stores.list': { input: NoInput, output: z.array(StoreViewSchema) },
  'stores.add': { input: StoreAddInputSchema, output: StoreViewSchema },
  'stores.update': { input: StoreUpdateInputSchema, output: StoreViewSchema },
  'stores.remove': { input: z.object({ storeId: StoreIdSchema }).strict(), output: StoreRemovedSchema },
  /** An AliExpress store with its app (key and secret); its credentials are 'missing' until the seller signs in. */
  'stores.addAliExpress': { input: StoreAddAliExpressInputSchema, output: StoreViewSchema },
  /** Starts "Sign in with AliExpress" for an AliExpress store: the page to open in the browser. */
  'stores.signIn': { input: z.object({ storeId: StoreIdSchema }).strict(), output: StoreSignInSchema },
  /** Completes the waiting sign-in with a pasted code (or address), when the browser cannot come back by itself. */
  'stores.completeSignIn': { input: StoreCompleteSignInInputSchema, output: StoreViewSchema },
  'sync.status': { input: NoInput, output: SyncStatusSchema },
  'sync.now': {
    input: z.object({ full: z.boolean().default(false) }).strict(),
    output: SyncStatusSchema,
  },
  'requests.get': { input: z.object({ requestId: RequestIdSchema }).strict(), output: RequestDetailSchema },
  'decisions.decide': { input: DecideInputSchema, output: DecisionResultSchema },
  'decisions.plan': { input: DecideInputSchema, output: DecisionPlanSchema },
  'decisions.planRecommended': { input: PlanRecommendedInputSchema, output: RecommendedPlanSchema },
  /** Decides the confirmed recommendations in one batch (one `decisions.undo` takes them all back). */
  'decisions.decideRecommended': { input: DecideRecommendedInputSchema, output: DecisionResultSchema },
  'queue.ids': { input: QueueIdsInputSchema, output: QueueIdsSchema },
  'decisions.undo': { input: z.object({ batchId: z.string().min(1).max(64) }).strict(), output: UndoResultSchema },
  'notes.add': {
    input: z.object({ requestId: RequestIdSchema, text: z.string().trim().min(1, 'write something').max(5_000) }).strict(),
    output: z.object({ at: z.string(), text: z.string() }),
  },
  'requests.assign': {
    input: z.object({ requestIds: z.array(RequestIdSchema).min(1).max(5_000), assignee: z.enum(['me']).nullable() }).strict(),
    output: z.object({ updated: z.number().int() }),
  },
  'outbox.summary': { input: NoInput, output: OutboxSummarySchema },
  'outbox.retry': { input: z.object({ outboxId: z.string().min(1).max(64) }).strict(), output: DecisionResultSchema },
  'outbox.resolve': {
    input: z.object({ outboxId: z.string().min(1).max(64), resolution: z.enum(['mark_sent', 'send_again']) }).strict(),
    output: z.object({ status: z.enum(['done', 'retry']) }),
  },
  'refunds.retry': { input: z.object({ requestId: RequestIdSchema }).strict(), output: z.object({ outboxId: z.string() }) },
  'conflicts.dismiss': { input: z.object({ requestId: RequestIdSchema }).strict(), output: z.object({ dismissed: z.boolean() }) },
  'evidence.get': {
    input: z.object({ evidenceId: z.string().min(1).max(64) }).strict(),
    output: z.object({ contentType: z.string(), dataBase64: z.string(), fetchedAt: z.string() }),
  },
  /** A photo for the refusal or offer being written (checked, stored privately); not sent until decided. */
  'evidence.attach': { input: AttachEvidenceInputSchema, output: AttachedPhotoSchema },
  /** Removes a photo attached but not decided yet (the dialog's remove button, or a cancelled dialog). */
  'evidence.detach': { input: DetachEvidenceInputSchema, output: z.object({ detached: z.boolean() }) },
  'audit.list': { input: AuditListInputSchema, output: z.array(AuditEntrySchema) },
  'audit.exportCsv': {
    input: z.object({ requestId: RequestIdSchema.nullable().default(null) }).strict(),
    output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  },
  'settings.get': { input: NoInput, output: SettingsSchema },
  'settings.update': { input: SettingsPatchSchema, output: SettingsSchema },
  'insights.get': { input: InsightsInputSchema, output: InsightsSchema },
  /** The whole view (or search) as CSV: RFC 4180, UTF-8 with BOM, formulas neutralised. */
  'queue.exportCsv': { input: QueueExportInputSchema, output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }) },
  /** Records the marketplace sent malformed, kept aside at sync (the status bar's "set aside"). */
  'quarantine.list': {
    input: z.object({ limit: z.number().int().min(1).max(1_000).default(200) }).strict(),
    output: SetAsideListSchema,
  },
  /** Every record set aside, as CSV: RFC 4180, UTF-8 with BOM, formulas neutralised. */
  'quarantine.exportCsv': { input: NoInput, output: z.object({ fileName: z.string(), csv: z.string(), rows: z.number().int() }) },
  'connection.get': { input: NoInput, output: ConnectionSchema },
  'connection.update': { input: ConnectionUpdateSchema, output: ConnectionSchema },
  /** The conversation with the buyer about one request, oldest first (synced and still on its way). */
  'messages.list': { input: z.object({ requestId: RequestIdSchema }).strict(), output: ThreadSchema },
  /** A message to the buyer, through the outbox like a decision (undo window, exactly once). */
  'messages.send': { input: z.object({ requestId: RequestIdSchema, text: z.string().max(MESSAGE_INPUT_MAX) }).strict(), output: MessageSentSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type ChannelName = keyof typeof CHANNELS;
/** What a caller may pass (defaults optional). */
export type ChannelInput<C extends ChannelName> = z.input<(typeof CHANNELS)[C]['input']>;
/** What a handler receives after validation (defaults filled). */
export type ChannelParsedInput<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['output']>;

/** A command chosen in the app menu (main builds it from shared/commands.ts); the renderer runs it. */
export const CommandInvokeSchema = z.object({
  id: z.custom<CommandId>((value) => isCommandId(value), { message: 'Not a command of the catalogue.' }),
});
export type CommandInvoke = z.infer<typeof CommandInvokeSchema>;

export const EVENTS = {
  'sync.status': SyncStatusSchema,
  'queue.changed': z.object({ counts: ViewCountsSchema }),
  'stores.changed': z.array(StoreViewSchema),
  'settings.changed': SettingsSchema,
  'command.invoke': CommandInvokeSchema,
  'outbox.changed': OutboxSummarySchema,
} as const satisfies Record<string, z.ZodType>;
export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}
