import { z } from 'zod';
import { CancelRequestSchema, type CancelRequest } from '../../../../shared/domain/request';
import { DeskError } from '../../../../shared/errors';
import { describeIssues } from '../../../../shared/ipc/dispatch';
import { MoneySchema } from '../../../../shared/money';
import type { ActOutcome, ActionCall, ActionName, AppliedResult, ReadOutcome } from '../adapter';
import type { MarketplaceHttpClient } from '../http-client';
import { uploadAttachments } from './uploads';

/** The demo's answer to an action it applied. */
const ActionAnswerSchema = z.object({
  request: CancelRequestSchema,
  // Checked by the dispatcher on its own: an order the marketplace keeps sending malformed must
  // not turn an action it applied into a failure.
  order: z.unknown(),
  refund: MoneySchema.nullable(),
});

const ErrorAnswerSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }).loose(),
});

/** The demo's change log of one request (GET /v1/requests/:id/history). */
const HistorySchema = z.object({
  items: z
    .array(
      z
        .object({
          actor: z.string().max(40),
          action: z.string().max(40),
          fromVersion: z.number().int().min(0).nullable(),
          toVersion: z.number().int().min(1),
          refund: MoneySchema.nullable(),
          at: z.string().max(40).optional(),
          details: z.record(z.string(), z.unknown()).optional(),
        })
        .loose(),
    )
    .max(100_000),
});

/** The demo's ledger names for the desk's actions. */
const LEDGER_ACTION: Readonly<Record<ActionName, string>> = {
  accept: 'accept',
  refuse: 'refuse',
  'request-evidence': 'request_evidence',
  offer: 'offer',
  escalate: 'escalate',
  'retry-refund': 'retry_refund',
  message: 'message',
};

const path = (requestId: string): string => `/v1/requests/${encodeURIComponent(requestId)}`;

/** One call, never repeated by the client: what came of it, as the dispatcher needs to know. */
export async function actOnDemo(http: MarketplaceHttpClient, call: ActionCall): Promise<ActOutcome> {
  // The seller's photos first (uploads.ts): the action names what they became.
  const uploaded = await uploadAttachments(http, call);
  if (uploaded.kind === 'not_acted') return uploaded.outcome;
  const attempt = await http.once(`${path(call.requestId)}/${call.action}`, {
    method: 'POST',
    // A message carries its text only: when it was decided is the desk's, for readOutcome.
    body: call.action === 'message' ? { text: call.body.text } : uploaded.evidenceIds.length > 0 ? { ...call.body, evidenceIds: uploaded.evidenceIds } : call.body,
    // A second line of defence: the demo may be told to ignore it, as most marketplaces do.
    headers: { 'Idempotency-Key': call.id },
  });
  if (attempt.kind === 'network') {
    return attempt.nobodyThere
      ? { kind: 'not_sent', code: 'marketplace_unreachable', message: `Nobody answered at ${http.baseUrl} (${attempt.detail}).` }
      : { kind: 'unknown', code: 'no_answer', message: `The marketplace did not answer (${attempt.detail}); it may have applied the decision.` };
  }
  const { answer } = attempt;
  if (answer.status >= 200 && answer.status < 300) {
    const parsed = ActionAnswerSchema.safeParse(answer.body);
    if (!parsed.success) {
      return { kind: 'unknown', code: 'invalid_payload', message: `The marketplace's answer is malformed: ${describeIssues(parsed.error).slice(0, 300)}` };
    }
    return { kind: 'applied', result: parsed.data };
  }
  const error = ErrorAnswerSchema.safeParse(answer.body);
  const code = error.success ? error.data.error.code : `http_${answer.status}`;
  const message = error.success ? error.data.error.message.slice(0, 500) : `The marketplace answered HTTP ${answer.status}.`;
  // The demo answers 429 before it handles anything.
  if (answer.status === 429) return { kind: 'not_sent', code, message };
  if (answer.status >= 500) return { kind: 'unknown', code, message };
  // An earlier attempt under this key is still being handled: it may land.
  if (answer.status === 409 && code === 'idempotency_in_flight') return { kind: 'unknown', code, message };
  if (answer.status === 409) return { kind: 'conflict', code, message };
  if (answer.status === 422 && code === 'idempotency_key_reused') {
    return {
      kind: 'rejected',
      code: 'idempotency_mismatch',
      message: `Cancel Desk sent a different decision under the same key (${call.id}); it was not retried. Please report this.`,
    };
  }
  return { kind: 'rejected', code, message };
}

