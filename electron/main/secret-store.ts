/**
 * Secrets (the marketplace token) kept with the OS keychain through Electron's safeStorage
 * (design.md §10). The file under userData holds only ciphertext. Where safeStorage cannot
 * encrypt for real (no keychain; on Linux the `basic_text` fallback, whose key is hard-coded),
 * nothing is stored: a secret is never written in plain text.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../shared/errors';
import { describeIssues } from '../../shared/ipc/dispatch';

/** The part of Electron's `safeStorage` this store uses (a fake stands in for it in tests). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only; absent elsewhere. */
  getSelectedStorageBackend?: () => string;
}

/**
 * `marketplace.credential`: the marketplace token with the origin it is for (marketplace-token.ts).
 * `marketplace.token`: a token saved by an earlier version, tied to no marketplace; still read
 * (to tell the seller) and deleted once a new token is stored.
 */
export const SECRET_NAMES = ['marketplace.credential', 'marketplace.token'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

const SecretFileSchema = z
  .object({
    version: z.literal(1),
    /** name -> base64 of safeStorage's ciphertext */
    secrets: z.partialRecord(z.enum(SECRET_NAMES), z.base64().max(64 * 1024)),
  })
  .strict();
type SecretFile = z.infer<typeof SecretFileSchema>;

export type SecretStoreErrorCode = 'secret_storage_unavailable' | 'secret_file_invalid' | 'secret_unreadable';

export interface SecretStore {
  /** Whether secrets can be kept here at all (and why not). */
  availability(): Promise<{ available: true } | { available: false; reason: string }>;
  /** Whether a secret is stored (without decrypting it). Throws a DeskError when the file cannot be read. */
  has(name: SecretName): Promise<boolean>;
  /** The secret, or null when none is stored. Throws a DeskError when one is stored but cannot be read. */
  get(name: SecretName): Promise<string | null>;
  /** Encrypts and stores; throws `secret_storage_unavailable` rather than write plain text. */
  set(name: SecretName, value: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
}

export function createSecretStore(file: string, safeStorage: SafeStorageLike): SecretStore {
  async function availability(): Promise<{ available: true } | { available: false; reason: string }> {
    const backend = safeStorage.getSelectedStorageBackend?.();
    if (backend === 'basic_text') {
      return { available: false, reason: 'no system keychain was found (Electron would fall back to a built-in key, which protects nothing)' };
    }
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      return { available: false, reason: 'the system keychain is not available to Cancel Desk' };
    }
    return { available: true };
  }

  async function readStore(): Promise<SecretFile> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw new DeskError('secret_unreadable', `Could not read the secret store ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DeskError('secret_file_invalid', `The secret store ${file} is not JSON; remove it and enter the token again.`);
    }
    const parsed = SecretFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new DeskError('secret_file_invalid', `The secret store ${file} is invalid (${describeIssues(parsed.error)}); remove it and enter the token again.`);
    }
    return parsed.data;
  }

  async function writeStore(store: SecretFile): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  }

  async function encrypt(value: string): Promise<string> {
    const state = await availability();
    if (!state.available) {
      throw new DeskError('secret_storage_unavailable', `The token was not saved: ${state.reason}. Cancel Desk never stores it in plain text.`);
    }
    return (await safeStorage.encryptStringAsync(value)).toString('base64');
  }

  const store: SecretStore = {
    availability,
    async has(name) {
      return (await readStore()).secrets[name] !== undefined;
    },
    async get(name) {
      const encrypted = (await readStore()).secrets[name];
      if (encrypted === undefined) return null;
      const state = await availability();
      if (!state.available) throw new DeskError('secret_storage_unavailable', `The stored token cannot be read: ${state.reason}.`);
      let decrypted: { shouldReEncrypt: boolean; result: string };
      try {
        decrypted = await safeStorage.decryptStringAsync(Buffer.from(encrypted, 'base64'));
      } catch (error) {
        throw new DeskError('secret_unreadable', `The stored token could not be decrypted (${error instanceof Error ? error.message : String(error)}); enter it again.`);
      }
      // The keychain rotated its key: store the secret again under the new one.
      if (decrypted.shouldReEncrypt) await store.set(name, decrypted.result);
      return decrypted.result;
    },
    async set(name, value) {
      if (value.length === 0) throw new DeskError('invalid_input', 'An empty token cannot be stored.');
      const encrypted = await encrypt(value);
      const current = await readStore();
      await writeStore({ version: 1, secrets: { ...current.secrets, [name]: encrypted } });
    },
    async delete(name) {
      const current = await readStore();
      if (current.secrets[name] === undefined) return;
      const { [name]: _removed, ...rest } = current.secrets;
      if (Object.keys(rest).length === 0) await rm(file, { force: true });
      else await writeStore({ version: 1, secrets: rest });
    },
  };
  return store;
}
