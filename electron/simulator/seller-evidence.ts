import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { byteSizeText, IMAGE_CONTENT_TYPES, sniffImageType, type ImageContentType } from '../../shared/domain/image';
import { toInstant } from '../../shared/domain/time';
import { HttpError, jsonReply } from './http';
import type { IdempotencyKeyMode } from './idempotency';
import type { Route } from './route';
import { IdempotencyKeySchema } from './schemas';
import type { SimState } from './state';

/**
 * The seller's own evidence (a shipping label, packing photos), uploaded before the refusal or
 * offer that names it in `evidenceIds`:
 *   POST /v1/requests/:id/evidence   the raw image as the body (Content-Type image/png | image/jpeg |
 *                                    image/webp, at most 10 MiB; the bytes must be that image) -> 201
 *                                    { id, contentType, bytes }. 415 unsupported_media_type, 413
 *                                    payload_too_large, 422 not_an_image | too_many_uploads, 404.
 *                                    Not a change: the request keeps its version. An Idempotency-Key
 *                                    (optional, honoured like the actions') answers a repeated upload
 *                                    with the same id; without one a repeat is a second (harmless) copy.
 *   GET  /v1/requests/:id/seller-evidence   { items: [{ id, contentType, bytes, uploadedAt, sentWith }] }:
 *                                    sentWith is the seller action whose ledger entry names it, or null.
 * A buyer's evidence is another thing (the request's `evidence`, GET /v1/evidence/:id).
 */

/** The largest upload the demo takes (DEMO_CAPABILITIES.evidence.maxBytes). */
export const SELLER_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
/** Photos one refusal or offer may name (DEMO_CAPABILITIES.evidence.maxFiles). */
export const SELLER_EVIDENCE_PER_ACTION = 10;
/** Uploads kept per request: a client stuck in a loop cannot fill the marketplace's memory. */
export const SELLER_UPLOADS_PER_REQUEST = 100;

export interface SellerUpload {
  readonly id: string;
  readonly requestId: string;
  readonly contentType: ImageContentType;
  readonly bytes: Buffer;
  readonly uploadedAt: string;
}

/** The seller's uploads per request, and the upload keys already answered. */
export class SellerUploads {
  private readonly byRequest = new Map<string, SellerUpload[]>();
  private readonly keyed = new Map<string, { fingerprint: string; id: string }>();
  private next = 1;

  /** Stores one upload; with a key seen before, the same upload's id (or 422 for other bytes). */
  add(requestId: string, contentType: ImageContentType, bytes: Buffer, uploadedAt: string, key: string | null): { upload: SellerUpload; replayed: boolean } {
    const fingerprint = `${requestId}\n${contentType}\n${createHash('sha256').update(bytes).digest('hex')}`;
    if (key !== null) {
      const earlier = this.keyed.get(key);
      if (earlier !== undefined) {
        const upload = earlier.fingerprint === fingerprint ? this.of(requestId).find((candidate) => candidate.id === earlier.id) : undefined;
        if (upload === undefined) {
          throw new HttpError(422, 'idempotency_key_reused', `Idempotency-Key "${key}" was already used for a different upload; use a new key for a new photo.`, {
            field: 'Idempotency-Key',
          });
        }
        return { upload, replayed: true };
      }
    }
    const uploads = this.of(requestId);
    if (uploads.length >= SELLER_UPLOADS_PER_REQUEST) {
      throw new HttpError(422, 'too_many_uploads', `Request ${requestId} already has ${SELLER_UPLOADS_PER_REQUEST} uploads from the seller; no more are kept.`, {
        limit: SELLER_UPLOADS_PER_REQUEST,
      });
    }
    const upload: SellerUpload = { id: `sev-${this.next}`, requestId, contentType, bytes, uploadedAt };
    this.next += 1;
    this.byRequest.set(requestId, [...uploads, upload]);
    if (key !== null) this.keyed.set(key, { fingerprint, id: upload.id });
    return { upload, replayed: false };
  }

  /** One request's uploads, oldest first. */
  of(requestId: string): readonly SellerUpload[] {
    return this.byRequest.get(requestId) ?? [];
  }

  /**
   * The evidence ids an action names, each an upload of this request (422 unknown_evidence
   * otherwise); none named gives [].
   */
  check(requestId: string, evidenceIds: readonly string[] | undefined): string[] {
    const ids = evidenceIds ?? [];
    const own = new Set(this.of(requestId).map((upload) => upload.id));
    const unknown = ids.find((id) => !own.has(id));
    if (unknown !== undefined) {
      throw new HttpError(422, 'unknown_evidence', `"${unknown}" is not an upload of the seller for request ${requestId}; upload the photo to POST /v1/requests/${requestId}/evidence first.`, {
        field: 'evidenceIds',
        id: unknown,
      });
    }
    return [...ids];
  }
}

