import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUpdatePublicKey, verifyUpdateFile } from '../../../electron/main/update-signature';
import { generateUpdateKey, readSigningKey, signUpdates, updateFilesIn } from '../../../scripts/sign-update';

async function distFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'desk-dist-'));
  await writeFile(join(dir, 'cancel-desk-1.2.0-x86_64.AppImage'), 'appimage 1.2.0');
  await writeFile(join(dir, 'cancel-desk-1.2.0-amd64.deb'), 'deb 1.2.0');
  await writeFile(join(dir, 'latest-linux.yml'), 'version: 1.2.0\n');
  return dir;
}

describe('signing update files (scripts/sign-update.ts)', () => {
  it('makes a key the app can pin, and signatures the app accepts', async () => {
    const dir = await distFolder();
    const keyFile = join(dir, 'update-key.pem');
    const publicKey = await generateUpdateKey(keyFile);
    if (process.platform !== 'win32') expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    // Never over an existing key: apps built with its public half would refuse every later update.
    await expect(generateUpdateKey(keyFile)).rejects.toThrow(/EEXIST/);

    const files = await updateFilesIn(dir);
    expect(files.map((file) => file.slice(dir.length + 1))).toEqual(['cancel-desk-1.2.0-amd64.deb', 'cancel-desk-1.2.0-x86_64.AppImage']);
    const written = await signUpdates({ files, appVersion: '1.2.0', privateKey: await readSigningKey(keyFile), expectedPublicKey: publicKey });
    expect(written).toEqual(files.map((file) => `${file}.sig`));

    const pinned = parseUpdatePublicKey(publicKey);
    if (!pinned.ok) throw new Error(pinned.reason);
    for (const file of files) {
      const signatureText = await readFile(`${file}.sig`, 'utf8');
      expect(await verifyUpdateFile({ file, appVersion: '1.2.0', signatureText, publicKey: pinned.key })).toEqual({ ok: true });
    }
  });

  it('reads an encrypted key only with its passphrase', async () => {
    const dir = await distFolder();
    const keyFile = join(dir, 'update-key.pem');
    await generateUpdateKey(keyFile, 'correct horse');
    expect(await readFile(keyFile, 'utf8')).toContain('ENCRYPTED');
    await expect(readSigningKey(keyFile)).rejects.toThrow();
    expect((await readSigningKey(keyFile, 'correct horse')).asymmetricKeyType).toBe('ed25519');
  });

  it('refuses to sign another version’s file as this one, or with a key the apps do not pin', async () => {
    const dir = await distFolder();
    const keyFile = join(dir, 'update-key.pem');
    await generateUpdateKey(keyFile);
    const privateKey = await readSigningKey(keyFile);
    const files = await updateFilesIn(dir);
    await expect(signUpdates({ files, appVersion: '1.3.0', privateKey })).rejects.toThrow('is not named for version 1.3.0');
    const otherPublic = await generateUpdateKey(join(dir, 'other.pem'));
    await expect(signUpdates({ files, appVersion: '1.2.0', privateKey, expectedPublicKey: otherPublic })).rejects.toThrow('apps built with that key would refuse these signatures');
    expect(existsSync(`${files[0] ?? ''}.sig`)).toBe(false);
  });
});
