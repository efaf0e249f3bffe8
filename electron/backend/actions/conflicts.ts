import type { CancelRequest } from '../../../shared/domain/request';
import type { ConflictRow } from '../cache/db';
import type { CachedRequest } from '../cache/records';

/** "10:42 UTC on 2026-11-26": an instant as a person reads it in a log line. */
function when(instant: string): string {
  return `${instant.slice(11, 16)} UTC on ${instant.slice(0, 10)}`;
}

/** One sentence saying what the marketplace changed while the seller's decision was waiting. */
export function describeRemoteChange(before: CancelRequest, after: CancelRequest): string {
  const at = when(after.updatedAt);
  switch (after.state) {
    case 'withdrawn':
      return `The buyer withdrew the request at ${at}.`;
    case 'auto_accepted':
      return `The platform accepted the cancellation automatically at ${at} (the reply deadline passed).`;
    case 'closed_by_platform':
      return `The platform closed the case at ${at}.`;
    case 'proof_submitted':
      return `The buyer sent proof at ${at}.`;
    case 'refused_by_buyer':
      return `The buyer refused the offer at ${at}.`;
    case 'escalated':
      return `The case was escalated to the platform at ${at}.`;
    case 'requested':
    case 'accepted':
    case 'refunded':
    case 'refused':
    case 'proof_requested':
    case 'offer_made':
      return before.state === after.state
        ? `The marketplace changed the request at ${at} (version ${before.version} → ${after.version}).`
        : `The marketplace moved the request from ${before.state.replaceAll('_', ' ')} to ${after.state.replaceAll('_', ' ')} at ${at}.`;
  }
}

export type PendingCheck =
  | { kind: 'none' }
  /** The marketplace shows the decided state: the decision went through. */
  | { kind: 'confirmed' }
  | { kind: 'conflict'; row: ConflictRow };

/**
 * A newer marketplace record for a request with a pending local decision: either our decision
 * showing up (confirmed), or something else moved it (a conflict for the seller to look at).
 */
/**
 * States that follow a decided state with nothing else happening: an accepted request is refunded
 * once the money goes back (at once on AliExpress, later on the demo marketplace).
 */
const CONTINUES: Readonly<Partial<Record<CancelRequest['state'], readonly CancelRequest['state'][]>>> = {
  accepted: ['refunded'],
};

export function checkPendingDecision(previous: CachedRequest | undefined, incoming: CancelRequest, detectedAt: string): PendingCheck {
  const local = previous?.local ?? null;
  if (previous === undefined || local === null || incoming.version <= local.baseVersion) return { kind: 'none' };
  if (incoming.state === local.state || (CONTINUES[local.state]?.includes(incoming.state) ?? false)) return { kind: 'confirmed' };
  return {
    kind: 'conflict',
    row: {
      requestId: incoming.id,
      outboxId: local.outboxId,
      detectedAt,
      what: describeRemoteChange(previous, incoming),
      localState: local.state,
      remoteState: incoming.state,
    },
  };
}
