import { z } from 'zod';
import { isChannelName, isEventName, StoreIdSchema, type EventName } from '../../shared/ipc/contract';
import { isBackendChannel, type BackendChannel } from '../backend/channels';
import type { DeadlineAlert } from '../backend/alerts/deadline-alerts';
import type { MarketplaceChoice } from './marketplace-choice';

/** The store a configured marketplace (desktop settings) becomes; its token is the origin-tied one (marketplace-token.ts). */
export const CONFIGURED_STORE_ID = 'marketplace';

const ErrorShapeSchema = z.object({ code: z.string(), message: z.string() });

const ResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorShapeSchema }),
]);

/** Main's answer to a `secret-save`: kept in the keychain, or why not (nothing was kept then). */
const SecretSavedResultSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: ErrorShapeSchema })]);

const MessageIdSchema = z.number().int().positive();

/**
 * What main may send. The worker checks every message against it, as main checks the worker's:
 * a call's input was validated against its channel's schema by main's binding helper already.
 */
export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call'),
    id: MessageIdSchema,
    channel: z.custom<BackendChannel>((channel) => isChannelName(channel) && isBackendChannel(channel), 'not a channel the backend serves'),
    input: z.unknown(),
  }),
  /** The answer to the worker's `secret-save` of the same id. */
  z.object({ type: z.literal('secret-saved'), id: MessageIdSchema, result: SecretSavedResultSchema }),
  z.object({ type: z.literal('close') }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

const DeadlineAlertSchema = z.object({
  title: z.string(),
  body: z.string(),
  requestIds: z.array(z.string()),
}) satisfies z.ZodType<DeadlineAlert>;

/**
 * What the worker may send. Main checks every message against it (a bug or a corrupted message
 * in the worker must not crash main or answer the wrong call); payloads and values are the
 * contract's business and are checked where they are used.
 */
export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('result'), id: MessageIdSchema, result: ResultSchema }),
  z.object({ type: z.literal('event'), event: z.custom<EventName>(isEventName, 'not an event of the contract'), payload: z.unknown() }),
  /** The backend's log lines, written to the app's log file by main (which redacts them). */
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** A deadline notification the backend decided on; main shows it. */
  z.object({ type: z.literal('deadline-alert'), alert: DeadlineAlertSchema }),
  /**
   * Keep a store's token in the keychain (null: delete it), which only main can reach; main
   * answers `secret-saved` with the same id once it is on disk, or why it is not.
   */
  z.object({ type: z.literal('secret-save'), id: MessageIdSchema, storeId: StoreIdSchema, token: z.string().min(1).max(4_096).nullable() }),
  z.object({ type: z.literal('closed') }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
export type SecretSavedResult = z.infer<typeof SecretSavedResultSchema>;

/** The type and id a malformed message claims (so the request it answers fails instead of waiting forever). */
export function claimedMessageId(message: unknown): { type: string; id: number } | undefined {
  if (typeof message !== 'object' || message === null || !('type' in message) || !('id' in message)) return undefined;
  return typeof message.type === 'string' && typeof message.id === 'number' ? { type: message.type, id: message.id } : undefined;
}

export interface WorkerConfig {
  dataDir: string;
  appVersion: string;
  /** The embedded demo, or a configured marketplace with the token main decrypted. */
  marketplace: MarketplaceChoice;
  /**
   * The tokens of the stores the seller added (storeId -> token), decrypted by main from the
   * keychain; the worker keeps them in memory and asks main to store every change.
   */
  storeTokens: Readonly<Record<string, string>>;
}
