import { z } from 'zod';
import { TrackingSchema } from '../../shared/domain/order';
import { BuyerReasonSchema } from '../../shared/domain/request';
import { IsoInstantSchema } from '../../shared/domain/time';
import { MoneySchema } from '../../shared/money';
import { FaultConfigSchema } from './faults';
import { IdempotencyKeyModeSchema } from './idempotency';

/**
 * Request bodies the demo marketplace accepts. Strict: an unknown field is a 400 naming it, so
 * a client typo never passes silently.
 */

const ExpectedVersion = z.number().int().min(1);

export const AcceptBodySchema = z.strictObject({
  expectedVersion: ExpectedVersion,
  amount: MoneySchema,
});

export const RefuseBodySchema = z.strictObject({
  expectedVersion: ExpectedVersion,
  /** A refusal reason code, e.g. "already_shipped", "item_as_described". */
  reason: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a lowercase code like "already_shipped"'),
  memo: z.string().max(2000),
  tracking: TrackingSchema.optional(),
  /** The seller's uploads that go with it (POST /v1/requests/:id/evidence), each of this request. */
  evidenceIds: z.array(z.string().min(1).max(64)).max(10).optional(),
});

export const RequestEvidenceBodySchema = z.strictObject({
  expectedVersion: ExpectedVersion,
  message: z.string().min(1).max(2000),
  dueAt: IsoInstantSchema,
});

export const OfferBodySchema = z.strictObject({
  expectedVersion: ExpectedVersion,
  amount: MoneySchema,
  evidenceIds: z.array(z.string().min(1).max(64)).max(10).optional(),
});

export const EscalateBodySchema = z.strictObject({
  expectedVersion: ExpectedVersion,
});

/** Retrying a refund the platform failed to pay out carries only the version it was seen at. */
export const RetryRefundBodySchema = z.strictObject({
  expectedVersion: ExpectedVersion,
});

/** Idempotency-Key: 1 to 200 printable ASCII characters. */
export const IdempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/);

// --- /_sim admin bodies ---

export const AdvanceBodySchema = z.strictObject({
  ms: z.number().int().min(0).max(366 * 24 * 3_600_000),
});

export const FaultsBodySchema = FaultConfigSchema;

export const IdempotencyKeysBodySchema = z.strictObject({
  idempotencyKeys: IdempotencyKeyModeSchema,
});

export const OpenRequestBodySchema = z.strictObject({
  orderId: z.string().min(1).max(64),
  reason: BuyerReasonSchema.optional(),
  buyerMessage: z.string().max(5000).optional(),
  requestedAmount: MoneySchema.optional(),
});

export const SubmitProofBodySchema = z.strictObject({
  photos: z.number().int().min(1).max(10).default(2),
});

export const AnswerOfferBodySchema = z.strictObject({
  accept: z.boolean(),
});

export const EmptyBodySchema = z.strictObject({});
