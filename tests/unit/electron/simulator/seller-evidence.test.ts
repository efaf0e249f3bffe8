import { afterEach, describe, expect, it } from 'vitest';
import type { CancelRequest } from '../../../../shared/domain/request';
import type { Simulator } from '../../../../electron/simulator/server';
import { SELLER_UPLOAD_MAX_BYTES } from '../../../../electron/simulator/seller-evidence';
import { jpegPhoto, largePng, pngPhoto, textRenamedPng } from '../../../support/photos';
import { act, call, errorOf, type JsonAnswer } from './helpers';
import { closeAll, startSim } from './key-fixtures';

afterEach(closeAll);

/** POSTs raw bytes as the seller's photo for a request. */
async function upload(sim: Simulator, requestId: string, bytes: Buffer, contentType: string | null, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const response = await fetch(`${sim.url}/v1/requests/${encodeURIComponent(requestId)}/evidence`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sim.token}`, ...(contentType === null ? {} : { 'Content-Type': contentType }), ...headers },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown), headers: response.headers };
}

function idOf(answer: JsonAnswer): string {
  expect(answer.status).toBe(201);
  return (answer.body as { id: string }).id;
}

function openDispute(sim: Simulator, skip = 0): CancelRequest {
  const found = sim.state.requests.list().filter((request) => request.kind === 'dispute' && request.state === 'requested' && request.refundMax.amountMinor > 2);
  const request = found[skip];
  if (request === undefined) throw new Error('the dataset has no open dispute left for this test');
  return request;
}

function sellerEvidence(sim: Simulator, requestId: string): Promise<JsonAnswer> {
  return call(sim, `/v1/requests/${encodeURIComponent(requestId)}/seller-evidence`);
}

describe('POST /v1/requests/:id/evidence', () => {
  it('stores a PNG, a JPEG and a WebP as the seller uploads of the request, without a new version', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const webp = Buffer.concat([Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8L', 'latin1'), Buffer.alloc(20)]);
    const answers = [await upload(sim, request.id, pngPhoto(), 'image/png'), await upload(sim, request.id, jpegPhoto(), 'image/jpeg'), await upload(sim, request.id, webp, 'image/webp; q=1')];
    const ids = answers.map(idOf);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^sev-\d+$/u);
    expect(answers[1]?.body).toEqual({ id: ids[1], contentType: 'image/jpeg', bytes: jpegPhoto().length });

    const listed = await sellerEvidence(sim, request.id);
    expect(listed.status).toBe(200);
    expect((listed.body as { items: unknown[] }).items).toEqual([
      { id: ids[0], contentType: 'image/png', bytes: pngPhoto().length, uploadedAt: expect.any(String) as unknown, sentWith: null },
      { id: ids[1], contentType: 'image/jpeg', bytes: jpegPhoto().length, uploadedAt: expect.any(String) as unknown, sentWith: null },
      { id: ids[2], contentType: 'image/webp', bytes: webp.length, uploadedAt: expect.any(String) as unknown, sentWith: null },
    ]);
    // Not the buyer's evidence, and not a change of the request.
    expect(sim.state.requests.get(request.id)).toEqual(request);
    expect(sim.state.ledgerOf(request.id)).toEqual([]);
  });

  it('refuses a body that is not an image by its bytes (a text file called a PNG), whatever the Content-Type says', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const text = await upload(sim, request.id, textRenamedPng(), 'image/png');
    expect(text.status).toBe(422);
    expect(errorOf(text)).toMatchObject({ code: 'not_an_image', message: 'The upload is not a PNG, JPEG or WebP image (by its first bytes); nothing was stored.' });
    const mislabelled = await upload(sim, request.id, jpegPhoto(), 'image/png');
    expect(mislabelled.status).toBe(422);
    expect(errorOf(mislabelled).message).toContain('a JPEG image, not image/png');
    expect(sim.state.sellerUploads.of(request.id)).toEqual([]);
  });

  it('refuses another Content-Type (415) and more than 10 MiB (413), naming the limit', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    for (const type of ['application/octet-stream', 'image/gif', null]) {
      const answer = await upload(sim, request.id, pngPhoto(), type);
      expect(answer.status).toBe(415);
      expect(errorOf(answer)).toMatchObject({ code: 'unsupported_media_type', field: 'Content-Type' });
    }
    const atLimit = await upload(sim, request.id, largePng(SELLER_UPLOAD_MAX_BYTES), 'image/png');
    expect(atLimit.status).toBe(201);
    const over = await upload(sim, request.id, largePng(SELLER_UPLOAD_MAX_BYTES + 300 * 1024), 'image/png');
    expect(over.status).toBe(413);
    expect(errorOf(over)).toMatchObject({ code: 'payload_too_large', message: 'The photo is larger than 10 MiB (it is 10.3 MiB); the marketplace takes photos of up to 10 MiB.' });
    expect(sim.state.sellerUploads.of(request.id)).toHaveLength(1);
  });

  it('needs the token, knows the request (404), and is faulty like the other calls', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const anonymous = await fetch(`${sim.url}/v1/requests/${request.id}/evidence`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(pngPhoto()) });
    expect(anonymous.status).toBe(401);
    expect((await upload(sim, 'r-nope', pngPhoto(), 'image/png')).status).toBe(404);
    sim.setFaults({ errorRate: 1 });
    expect([500, 503]).toContain((await upload(sim, request.id, pngPhoto(), 'image/png')).status);
    expect([500, 503]).toContain((await sellerEvidence(sim, request.id)).status);
    sim.setFaults({});
    expect(sim.state.sellerUploads.of(request.id)).toEqual([]);
  });

  it('answers a repeated upload under the same Idempotency-Key with the same id, and other bytes under it with 422', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const first = idOf(await upload(sim, request.id, pngPhoto(), 'image/png', { 'Idempotency-Key': 'k-photo-1' }));
    const again = await upload(sim, request.id, pngPhoto(), 'image/png', { 'Idempotency-Key': 'k-photo-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((again.body as { id: string }).id).toBe(first);
    const other = await upload(sim, request.id, pngPhoto('box'), 'image/png', { 'Idempotency-Key': 'k-photo-1' });
    expect(other.status).toBe(422);
    expect(errorOf(other).code).toBe('idempotency_key_reused');
    // Without a key, the same photo twice is two uploads (a harmless duplicate).
    idOf(await upload(sim, request.id, pngPhoto(), 'image/png'));
    expect(sim.state.sellerUploads.of(request.id)).toHaveLength(2);
    // A marketplace ignoring keys stores every upload.
    sim.setIdempotencyKeys('ignore');
    idOf(await upload(sim, request.id, pngPhoto(), 'image/png', { 'Idempotency-Key': 'k-photo-1' }));
    expect(sim.state.sellerUploads.of(request.id)).toHaveLength(3);
  });
});

describe('refuse and offer with evidenceIds', () => {
  it('a refusal names its uploads: the ledger entry records them and the list says what they went with', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const label = idOf(await upload(sim, request.id, pngPhoto('label'), 'image/png'));
    const box = idOf(await upload(sim, request.id, jpegPhoto(), 'image/jpeg'));
    const spare = idOf(await upload(sim, request.id, pngPhoto('spare'), 'image/png'));
    const answer = await act(sim, request.id, 'refuse', { expectedVersion: request.version, reason: 'item_as_described', memo: 'See the photos.', evidenceIds: [label, box] }, 'k-ref-1');
    expect(answer.status).toBe(200);
    const entries = sim.state.ledgerOf(request.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'refuse', details: { reason: 'item_as_described', memo: 'See the photos.', evidenceIds: [label, box] } });
    const listed = (await sellerEvidence(sim, request.id)).body as { items: Array<{ id: string; sentWith: string | null }> };
    expect(listed.items.map((item) => [item.id, item.sentWith])).toEqual([
      [label, 'refuse'],
      [box, 'refuse'],
      [spare, null],
    ]);
    const history = await call(sim, `/v1/requests/${request.id}/history`);
    expect((history.body as { items: Array<{ details: unknown }> }).items[0]?.details).toMatchObject({ evidenceIds: [label, box] });
  });

  it('an offer names its uploads too; without evidenceIds the details are as before', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const photo = idOf(await upload(sim, request.id, pngPhoto(), 'image/png'));
    const amount = { ...request.refundMax, amountMinor: 1 };
    expect((await act(sim, request.id, 'offer', { expectedVersion: request.version, amount, evidenceIds: [photo] }, 'k-off-1')).status).toBe(200);
    expect(sim.state.ledgerOf(request.id)[0]?.details).toEqual({ amount, evidenceIds: [photo] });

    const plain = openDispute(sim, 1);
    expect((await act(sim, plain.id, 'refuse', { expectedVersion: plain.version, reason: 'other', memo: '' }, 'k-ref-2')).status).toBe(200);
    expect(sim.state.ledgerOf(plain.id)[0]?.details).toEqual({ reason: 'other', memo: '', tracking: null });
  });

  it('refuses an unknown id, or another request upload, with 422 unknown_evidence; nothing is applied', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const other = openDispute(sim, 1);
    const theirs = idOf(await upload(sim, other.id, pngPhoto(), 'image/png'));
    for (const [key, evidenceIds] of [
      ['k-bad-1', ['sev-999']],
      ['k-bad-2', [theirs]],
    ] as const) {
      const answer = await act(sim, request.id, 'refuse', { expectedVersion: request.version, reason: 'other', memo: '', evidenceIds }, key);
      expect(answer.status).toBe(422);
      expect(errorOf(answer)).toMatchObject({ code: 'unknown_evidence', field: 'evidenceIds', id: evidenceIds[0] });
      expect(errorOf(answer).message).toContain(`is not an upload of the seller for request ${request.id}`);
    }
    const offer = await act(sim, request.id, 'offer', { expectedVersion: request.version, amount: { ...request.refundMax, amountMinor: 1 }, evidenceIds: ['sev-1000'] }, 'k-bad-3');
    expect(offer.status).toBe(422);
    expect(sim.state.ledgerOf(request.id)).toEqual([]);
    expect(sim.state.requests.get(request.id)?.version).toBe(request.version);
  });

  it('takes at most 10 evidence ids (400 naming the field)', async () => {
    const sim = await startSim();
    const request = openDispute(sim);
    const ids = Array.from({ length: 11 }, (_, index) => `sev-${index + 1}`);
    const answer = await act(sim, request.id, 'refuse', { expectedVersion: request.version, reason: 'other', memo: '', evidenceIds: ids }, 'k-many');
    expect(answer.status).toBe(400);
    expect(errorOf(answer).field).toBe('evidenceIds');
  });
});
