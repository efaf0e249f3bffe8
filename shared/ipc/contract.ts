import { z } from 'zod';
import { PHASES } from '../domain/order';
import { BuyerReasonSchema, RequestKindSchema, RequestStateSchema } from '../domain/request';
import { IsoInstantSchema } from '../domain/time';
import { VIEW_IDS } from '../domain/views';
import { MoneySchema } from '../money';
import { SettingsPatchSchema, SettingsSchema } from '../settings';

/**
 * The IPC contract: every channel's input schema (validated at the boundary) and output schema
 * (types only; outputs come from our own backend). Types are derived, never written twice.
 */

const NoInput = z.object({}).strict();

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
    /** Order id, buyer name or SKU (prefix of a word, case-insensitive); within the view. */
    search: z.string().trim().max(100).default(''),
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
  resource: z.enum(['orders', 'requests']),
  pages: z.number().int(),
  items: z.number().int(),
  itemsPerSecond: z.number(),
  /** Estimated from how far the pass has come through the change feed's time range. */
  etaSeconds: z.number().nullable(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

export const SyncStatusSchema = z.object({
  /** idle: up to date; syncing: a pass runs; unreachable: the marketplace did not answer. */
  state: z.enum(['idle', 'syncing', 'unreachable', 'error']),
  marketplaceUrl: z.string(),
  lastSyncAt: IsoInstantSchema.nullable(),
  nextAttemptAt: IsoInstantSchema.nullable(),
  message: z.string().nullable(),
  progress: SyncProgressSchema.nullable(),
  /** Records the marketplace sent that failed validation and were kept aside. */
  quarantined: z.number().int(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  marketplaceUrl: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const CHANNELS = {
  'app.info': { input: NoInput, output: AppInfoSchema },
  'queue.list': { input: QueueListInputSchema, output: QueuePageSchema },
  'queue.counts': { input: NoInput, output: ViewCountsSchema },
  'sync.status': { input: NoInput, output: SyncStatusSchema },
  'sync.now': {
    input: z.object({ full: z.boolean().default(false) }).strict(),
    output: SyncStatusSchema,
  },
  'settings.get': { input: NoInput, output: SettingsSchema },
  'settings.update': { input: SettingsPatchSchema, output: SettingsSchema },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type ChannelName = keyof typeof CHANNELS;
/** What a caller may pass (defaults optional). */
export type ChannelInput<C extends ChannelName> = z.input<(typeof CHANNELS)[C]['input']>;
/** What a handler receives after validation (defaults filled). */
export type ChannelParsedInput<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof CHANNELS)[C]['output']>;

export const EVENTS = {
  'sync.status': SyncStatusSchema,
  'queue.changed': z.object({ counts: ViewCountsSchema }),
  'settings.changed': SettingsSchema,
} as const satisfies Record<string, z.ZodType>;
export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}
