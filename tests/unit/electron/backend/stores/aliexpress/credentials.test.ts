import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryVault } from '../../../../../../electron/backend/stores/credentials';
import {
  pendingAliExpressCredentials,
  readAliExpressCredentials,
  signedInOnly,
  writeAliExpressCredentials,
  type AliExpressCredentials,
} from '../../../../../../electron/backend/stores/aliexpress/credentials';

const SIGNED_IN: AliExpressCredentials = {
  v: 1,
  appKey: '513774',
  appSecret: 'app-secret-0123456789',
  accessToken: '50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg',
  refreshToken: '50001600c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBh',
  accessExpiresAt: 1_714_192_160_000,
  refreshExpiresAt: 1_716_784_148_000,
  sellerId: '2671514005',
  account: 'lantern-home@example.com',
};

const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019_-.~!'.split('')), minLength: 1, maxLength: 64 });

describe('AliExpress credentials as a vault keeps them', () => {
  it('read back exactly what was written', () => {
    expect(readAliExpressCredentials(writeAliExpressCredentials(SIGNED_IN))).toEqual(SIGNED_IN);
    const pending = pendingAliExpressCredentials({ appKey: '513774', appSecret: 'app-secret-0123456789' });
    expect(readAliExpressCredentials(writeAliExpressCredentials(pending))).toEqual(pending);
  });

  it('round-trips any credentials within the bounds (property)', () => {
    fc.assert(
      fc.property(
        printable,
        printable,
        fc.option(printable),
        fc.option(printable),
        fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 })),
        fc.option(fc.string({ minLength: 1, maxLength: 40 })),
        (appKey, appSecret, accessToken, refreshToken, accessExpiresAt, account) => {
          const credentials: AliExpressCredentials = { ...SIGNED_IN, appKey, appSecret, accessToken, refreshToken, accessExpiresAt, account };
          expect(readAliExpressCredentials(writeAliExpressCredentials(credentials))).toEqual(credentials);
        },
      ),
    );
  });

  it('fits the 4,096 characters a store secret may have on its way to the keychain, at its largest', () => {
    const largest: AliExpressCredentials = {
      ...SIGNED_IN,
      appKey: 'k'.repeat(64),
      appSecret: 's'.repeat(256),
      accessToken: 'a'.repeat(1_024),
      refreshToken: 'r'.repeat(1_024),
      sellerId: '9'.repeat(256),
      account: '"'.repeat(256),
    };
    // Quotes are escaped in JSON: the worst case for the account.
    expect(writeAliExpressCredentials(largest).length).toBeLessThanOrEqual(4_096);
  });

  it.each([
    ['nothing kept', null],
    ['not JSON (a plain token of another kind)', 'tok-3f9a-7c21-secret'],
    ['JSON of another shape', '{"token":"x"}'],
    ['another version', JSON.stringify({ ...SIGNED_IN, v: 2 })],
    ['an unknown field', JSON.stringify({ ...SIGNED_IN, extra: true })],
    ['a missing field', JSON.stringify({ ...SIGNED_IN, account: undefined })],
    ['a token with a space', JSON.stringify({ ...SIGNED_IN, accessToken: 'a b' })],
    ['a negative expiry', JSON.stringify({ ...SIGNED_IN, accessExpiresAt: -1 })],
    ['an array', '[]'],
    ['JSON null', 'null'],
    ['a truncated secret', writeAliExpressCredentials(SIGNED_IN).slice(0, 40)],
  ])('reads %s as no credentials, without throwing', (_label, text) => {
    expect(readAliExpressCredentials(text)).toBeNull();
  });

  it('never throws on any text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((value) => JSON.stringify({ ...SIGNED_IN, accessToken: value }))), (text) => {
        expect(() => readAliExpressCredentials(text)).not.toThrow();
      }),
    );
  });

  it('refuses to write credentials that would not read back', () => {
    expect(() => writeAliExpressCredentials({ ...SIGNED_IN, appKey: '' })).toThrow();
  });
});

describe('the registry sees a store as signed in or not', () => {
  it('hides an AliExpress store not signed in yet, and passes everything else through', async () => {
    const vault = memoryVault({
      pending: writeAliExpressCredentials(pendingAliExpressCredentials({ appKey: '513774', appSecret: 'app-secret-0123456789' })),
      signed: writeAliExpressCredentials(SIGNED_IN),
      demo: 'tok-3f9a-7c21-secret',
    });
    const view = signedInOnly(vault);
    expect(view.get('pending')).toBeNull();
    expect(view.get('signed')).toBe(writeAliExpressCredentials(SIGNED_IN));
    expect(view.get('demo')).toBe('tok-3f9a-7c21-secret');
    expect(view.get('none')).toBeNull();
    expect(view.storage).toBe('session');
    // Only refresh-token-only credentials still count as signed in (the access token comes with the renewal).
    await view.set('refresh-only', writeAliExpressCredentials({ ...SIGNED_IN, accessToken: null }));
    expect(view.get('refresh-only')).not.toBeNull();
    await view.delete('signed');
    expect(vault.get('signed')).toBeNull();
  });
});
