import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretStore, storeSecretName } from '../../../../electron/main/secret-store';
import { DeskError } from '../../../../shared/errors';
import { fakeCiphertext, fakeSafeStorage } from './fake-safe-storage';

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

describe('the secret store: one token per store', () => {
  it('keeps each store’s token under store.<storeId>, encrypted, and lists them all decrypted', async () => {
    const file = await storeFile();
    const store = createSecretStore(file, fakeSafeStorage({ backend: 'gnome_libsecret' }));
    expect(await store.storeTokens()).toEqual({ tokens: {}, unreadable: [] });
    await store.set('marketplace.credential', '{"not":"a store"}');
    await store.set(storeSecretName('north-shop'), 'tok-north-1234');
    await store.set(storeSecretName('b2'), 'tok-b2-5678');
    expect(await store.get('store.north-shop')).toBe('tok-north-1234');
    expect(await store.has('store.b2')).toBe(true);

    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain('tok-north-1234');
    expect(onDisk).not.toContain('tok-b2-5678');
    expect(JSON.parse(onDisk)).toEqual({
      version: 1,
      secrets: { 'marketplace.credential': expect.any(String) as unknown, 'store.north-shop': fakeCiphertext('tok-north-1234'), 'store.b2': fakeCiphertext('tok-b2-5678') },
    });
    // Only the stores' secrets, by store id.
    expect(await store.storeTokens()).toEqual({ tokens: { 'north-shop': 'tok-north-1234', b2: 'tok-b2-5678' }, unreadable: [] });

    await store.set('store.b2', 'tok-b2-new-0000');
    await store.delete('store.north-shop');
    expect(await store.storeTokens()).toEqual({ tokens: { b2: 'tok-b2-new-0000' }, unreadable: [] });
    expect(await store.get('marketplace.credential')).toBe('{"not":"a store"}');
  });

  it('keeps both of two tokens stored at once', async () => {
    const store = createSecretStore(await storeFile(), fakeSafeStorage());
    await Promise.all([store.set('store.one', 'tok-one-1111'), store.set('store.two', 'tok-two-2222'), store.set('store.three', 'tok-three-3333')]);
    expect((await store.storeTokens()).tokens).toEqual({ one: 'tok-one-1111', two: 'tok-two-2222', three: 'tok-three-3333' });
    await Promise.all([store.delete('store.one'), store.set('store.four', 'tok-four-4444')]);
    expect((await store.storeTokens()).tokens).toEqual({ two: 'tok-two-2222', three: 'tok-three-3333', four: 'tok-four-4444' });
  });

  it.each(['store.', 'store.Upper', 'store.-lead', 'store.a b', 'store.a/../b', `store.${'a'.repeat(41)}`, 'store.a.b', 'stores.a', 'other', 'marketplace.other'])(
    'refuses the name %s everywhere, and writes nothing',
    async (name) => {
      const file = await storeFile();
      const store = createSecretStore(file, fakeSafeStorage());
      // The type lets any `store.*` string through: the store checks at run time.
      const unchecked = name as 'store.x';
      for (const attempt of [store.set(unchecked, 'tok-12345678'), store.get(unchecked), store.has(unchecked), store.delete(unchecked)]) {
        await expect(attempt).rejects.toMatchObject({ code: 'invalid_input' });
      }
      expect(existsSync(file)).toBe(false);
    },
  );

  it('refuses a store id that is not one', () => {
    expect(storeSecretName('north-shop')).toBe('store.north-shop');
    expect(storeSecretName('a'.repeat(40))).toBe(`store.${'a'.repeat(40)}`);
    for (const storeId of ['', 'North', '-x', 'a'.repeat(41), 'a.b', '../x']) {
      expect(() => storeSecretName(storeId)).toThrow(DeskError);
    }
  });

  it('still reads a file written before there were stores, and adds to it', async () => {
    const file = await storeFile();
    const credential = JSON.stringify({ version: 1, origin: 'https://api.example.com', token: 'tok-old-9999' });
    await writeFile(file, `${JSON.stringify({ version: 1, secrets: { 'marketplace.credential': fakeCiphertext(credential), 'marketplace.token': fakeCiphertext('tok-legacy-1') } }, null, 2)}\n`);
    const store = createSecretStore(file, fakeSafeStorage());
    expect(await store.get('marketplace.credential')).toBe(credential);
    expect(await store.get('marketplace.token')).toBe('tok-legacy-1');
    expect(await store.storeTokens()).toEqual({ tokens: {}, unreadable: [] });
    await store.set('store.shop', 'tok-shop-1234');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      secrets: { 'marketplace.credential': fakeCiphertext(credential), 'marketplace.token': fakeCiphertext('tok-legacy-1'), 'store.shop': fakeCiphertext('tok-shop-1234') },
    });
  });

  it.each([
    ['a store name that is not one', { 'store.Bad Name': fakeCiphertext('tok-1') }],
    ['another version', null],
  ])('reports a file with %s as invalid', async (_case, secrets) => {
    const file = await storeFile();
    await writeFile(file, JSON.stringify(secrets === null ? { version: 2, secrets: {} } : { version: 1, secrets }));
    await expect(createSecretStore(file, fakeSafeStorage()).storeTokens()).rejects.toMatchObject({ code: 'secret_file_invalid' });
  });

  it('leaves out a store token it cannot decrypt, saying which, and lists the others', async () => {
    const file = await storeFile();
    await writeFile(file, JSON.stringify({ version: 1, secrets: { 'store.good': fakeCiphertext('tok-good-1234'), 'store.broken': Buffer.from('garbage').toString('base64') } }));
    const result = await createSecretStore(file, fakeSafeStorage()).storeTokens();
    expect(result.tokens).toEqual({ good: 'tok-good-1234' });
    expect(result.unreadable).toEqual([{ storeId: 'broken', reason: 'The stored token could not be decrypted (bad ciphertext); enter it again.' }]);
  });

  it('without a keychain: refuses to store a store token, writes nothing, and lists every stored one as unreadable', async () => {
    const file = await storeFile();
    const refused = await createSecretStore(file, fakeSafeStorage({ backend: 'basic_text' }))
      .set('store.shop', 'tok-shop-1234')
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'secret_storage_unavailable', message: expect.stringMatching(/^The token was not saved: no system keychain was found/) as unknown });
    expect(existsSync(file)).toBe(false);

    await writeFile(file, JSON.stringify({ version: 1, secrets: { 'store.shop': fakeCiphertext('tok-shop-1234') } }));
    const listed = await createSecretStore(file, fakeSafeStorage({ available: false })).storeTokens();
    expect(listed.tokens).toEqual({});
    expect(listed.unreadable).toEqual([{ storeId: 'shop', reason: expect.stringMatching(/^The stored token cannot be read: the system keychain is not available/) as unknown }]);
  });

  it('re-encrypts the store tokens the keychain asks for', async () => {
    const safeStorage = fakeSafeStorage({ reEncrypt: true });
    const store = createSecretStore(await storeFile(), safeStorage);
    await store.set('store.one', 'tok-one-1111');
    await store.set('store.two', 'tok-two-2222');
    expect((await store.storeTokens()).tokens).toEqual({ one: 'tok-one-1111', two: 'tok-two-2222' });
    expect(safeStorage.encrypted).toBe(4);
  });
});
