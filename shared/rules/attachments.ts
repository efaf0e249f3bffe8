import type { MarketplaceCapabilities } from '../domain/marketplace';
import { cannot } from './states';
import { violation, type RuleViolation } from './violations';

/**
 * The seller's photos (a shipping label, packing photos) that go with a refusal or an offer,
 * checked against what the store's marketplace takes (capabilities.evidence): none at all when it
 * takes no uploads, else at most `maxFiles`. No capabilities (null): only the schema's own bound.
 */
export function attachmentsBlock(capabilities: MarketplaceCapabilities | null, type: 'refuse' | 'offer', attachments: readonly string[] | undefined): RuleViolation | null {
  const count = attachments?.length ?? 0;
  if (count === 0 || capabilities === null) return null;
  const { evidence, name } = capabilities;
  if (!evidence.upload || evidence.maxFiles === 0) {
    return violation('not_supported_by_marketplace', cannot(type, `${name} takes no photos from Cancel Desk; send it without them, or add them on ${name}`), 'attachments');
  }
  if (count > evidence.maxFiles) {
    const most = evidence.maxFiles === 1 ? 'one photo' : `${evidence.maxFiles.toLocaleString('en-US')} photos`;
    return violation('too_many_attachments', cannot(type, `${name} takes at most ${most} with a decision; this one has ${count.toLocaleString('en-US')}`), 'attachments');
  }
  return null;
}
