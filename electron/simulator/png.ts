import { deflateSync } from 'node:zlib';
import { hashString } from './random';

/**
 * Evidence photos: small PNGs drawn from the evidence id, so every photo is different yet
 * reproducible, and every one has the same byte size (stored, uncompressed deflate blocks), which
 * lets the dataset state `bytes` without rendering 100k images.
 */
export const EVIDENCE_PNG_WIDTH = 48;
export const EVIDENCE_PNG_HEIGHT = 36;

const CRC_TABLE = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A PNG (RGB, 8 bits) for an evidence id: a two-colour diagonal pattern picked by its hash. */
export function renderEvidencePng(evidenceId: string): Buffer {
  const hash = hashString(evidenceId);
  const base = [hash & 0xff, (hash >>> 8) & 0xff, (hash >>> 16) & 0xff];
  const accent = base.map((channel) => 255 - channel);
  const stripe = 4 + ((hash >>> 24) % 8);
  const rowBytes = 1 + EVIDENCE_PNG_WIDTH * 3;
  const raw = Buffer.alloc(rowBytes * EVIDENCE_PNG_HEIGHT);
  for (let y = 0; y < EVIDENCE_PNG_HEIGHT; y++) {
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < EVIDENCE_PNG_WIDTH; x++) {
      const colour = Math.floor((x + y) / stripe) % 2 === 0 ? base : accent;
      const offset = y * rowBytes + 1 + x * 3;
      raw[offset] = colour[0] as number;
      raw[offset + 1] = colour[1] as number;
      raw[offset + 2] = colour[2] as number;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(EVIDENCE_PNG_WIDTH, 0);
  header.writeUInt32BE(EVIDENCE_PNG_HEIGHT, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  header[10] = 0; // compression
  header[11] = 0; // filter
  header[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The byte size of every evidence PNG (level-0 deflate makes it independent of the pixels). */
export const EVIDENCE_PNG_BYTES = renderEvidencePng('size-probe').length;
