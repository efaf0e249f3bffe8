import { describe, expect, it } from 'vitest';
import { DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../../shared/domain/marketplace';
import { DEFAULT_POLICY, attachmentsBlock, planAction, planBulk, planWithoutOrder } from '../../../../shared/rules';
import { NOW, makeOrder, makeRequest, usd } from '../factories';

function withEvidence(evidence: Partial<MarketplaceCapabilities['evidence']>): MarketplaceCapabilities {
  return { ...DEMO_CAPABILITIES, name: 'AliExpress', evidence: { ...DEMO_CAPABILITIES.evidence, ...evidence } };
}

const shipped = makeOrder({ status: 'shipped', shippedAt: '2026-11-23T09:30:00.000Z' });
const dispute = makeRequest({ kind: 'dispute' }, shipped);
const refuse = (attachments: string[]) => ({ type: 'refuse', reason: 'other', note: 'See the photos.', attachments }) as const;

describe('attachmentsBlock: photos with a refusal or an offer, as the marketplace takes them', () => {
  it('lets none through anywhere, and any number where no marketplace is named', () => {
    expect(attachmentsBlock(withEvidence({ upload: false }), 'refuse', [])).toBeNull();
    expect(attachmentsBlock(withEvidence({ upload: false }), 'refuse', undefined)).toBeNull();
    expect(attachmentsBlock(null, 'offer', Array.from({ length: 50 }, (_, index) => `p-${index}`))).toBeNull();
  });

  it('refuses photos where the marketplace takes no uploads, and more than it takes, with a sentence', () => {
    expect(attachmentsBlock(withEvidence({ upload: false }), 'offer', ['p-1'])).toEqual({
      code: 'not_supported_by_marketplace',
      field: 'attachments',
      message: 'Cannot make an offer: AliExpress takes no photos from Cancel Desk; send it without them, or add them on AliExpress.',
    });
    expect(attachmentsBlock(withEvidence({ maxFiles: 0 }), 'refuse', ['p-1'])?.code).toBe('not_supported_by_marketplace');
    expect(attachmentsBlock(withEvidence({ maxFiles: 3 }), 'refuse', ['a', 'b', 'c'])).toBeNull();
    expect(attachmentsBlock(withEvidence({ maxFiles: 3 }), 'refuse', ['a', 'b', 'c', 'd'])).toEqual({
      code: 'too_many_attachments',
      field: 'attachments',
      message: 'Cannot refuse: AliExpress takes at most 3 photos with a decision; this one has 4.',
    });
  });

  it('planAction, planWithoutOrder and planBulk keep the photos in the planned action, or block them', () => {
    const planned = planAction(shipped, dispute, refuse(['p-1', 'p-2']), DEFAULT_POLICY, NOW, DEMO_CAPABILITIES);
    expect(planned.ok && planned.value.action).toMatchObject({ type: 'refuse', attachments: ['p-1', 'p-2'] });
    const none = planAction(shipped, dispute, refuse([]), DEFAULT_POLICY, NOW, DEMO_CAPABILITIES);
    expect(none.ok && 'attachments' in none.value.action).toBe(false);
    expect(planAction(shipped, dispute, refuse(['p-1', 'p-2']), DEFAULT_POLICY, NOW, withEvidence({ maxFiles: 1 }))).toMatchObject({ ok: false, error: { code: 'too_many_attachments' } });
    expect(planWithoutOrder(dispute, refuse(['p-1']), DEFAULT_POLICY, NOW, withEvidence({ upload: false }))).toMatchObject({ ok: false, error: { code: 'not_supported_by_marketplace', field: 'attachments' } });
    const offer = planAction(shipped, dispute, { type: 'offer', amount: usd(1000), attachments: ['p-1'] }, DEFAULT_POLICY, NOW, DEMO_CAPABILITIES);
    expect(offer.ok && offer.value.action).toEqual({ type: 'offer', amount: usd(1000), attachments: ['p-1'] });
    const bulk = planBulk([{ order: shipped, request: dispute }], 'offer', { percent: 10, attachments: ['p-1'] }, DEFAULT_POLICY, NOW, withEvidence({ upload: false }));
    expect(bulk.items[0]).toMatchObject({ status: 'skipped', code: 'not_supported_by_marketplace' });
  });
});
