import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decide, type DecisionDeps } from '../../../../../electron/backend/actions/decide';
import { sellerEvidenceDir } from '../../../../../electron/backend/evidence/seller';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import { DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../../../shared/domain/marketplace';
import { DEFAULT_POLICY } from '../../../../../shared/rules/policy';
import { startDesk, type Desk } from '../../../../support/desk';
import { jpegPhoto, pngPhoto } from '../../../../support/photos';

let desk: Desk | undefined;

async function open(): Promise<Desk> {
  desk = await startDesk({ seed: 8, orders: 300, policy: { undoWindowSeconds: 10 } });
  return desk;
}

afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

async function openDispute(current: Desk, skip = 0): Promise<CachedRequest> {
  const found = (await current.backend.db.requests.toArray()).filter((row) => row.kind === 'dispute' && row.state === 'requested' && row.local === null);
  const row = found[skip];
  if (row === undefined) throw new Error('no open dispute left in the demo data');
  return row;
}

/** label.png and box.jpg attached to a request, as the refuse dialog does. */
async function attachTwo(current: Desk, requestId: string): Promise<string[]> {
  const label = await current.backend.handle('evidence.attach', { requestId, fileName: 'label.png', dataBase64: pngPhoto('label').toString('base64') });
  const box = await current.backend.handle('evidence.attach', { requestId, fileName: 'box.jpg', dataBase64: jpegPhoto().toString('base64') });
  return [label.attachmentId, box.attachmentId];
}

function refuseWith(current: Desk, requestId: string, attachments: string[]) {
  return current.backend.handle('decisions.decide', { requestIds: [requestId], action: { type: 'refuse', reason: 'other', note: 'See the photos.', attachments } });
}

/** What the marketplace holds: each upload's type and size, and the seller action it went with. */
function uploadsAt(current: Desk, requestId: string): Array<{ contentType: string; bytes: number; sentWith: string | null }> {
  const entries = current.sellerLedger(requestId);
  return current.simulator.state.sellerUploads.of(requestId).map((upload) => ({
    contentType: upload.contentType,
    bytes: upload.bytes.length,
    sentWith: entries.find((entry) => Array.isArray(entry.details.evidenceIds) && entry.details.evidenceIds.includes(upload.id))?.action ?? null,
  }));
}

async function photoFiles(current: Desk): Promise<string[]> {
  return readdir(sellerEvidenceDir(current.dataDir)).catch(() => []);
}

describe('a refusal with photos', () => {
  it('reaches the demo marketplace with both uploads and the refusal once; the photos are marked sent and named in the log', async () => {
    const current = await open();
    const dispute = await openDispute(current);
    const ids = await attachTwo(current, dispute.id);
    await refuseWith(current, dispute.id, ids);
    const decision = (await current.backend.handle('requests.get', { requestId: dispute.id })).audit[0];
    expect(decision).toMatchObject({ action: 'refuse', params: { attachments: ids, photos: ['label.png', 'box.jpg'] } });
    // Linked in the decision's transaction; nothing leaves during the undo window.
    const entry = await current.backend.db.outbox.get((await current.backend.db.requests.get(dispute.id))?.local?.outboxId ?? '');
    expect(entry).toMatchObject({ endpoint: 'refuse', status: 'held', body: { reason: 'other', memo: 'See the photos.' } });
    expect((await current.backend.db.sellerEvidence.bulkGet(ids)).map((row) => row?.outboxId)).toEqual([entry?.id, entry?.id]);
    expect(uploadsAt(current, dispute.id)).toEqual([]);

    await current.deliver();
    expect(current.sellerLedger(dispute.id).map((ledger) => ledger.action)).toEqual(['refuse']);
    expect(uploadsAt(current, dispute.id)).toEqual([
      { contentType: 'image/png', bytes: pngPhoto('label').length, sentWith: 'refuse' },
      { contentType: 'image/jpeg', bytes: jpegPhoto().length, sentWith: 'refuse' },
    ]);
    expect((await current.backend.db.sellerEvidence.bulkGet(ids)).map((row) => row?.sentAt)).toEqual([expect.any(String) as unknown, expect.any(String) as unknown]);
    const audit = (await current.backend.handle('requests.get', { requestId: dispute.id })).audit;
    expect(audit[0]).toMatchObject({ action: 'delivered', actor: 'marketplace', params: { endpoint: 'refuse', photos: ['label.png', 'box.jpg'] } });
    // Sent once: a photo cannot be taken back any more.
    await expect(current.backend.handle('evidence.detach', { attachmentId: ids[0] ?? '' })).rejects.toMatchObject({ code: 'photo_decided' });
  });

  it('a lost answer with idempotency keys ignored: exactly one refusal, read back from the marketplace before anything is resent', async () => {
    const current = await open();
    const dispute = await openDispute(current);
    current.simulator.setIdempotencyKeys('ignore');
    const ids = await attachTwo(current, dispute.id);
    await refuseWith(current, dispute.id, ids);
    const entryId = (await current.backend.db.requests.get(dispute.id))?.local?.outboxId ?? '';
    // Every answer to a seller action is lost once it is applied (uploads are answered).
    current.simulator.setFaults({ lostAnswerRate: 1 });
    await current.deliver();
    expect(current.sellerLedger(dispute.id).map((ledger) => ledger.action)).toEqual(['refuse']);

    // The retry reads the history first: applied, so nothing (no photo, no refusal) is sent again.
    await current.deliver(1_000);
    expect(await current.backend.db.outbox.get(entryId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(current.sellerLedger(dispute.id).map((ledger) => ledger.action)).toEqual(['refuse']);
    expect(uploadsAt(current, dispute.id).map((upload) => upload.sentWith)).toEqual(['refuse', 'refuse']);
    expect((await current.backend.db.requests.get(dispute.id))?.state).toBe('refused');
  });

  it('undone inside the window sends nothing; the photos and their files are gone', async () => {
    const current = await open();
    const dispute = await openDispute(current);
    const ids = await attachTwo(current, dispute.id);
    const decided = await refuseWith(current, dispute.id, ids);
    current.clock.advance(5_000);
    expect(await current.backend.handle('decisions.undo', { batchId: decided.batchId ?? '' })).toEqual({ batchId: decided.batchId, undone: 1 });
    expect(await current.backend.db.sellerEvidence.bulkGet(ids)).toEqual([undefined, undefined]);
    expect(await photoFiles(current)).toEqual([]);
    await current.deliver();
    expect(uploadsAt(current, dispute.id)).toEqual([]);
    expect(current.sellerLedger(dispute.id)).toEqual([]);
  });

  it('a photo gone from the data folder fails the decision with a sentence, and nothing is sent', async () => {
    const current = await open();
    const dispute = await openDispute(current);
    const ids = await attachTwo(current, dispute.id);
    await refuseWith(current, dispute.id, ids);
    const row = await current.backend.db.sellerEvidence.get(ids[1] ?? '');
    await rm(join(sellerEvidenceDir(current.dataDir), row?.path ?? ''));
    await current.deliver();
    const summary = await current.backend.handle('outbox.summary', {});
    expect(summary.failed).toMatchObject([
      { requestId: dispute.id, code: 'photo_missing', message: 'The photo box.jpg of this refusal is no longer in the data folder; nothing was sent. Decide again with the photo added again.' },
    ]);
    expect(uploadsAt(current, dispute.id)).toEqual([]);
    expect(current.sellerLedger(dispute.id)).toEqual([]);
    const detail = await current.backend.handle('requests.get', { requestId: dispute.id });
    expect(detail.local).toBeNull();
    expect(detail.audit[0]).toMatchObject({ action: 'failed', message: expect.stringMatching(/^Not sent: The photo box\.jpg/u) as unknown });
  });

  it('an offer carries its photo the same way', async () => {
    const current = await open();
    const dispute = await openDispute(current);
    const photo = await current.backend.handle('evidence.attach', { requestId: dispute.id, fileName: 'scratch.jpg', dataBase64: jpegPhoto(800, 600).toString('base64') });
    const amount = { amountMinor: Math.max(1, Math.floor(dispute.requestedAmount.amountMinor / 2)), currency: dispute.requestedAmount.currency };
    await current.backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'offer', amount, attachments: [photo.attachmentId] } });
    await current.deliver();
    expect(current.sellerLedger(dispute.id).map((ledger) => ledger.action)).toEqual(['offer']);
    expect(uploadsAt(current, dispute.id)).toEqual([{ contentType: 'image/jpeg', bytes: jpegPhoto(800, 600).length, sentWith: 'offer' }]);
  });
});

