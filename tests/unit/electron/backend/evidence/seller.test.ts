import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SellerEvidenceStore, sellerEvidenceDir } from '../../../../../electron/backend/evidence/seller';
import { silentLogger } from '../../../../../electron/backend/log';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import { DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../../../shared/domain/marketplace';
import { dispatchCall } from '../../../../../shared/ipc/dispatch';
import { startDesk, type Desk } from '../../../../support/desk';
import { jpegPhoto, largePng, pngPhoto, textRenamedPng } from '../../../../support/photos';

let desk: Desk;
let dispute: CachedRequest;

beforeAll(async () => {
  desk = await startDesk({ seed: 8, orders: 300 });
  dispute = await desk.find((row) => row.kind === 'dispute' && row.state === 'requested');
});

afterAll(async () => {
  await desk.close();
});

function attach(fileName: string, bytes: Buffer, requestId = dispute.id) {
  return desk.backend.handle('evidence.attach', { requestId, fileName, dataBase64: bytes.toString('base64') });
}

/** The files under <dataDir>/seller-evidence (none when the folder was never made). */
async function storedFiles(): Promise<string[]> {
  try {
    return (await readdir(sellerEvidenceDir(desk.dataDir))).sort();
  } catch {
    return [];
  }
}

/** Nothing kept, nothing at the marketplace: what a refused file leaves behind. */
async function expectNothingStored(): Promise<void> {
  expect(await desk.backend.db.sellerEvidence.where('requestId').equals(dispute.id).count()).toBe(0);
  expect(await storedFiles()).toEqual([]);
  expect(desk.simulator.state.sellerUploads.of(dispute.id)).toEqual([]);
}

/** The store over the desk's cache with another marketplace's evidence capabilities. */
function storeWith(evidence: Partial<MarketplaceCapabilities['evidence']>): SellerEvidenceStore {
  const capabilities: MarketplaceCapabilities = { ...DEMO_CAPABILITIES, name: 'AliExpress', evidence: { ...DEMO_CAPABILITIES.evidence, ...evidence } };
  return new SellerEvidenceStore({ db: desk.backend.db, dataDir: desk.dataDir, clock: desk.clock, log: silentLogger, flush: () => Promise.resolve(), capabilities: () => capabilities });
}

describe('evidence.attach refuses what is not a photo the marketplace takes, before anything is stored or sent', () => {
  it('a text file named label.png is not an image by its bytes', async () => {
    await expect(attach('label.png', textRenamedPng())).rejects.toMatchObject({ code: 'not_an_image', message: 'label.png is not a PNG, JPEG or WebP image.' });
    await expectNothingStored();
  });

  it('a file over 10 MiB is refused at the boundary with its size', async () => {
    const result = await dispatchCall('evidence.attach', { requestId: dispute.id, fileName: 'box.png', dataBase64: largePng(10.4 * 1024 * 1024).toString('base64') }, () =>
      Promise.reject(new Error('the handler must not run')),
    );
    expect(result).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Invalid input for evidence.attach: dataBase64: box.png is larger than 10 MiB (it is 10.4 MiB)' } });
    await expectNothingStored();
  });

  it("a file over the store's own limit, a type it does not take, or any photo where it takes none", async () => {
    const small = storeWith({ maxBytes: 1024 * 1024 });
    await expect(small.attach({ requestId: dispute.id, fileName: 'scan.png', dataBase64: largePng(1.5 * 1024 * 1024).toString('base64') })).rejects.toMatchObject({
      code: 'photo_too_large',
      message: 'scan.png is larger than 1 MiB (it is 1.5 MiB).',
    });
    const jpegOnly = storeWith({ contentTypes: ['image/jpeg'] });
    await expect(jpegOnly.attach({ requestId: dispute.id, fileName: 'label.png', dataBase64: pngPhoto().toString('base64') })).rejects.toMatchObject({
      code: 'photo_type_not_taken',
      message: 'AliExpress takes JPEG photos; label.png is a PNG.',
    });
    const none = storeWith({ upload: false });
    await expect(none.attach({ requestId: dispute.id, fileName: 'label.png', dataBase64: pngPhoto().toString('base64') })).rejects.toMatchObject({
      code: 'photos_not_supported',
      message: 'AliExpress takes no photos from Cancel Desk; add label.png on AliExpress instead.',
    });
    await expect(attach('label.png', pngPhoto(), 'r-no-such-request')).rejects.toMatchObject({ code: 'not_found' });
    await expectNothingStored();
  });

  it('a PNG that declares a huge decoded size (a decompression bomb) is refused with the reason', async () => {
    const bomb = Buffer.from(pngPhoto());
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    await expect(attach('bomb.png', bomb)).rejects.toMatchObject({ code: 'photo_refused', message: expect.stringMatching(/^bomb\.png cannot be sent: it is 60000 × 60000 pixels/u) as unknown });
    await expectNothingStored();
  });
});

describe('evidence.attach and evidence.detach', () => {
  it('stores a photo privately and atomically under the data folder, not linked to a decision yet', async () => {
    const label = await attach('label.png', pngPhoto());
    expect(label).toEqual({ attachmentId: expect.stringMatching(/^photo-[A-Za-z0-9_-]+$/u) as unknown, fileName: 'label.png', contentType: 'image/png', bytes: pngPhoto().length });
    // The name says nothing: the bytes are a JPEG.
    const box = await attach('box.png', jpegPhoto());
    expect(box.contentType).toBe('image/jpeg');
    const row = await desk.backend.db.sellerEvidence.get(label.attachmentId);
    expect(row).toEqual({ id: label.attachmentId, requestId: dispute.id, fileName: 'label.png', contentType: 'image/png', bytes: pngPhoto().length, path: `${label.attachmentId}.img`, addedAt: new Date(desk.clock.now()).toISOString(), outboxId: null, sentAt: null });
    expect(await storedFiles()).toEqual([`${label.attachmentId}.img`, `${box.attachmentId}.img`].sort());
    expect(await readFile(join(sellerEvidenceDir(desk.dataDir), `${label.attachmentId}.img`))).toEqual(pngPhoto());
    if (process.platform !== 'win32') {
      expect((await stat(sellerEvidenceDir(desk.dataDir))).mode & 0o777).toBe(0o700);
      expect((await stat(join(sellerEvidenceDir(desk.dataDir), `${label.attachmentId}.img`))).mode & 0o777).toBe(0o600);
    }
    // Nothing is sent before a decision names it.
    expect(desk.simulator.state.sellerUploads.of(dispute.id)).toEqual([]);

    expect(await desk.backend.handle('evidence.detach', { attachmentId: label.attachmentId })).toEqual({ detached: true });
    expect(await desk.backend.handle('evidence.detach', { attachmentId: label.attachmentId })).toEqual({ detached: false });
    expect(await desk.backend.db.sellerEvidence.get(label.attachmentId)).toBeUndefined();
    expect(await storedFiles()).toEqual([`${box.attachmentId}.img`]);
    await desk.backend.handle('evidence.detach', { attachmentId: box.attachmentId });
    expect(await storedFiles()).toEqual([]);
  });
});