/**
 * Whether an earlier attempt was applied, from the request's change log: every change bumps the
 * request's version, and a seller action is only applied against the version it names, so at most
 * one change was ever applied against `expectedVersion`; it is ours when it is our action.
 */
export async function readDemoOutcome(http: MarketplaceHttpClient, call: ActionCall): Promise<ReadOutcome> {
  if (call.action === 'message') return readMessageOutcome(http, call);
  const expectedVersion = call.body.expectedVersion;
  if (typeof expectedVersion !== 'number') {
    return { kind: 'cannot_tell', reason: 'the decision names no version of the request to compare with' };
  }
  const answer = await http.call(`${path(call.requestId)}/history`, { accept: [404] });
  if (answer.status === 404) return { kind: 'cannot_tell', reason: 'the marketplace no longer has this request' };
  const history = HistorySchema.safeParse(answer.body);
  if (!history.success) {
    return { kind: 'cannot_tell', reason: `the marketplace's history of the request is unreadable (${describeIssues(history.error).slice(0, 200)})` };
  }
  // A message is listed at its version but changes nothing: only changes are compared.
  const change = history.data.items.find((item) => item.fromVersion === expectedVersion && item.action !== LEDGER_ACTION.message);
  if (change === undefined || change.actor !== 'seller' || change.action !== LEDGER_ACTION[call.action]) return { kind: 'not_applied' };
  const request = await fetchDemoRequest(http, call.requestId);
  if (request === null) return { kind: 'cannot_tell', reason: 'the marketplace no longer has this request' };
  const order = await http.call(`/v1/orders/${encodeURIComponent(request.orderId)}`, { accept: [404] });
  const result: AppliedResult = { request, order: order.status === 404 ? null : order.body, refund: change.refund };
  return { kind: 'applied', result };
}

/**
 * Whether a message landed: messages keep no version, so the history is searched for a seller
 * message with the same text written at or after the moment the seller wrote it here (decidedAt).
 */
async function readMessageOutcome(http: MarketplaceHttpClient, call: ActionCall): Promise<ReadOutcome> {
  const { text, decidedAt } = call.body;
  if (typeof text !== 'string' || typeof decidedAt !== 'string') {
    return { kind: 'cannot_tell', reason: 'the message names no text or time to look for' };
  }
  const answer = await http.call(`${path(call.requestId)}/history`, { accept: [404] });
  if (answer.status === 404) return { kind: 'cannot_tell', reason: 'the marketplace no longer has this request' };
  const history = HistorySchema.safeParse(answer.body);
  if (!history.success) {
    return { kind: 'cannot_tell', reason: `the marketplace's history of the request is unreadable (${describeIssues(history.error).slice(0, 200)})` };
  }
  const landed = history.data.items.some(
    (item) => item.actor === 'seller' && item.action === LEDGER_ACTION.message && item.details?.text === text && item.at !== undefined && Date.parse(item.at) >= Date.parse(decidedAt),
  );
  if (!landed) return { kind: 'not_applied' };
  const request = await fetchDemoRequest(http, call.requestId);
  if (request === null) return { kind: 'cannot_tell', reason: 'the marketplace no longer has this request' };
  const order = await http.call(`/v1/orders/${encodeURIComponent(request.orderId)}`, { accept: [404] });
  return { kind: 'applied', result: { request, order: order.status === 404 ? null : order.body, refund: null } };
}

export async function fetchDemoRequest(http: MarketplaceHttpClient, requestId: string): Promise<CancelRequest | null> {
  const answer = await http.call(path(requestId), { accept: [404] });
  if (answer.status === 404) return null;
  const parsed = CancelRequestSchema.safeParse(answer.body);
  if (!parsed.success) throw new DeskError('invalid_payload', `The marketplace's copy of request ${requestId} is malformed: ${describeIssues(parsed.error).slice(0, 300)}`);
  return parsed.data;
}
