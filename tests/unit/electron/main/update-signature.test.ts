import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeUpdatePublicKey, parseUpdatePublicKey, signUpdateFile, verifyUpdateFile } from '../../../../electron/main/update-signature';

async function updateFile(content: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'desk-sig-')), 'cancel-desk-1.4.0-x86_64.AppImage');
  await writeFile(file, content);
  return file;
}

describe('update signatures', () => {
  // A throwaway key pair: the real private key never comes near the repository.
  const publisher = generateKeyPairSync('ed25519');

  it('verifies what the publisher signed, with the key in the form the app pins', async () => {
    const file = await updateFile('AppImage bytes');
    const signed = await signUpdateFile({ file, appVersion: '1.4.0', privateKey: publisher.privateKey });
    expect(signed).toMatchObject({ format: 'cancel-desk-update-signature', version: 1, algorithm: 'ed25519', appVersion: '1.4.0' });
    const pinned = parseUpdatePublicKey(encodeUpdatePublicKey(publisher.privateKey));
    if (!pinned.ok) throw new Error(pinned.reason);
    expect(await verifyUpdateFile({ file, appVersion: '1.4.0', signatureText: JSON.stringify(signed), publicKey: pinned.key })).toEqual({ ok: true });
  });

  it('refuses a signature whose digest was edited to match another file', async () => {
    const file = await updateFile('AppImage bytes');
    const signed = await signUpdateFile({ file, appVersion: '1.4.0', privateKey: publisher.privateKey });
    const other = await updateFile('evil bytes');
    const otherSigned = await signUpdateFile({ file: other, appVersion: '1.4.0', privateKey: generateKeyPairSync('ed25519').privateKey });
    const forged = JSON.stringify({ ...signed, sha512: otherSigned.sha512 });
    expect(await verifyUpdateFile({ file: other, appVersion: '1.4.0', signatureText: forged, publicKey: publisher.publicKey })).toMatchObject({ ok: false, reason: expect.stringContaining('not made with the update key') as unknown });
  });

  it.each([
    ['not JSON', 'nope', 'not JSON'],
    ['a missing signature field', JSON.stringify({ format: 'cancel-desk-update-signature', version: 1, algorithm: 'ed25519', appVersion: '1.4.0', sha512: 'a'.repeat(128) }), 'signature'],
    ['an unknown field', JSON.stringify({ format: 'cancel-desk-update-signature', version: 1, algorithm: 'ed25519', appVersion: '1.4.0', sha512: 'a'.repeat(128), signature: 'A'.repeat(86) + '==', extra: 1 }), 'extra'],
    ['an oversized file', 'x'.repeat(5_000), 'too large'],
  ])('refuses %s', async (_what, signatureText, why) => {
    const file = await updateFile('AppImage bytes');
    expect(await verifyUpdateFile({ file, appVersion: '1.4.0', signatureText, publicKey: publisher.publicKey })).toMatchObject({ ok: false, reason: expect.stringContaining(why) as unknown });
  });

  it('pins only a well-formed Ed25519 public key', () => {
    expect(parseUpdatePublicKey('')).toMatchObject({ ok: false });
    expect(parseUpdatePublicKey('-----BEGIN PUBLIC KEY-----')).toMatchObject({ ok: false });
    expect(parseUpdatePublicKey(Buffer.alloc(31).toString('base64'))).toMatchObject({ ok: false });
    expect(parseUpdatePublicKey(`  ${encodeUpdatePublicKey(publisher.publicKey)}\n`)).toMatchObject({ ok: true });
    expect(() => encodeUpdatePublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toThrow('Ed25519');
  });
});
