import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheDb } from '../../../../../electron/backend/cache/db';
import { openDurableCache } from '../../../../../electron/backend/cache/durable';
import { CACHE_SCHEMA } from '../../../../../electron/backend/cache/schema';
import {
  EvidenceStore,
  evidenceDir,
  imageSize,
  inspectEvidenceImage,
  MAX_EVIDENCE_BYTES,
  sniffImageType,
} from '../../../../../electron/backend/evidence/files';
import type { Logger } from '../../../../../electron/backend/log';
import { createDemoAdapter } from '../../../../../electron/backend/marketplace/demo';
import { MarketplaceHttpClient } from '../../../../../electron/backend/marketplace/http-client';
import { createManualClock } from '../../../../../electron/simulator/clock';
import { renderEvidencePng } from '../../../../../electron/simulator/png';
import type { Evidence } from '../../../../../shared/domain/request';
import { toInstant } from '../../../../../shared/domain/time';
import { TEST_START_MS } from '../../../../support/start';

// --- hand-made image headers: just enough bytes for the sniff and the size ----------------------

function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = 8; // bit depth
  ihdr[17] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** SOI, an APP0 (JFIF) and an APP1 (Exif) segment and a quantisation table, fill bytes, then the frame header. */
function jpeg(width: number, height: number, frameMarker = 0xc0): Buffer {
  const frame = Buffer.alloc(15);
  frame[0] = 8; // precision
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  frame[5] = 3; // components
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\u0000\u0001\u0001\u0000\u0000\u0001\u0000\u0001\u0000\u0000', 'latin1')),
    segment(0xe1, Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), Buffer.alloc(300, 0x11)])),
    segment(0xdb, Buffer.alloc(65, 0x01)),
    Buffer.from([0xff, 0xff]),
    segment(frameMarker, frame),
    segment(0xda, Buffer.alloc(10)),
  ]);
}

function riff(form: string, chunkName: string, chunk: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(12 + chunk.length, 4);
  header.write(form, 8, 'latin1');
  header.write(chunkName, 12, 'latin1');
  header.writeUInt32LE(chunk.length, 16);
  return Buffer.concat([header, chunk]);
}

/** Lossy: a key frame's tag, the start code 9d 01 2a, then 14-bit width and height. */
function webpLossy(width: number, height: number): Buffer {
  const data = Buffer.alloc(10);
  data.set([0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a]);
  data.writeUInt16LE(width, 6);
  data.writeUInt16LE(height, 8);
  return riff('WEBP', 'VP8 ', data);
}

/** Lossless: the signature 0x2f, then width - 1 and height - 1 in 14 bits each. */
function webpLossless(width: number, height: number): Buffer {
  const data = Buffer.alloc(5);
  data[0] = 0x2f;
  data.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1);
  return riff('WEBP', 'VP8L', data);
}

/** Extended: flags, then the canvas's width - 1 and height - 1 in 24 bits each. */
function webpExtended(width: number, height: number): Buffer {
  const data = Buffer.alloc(10);
  data.writeUIntLE(width - 1, 4, 3);
  data.writeUIntLE(height - 1, 7, 3);
  return riff('WEBP', 'VP8X', data);
}

