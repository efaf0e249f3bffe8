import { crc32 } from 'node:zlib';

/**
 * Length-prefixed, checksummed records: the journal's unit of durability.
 *
 *   u32 LE payload length | u32 LE CRC-32 of the payload | u32 LE CRC-32 of the 8 bytes before it | payload
 *
 * The header carries its own checksum so that a damaged length field is told apart from a record
 * cut short by a crash: only a record whose header is whole and whose payload runs past the end
 * of the file (or fails its checksum as the very last thing in the file) is a torn tail.
 */
export const FRAME_HEADER_BYTES = 12;
/** A transaction's record must stay well under V8's largest string (it is parsed as one string). */
export const MAX_FRAME_PAYLOAD_BYTES = 256 * 1024 * 1024;

/** A frame around the UTF-8 of `text`, encoded straight into the frame (one copy, not two). */
export function encodeTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.write(text, FRAME_HEADER_BYTES, 'utf8');
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  frame.writeUInt32LE(crc32(frame.subarray(0, 8)), 8);
  return frame;
}

export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  frame.writeUInt32LE(crc32(frame.subarray(0, 8)), 8);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

export interface Frame {
  /** Where the frame starts in the buffer. */
  offset: number;
  payload: Buffer;
}

/**
 * Why scanning stopped before the end: `torn` is the ordinary trace of a crash in the middle of
 * an append (the bytes from `offset` on can be cut away); `corrupt` is damage with data after it.
 */
export interface FrameStop {
  kind: 'torn' | 'corrupt';
  offset: number;
  reason: string;
}

export interface FrameScan {
  frames: Frame[];
  /** End of the last whole frame. */
  end: number;
  stop: FrameStop | null;
}

function allZero(buffer: Buffer, from: number): boolean {
  for (let index = from; index < buffer.length; index += 1) {
    if (buffer[index] !== 0) return false;
  }
  return true;
}

/** Reads every whole frame from the start of `buffer` and says why it stopped, if before the end. */
export function scanFrames(buffer: Buffer): FrameScan {
  const frames: Frame[] = [];
  let offset = 0;
  const stopAt = (kind: FrameStop['kind'], reason: string): FrameScan => {
    // A file system may extend a file before the data reaches it: zeros to the end are a torn write.
    if (allZero(buffer, offset)) {
      return { frames, end: offset, stop: { kind: 'torn', offset, reason: `the last ${buffer.length - offset} bytes are zeros (a write that never reached the disk)` } };
    }
    return { frames, end: offset, stop: { kind, offset, reason } };
  };
  while (offset < buffer.length) {
    const remaining = buffer.length - offset;
    if (remaining < FRAME_HEADER_BYTES) return stopAt('torn', `the last record's header is cut short (${remaining} of ${FRAME_HEADER_BYTES} bytes)`);
    const length = buffer.readUInt32LE(offset);
    const payloadCrc = buffer.readUInt32LE(offset + 4);
    const headerCrc = buffer.readUInt32LE(offset + 8);
    if (crc32(buffer.subarray(offset, offset + 8)) !== headerCrc) {
      return stopAt('corrupt', 'a record header fails its checksum');
    }
    if (length > MAX_FRAME_PAYLOAD_BYTES) return stopAt('corrupt', `a record claims ${length} bytes, more than any record can hold`);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > buffer.length) {
      return stopAt('torn', `the last record is cut short (${buffer.length - offset - FRAME_HEADER_BYTES} of ${length} bytes)`);
    }
    const payload = buffer.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== payloadCrc) {
      return end === buffer.length
        ? stopAt('torn', 'the last record fails its checksum (it was being written when the app stopped)')
        : stopAt('corrupt', 'a record fails its checksum and more data follows it');
    }
    frames.push({ offset, payload });
    offset = end;
  }
  return { frames, end: offset, stop: null };
}
