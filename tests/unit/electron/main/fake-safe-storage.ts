import type { SafeStorageLike } from '../../../../electron/main/secret-store';

/** A stand-in for Electron's safeStorage: reversible, and visibly not plain text; or no keychain at all. */
export function fakeSafeStorage(options: { available?: boolean; backend?: string; reEncrypt?: boolean } = {}): SafeStorageLike & { encrypted: number } {
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

/** What the fake's ciphertext of `plainText` looks like in secrets.json (base64). */
export function fakeCiphertext(plainText: string): string {
  return Buffer.from(`enc:${[...plainText].reverse().join('')}`).toString('base64');
}