describe('what an evidence file really is', () => {
  it('takes a RIFF file for WebP only when its form type is WEBP', () => {
    expect(sniffImageType(webpLossy(800, 600))).toBe('image/webp');
    expect(sniffImageType(riff('WAVE', 'fmt ', Buffer.alloc(16)))).toBeNull();
    expect(sniffImageType(riff('AVI ', 'LIST', Buffer.alloc(16)))).toBeNull();
    expect(sniffImageType(Buffer.from('RIFF'))).toBeNull();
  });

  it('reads the size from the PNG IHDR, the JPEG frame header and the WebP VP8, VP8L and VP8X headers', () => {
    expect(imageSize(png(4032, 3024), 'image/png')).toEqual({ width: 4032, height: 3024 });
    expect(imageSize(jpeg(4032, 3024), 'image/jpeg')).toEqual({ width: 4032, height: 3024 });
    expect(imageSize(jpeg(1200, 900, 0xc2), 'image/jpeg')).toEqual({ width: 1200, height: 900 });
    expect(imageSize(webpLossy(800, 600), 'image/webp')).toEqual({ width: 800, height: 600 });
    expect(imageSize(webpLossless(1000, 700), 'image/webp')).toEqual({ width: 1000, height: 700 });
    expect(imageSize(webpExtended(7000, 7000), 'image/webp')).toEqual({ width: 7000, height: 7000 });
    // The demo marketplace's real PNGs.
    expect(inspectEvidenceImage(renderEvidencePng('ev-1'))).toMatchObject({ ok: true, contentType: 'image/png' });
  });

  it.each([
    ['PNG, too wide', png(12_001, 10)],
    ['PNG, too many pixels', png(8_000, 7_000)],
    ['PNG, a bomb', png(60_000, 60_000)],
    ['JPEG, too tall', jpeg(100, 13_000)],
    ['JPEG (progressive), too many pixels', jpeg(10_000, 6_000, 0xc2)],
    ['WebP lossy, too wide', webpLossy(16_383, 100)],
    ['WebP lossless, too tall', webpLossless(1, 12_001)],
    ['WebP extended, too large', webpExtended(20_000, 20_000)],
    ['WebP extended, too many pixels', webpExtended(8_000, 7_000)],
  ])('refuses an image above 12,000 px a side or 50 megapixels: %s', (_name, bytes) => {
    const verdict = inspectEvidenceImage(bytes);
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/^it is \d+ × \d+ pixels; Cancel Desk shows photos of up to 12,000 pixels a side and 50 megapixels$/) as string });
  });

  it('accepts the largest image inside both limits', () => {
    expect(inspectEvidenceImage(png(12_000, 4_000))).toMatchObject({ ok: true });
    expect(inspectEvidenceImage(webpExtended(7_000, 7_000))).toMatchObject({ ok: true });
  });

  it.each([
    ['a JPEG whose scan comes before any frame header', Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0xda, Buffer.alloc(10))])],
    ['a PNG cut inside its IHDR', png(100, 100).subarray(0, 20)],
    ['a PNG of no pixels', png(0, 0)],
    ['a WebP of another chunk', riff('WEBP', 'ALPH', Buffer.alloc(20))],
    ['a lossy WebP without its start code', riff('WEBP', 'VP8 ', Buffer.alloc(10))],
  ])('refuses an image whose size cannot be read: %s', (_name, bytes) => {
    expect(inspectEvidenceImage(bytes)).toMatchObject({ ok: false, reason: expect.stringContaining('no readable size') as string });
  });

  it('refuses what is not a PNG, JPEG or WebP image', () => {
    expect(inspectEvidenceImage(Buffer.from('\u0000\u0000\u0000\u0018ftypmp42', 'latin1'))).toEqual({ ok: false, reason: 'it is not a PNG, JPEG or WebP image' });
  });
});

// --- the store, against a marketplace that counts what is asked of it ---------------------------

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Streams `total` bytes in chunks, without a Content-Length (chunked), as long as the client reads. */
function stream(response: ServerResponse, total: number): void {
  response.writeHead(200, { 'Content-Type': 'image/png' });
  const chunk = Buffer.alloc(64 * 1024, 0x42);
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !response.destroyed) {
      sent += chunk.length;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
    response.end();
  };
  pump();
}

