import { z } from 'zod';
import { MoneySchema } from '../money';
import { IsoInstantSchema } from './time';

/** `cancel`: the buyer asks before shipment; `dispute`: a refund dispute after shipment. */
export const RequestKindSchema = z.enum(['cancel', 'dispute']);
export type RequestKind = z.infer<typeof RequestKindSchema>;

export const REQUEST_STATES = [
  'requested',
  'accepted',
  'refunded',
  'refused',
  'escalated',
  'proof_requested',
  'proof_submitted',
  'offer_made',
  'refused_by_buyer',
  'withdrawn',
  'auto_accepted',
  'closed_by_platform',
] as const;
export const RequestStateSchema = z.enum(REQUEST_STATES);
export type RequestState = z.infer<typeof RequestStateSchema>;

export const BUYER_REASONS = [
  'changed_mind',
  'ordered_by_mistake',
  'found_cheaper',
  'shipping_too_slow',
  'wrong_address',
  'payment_issue',
  'not_received',
  'not_as_described',
  'damaged',
  'wrong_item',
  'missing_parts',
  'counterfeit',
] as const;
export const BuyerReasonSchema = z.enum(BUYER_REASONS);
export type BuyerReason = z.infer<typeof BuyerReasonSchema>;

export const EvidenceSchema = z.object({
  id: z.string().min(1).max(64),
  kind: z.enum(['photo', 'video']),
  fileName: z.string().min(1).max(200),
  contentType: z.string().max(100),
  bytes: z.number().int().min(0),
  submittedAt: IsoInstantSchema,
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ProofRequestSchema = z.object({
  message: z.string().max(2000),
  dueAt: IsoInstantSchema,
});
export type ProofRequest = z.infer<typeof ProofRequestSchema>;

export const ResolutionSchema = z.object({
  /** refund_failed: the marketplace could not pay the accepted refund out; the seller may retry it. */
  outcome: z.enum(['refunded', 'refund_failed', 'refused', 'withdrawn', 'decided_by_platform']),
  amount: MoneySchema.nullable(),
  decidedAt: IsoInstantSchema,
  by: z.enum(['seller', 'buyer', 'platform']),
});
export type Resolution = z.infer<typeof ResolutionSchema>;

export const CancelRequestSchema = z.object({
  id: z.string().min(1).max(64),
  orderId: z.string().min(1).max(64),
  storeId: z.string().min(1).max(64),
  kind: RequestKindSchema,
  reason: BuyerReasonSchema,
  /** Untrusted buyer text: shown as plain text only. */
  buyerMessage: z.string().max(5000),
  requestedAt: IsoInstantSchema,
  /** Deadline reported by the marketplace; past it the platform decides. */
  respondBy: IsoInstantSchema,
  requestedAmount: MoneySchema,
  /** The refund cap the marketplace reports for this request. */
  refundMax: MoneySchema,
  state: RequestStateSchema,
  evidence: z.array(EvidenceSchema).max(50),
  proofRequest: ProofRequestSchema.nullable(),
  /** The seller's current partial-refund offer, when one is made. */
  offer: MoneySchema.nullable(),
  resolution: ResolutionSchema.nullable(),
  updatedAt: IsoInstantSchema,
  version: z.number().int().min(1),
});
export type CancelRequest = z.infer<typeof CancelRequestSchema>;
