import { z } from 'zod';
import type { CredentialVault } from '../credentials';

/**
 * What a vault keeps for an AliExpress store (protocol §3): the store's own app (key and secret,
 * entered by the seller) and the tokens the seller's sign-in gave, as ONE JSON string, because a
 * CredentialVault keeps one string per store (and the desktop app one keychain secret per store).
 *
 * The bounds keep the whole text well under the 4,096 characters a store secret may have on its
 * way to the keychain (worker-protocol.ts `secret-save`): 64 + 256 + 2 × 1,024 + 2 × 256 plus the
 * JSON around them is about 3,000.
 */
const PRINTABLE = /^[\x21-\x7e]+$/;
const TokenText = z.string().min(1).max(1_024).regex(PRINTABLE);
const EpochMs = z.number().int().min(0).max(8_640_000_000_000_000);

export const AliExpressCredentialsSchema = z
  .object({
    v: z.literal(1),
    appKey: z.string().min(1).max(64).regex(PRINTABLE),
    appSecret: z.string().min(1).max(256).regex(PRINTABLE),
    accessToken: TokenText.nullable(),
    refreshToken: TokenText.nullable(),
    /** When the access token stops working (epoch ms); null: not told. */
    accessExpiresAt: EpochMs.nullable(),
    /** When the refresh token stops working (epoch ms); null: not told. */
    refreshExpiresAt: EpochMs.nullable(),
    sellerId: z.string().min(1).max(256).nullable(),
    /** The seller's account name as AliExpress gave it (shown after the sign-in). */
    account: z.string().min(1).max(256).nullable(),
  })
  .strict();
export type AliExpressCredentials = z.infer<typeof AliExpressCredentialsSchema>;

/** A store whose app is known but whose seller has not signed in yet. */
export function pendingAliExpressCredentials(app: { appKey: string; appSecret: string }): AliExpressCredentials {
  return {
    v: 1,
    appKey: app.appKey,
    appSecret: app.appSecret,
    accessToken: null,
    refreshToken: null,
    accessExpiresAt: null,
    refreshExpiresAt: null,
    sellerId: null,
    account: null,
  };
}

/**
 * The credentials in a vault's text, or null when there are none or they do not read (another
 * kind's token, an older shape, a damaged secret): the seller signs in again. Never throws.
 */
export function readAliExpressCredentials(text: string | null): AliExpressCredentials | null {
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = AliExpressCredentialsSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The text a vault keeps; throws a ZodError for credentials that would not read back (a bug, not input). */
export function writeAliExpressCredentials(credentials: AliExpressCredentials): string {
  return JSON.stringify(AliExpressCredentialsSchema.parse(credentials));
}

/** Whether the seller has signed in (there is a token to use or to renew). */
export function isSignedIn(credentials: AliExpressCredentials): boolean {
  return credentials.accessToken !== null || credentials.refreshToken !== null;
}

/**
 * The vault as the store registry should see it: an AliExpress store whose seller has not signed
 * in yet has no credentials (Settings says "missing" and offers the sign-in, and no adapter is
 * built for it), although its app key and secret are kept. Everything else passes through.
 */
export function signedInOnly(vault: CredentialVault): CredentialVault {
  return {
    storage: vault.storage,
    get(storeId) {
      const text = vault.get(storeId);
      const credentials = readAliExpressCredentials(text);
      return credentials !== null && !isSignedIn(credentials) ? null : text;
    },
    set: (storeId, token) => vault.set(storeId, token),
    delete: (storeId) => vault.delete(storeId),
  };
}

/** The credentials of a seller already signed in (the AliExpress demo store, which the shell signs in to its sandbox). */
export function signedInAliExpressCredentials(signedIn: {
  readonly appKey: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessExpiresAt: number;
  readonly refreshExpiresAt: number;
}): string {
  return writeAliExpressCredentials({
    ...pendingAliExpressCredentials(signedIn),
    accessToken: signedIn.accessToken,
    refreshToken: signedIn.refreshToken,
    accessExpiresAt: signedIn.accessExpiresAt,
    refreshExpiresAt: signedIn.refreshExpiresAt,
    account: 'the demo seller',
  });
}
