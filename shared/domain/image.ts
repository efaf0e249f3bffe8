/**
 * What a photo really is, read from its first bytes (never from its name or a declared type),
 * and sizes as a person reads them. Shared by the renderer (checking a file before it is sent),
 * the backend's error sentences and the demo marketplace (which checks uploads itself).
 */

/** The photo types Cancel Desk sends and shows. */
export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** How many leading bytes `sniffImageType` needs at most. */
export const IMAGE_SNIFF_BYTES = 12;

const SIGNATURES: ReadonlyArray<{ contentType: ImageContentType; magic: ReadonlyArray<readonly [offset: number, bytes: readonly number[]]> }> = [
  { contentType: 'image/png', magic: [[0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]] },
  { contentType: 'image/jpeg', magic: [[0, [0xff, 0xd8, 0xff]]] },
  // RIFF is a container for many things (WAV, AVI...): only a RIFF whose form type is WEBP is an image.
  { contentType: 'image/webp', magic: [[0, [0x52, 0x49, 0x46, 0x46]], [8, [0x57, 0x45, 0x42, 0x50]]] },
];

/** The image type the bytes start with (PNG, JPEG or WebP), or null. */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  for (const { contentType, magic } of SIGNATURES) {
    const matches = magic.every(([offset, expected]) => bytes.length >= offset + expected.length && expected.every((byte, index) => bytes[offset + index] === byte));
    if (matches) return contentType;
  }
  return null;
}

const MIB = 1024 * 1024;

/** "10 MiB", "12.3 MiB", "512 KiB", "900 bytes": a size as a person reads it (one decimal at most). */
export function byteSizeText(bytes: number): string {
  const oneDecimal = (value: number): string => (Math.round(value * 10) / 10).toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (bytes >= MIB) return `${oneDecimal(bytes / MIB)} MiB`;
  if (bytes >= 1024) return `${oneDecimal(bytes / 1024)} KiB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** "Demo marketplace takes PNG, JPEG or WebP": the types' short names, joined for a sentence. */
export function imageTypesText(contentTypes: readonly string[]): string {
  const names = contentTypes.map((type) => (type === 'image/jpeg' ? 'JPEG' : type === 'image/webp' ? 'WebP' : type.replace(/^image\//u, '').toUpperCase()));
  if (names.length <= 1) return names[0] ?? 'no images';
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}
