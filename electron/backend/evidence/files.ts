import Dexie from 'dexie';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { sniffImageType } from '../../../shared/domain/image';
import { toInstant, type Clock } from '../../../shared/domain/time';
import { DeskError, errorDetail } from '../../../shared/errors';
import type { CacheDb, EvidenceRow } from '../cache/db';
import { ensurePrivateDir, openPrivate } from '../cache/files';
import type { CachedRequest } from '../cache/records';
import type { Logger } from '../log';
import type { MarketplaceAdapter } from '../marketplace/adapter';

/** Evidence images are small photos; anything larger is refused. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
/**
 * A photo's decoded size: a few KiB of PNG or JPEG can declare a 60,000 × 60,000 image (a
 * decompression bomb) that would take gigabytes to show. Phone cameras stay well inside these.
 */
export const MAX_EVIDENCE_SIDE_PX = 12_000;
export const MAX_EVIDENCE_PIXELS = 50_000_000;

// What the bytes really are (never what the marketplace says they are), or null: one sniff for
// the buyer's evidence, the seller's photos and the renderer's check.
export { sniffImageType };

export interface ImageSize {
  width: number;
  height: number;
}

/** Width and height from a PNG's IHDR chunk, which must come first. */
function pngSize(bytes: Buffer): ImageSize | null {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): C0-CF but DHT (C4), JPG (C8) and DAC (CC). */
const JPEG_FRAME_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Width and height from a JPEG's frame header (SOFn), found by walking the segments before the first scan. */
function jpegSize(bytes: Buffer): ImageSize | null {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // a fill byte before the marker
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2; // markers without a length
      continue;
    }
    // The image data (or its end) before any frame header: there is no size to read.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) return null;
    if (JPEG_FRAME_MARKERS.has(marker)) {
      if (offset + 9 > bytes.length) return null;
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

/** Width and height from a WebP's first chunk: VP8X (extended: the canvas), VP8 (lossy) or VP8L (lossless). */
function webpSize(bytes: Buffer): ImageSize | null {
  const chunk = bytes.length >= 16 ? bytes.toString('latin1', 12, 16) : '';
  if (chunk === 'VP8X' && bytes.length >= 30) {
    return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  }
  // A key frame: 3 bytes of frame tag, the start code 9d 01 2a, then 14-bit width and height (2 bits of scale above).
  if (chunk === 'VP8 ' && bytes.length >= 30 && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  }
  // The signature 0x2f, then width - 1 and height - 1 in 14 bits each, least significant bit first.
  if (chunk === 'VP8L' && bytes.length >= 25 && bytes[20] === 0x2f) {
    const bits = bytes.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

/** The decoded size its headers declare, read without decoding; null when they cannot be read. */
export function imageSize(bytes: Buffer, contentType: string): ImageSize | null {
  switch (contentType) {
    case 'image/png':
      return pngSize(bytes);
    case 'image/jpeg':
      return jpegSize(bytes);
    case 'image/webp':
      return webpSize(bytes);
    default:
      return null;
  }
}

/**
 * Whether Cancel Desk keeps and shows these bytes as a photo: its type (sniffed) and its size, or
 * the reason it does not (a clause: "it is not a PNG, JPEG or WebP image").
 */
export function inspectEvidenceImage(bytes: Buffer): { ok: true; contentType: string; size: ImageSize } | { ok: false; reason: string } {
  const contentType = sniffImageType(bytes);
  if (contentType === null) return { ok: false, reason: 'it is not a PNG, JPEG or WebP image' };
  const size = imageSize(bytes, contentType);
  if (size === null || size.width === 0 || size.height === 0) return { ok: false, reason: `its ${contentType.slice(6).toUpperCase()} header gives no readable size` };
  if (size.width > MAX_EVIDENCE_SIDE_PX || size.height > MAX_EVIDENCE_SIDE_PX || size.width * size.height > MAX_EVIDENCE_PIXELS) {
    return {
      ok: false,
      reason: `it is ${size.width} × ${size.height} pixels; Cancel Desk shows photos of up to ${MAX_EVIDENCE_SIDE_PX.toLocaleString('en')} pixels a side and ${MAX_EVIDENCE_PIXELS / 1_000_000} megapixels`,
    };
  }
  return { ok: true, contentType, size };
}

export function evidenceDir(dataDir: string): string {
  return join(dataDir, 'evidence');
}

const PLAIN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Evidence ids become file names: only a safe alphabet, so an id can never point elsewhere. */
function fileNameFor(id: string): string {
  if (!PLAIN_ID.test(id)) throw new DeskError('invalid_payload', `The evidence id ${JSON.stringify(id.slice(0, 80))} is not a plain id.`);
  return `${id}.img`;
}

/** Why an item is refused from its metadata alone (never downloaded), or null. */
function refusedUpFront(item: CachedRequest['evidence'][number]): string | null {
  if (item.kind === 'video') return 'it is a video; Cancel Desk shows photos only';
  if (!PLAIN_ID.test(item.id)) return 'its id is not a plain id, so it cannot be stored safely';
  return null;
}

/**
 * Brings the buyer's proof into the data folder: metadata rows in the cache for every evidence
 * item the marketplace lists, and the image files fetched once, checked, and written atomically.
 * A file Cancel Desk refuses (a video, not an image, too large) is recorded as refused with its
 * reason and never fetched again; a failure that may pass (network, the marketplace) is retried.
 */
export class EvidenceStore {
  constructor(
    private readonly deps: { db: CacheDb; dataDir: string; clock: Clock; log: Logger },
  ) {}

  /** Metadata rows for the evidence of these requests (called with each synced page). */
  async record(requests: readonly Pick<CachedRequest, 'id' | 'evidence'>[]): Promise<void> {
    const rows: EvidenceRow[] = [];
    for (const request of requests) {
      for (const item of request.evidence) {
        const refused = refusedUpFront(item);
        rows.push({
          id: item.id,
          requestId: request.id,
          fileName: item.fileName,
          contentType: item.contentType,
          bytes: item.bytes,
          submittedAt: item.submittedAt,
          path: null,
          fetched: refused === null ? 0 : 2,
          refused,
        });
      }
    }
    if (rows.length === 0) return;
    const known = await this.deps.db.evidence.bulkGet(rows.map((row) => row.id));
    const fresh = rows.filter((_row, index) => known[index] === undefined);
    if (fresh.length > 0) await this.deps.db.evidence.bulkPut(fresh);
  }

  /**
   * Fetches every file neither on disk nor refused, each from its request's store; a failure (or a
   * store that cannot be reached now) is logged and retried next time.
   */
  async fetchMissing(adapterFor: (storeId: string | undefined) => Pick<MarketplaceAdapter, 'fetchEvidence'> | { unavailable: string }, limit = 200): Promise<number> {
    const missing = await this.deps.db.evidence.where('[fetched+id]').between([0, Dexie.minKey], [0, Dexie.maxKey]).limit(limit).toArray();
    const requests = await this.deps.db.requests.bulkGet(missing.map((row) => row.requestId));
    let fetched = 0;
    await Promise.all(
      missing.map(async (row, index) => {
        const adapter = adapterFor(requests[index]?.storeId);
        if ('unavailable' in adapter) return;
        try {
          if (await this.fetchOne(row, adapter)) fetched += 1;
        } catch (error) {
          this.deps.log.warn(`evidence ${row.id} of request ${row.requestId} not fetched: ${errorDetail(error)}`);
        }
      }),
    );
    return fetched;
  }

  /** True when the file is now on disk; false when it was refused (and recorded so). */
  private async fetchOne(row: EvidenceRow, adapter: Pick<MarketplaceAdapter, 'fetchEvidence'>): Promise<boolean> {
    let bytes: Buffer;
    try {
      bytes = await adapter.fetchEvidence(row.id, MAX_EVIDENCE_BYTES);
    } catch (error) {
      if (error instanceof DeskError && error.code === 'payload_too_large') {
        await this.refuse(row, `it is larger than ${MAX_EVIDENCE_BYTES / (1024 * 1024)} MiB`);
        return false;
      }
      throw error;
    }
    const image = inspectEvidenceImage(bytes);
    if (!image.ok) {
      await this.refuse(row, image.reason);
      return false;
    }
    const name = fileNameFor(row.id);
    const dir = evidenceDir(this.deps.dataDir);
    await ensurePrivateDir(dir);
    const target = join(dir, name);
    const temp = `${target}.tmp`;
    const file = await openPrivate(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
    const current = await this.deps.db.evidence.get(row.id);
    if (current !== undefined) await this.deps.db.evidence.put({ ...current, path: name, fetched: 1, refused: null, bytes: bytes.length });
    return true;
  }

  private async refuse(row: EvidenceRow, reason: string): Promise<void> {
    this.deps.log.warn(`evidence ${row.id} of request ${row.requestId} refused: ${reason}`);
    const current = await this.deps.db.evidence.get(row.id);
    if (current !== undefined) await this.deps.db.evidence.put({ ...current, fetched: 2, refused: reason });
  }

  /** The image for the viewer, as the bytes' own type (sniffed) and base64. */
  async read(id: string): Promise<{ contentType: string; dataBase64: string; fetchedAt: string }> {
    const row = await this.deps.db.evidence.get(id);
    if (row === undefined) throw new DeskError('not_found', `There is no evidence ${id}.`);
    if (row.fetched === 2) throw new DeskError('evidence_refused', `Cancel Desk did not download this file: ${row.refused ?? 'it cannot be shown'}. Look at it on the marketplace.`);
    if (row.path === null) throw new DeskError('not_ready', 'This photo has not been downloaded yet; it will be after the next sync.');
    const bytes = await readFile(join(evidenceDir(this.deps.dataDir), fileNameFor(row.id)));
    const contentType = sniffImageType(bytes);
    if (contentType === null) throw new DeskError('invalid_payload', `The stored file for evidence ${id} is not an image.`);
    return { contentType, dataBase64: bytes.toString('base64'), fetchedAt: toInstant(this.deps.clock.now()) };
  }
}
