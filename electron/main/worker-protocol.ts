import { z } from 'zod';
import { isEventName, type EventName } from '../../shared/ipc/contract';
import type { BackendChannel } from '../backend/channels';
import type { DeadlineAlert } from '../backend/alerts/deadline-alerts';
import type { MarketplaceChoice } from './marketplace-choice';

/** Messages between the main thread and the backend worker thread. */
export type ToWorker = { type: 'call'; id: number; channel: BackendChannel; input: unknown } | { type: 'close' };

const ResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

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
  z.object({ type: z.literal('result'), id: z.number().int().positive(), result: ResultSchema }),
  z.object({ type: z.literal('event'), event: z.custom<EventName>(isEventName, 'not an event of the contract'), payload: z.unknown() }),
  /** The backend's log lines, written to the app's log file by main (which redacts them). */
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** A deadline notification the backend decided on; main shows it. */
  z.object({ type: z.literal('deadline-alert'), alert: DeadlineAlertSchema }),
  z.object({ type: z.literal('closed') }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;

export interface WorkerConfig {
  dataDir: string;
  appVersion: string;
  /** The embedded demo, or a configured marketplace with the token main decrypted. */
  marketplace: MarketplaceChoice;
}
