import type { CapabilityAction, MarketplaceCapabilities } from '../../../../shared/domain/marketplace';

/**
 * What AliExpress's seller APIs let the desk do (protocol §5):
 * - a cancellation before shipment: accept (`acceptcancel`) or refuse with a memo (`refusecancel`);
 *   nothing else exists for it;
 * - a dispute after shipment: agree to the buyer's solution (`solution.agree`), refuse it with a
 *   seller solution of no refund, or counter with a partial refund (`solution.save`), and ask for
 *   proof — AliExpress has no endpoint for that, so the desk writes to the buyer (IM) and tracks
 *   the due date itself. Escalation is the platform's and the buyer's, never the seller's by API.
 * Limits: the memo and the solution text are capped at 512 characters (the sandbox's rule until a
 * live run tells, protocol Q13); IM texts at 1,000. Photos: JPEG or PNG, 5 MiB, 5 per decision
 * (`issue.image.upload`, protocol Q10). No idempotency keys anywhere.
 */
export const ALIEXPRESS_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  kind: 'aliexpress',
  name: 'AliExpress',
  actions: Object.freeze({
    cancel: Object.freeze(['accept', 'refuse']) as CapabilityAction[],
    dispute: Object.freeze(['accept', 'refuse', 'request_proof', 'offer']) as CapabilityAction[],
  }),
  proofRequest: 'message',
  idempotencyKeys: false,
  limits: Object.freeze({ refusalNoteMax: 512, messageMax: 1000 }),
  evidence: Object.freeze({
    upload: true,
    contentTypes: Object.freeze(['image/jpeg', 'image/png']) as string[],
    maxBytes: 5 * 1024 * 1024,
    maxFiles: 5,
  }),
  messages: true,
});