/** The body as bytes, at most `maxBytes` of it (413 past that: the rest is read and dropped, then answered). */
export function readRawBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Drained, not kept, so the client hears the 413 instead of a reset connection; a client
      // sending far more than that is cut off.
      if (size > maxBytes * 2) request.destroy();
      else if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > maxBytes) {
        reject(new HttpError(413, 'payload_too_large', `The photo is larger than ${byteSizeText(maxBytes)} (it is ${byteSizeText(size)}); the marketplace takes photos of up to ${byteSizeText(maxBytes)}.`, { limit: maxBytes }));
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    });
    request.on('error', reject);
  });
}

function declaredType(request: IncomingMessage): ImageContentType {
  const header = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const known = IMAGE_CONTENT_TYPES.find((type) => type === header);
  if (known === undefined) {
    throw new HttpError(415, 'unsupported_media_type', `Upload the photo itself as the body with Content-Type image/png, image/jpeg or image/webp; got ${JSON.stringify(header || '(none)')}.`, {
      field: 'Content-Type',
    });
  }
  return known;
}

export interface SellerEvidenceServices {
  readonly state: SimState;
  /** Read as each call starts, so the admin API can switch it between calls. */
  readonly idempotencyKeys: () => IdempotencyKeyMode;
}

/** POST /v1/requests/:id/evidence and GET /v1/requests/:id/seller-evidence (see above). */
export function sellerEvidenceRoutes(services: SellerEvidenceServices): Route[] {
  const { state } = services;
  const requireRequest = (id: string): void => {
    if (state.requests.get(id) === undefined) throw new HttpError(404, 'not_found', `There is no request with id "${id}".`, { id });
  };
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/requests\/([^/]+)\/evidence$/,
      auth: 'token',
      faulty: true,
      handle: async ({ request, params }) => {
        const requestId = params[0] ?? '';
        // Read (bounded) before anything can refuse it: a client still sending hears the answer
        // instead of a reset connection.
        const bytes = await readRawBody(request, SELLER_UPLOAD_MAX_BYTES);
        requireRequest(requestId);
        const declared = declaredType(request);
        let key: string | null = null;
        if (services.idempotencyKeys() === 'honour' && request.headers['idempotency-key'] !== undefined) {
          const header = request.headers['idempotency-key'];
          if (typeof header !== 'string' || !IdempotencyKeySchema.safeParse(header).success) {
            throw new HttpError(400, 'bad_request', 'Header "Idempotency-Key" must be 1 to 200 printable ASCII characters.', { field: 'Idempotency-Key' });
          }
          key = header;
        }
        const sniffed = sniffImageType(bytes);
        if (sniffed !== declared) {
          const what = sniffed === null ? 'not a PNG, JPEG or WebP image' : `a ${sniffed.slice(6).toUpperCase()} image, not ${declared}`;
          throw new HttpError(422, 'not_an_image', `The upload is ${what} (by its first bytes); nothing was stored.`, { field: '(body)' });
        }
        const { upload, replayed } = state.sellerUploads.add(requestId, sniffed, bytes, toInstant(state.now()), key);
        return jsonReply(replayed ? 200 : 201, { id: upload.id, contentType: upload.contentType, bytes: upload.bytes.length }, replayed ? { 'Idempotent-Replayed': 'true' } : undefined);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/requests\/([^/]+)\/seller-evidence$/,
      auth: 'token',
      faulty: true,
      handle: ({ params }) => {
        const requestId = params[0] ?? '';
        requireRequest(requestId);
        const entries = state.ledgerOf(requestId).filter((entry) => entry.actor === 'seller');
        const sentWith = (id: string): string | null => {
          const entry = entries.find((candidate) => Array.isArray(candidate.details.evidenceIds) && candidate.details.evidenceIds.includes(id));
          return entry?.action ?? null;
        };
        const items = state.sellerUploads.of(requestId).map((upload) => ({
          id: upload.id,
          contentType: upload.contentType,
          bytes: upload.bytes.length,
          uploadedAt: upload.uploadedAt,
          sentWith: sentWith(upload.id),
        }));
        return jsonReply(200, { items });
      },
    },
  ];
}
