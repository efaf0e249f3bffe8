import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretStore, type SafeStorageLike } from '../../../../electron/main/secret-store';
import { DeskError } from '../../../../shared/errors';

/** A stand-in for safeStorage: reversible, and visibly not plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string; reEncrypt?: boolean } = {}): SafeStorageLike & { encrypted: number } {
  const fake = {
    encrypted: 0,
    isAsyncEncryptionAvailable: () => Promise.resolve(options.available ?? true),
    encryptStringAsync(plainText: string) {
      fake.encrypted += 1;
      return Promise.resolve(Buffer.from(`enc:${[...plainText].reverse().join('')}`));
    },
    decryptStringAsync(encrypted: Buffer) {
      const text = encrypted.toString();
      if (!text.startsWith('enc:')) return Promise.reject(new Error('bad ciphertext'));
      return Promise.resolve({ shouldReEncrypt: options.reEncrypt ?? false, result: [...text.slice(4)].reverse().join('') });
    },
    ...(options.backend === undefined ? {} : { getSelectedStorageBackend: () => options.backend ?? 'unknown' }),
  };
  return fake;
}

async function storeFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'desk-secrets-')), 'secrets.json');
}

describe('the secret store', () => {
  it('keeps the token encrypted on disk, readable by this user only', async () => {
    const file = await storeFile();
    const store = createSecretStore(file, fakeSafeStorage({ backend: 'gnome_libsecret' }));
    expect(await store.get('marketplace.token')).toBeNull();
    await store.set('marketplace.token', 'tok-secret-123');
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain('tok-secret-123');
    expect(JSON.parse(onDisk)).toMatchObject({ version: 1, secrets: { 'marketplace.token': expect.any(String) as unknown } });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.get('marketplace.token')).toBe('tok-secret-123');
  });

  it('refuses to store anything when the keychain is unavailable, and writes nothing', async () => {
    const file = await storeFile();
    const store = createSecretStore(file, fakeSafeStorage({ available: false }));
    const refused = await store.set('marketplace.token', 'tok').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DeskError);
    expect(refused).toMatchObject({ code: 'secret_storage_unavailable' });
    expect(existsSync(file)).toBe(false);
    expect(await store.availability()).toMatchObject({ available: false });
  });

  it('treats Linux’s basic_text fallback (a hard-coded key) as no keychain', async () => {
    const file = await storeFile();
    const store = createSecretStore(file, fakeSafeStorage({ backend: 'basic_text' }));
    await expect(store.set('marketplace.token', 'tok')).rejects.toMatchObject({ code: 'secret_storage_unavailable' });
    expect(existsSync(file)).toBe(false);
  });

  it('re-encrypts a secret when the keychain asks for it', async () => {
    const file = await storeFile();
    const safeStorage = fakeSafeStorage({ reEncrypt: true });
    const store = createSecretStore(file, safeStorage);
    await store.set('marketplace.token', 'tok-1');
    expect(await store.get('marketplace.token')).toBe('tok-1');
    expect(safeStorage.encrypted).toBe(2);
  });

  it('deletes a secret, and the file with the last one', async () => {
    const file = await storeFile();
    const store = createSecretStore(file, fakeSafeStorage());
    await store.delete('marketplace.token');
    await store.set('marketplace.token', 'tok-1');
    await store.delete('marketplace.token');
    expect(existsSync(file)).toBe(false);
    expect(await store.get('marketplace.token')).toBeNull();
  });

  it.each([
    ['not json', 'secret_file_invalid'],
    ['{"version":1,"secrets":{"marketplace.token":"%%%"}}', 'secret_file_invalid'],
    ['{"version":1,"secrets":{"other":"YWJj"}}', 'secret_file_invalid'],
  ])('reports a damaged store %s with a code', async (text, code) => {
    const file = await storeFile();
    await writeFile(file, text);
    await expect(createSecretStore(file, fakeSafeStorage()).get('marketplace.token')).rejects.toMatchObject({ code });
  });

  it('reports ciphertext it cannot decrypt', async () => {
    const file = await storeFile();
    await writeFile(file, JSON.stringify({ version: 1, secrets: { 'marketplace.token': Buffer.from('garbage').toString('base64') } }));
    await expect(createSecretStore(file, fakeSafeStorage()).get('marketplace.token')).rejects.toMatchObject({ code: 'secret_unreadable' });
  });

  it('refuses an empty token', async () => {
    await expect(createSecretStore(await storeFile(), fakeSafeStorage()).set('marketplace.token', '')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
