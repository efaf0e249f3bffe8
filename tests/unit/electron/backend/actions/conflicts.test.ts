import { describe, expect, it } from 'vitest';
import { checkPendingDecision } from '../../../../../electron/backend/actions/conflicts';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import type { CancelRequest } from '../../../../../shared/domain/request';
import { makeRequest } from '../../../shared/factories';

const AT = '2026-11-26T10:00:00.000Z';

/** A cached request with a decision of ours waiting (made on version 3). */
function pending(state: CancelRequest['state']): CachedRequest {
  return { ...makeRequest({ id: 'cancel-1', version: 3 }), local: { state, baseVersion: 3, outboxId: 'o-1' } } as unknown as CachedRequest;
}

describe('a newer copy of a request with a decision of ours waiting', () => {
  it('confirms our decision when the marketplace shows its state, or the state that follows it (accepted, then refunded)', () => {
    expect(checkPendingDecision(pending('accepted'), makeRequest({ id: 'cancel-1', version: 4, state: 'accepted' }), AT)).toEqual({ kind: 'confirmed' });
    // AliExpress refunds a cancellation the moment it is accepted.
    expect(checkPendingDecision(pending('accepted'), makeRequest({ id: 'cancel-1', version: 4, state: 'refunded' }), AT)).toEqual({ kind: 'confirmed' });
  });

  it('is a conflict when something else moved it: the platform accepted on its own, the buyer withdrew, a refusal shows refunded', () => {
    expect(checkPendingDecision(pending('accepted'), makeRequest({ id: 'cancel-1', version: 4, state: 'auto_accepted' }), AT)).toMatchObject({ kind: 'conflict', row: { localState: 'accepted', remoteState: 'auto_accepted' } });
    expect(checkPendingDecision(pending('accepted'), makeRequest({ id: 'cancel-1', version: 4, state: 'withdrawn' }), AT).kind).toBe('conflict');
    expect(checkPendingDecision(pending('refused'), makeRequest({ id: 'cancel-1', version: 4, state: 'refunded' }), AT).kind).toBe('conflict');
  });

  it('says nothing about a copy no newer than the decision', () => {
    expect(checkPendingDecision(pending('accepted'), makeRequest({ id: 'cancel-1', version: 3, state: 'withdrawn' }), AT)).toEqual({ kind: 'none' });
  });
});
