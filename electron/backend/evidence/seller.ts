import { randomUUID } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { byteSizeText, imageTypesText, sniffImageType } from '../../../shared/domain/image';
import type { MarketplaceCapabilities } from '../../../shared/domain/marketplace';
import { toInstant, type Clock } from '../../../shared/domain/time';
import { DeskError, errorDetail } from '../../../shared/errors';
import type { ChannelParsedInput } from '../../../shared/ipc/contract';
import type { AttachedPhoto } from '../../../shared/ipc/seller-evidence';
import type { CacheDb, OutboxEntry, SellerEvidenceRow } from '../cache/db';
import { ensurePrivateDir, isErrno, openPrivate, removeIfPresent, syncDirectory } from '../cache/files';
import type { Logger } from '../log';
import type { Attachment } from '../marketplace/adapter';
import { attachmentIdsOf } from '../actions/attachments';
import { inspectEvidenceImage, MAX_EVIDENCE_BYTES } from './files';

/** Where the seller's photos live, beside the buyer's (evidence/). */
export function sellerEvidenceDir(dataDir: string): string {
  return join(dataDir, 'seller-evidence');
}

export interface SellerEvidenceDeps {
  readonly db: CacheDb;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** The store's marketplace: whether it takes photos, which types, how large. */
  readonly capabilities: (storeId: string) => MarketplaceCapabilities;
  /** Makes the new row durable before the seller is answered. */
  readonly flush: () => Promise<void>;
  readonly newId?: () => string;
}

/**
 * The seller's photos for a refusal or an offer (a shipping label, packing photos): checked by
 * their bytes and size, written privately and atomically under the data folder, recorded in the
 * cache (not linked to any decision yet), read back by the dispatcher when the decision is sent.
 */
export class SellerEvidenceStore {
  constructor(private readonly deps: SellerEvidenceDeps) {}

  /** `evidence.attach`: refused with a sentence before anything is stored when it is not a photo the marketplace takes. */
  async attach(input: ChannelParsedInput<'evidence.attach'>): Promise<AttachedPhoto> {
    const { db } = this.deps;
    const request = await db.requests.get(input.requestId);
    if (request === undefined) throw new DeskError('not_found', `There is no request ${input.requestId} in the cache.`);
    const capabilities = this.deps.capabilities(request.storeId);
    const { name, evidence } = capabilities;
    if (!evidence.upload || evidence.maxFiles === 0) {
      throw new DeskError('photos_not_supported', `${name} takes no photos from Cancel Desk; add ${input.fileName} on ${name} instead.`);
    }
    const bytes = Buffer.from(input.dataBase64, 'base64');
    const limit = Math.min(evidence.maxBytes, MAX_EVIDENCE_BYTES);
    if (bytes.length > limit) throw new DeskError('photo_too_large', `${input.fileName} is larger than ${byteSizeText(limit)} (it is ${byteSizeText(bytes.length)}).`);
    // What the bytes are, never what the name says; then the decoded size (a decompression bomb).
    const contentType = sniffImageType(bytes);
    if (contentType === null) throw new DeskError('not_an_image', `${input.fileName} is not a PNG, JPEG or WebP image.`);
    const image = inspectEvidenceImage(bytes);
    if (!image.ok) throw new DeskError('photo_refused', `${input.fileName} cannot be sent: ${image.reason}.`);
    if (!evidence.contentTypes.includes(contentType)) {
      throw new DeskError('photo_type_not_taken', `${name} takes ${imageTypesText(evidence.contentTypes)} photos; ${input.fileName} is a ${imageTypesText([contentType])}.`);
    }
    const id = `photo-${(this.deps.newId ?? randomUUID)()}`;
    const path = `${id}.img`;
    await this.write(path, bytes);
    const row: SellerEvidenceRow = {
      id,
      requestId: request.id,
      fileName: input.fileName,
      contentType,
      bytes: bytes.length,
      path,
      addedAt: toInstant(this.deps.clock.now()),
      outboxId: null,
      sentAt: null,
    };
    await db.sellerEvidence.add(row);
    await this.deps.flush();
    return { attachmentId: id, fileName: row.fileName, contentType, bytes: row.bytes };
  }

  /** `evidence.detach`: a photo not decided yet is removed (row, then file); one that went with a decision stays. */
  async detach(attachmentId: string): Promise<{ detached: boolean }> {
    const { db } = this.deps;
    const removed = await db.transaction('rw', [db.sellerEvidence, db.outbox], async () => {
      const row = await db.sellerEvidence.get(attachmentId);
      if (row === undefined) return null;
      const entry = row.outboxId === null ? undefined : await db.outbox.get(row.outboxId);
      if (entry !== undefined && !['failed', 'cancelled', 'conflict'].includes(entry.status)) {
        throw new DeskError('photo_decided', `${row.fileName} goes with a decision already; undo the decision to take it back.`);
      }
      await db.sellerEvidence.delete(row.id);
      return row;
    });
    if (removed === null) return { detached: false };
    await this.deps.flush();
    await this.discard([removed.path]);
    return { detached: true };
  }

  /**
   * The photos of an outbox entry, in the order the decision named them, with their bytes read
   * from the data folder. A photo gone from the folder (or no longer an image) is a DeskError
   * `photo_missing` that says so: the decision cannot be sent as the seller made it.
   */
  async forEntry(entry: OutboxEntry): Promise<Attachment[]> {
    const ids = attachmentIdsOf(entry.decision);
    if (ids.length === 0) return [];
    const rows = await this.deps.db.sellerEvidence.bulkGet(ids);
    const attachments: Attachment[] = [];
    for (const [index, row] of rows.entries()) {
      const noun = entry.endpoint === 'offer' ? 'offer' : 'refusal';
      if (row === undefined || row.outboxId !== entry.id) {
        throw new DeskError('photo_missing', `A photo of this ${noun} (${ids[index] ?? '?'}) is no longer recorded; nothing was sent. Decide again with the photos added again.`);
      }
      let bytes: Buffer;
      try {
        bytes = await readFile(join(sellerEvidenceDir(this.deps.dataDir), row.path));
      } catch (error) {
        if (!isErrno(error, 'ENOENT')) throw error;
        throw new DeskError('photo_missing', `The photo ${row.fileName} of this ${noun} is no longer in the data folder; nothing was sent. Decide again with the photo added again.`);
      }
      const contentType = sniffImageType(bytes);
      if (contentType === null || bytes.length !== row.bytes) {
        throw new DeskError('photo_missing', `The photo ${row.fileName} of this ${noun} was changed in the data folder since it was added; nothing was sent. Decide again with the photo added again.`);
      }
      attachments.push({ id: row.id, fileName: row.fileName, contentType, bytes });
    }
    return attachments;
  }

  /** Removes files whose rows are gone (a detached photo, an undone decision's); a failure is logged, never thrown. */
  async discard(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      try {
        await removeIfPresent(join(sellerEvidenceDir(this.deps.dataDir), path));
      } catch (error) {
        this.deps.log.warn(`seller photo ${path} not removed: ${errorDetail(error)}`);
      }
    }
  }

  /** Temp file, fsync, rename, directory fsync: a photo on disk is whole or absent. */
  private async write(path: string, bytes: Buffer): Promise<void> {
    const dir = sellerEvidenceDir(this.deps.dataDir);
    await ensurePrivateDir(dir);
    const target = join(dir, path);
    const temp = `${target}.tmp`;
    const file = await openPrivate(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
    await syncDirectory(dir);
  }
}
