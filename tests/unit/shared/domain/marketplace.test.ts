import { describe, expect, it } from 'vitest';
import { RefuseBodySchema, RequestEvidenceBodySchema } from '../../../../electron/simulator/schemas';
import { DEMO_CAPABILITIES, MarketplaceCapabilitiesSchema, supportsAction } from '../../../../shared/domain/marketplace';

describe('DEMO_CAPABILITIES', () => {
  it('is valid capabilities, frozen so no caller can change them for everyone', () => {
    expect(MarketplaceCapabilitiesSchema.parse(DEMO_CAPABILITIES)).toEqual(DEMO_CAPABILITIES);
    expect(Object.isFrozen(DEMO_CAPABILITIES)).toBe(true);
    expect(Object.isFrozen(DEMO_CAPABILITIES.actions.cancel)).toBe(true);
  });

  it("declares the demo marketplace's text limits as its request bodies enforce them", () => {
    expect(RefuseBodySchema.shape.memo.maxLength).toBe(DEMO_CAPABILITIES.limits.refusalNoteMax);
    expect(RequestEvidenceBodySchema.shape.message.maxLength).toBe(DEMO_CAPABILITIES.limits.messageMax);
  });

  it('has accept and refuse for a cancellation, every action for a dispute', () => {
    expect(['accept', 'refuse', 'request_proof', 'offer', 'escalate'].filter((action) => supportsAction(DEMO_CAPABILITIES, 'cancel', action as 'accept'))).toEqual(['accept', 'refuse']);
    expect(DEMO_CAPABILITIES.actions.dispute).toEqual(['accept', 'refuse', 'request_proof', 'offer', 'escalate']);
  });
});
