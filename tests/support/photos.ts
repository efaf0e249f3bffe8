import { renderEvidencePng } from '../../electron/simulator/png';

/**
 * Photos for the seller-evidence tests: a real PNG (the demo's own renderer), and hand-made JPEG
 * and WebP headers with just enough bytes for the sniff and the size. No randomness.
 */

/** A small, valid PNG (48 × 36), different per name. */
export function pngPhoto(name = 'label'): Buffer {
  return renderEvidencePng(`photo-${name}`);
}

/** SOI, a JFIF segment, the frame header (width × height), a scan: what the size reader walks. */
export function jpegPhoto(width = 640, height = 480): Buffer {
  const segment = (marker: number, payload: Buffer): Buffer => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  };
  const frame = Buffer.alloc(15);
  frame[0] = 8;
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  frame[5] = 3;
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\u0000\u0001\u0001\u0000\u0000\u0001\u0000\u0001\u0000\u0000', 'latin1')),
    segment(0xc0, frame),
    segment(0xda, Buffer.alloc(10)),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A PNG signature followed by filler up to `bytes`: sniffed as a PNG, sized by its header. */
export function largePng(bytes: number): Buffer {
  const head = pngPhoto('large');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), 0x20)]);
}

/** Plain text that a person named "label.png": not an image by its bytes. */
export function textRenamedPng(): Buffer {
  return Buffer.from('Tracking: JD014600003SE\nThis is a text file, whatever its name says.\n', 'utf8');
}
