import { z } from 'zod';
import { IsoInstantSchema } from './time';

/** Longest message text Cancel Desk reads from a marketplace (a marketplace's own limit is in its capabilities). */
export const MESSAGE_TEXT_MAX = 5000;

/**
 * One message of the conversation with the buyer about a request, as the marketplace keeps it.
 * Messages never change once written: `updatedAt` is when it was written, `version` is 1.
 */
export const BuyerMessageSchema = z.object({
  id: z.string().min(1).max(64),
  requestId: z.string().min(1).max(64),
  orderId: z.string().min(1).max(64),
  from: z.enum(['buyer', 'seller']),
  /** Untrusted when the buyer wrote it: shown as plain, bidi-isolated text only. */
  text: z.string().max(MESSAGE_TEXT_MAX),
  at: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
  version: z.number().int().min(1),
});
export type BuyerMessage = z.infer<typeof BuyerMessageSchema>;
