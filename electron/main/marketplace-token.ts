/**
 * The marketplace token is kept with the origin it was entered for (scheme, host and port of the
 * marketplace URL), both inside the keychain-encrypted secret. A token is handed out only for a
 * marketplace of that same origin: changing the URL in Settings (or in desktop-settings.json)
 * to another host never sends the old host's token there; the new one needs its own token.
 *
 * A token saved by an earlier version (the secret `marketplace.token`) says nothing about where
 * it belongs, so it is never sent; the seller enters it again once.
 */
import { z } from 'zod';
import { missingCase } from '../../shared/domain/views';
import { DeskError } from '../../shared/errors';
import type { SecretStore } from './secret-store';

const CREDENTIAL_SECRET = 'marketplace.credential';
const LEGACY_TOKEN_SECRET = 'marketplace.token';

const MarketplaceCredentialSchema = z
  .object({
    version: z.literal(1),
    /** `new URL(marketplaceUrl).origin` when the token was entered. */
    origin: z.string().min(1).max(2_048),
    token: z.string().min(1).max(4_096),
  })
  .strict();

/** The origin a token is tied to: scheme, host and port (a path change keeps the token). */
export function marketplaceOrigin(marketplaceUrl: string): string {
  return new URL(marketplaceUrl).origin;
}

export type StoredToken =
  | { kind: 'none' }
  /** A token for this marketplace. */
  | { kind: 'match'; token: string }
  /** A token entered for another marketplace: never sent here. */
  | { kind: 'other_origin'; origin: string }
  /** A token saved by an earlier version, tied to no marketplace: never sent. */
  | { kind: 'legacy' };

/** The stored token for `marketplaceUrl`, if it was entered for that marketplace. Throws a DeskError when the store cannot be read. */
export async function readMarketplaceToken(secrets: SecretStore, marketplaceUrl: string): Promise<StoredToken> {
  const raw = await secrets.get(CREDENTIAL_SECRET);
  if (raw === null) return (await secrets.has(LEGACY_TOKEN_SECRET)) ? { kind: 'legacy' } : { kind: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const parsed = MarketplaceCredentialSchema.safeParse(json);
  if (!parsed.success) throw new DeskError('secret_file_invalid', 'The stored marketplace token cannot be read; enter it again in Settings.');
  return parsed.data.origin === marketplaceOrigin(marketplaceUrl) ? { kind: 'match', token: parsed.data.token } : { kind: 'other_origin', origin: parsed.data.origin };
}

/** Stores `token` for the marketplace of `marketplaceUrl` (replacing any other); throws `secret_storage_unavailable` rather than write plain text. */
export async function storeMarketplaceToken(secrets: SecretStore, marketplaceUrl: string, token: string): Promise<void> {
  const credential: z.infer<typeof MarketplaceCredentialSchema> = { version: 1, origin: marketplaceOrigin(marketplaceUrl), token };
  await secrets.set(CREDENTIAL_SECRET, JSON.stringify(credential));
  // The earlier, untied token is useless now, and a secret kept for nothing is one too many.
  await secrets.delete(LEGACY_TOKEN_SECRET);
}

/** Why a stored token is not used for `marketplaceUrl`, as a sentence for the seller; null when it is (or none is stored). */
export function unusableTokenMessage(stored: StoredToken, marketplaceUrl: string): string | null {
  const origin = marketplaceOrigin(marketplaceUrl);
  switch (stored.kind) {
    case 'match':
    case 'none':
      return null;
    case 'other_origin':
      return `The stored marketplace token was entered for ${stored.origin} and is never sent to another marketplace: enter the token for ${origin}.`;
    case 'legacy':
      return `The marketplace token saved by an earlier version of Cancel Desk is not tied to a marketplace, so it is not sent: enter the token for ${origin} again.`;
    default:
      return missingCase(stored);
  }
}
