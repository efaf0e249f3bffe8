/**
 * Detached Ed25519 signatures of the Linux update files (AppImage, deb). electron-updater checks a
 * Linux download only against the SHA-512 that the feed itself serves, so whoever controls the
 * feed could ship anything (the deb is installed as root). The publisher signs each file with a
 * private key kept outside the repository (`scripts/sign-update.ts`); the app holds the public
 * key, built in by `npm run dist`, and installs a download only when its `<file>.sig` verifies.
 *
 * What is signed: the file's SHA-512 and the version it claims to be, so that a signed older
 * file cannot be served as a newer version (a rollback to a version with a known hole).
 * No Electron here: scripts and tests use it in plain Node.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { describeIssues } from '../../shared/ipc/dispatch';

/** `<file>.sig`, uploaded beside the file in the update folder. */
export const SIGNATURE_SUFFIX = '.sig';
/** A signature file is a few hundred bytes; anything much larger is not one. */
export const SIGNATURE_MAX_BYTES = 4_096;

/** A release version as electron-builder writes it (semver, optionally with a pre-release or build tag). */
export const AppVersionSchema = z
  .string()
  .max(64)
  .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/, 'must be a version such as 1.2.3');

export const UpdateSignatureFileSchema = z
  .object({
    format: z.literal('cancel-desk-update-signature'),
    version: z.literal(1),
    algorithm: z.literal('ed25519'),
    /** The app version the signed file is (the signature covers it). */
    appVersion: AppVersionSchema,
    /** Hex SHA-512 of the signed file (the signature covers it; here to tell "other file" from "bad signature"). */
    sha512: z.string().regex(/^[0-9a-f]{128}$/, 'must be a hex SHA-512'),
    /** Base64 of the 64-byte Ed25519 signature of `signedMessage(appVersion, sha512)`. */
    signature: z.base64().length(88),
  })
  .strict();
export type UpdateSignatureFile = z.infer<typeof UpdateSignatureFileSchema>;

/** The bytes signed: a fixed prefix (a key used for anything else never yields a valid one), the version and the digest. */
export function signedMessage(appVersion: string, sha512Hex: string): Buffer {
  return Buffer.from(`Cancel Desk update signature v1\napp-version ${appVersion}\nsha512 ${sha512Hex}\n`, 'utf8');
}

/** Hex SHA-512 of a file, read as a stream (an AppImage is over 100 MB). */
export async function sha512OfFile(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export type KeyRead = { ok: true; key: KeyObject } | { ok: false; reason: string };

/**
 * The public key as it is pinned in the app: base64 of the raw 32-byte Ed25519 key (what
 * `scripts/sign-update.ts keygen` prints).
 */
export function parseUpdatePublicKey(text: string): KeyRead {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return { ok: false, reason: 'the update public key must be the base64 of a raw 32-byte Ed25519 key (44 characters)' };
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(trimmed, 'base64').toString('base64url') }, format: 'jwk' });
    return { ok: true, key };
  } catch (error) {
    return { ok: false, reason: `the update public key is not an Ed25519 key (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** The public half of a key, in the form `parseUpdatePublicKey` reads. */
export function encodeUpdatePublicKey(key: KeyObject): string {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an update key must be Ed25519, not ${key.asymmetricKeyType ?? 'symmetric'}`);
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('the key has no public part');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** Signs one update file (the publisher's side, `scripts/sign-update.ts`). */
export async function signUpdateFile(options: { file: string; appVersion: string; privateKey: KeyObject }): Promise<UpdateSignatureFile> {
  if (options.privateKey.asymmetricKeyType !== 'ed25519' || options.privateKey.type !== 'private') {
    throw new Error('the signing key must be an Ed25519 private key');
  }
  const appVersion = AppVersionSchema.parse(options.appVersion);
  const sha512 = await sha512OfFile(options.file);
  const signature = sign(null, signedMessage(appVersion, sha512), options.privateKey).toString('base64');
  return { format: 'cancel-desk-update-signature', version: 1, algorithm: 'ed25519', appVersion, sha512, signature };
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether `file` is the update `appVersion` signed by the holder of `publicKey`'s private key.
 * `signatureText` is the `.sig` file as fetched: untrusted until it parses and verifies.
 */
export async function verifyUpdateFile(options: { file: string; appVersion: string; signatureText: string; publicKey: KeyObject }): Promise<SignatureVerdict> {
  if (options.signatureText.length > SIGNATURE_MAX_BYTES) return { ok: false, reason: 'the signature file is too large to be one' };
  let json: unknown;
  try {
    json = JSON.parse(options.signatureText);
  } catch {
    return { ok: false, reason: 'the signature file is not JSON' };
  }
  const parsed = UpdateSignatureFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `the signature file is invalid (${describeIssues(parsed.error)})` };
  const signed = parsed.data;
  if (signed.appVersion !== options.appVersion) {
    return { ok: false, reason: `the signature is for version ${signed.appVersion}, not ${options.appVersion}` };
  }
  let sha512: string;
  try {
    sha512 = await sha512OfFile(options.file);
  } catch (error) {
    return { ok: false, reason: `the downloaded file could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
  if (sha512 !== signed.sha512) return { ok: false, reason: 'the downloaded file is not the file that was signed' };
  const valid = verify(null, signedMessage(options.appVersion, sha512), options.publicKey, Buffer.from(signed.signature, 'base64'));
  return valid ? { ok: true } : { ok: false, reason: 'the signature was not made with the update key built into this copy of Cancel Desk' };
}
