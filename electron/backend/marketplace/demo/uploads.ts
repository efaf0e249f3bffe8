import { z } from 'zod';
import { describeIssues } from '../../../../shared/ipc/dispatch';
import type { ActOutcome, ActionCall } from '../adapter';
import type { MarketplaceHttpClient } from '../http-client';

/** The demo's answer to an upload (POST /v1/requests/:id/evidence). */
const UploadAnswerSchema = z.object({ id: z.string().min(1).max(64) }).loose();

const ErrorAnswerSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }).loose(),
});

/** The actions the demo takes photos with (its refuse and offer bodies' evidenceIds). */
const WITH_PHOTOS: ReadonlySet<ActionCall['action']> = new Set(['refuse', 'offer']);

export type Uploaded = { readonly kind: 'uploaded'; readonly evidenceIds: string[] } | { readonly kind: 'not_acted'; readonly outcome: ActOutcome };

/**
 * Uploads a call's photos, one POST each, before the action is sent. Any failure here means the
 * action itself was never sent: the outcome is `not_sent` (try later: a photo uploaded twice is a
 * harmless duplicate, and the decision still goes once: readOutcome guards it) or `rejected` when
 * the marketplace refuses the photo itself. Never `unknown`: nothing of the decision may have
 * landed, so there is nothing to read back first. Each upload carries a key derived from the
 * decision and the photo, so a marketplace that honours keys answers a repeat with the same id
 * (and a resent decision carries the same body under its own key).
 */
export async function uploadAttachments(http: MarketplaceHttpClient, call: ActionCall): Promise<Uploaded> {
  const attachments = call.attachments ?? [];
  if (attachments.length === 0) return { kind: 'uploaded', evidenceIds: [] };
  if (!WITH_PHOTOS.has(call.action)) {
    return { kind: 'not_acted', outcome: { kind: 'rejected', code: 'attachments_not_supported', message: `The demo marketplace takes photos with a refusal or an offer only, not with ${call.action}.` } };
  }
  const evidenceIds: string[] = [];
  for (const attachment of attachments) {
    const attempt = await http.once(`/v1/requests/${encodeURIComponent(call.requestId)}/evidence`, {
      method: 'POST',
      rawBody: { bytes: attachment.bytes, contentType: attachment.contentType },
      headers: { 'Idempotency-Key': `${call.id}.${attachment.id}` },
    });
    const notSent = (code: string, why: string): Uploaded => ({
      kind: 'not_acted',
      outcome: { kind: 'not_sent', code, message: `The photo ${attachment.fileName} did not reach the marketplace (${why}); the decision was not sent and will be tried again.` },
    });
    if (attempt.kind === 'network') return notSent(attempt.nobodyThere ? 'marketplace_unreachable' : 'no_answer', attempt.detail);
    const { answer } = attempt;
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = UploadAnswerSchema.safeParse(answer.body);
      if (!parsed.success) return notSent('invalid_payload', `its answer is malformed: ${describeIssues(parsed.error).slice(0, 200)}`);
      evidenceIds.push(parsed.data.id);
      continue;
    }
    const error = ErrorAnswerSchema.safeParse(answer.body);
    const code = error.success ? error.data.error.code : `http_${answer.status}`;
    const message = error.success ? error.data.error.message.slice(0, 500) : `HTTP ${answer.status}`;
    if (answer.status === 429 || answer.status >= 500) return notSent(code, message);
    return { kind: 'not_acted', outcome: { kind: 'rejected', code, message: `The marketplace refused the photo ${attachment.fileName}: ${message}` } };
  }
  return { kind: 'uploaded', evidenceIds };
}
