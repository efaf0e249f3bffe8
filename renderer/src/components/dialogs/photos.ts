/**
 * The seller's photos in the refuse and offer dialogs, checked here before anything is sent: the
 * size from the file, the type from its first bytes (never its name or the type the browser
 * guesses), against what the store's marketplace takes. The backend checks them again.
 */
import { byteSizeText, IMAGE_SNIFF_BYTES, imageTypesText, sniffImageType, type ImageContentType } from '../../../../shared/domain/image';
import type { MarketplaceCapabilities } from '../../../../shared/domain/marketplace';
import { SELLER_PHOTO_MAX_BYTES } from '../../../../shared/ipc/seller-evidence';

/** What the request's store's marketplace takes with a refusal or an offer. */
export interface PhotoLimits {
  /** The marketplace's name, for sentences. */
  readonly marketplace: string;
  readonly maxFiles: number;
  /** Per photo: the marketplace's limit, at most what Cancel Desk stores. */
  readonly maxBytes: number;
  readonly contentTypes: readonly string[];
}

/** The limits from a request's capabilities; null when its marketplace takes no photos (no field is shown). */
export function photoLimitsOf(capabilities: MarketplaceCapabilities | undefined): PhotoLimits | null {
  if (capabilities === undefined) return null;
  const { evidence, name } = capabilities;
  if (!evidence.upload || evidence.maxFiles === 0) return null;
  return { marketplace: name, maxFiles: evidence.maxFiles, maxBytes: Math.min(evidence.maxBytes, SELLER_PHOTO_MAX_BYTES), contentTypes: evidence.contentTypes };
}

/** "Up to 10 photos (PNG, JPEG or WebP), 10 MiB each." */
export function photoLimitsText(limits: PhotoLimits): string {
  const count = limits.maxFiles === 1 ? 'One photo' : `Up to ${limits.maxFiles.toLocaleString('en-US')} photos`;
  return `${count} (${imageTypesText(limits.contentTypes)}), ${byteSizeText(limits.maxBytes)} each: a shipping label, the parcel, the item as packed.`;
}

export type PhotoCheck = { readonly ok: true; readonly contentType: ImageContentType } | { readonly ok: false; readonly message: string };

/** Whether a picked or dropped file can go: its size first (no reading), then its first bytes. */
export async function checkPhotoFile(file: Blob & { readonly name: string }, limits: PhotoLimits): Promise<PhotoCheck> {
  if (file.size > limits.maxBytes) return { ok: false, message: `${file.name} is larger than ${byteSizeText(limits.maxBytes)} (it is ${byteSizeText(file.size)}).` };
  const head = new Uint8Array(await file.slice(0, IMAGE_SNIFF_BYTES).arrayBuffer());
  const contentType = sniffImageType(head);
  if (contentType === null) return { ok: false, message: `${file.name} is not a PNG, JPEG or WebP image.` };
  if (!limits.contentTypes.includes(contentType)) {
    return { ok: false, message: `${limits.marketplace} takes ${imageTypesText(limits.contentTypes)} photos; ${file.name} is a ${imageTypesText([contentType])}.` };
  }
  return { ok: true, contentType };
}

/** Base64 of a file's bytes, for `evidence.attach` (in slices: one call with 10 MiB of arguments would overflow the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  const slice = 0x8000;
  let binary = '';
  for (let start = 0; start < bytes.length; start += slice) binary += String.fromCharCode(...bytes.subarray(start, start + slice));
  return btoa(binary);
}