describe('which photos a decision may carry', () => {
  function depsWith(current: Desk, capabilities: MarketplaceCapabilities): DecisionDeps {
    return {
      db: current.backend.db,
      clock: current.clock,
      flush: () => Promise.resolve(),
      policy: () => DEFAULT_POLICY,
      onRequestsChanged: () => undefined,
      onOutboxChanged: () => undefined,
      capabilities: () => capabilities,
    };
  }

  it('no more than the marketplace takes, none where it takes no uploads, each attached to that request and free', async () => {
    const current = await open();
    const dispute = await openDispute(current);
    const other = await openDispute(current, 1);
    const ids = await attachTwo(current, dispute.id);
    const refuse = { type: 'refuse', reason: 'other', note: 'See the photos.', attachments: ids } as const;
    const one = { ...DEMO_CAPABILITIES, name: 'AliExpress', evidence: { ...DEMO_CAPABILITIES.evidence, maxFiles: 1 } };
    await expect(decide(depsWith(current, one), [dispute.id], refuse)).rejects.toMatchObject({
      code: 'too_many_attachments',
      message: 'Cannot refuse: AliExpress takes at most one photo with a decision; this one has 2.',
    });
    const none = { ...DEMO_CAPABILITIES, name: 'AliExpress', evidence: { ...DEMO_CAPABILITIES.evidence, upload: false } };
    await expect(decide(depsWith(current, none), [dispute.id], refuse)).rejects.toMatchObject({
      code: 'not_supported_by_marketplace',
      message: 'Cannot refuse: AliExpress takes no photos from Cancel Desk; send it without them, or add them on AliExpress.',
    });
    await expect(refuseWith(current, other.id, ids)).rejects.toMatchObject({ code: 'photo_other_request', message: `label.png was attached to request ${dispute.id}, not to ${other.id}; add it to this request.` });
    await expect(refuseWith(current, dispute.id, ['photo-gone'])).rejects.toMatchObject({ code: 'photo_missing' });
    expect(await current.backend.db.outbox.count()).toBe(0);
    expect((await current.backend.db.sellerEvidence.bulkGet(ids)).map((row) => row?.outboxId)).toEqual([null, null]);
  });
});