async function evidenceMarketplace(): Promise<{ url: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const id = decodeURIComponent(/^\/v1\/evidence\/(.+)$/.exec(request.url ?? '')?.[1] ?? '');
    const hit = (hits.get(id) ?? 0) + 1;
    hits.set(id, hit);
    const image = (bytes: Buffer): void => void response.writeHead(200, { 'Content-Type': 'image/png' }).end(bytes);
    switch (id) {
      case 'ev-photo':
        return image(renderEvidencePng(id));
      case 'ev-mp4':
        // Says it is a PNG; it is a video.
        return image(Buffer.concat([Buffer.from('\u0000\u0000\u0000\u0018ftypmp42', 'latin1'), Buffer.alloc(2_000)]));
      case 'ev-bomb':
        return image(png(60_000, 60_000));
      case 'ev-huge':
        return stream(response, MAX_EVIDENCE_BYTES + 2 * 1024 * 1024);
      case 'ev-flaky':
        if (hit === 1) return void response.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":{"code":"down","message":"maintenance"}}');
        return image(renderEvidencePng(id));
      default:
        return void response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

function evidence(id: string, kind: Evidence['kind'] = 'photo'): Evidence {
  return { id, kind, fileName: `${id}.png`, contentType: kind === 'video' ? 'video/mp4' : 'image/png', bytes: 1_000, submittedAt: toInstant(TEST_START_MS) };
}

async function openStore(url: string): Promise<{ store: Pick<EvidenceStore, 'record' | 'read'> & { fetchMissing(): Promise<number> }; db: CacheDb; dataDir: string; warnings: string[] }> {
  const clock = createManualClock(TEST_START_MS);
  const dataDir = await mkdtemp(join(tmpdir(), 'desk-evidence-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const cache = await openDurableCache<CacheDb>({ dir: join(dataDir, 'cache'), schema: CACHE_SCHEMA, clock });
  cleanups.push(() => cache.close());
  await cache.fullyLoaded;
  const warnings: string[] = [];
  const log: Logger = { info() {}, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };
  // One attempt per call: a failure is retried by the next pass, which is what is tested here.
  const http = new MarketplaceHttpClient({ baseUrl: url, token: 't', clock, maxAttempts: 1, random: () => 0 });
  const adapter = createDemoAdapter(http);
  const evidence = new EvidenceStore({ db: cache.db, dataDir, clock, log });
  // Every file from the one marketplace of this test, whatever its request's store.
  const store = { fetchMissing: () => evidence.fetchMissing(() => adapter), record: evidence.record.bind(evidence), read: evidence.read.bind(evidence) };
  return { store, db: cache.db, dataDir, warnings };
}

describe('evidence files Cancel Desk refuses', () => {
  it('are recorded as refused with their reason and never fetched again; a failure that may pass is retried', async () => {
    const marketplace = await evidenceMarketplace();
    const { store, db, warnings } = await openStore(marketplace.url);
    const ids = ['ev-photo', 'ev-mp4', 'ev-bomb', 'ev-huge', 'ev-flaky'];
    await store.record([{ id: 'r-1', evidence: [...ids.map((id) => evidence(id)), evidence('ev-video', 'video')] }]);

    expect(await store.fetchMissing()).toBe(1);
    expect(Object.fromEntries(marketplace.hits)).toEqual({ 'ev-photo': 1, 'ev-mp4': 1, 'ev-bomb': 1, 'ev-huge': 1, 'ev-flaky': 1 });
    const refused = Object.fromEntries((await db.evidence.toArray()).map((row) => [row.id, { fetched: row.fetched, refused: row.refused ?? null }]));
    expect(refused).toEqual({
      'ev-photo': { fetched: 1, refused: null },
      'ev-mp4': { fetched: 2, refused: 'it is not a PNG, JPEG or WebP image' },
      'ev-bomb': { fetched: 2, refused: 'it is 60000 × 60000 pixels; Cancel Desk shows photos of up to 12,000 pixels a side and 50 megapixels' },
      'ev-huge': { fetched: 2, refused: 'it is larger than 10 MiB' },
      // Never asked for: the marketplace says it is a video.
      'ev-video': { fetched: 2, refused: 'it is a video; Cancel Desk shows photos only' },
      'ev-flaky': { fetched: 0, refused: null },
    });
    expect(warnings.some((line) => line.includes('ev-flaky') && line.includes('not fetched'))).toBe(true);

    // The next sync pass: only the file that failed for a passing reason is asked for again.
    expect(await store.fetchMissing()).toBe(1);
    expect(Object.fromEntries(marketplace.hits)).toEqual({ 'ev-photo': 1, 'ev-mp4': 1, 'ev-bomb': 1, 'ev-huge': 1, 'ev-flaky': 2 });
    expect(await store.fetchMissing()).toBe(0);
    expect(marketplace.hits.get('ev-mp4')).toBe(1);
    // Seen again in a later page: a refused row stays refused.
    await store.record([{ id: 'r-1', evidence: [evidence('ev-mp4')] }]);
    expect(await store.fetchMissing()).toBe(0);
    expect(marketplace.hits.get('ev-mp4')).toBe(1);
  });

  it('tell the seller why, instead of "not downloaded yet"', async () => {
    const marketplace = await evidenceMarketplace();
    const { store } = await openStore(marketplace.url);
    await store.record([{ id: 'r-1', evidence: [evidence('ev-mp4'), evidence('ev-video', 'video')] }]);
    await store.fetchMissing();
    await expect(store.read('ev-mp4')).rejects.toMatchObject({
      code: 'evidence_refused',
      message: 'Cancel Desk did not download this file: it is not a PNG, JPEG or WebP image. Look at it on the marketplace.',
    });
    await expect(store.read('ev-video')).rejects.toMatchObject({ code: 'evidence_refused', message: expect.stringContaining('it is a video') as string });
  });

  it.runIf(process.platform !== 'win32')('are kept, when accepted, in a folder (0700) and files (0600) of this user only', async () => {
    const marketplace = await evidenceMarketplace();
    const { store, dataDir } = await openStore(marketplace.url);
    await store.record([{ id: 'r-1', evidence: [evidence('ev-photo')] }]);
    expect(await store.fetchMissing()).toBe(1);
    const dir = evidenceDir(dataDir);
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700');
    const names = await readdir(dir);
    expect(names).toEqual(['ev-photo.img']);
    expect(((await stat(join(dir, 'ev-photo.img'))).mode & 0o777).toString(8)).toBe('600');
  });
});
