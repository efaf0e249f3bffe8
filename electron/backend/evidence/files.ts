import Dexie from 'dexie';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { toInstant, type Clock } from '../../../shared/domain/time';
import { DeskError, toErrorShape } from '../../../shared/errors';
import type { CacheDb, EvidenceRow } from '../cache/db';
import type { CachedRequest } from '../cache/records';
import type { Logger } from '../log';
import type { MarketplaceHttpClient } from '../marketplace/http-client';

/** Evidence images are small photos; anything larger is refused. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

const SIGNATURES: ReadonlyArray<{ contentType: string; magic: readonly number[] }> = [
  { contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { contentType: 'image/webp', magic: [0x52, 0x49, 0x46, 0x46] },
];

/** What the bytes really are (never what the marketplace says they are), or null. */
export function sniffImageType(bytes: Buffer): string | null {
  for (const { contentType, magic } of SIGNATURES) {
    if (bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte)) return contentType;
  }
  return null;
}

export function evidenceDir(dataDir: string): string {
  return join(dataDir, 'evidence');
}

/** Evidence ids become file names: only a safe alphabet, so an id can never point elsewhere. */
function fileNameFor(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new DeskError('invalid_payload', `The evidence id ${JSON.stringify(id.slice(0, 80))} is not a plain id.`);
  return `${id}.img`;
}

/**
 * Brings the buyer's proof into the data folder: metadata rows in the cache for every evidence
 * item the marketplace lists, and the image files fetched once, checked, and written atomically.
 */
export class EvidenceStore {
  constructor(
    private readonly deps: { db: CacheDb; http: MarketplaceHttpClient; dataDir: string; clock: Clock; log: Logger },
  ) {}

  /** Metadata rows for the evidence of these requests (called with each synced page). */
  async record(requests: readonly CachedRequest[]): Promise<void> {
    const rows: EvidenceRow[] = [];
    for (const request of requests) {
      for (const item of request.evidence) {
        rows.push({ id: item.id, requestId: request.id, fileName: item.fileName, contentType: item.contentType, bytes: item.bytes, submittedAt: item.submittedAt, path: null, fetched: 0 });
      }
    }
    if (rows.length === 0) return;
    const known = await this.deps.db.evidence.bulkGet(rows.map((row) => row.id));
    const fresh = rows.filter((_row, index) => known[index] === undefined);
    if (fresh.length > 0) await this.deps.db.evidence.bulkPut(fresh);
  }

  /** Fetches every file not yet on disk; a failure is logged and retried next time. */
  async fetchMissing(limit = 200): Promise<number> {
    const missing = await this.deps.db.evidence.where('[fetched+id]').between([0, Dexie.minKey], [0, Dexie.maxKey]).limit(limit).toArray();
    let fetched = 0;
    await Promise.all(
      missing.map(async (row) => {
        try {
          await this.fetchOne(row);
          fetched += 1;
        } catch (error) {
          this.deps.log.warn(`evidence ${row.id} of request ${row.requestId} not fetched: ${toErrorShape(error).message}`);
        }
      }),
    );
    return fetched;
  }

  private async fetchOne(row: EvidenceRow): Promise<void> {
    const name = fileNameFor(row.id);
    const answer = await this.deps.http.call(`/v1/evidence/${encodeURIComponent(row.id)}`, { binaryMaxBytes: MAX_EVIDENCE_BYTES });
    const bytes = answer.bytes;
    if (bytes === null || sniffImageType(bytes) === null) {
      throw new DeskError('invalid_payload', `The marketplace's file for evidence ${row.id} is not an image.`);
    }
    const dir = evidenceDir(this.deps.dataDir);
    await mkdir(dir, { recursive: true });
    const target = join(dir, name);
    const temp = `${target}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
    const current = await this.deps.db.evidence.get(row.id);
    if (current !== undefined) await this.deps.db.evidence.put({ ...current, path: name, fetched: 1, bytes: bytes.length });
  }

  /** The image for the viewer, as the bytes' own type (sniffed) and base64. */
  async read(id: string): Promise<{ contentType: string; dataBase64: string; fetchedAt: string }> {
    const row = await this.deps.db.evidence.get(id);
    if (row === undefined) throw new DeskError('not_found', `There is no evidence ${id}.`);
    if (row.path === null) throw new DeskError('not_ready', 'This photo has not been downloaded yet; it will be after the next sync.');
    const bytes = await readFile(join(evidenceDir(this.deps.dataDir), fileNameFor(row.id)));
    const contentType = sniffImageType(bytes);
    if (contentType === null) throw new DeskError('invalid_payload', `The stored file for evidence ${id} is not an image.`);
    return { contentType, dataBase64: bytes.toString('base64'), fetchedAt: toInstant(this.deps.clock.now()) };
  }
}
