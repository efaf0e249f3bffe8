import { DeskError } from '../../../shared/errors';
import type { CacheDb, OutboxEntry, OutboxStatus, SellerEvidenceRow } from '../cache/db';

/**
 * The seller's photos as decisions carry them: the ids a refusal or an offer names
 * (`attachments`, from evidence.attach), linked to the decision's outbox entry in the decision's
 * own transaction, and read back by the dispatcher (evidence/seller.ts) when it is sent.
 */

/** The photo ids a decision names ([] for one without photos). */
export function attachmentIdsOf(decision: Readonly<Record<string, unknown>>): string[] {
  const ids = decision.attachments;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** A photo linked to an entry in these states went nowhere: another decision may take it. */
const RELEASED: readonly OutboxStatus[] = ['failed', 'cancelled', 'conflict'];

/**
 * The rows of the photos a decision on `requestId` names, in that order, each attached for that
 * request and not going with another decision still under way; else a DeskError whose sentence
 * says which. Call it inside the decision's transaction (sellerEvidence and outbox).
 */
export async function photosFor(db: CacheDb, requestId: string, ids: readonly string[]): Promise<SellerEvidenceRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.sellerEvidence.bulkGet([...ids]);
  const photos: SellerEvidenceRow[] = [];
  for (const [index, row] of rows.entries()) {
    if (row === undefined) {
      throw new DeskError('photo_missing', `The photo ${ids[index] ?? '?'} is not attached any more (it was removed); add it again.`);
    }
    if (row.requestId !== requestId) {
      throw new DeskError('photo_other_request', `${row.fileName} was attached to request ${row.requestId}, not to ${requestId}; add it to this request.`);
    }
    if (row.outboxId !== null) {
      const entry = await db.outbox.get(row.outboxId);
      if (entry !== undefined && !RELEASED.includes(entry.status)) {
        throw new DeskError('photo_in_use', `${row.fileName} already goes with another decision on this request.`);
      }
    }
    photos.push(row);
  }
  return photos;
}

/** Marks an entry's photos sent (inside the delivery's transaction); their file names, in the decision's order. */
export async function sentPhotos(db: CacheDb, entry: OutboxEntry, at: string): Promise<string[]> {
  const ids = attachmentIdsOf(entry.decision);
  if (ids.length === 0) return [];
  const rows = (await db.sellerEvidence.bulkGet(ids)).filter((row): row is SellerEvidenceRow => row !== undefined && row.outboxId === entry.id);
  await db.sellerEvidence.bulkPut(rows.map((row) => ({ ...row, sentAt: row.sentAt ?? at })));
  return rows.map((row) => row.fileName);
}
