import { z } from 'zod';
import { byteSizeText, IMAGE_CONTENT_TYPES } from '../domain/image';

/**
 * The seller's photos (a shipping label, packing photos) attached in the refuse and offer
 * dialogs: `evidence.attach` stores one under the data folder before the decision, the decision
 * names it in `attachments`, and the dispatcher uploads it to the marketplace with the decision.
 */

/** The largest photo Cancel Desk stores for sending (a store's marketplace may take less: its capabilities). */
export const SELLER_PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** Base64 of SELLER_PHOTO_MAX_BYTES is 13.3 MiB of text: the bound on what crosses IPC, with some room. */
export const SELLER_PHOTO_MAX_BASE64 = 14 * 1024 * 1024;

/** Bytes a well-formed (padded) base64 text decodes to. */
export function base64DecodedBytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/** A file's name as the seller's computer gave it: shown (as plain text), never used as a path. */
export const PhotoFileNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

export const AttachEvidenceInputSchema = z
  .object({
    requestId: z.string().min(1).max(64),
    fileName: PhotoFileNameSchema,
    dataBase64: z.base64().min(1).max(SELLER_PHOTO_MAX_BASE64, `a photo of at most ${byteSizeText(SELLER_PHOTO_MAX_BYTES)} fits here`),
  })
  .strict()
  .superRefine((input, context) => {
    const bytes = base64DecodedBytes(input.dataBase64);
    if (bytes > SELLER_PHOTO_MAX_BYTES) {
      context.addIssue({
        code: 'custom',
        path: ['dataBase64'],
        message: `${input.fileName} is larger than ${byteSizeText(SELLER_PHOTO_MAX_BYTES)} (it is ${byteSizeText(bytes)})`,
      });
    }
  });

export const AttachedPhotoSchema = z.object({
  /** Goes in the refusal's or the offer's `attachments`; `evidence.detach` removes it before then. */
  attachmentId: z.string(),
  fileName: z.string(),
  /** Sniffed from the bytes. */
  contentType: z.enum(IMAGE_CONTENT_TYPES),
  bytes: z.number().int(),
});
export type AttachedPhoto = z.infer<typeof AttachedPhotoSchema>;

export const DetachEvidenceInputSchema = z.object({ attachmentId: z.string().min(1).max(64) }).strict();
