import type { IncomingMessage } from 'node:http';

/**
 * Request parameters as the IOP gateway reads them (protocol §1.2): the query string, an
 * `application/x-www-form-urlencoded` body and `multipart/form-data` text parts, merged into one
 * map; multipart parts with a file name are files, which the signature leaves out. The Java SDK
 * repeats `method` in the query, so a parameter may appear more than once with the same value.
 */

export interface FilePart {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface RequestParams {
  /** Text parameters (system and business), one value each. */
  readonly text: ReadonlyMap<string, string>;
  /** File parts by field name (e.g. `image_bytes`). */
  readonly files: ReadonlyMap<string, FilePart>;
}

/** A request the gateway cannot read; answered as `InvalidParameter`. */
export class ParamsError extends Error {
  override readonly name = 'ParamsError';
}

/** The largest body the sandbox reads (an evidence photo plus its fields). */
export const MAX_REQUEST_BYTES = 12 * 1024 * 1024;

/** Reads the whole body, refusing more than `limit` bytes. */
export function readBodyBytes(request: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new ParamsError(`The request body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

/** `multipart/form-data;charset=UTF-8;boundary=123` → { type: 'multipart/form-data', boundary: '123', ... }. */
export function parseContentType(header: string | undefined): { type: string; params: Map<string, string> } {
  const [type = '', ...rest] = (header ?? '').split(';');
  const params = new Map<string, string>();
  for (const part of rest) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const key = part.slice(0, index).trim().toLowerCase();
    let value = part.slice(index + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params.set(key, value);
  }
  return { type: type.trim().toLowerCase(), params };
}

interface Part {
  readonly name: string;
  readonly filename: string | null;
  readonly contentType: string;
  readonly body: Buffer;
}

function headerParam(disposition: string, name: string): string | null {
  const quoted = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(disposition);
  if (quoted !== null) return quoted[1] ?? '';
  const bare = new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(disposition);
  return bare === null ? null : (bare[1] ?? '');
}

/** Splits a multipart body into its parts; throws ParamsError when it is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  if (boundary === '') throw new ParamsError('The multipart body has no boundary in its Content-Type.');
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const between = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let position = body.indexOf(delimiter);
  if (position < 0) throw new ParamsError('The multipart body does not contain its boundary.');
  const parts: Part[] = [];
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') return parts;
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') {
      throw new ParamsError('The multipart body is malformed after a boundary.');
    }
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position, 'latin1');
    if (headerEnd < 0) throw new ParamsError('A multipart part has no end to its headers.');
    const headers = body.subarray(position, headerEnd).toString('utf8').split('\r\n');
    const end = body.indexOf(between, headerEnd + 4);
    if (end < 0) throw new ParamsError('A multipart part is not closed by the boundary.');
    let disposition = '';
    let contentType = 'text/plain';
    for (const line of headers) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-disposition') disposition = value;
      else if (name === 'content-type') contentType = value;
    }
    const name = headerParam(disposition, 'name');
    if (name === null) throw new ParamsError('A multipart part has no field name.');
    parts.push({ name, filename: headerParam(disposition, 'filename'), contentType, body: body.subarray(headerEnd + 4, end) });
    position = end + 2;
  }
}

/** Fields that carry bytes even when a client sends them without a file name. */
const FILE_FIELDS = new Set(['image_bytes']);

/**
 * Merges the query and body into one parameter set. A name given several times must carry the
 * same value each time (the Java SDK's repeated `method`); different values are refused.
 */
export function mergeParams(search: URLSearchParams, contentType: string | undefined, body: Buffer): RequestParams {
  const collected = new Map<string, string[]>();
  const add = (key: string, value: string): void => {
    const values = collected.get(key);
    if (values === undefined) collected.set(key, [value]);
    else values.push(value);
  };
  for (const [key, value] of search) add(key, value);
  const files = new Map<string, FilePart>();
  const { type, params } = parseContentType(contentType);
  if (body.length > 0) {
    if (type === 'application/x-www-form-urlencoded') {
      for (const [key, value] of new URLSearchParams(body.toString('utf8'))) add(key, value);
    } else if (type === 'multipart/form-data') {
      for (const part of parseMultipart(body, params.get('boundary') ?? '')) {
        if (part.filename !== null || FILE_FIELDS.has(part.name)) {
          if (files.has(part.name)) throw new ParamsError(`The file field "${part.name}" is given more than once.`);
          files.set(part.name, {
            name: part.name,
            filename: part.filename ?? '',
            contentType: part.contentType,
            bytes: Buffer.from(part.body),
          });
        } else {
          add(part.name, part.body.toString('utf8'));
        }
      }
    }
  }
  const text = new Map<string, string>();
  for (const [key, values] of collected) {
    const first = values[0] ?? '';
    if (values.some((value) => value !== first)) {
      throw new ParamsError(`The parameter "${key}" is given ${values.length} times with different values.`);
    }
    text.set(key, first);
  }
  return { text, files };
}
