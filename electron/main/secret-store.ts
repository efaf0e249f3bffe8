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
/** One per store added in Settings: `store.<storeId>`, the token of that store (storeSecretName). */
export type StoreSecretName = `store.${string}`;
export type SecretName = (typeof SECRET_NAMES)[number] | StoreSecretName;

const STORE_SECRET_PREFIX = 'store.';
/** The fixed names, or `store.` and a store id as the contract spells one (StoreIdSchema). */
const SECRET_NAME_PATTERN = /^(?:marketplace\.credential|marketplace\.token|store\.[a-z0-9][a-z0-9-]{0,39})$/;

/** Whether `name` is a secret this store keeps (the type alone lets any `store.*` string through). */
export function isSecretName(name: string): name is SecretName {
  return SECRET_NAME_PATTERN.test(name);
}

/** The secret that holds a store's token; throws `invalid_input` for anything that is not a store id. */
export function storeSecretName(storeId: string): StoreSecretName {
  const name = `${STORE_SECRET_PREFIX}${storeId}` as const;
  if (!isSecretName(name)) throw new DeskError('invalid_input', `"${storeId}" is not a store id (lowercase letters, digits and -, up to 40).`);
  return name;
}

const SecretFileSchema = z
  .object({
    version: z.literal(1),
    /** name -> base64 of safeStorage's ciphertext */
    secrets: z.record(z.string().regex(SECRET_NAME_PATTERN, 'is not a secret Cancel Desk keeps'), z.base64().max(64 * 1024)),
  })
  .strict();
type SecretFile = { version: 1; secrets: Partial<Record<SecretName, string>> };

/** Every stored store token, decrypted; the ones that could not be, with why (the seller enters those again). */
export interface StoreTokens {
  tokens: Record<string, string>;
  unreadable: Array<{ storeId: string; reason: string }>;
}

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
  /**
   * Every store's token (the `store.<storeId>` secrets), decrypted; one that cannot be is left out
   * and named in `unreadable`. Throws a DeskError when the file itself cannot be read.
   */
  storeTokens(): Promise<StoreTokens>;
}

export function createSecretStore(file: string, safeStorage: SafeStorageLike): SecretStore {
  /**
   * Changes of the file, one after another: each reads the file, then writes it whole (through
   * one temporary file), so two at once (two stores added together) would lose one.
   */
  let changes: Promise<unknown> = Promise.resolve();
  function serialized<T>(change: () => Promise<T>): Promise<T> {
    const result = changes.then(change);
    changes = result.catch(() => undefined);
    return result;
  }

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

  /** The same file with `changed` in it (a value of undefined removes that secret); no secret left, no file. */
  async function writeChanged(changed: Partial<Record<SecretName, string | undefined>>): Promise<void> {
    const secrets: Partial<Record<SecretName, string>> = { ...(await readStore()).secrets };
    for (const [name, value] of Object.entries(changed) as Array<[SecretName, string | undefined]>) {
      if (value === undefined) delete secrets[name];
      else secrets[name] = value;
    }
    if (Object.keys(secrets).length === 0) await rm(file, { force: true });
    else await writeStore({ version: 1, secrets });
  }

  function checkName(name: string): asserts name is SecretName {
    if (!isSecretName(name)) throw new DeskError('invalid_input', `"${name}" is not a secret Cancel Desk keeps.`);
  }

  async function encrypt(value: string): Promise<string> {
    const state = await availability();
    if (!state.available) {
      throw new DeskError('secret_storage_unavailable', `The token was not saved: ${state.reason}. Cancel Desk never stores it in plain text.`);
    }
    return (await safeStorage.encryptStringAsync(value)).toString('base64');
  }

  /** The plain text of one stored secret; throws a DeskError when it cannot be had. */
  async function decrypt(encrypted: string): Promise<{ shouldReEncrypt: boolean; result: string }> {
    const state = await availability();
    if (!state.available) throw new DeskError('secret_storage_unavailable', `The stored token cannot be read: ${state.reason}.`);
    try {
      return await safeStorage.decryptStringAsync(Buffer.from(encrypted, 'base64'));
    } catch (error) {
      throw new DeskError('secret_unreadable', `The stored token could not be decrypted (${error instanceof Error ? error.message : String(error)}); enter it again.`);
    }
  }

  const store: SecretStore = {
    availability,
    async has(name) {
      checkName(name);
      return (await readStore()).secrets[name] !== undefined;
    },
    async get(name) {
      checkName(name);
      const encrypted = (await readStore()).secrets[name];
      if (encrypted === undefined) return null;
      const decrypted = await decrypt(encrypted);
      // The keychain rotated its key: store the secret again under the new one.
      if (decrypted.shouldReEncrypt) await store.set(name, decrypted.result);
      return decrypted.result;
    },
    async set(name, value) {
      checkName(name);
      if (value.length === 0) throw new DeskError('invalid_input', 'An empty token cannot be stored.');
      const encrypted = await encrypt(value);
      await serialized(() => writeChanged({ [name]: encrypted }));
    },
    async delete(name) {
      checkName(name);
      await serialized(async () => {
        if ((await readStore()).secrets[name] !== undefined) await writeChanged({ [name]: undefined });
      });
    },
    async storeTokens() {
      const stored = (await readStore()).secrets;
      const result: StoreTokens = { tokens: {}, unreadable: [] };
      const reEncrypt: Array<[StoreSecretName, string]> = [];
      for (const [name, encrypted] of Object.entries(stored) as Array<[SecretName, string]>) {
        if (!name.startsWith(STORE_SECRET_PREFIX)) continue;
        const storeId = name.slice(STORE_SECRET_PREFIX.length);
        try {
          const decrypted = await decrypt(encrypted);
          result.tokens[storeId] = decrypted.result;
          if (decrypted.shouldReEncrypt) reEncrypt.push([storeSecretName(storeId), decrypted.result]);
        } catch (error) {
          result.unreadable.push({ storeId, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      // The keychain rotated its key: store those again under the new one.
      for (const [name, token] of reEncrypt) await store.set(name, token);
      return result;
    },
  };
  return store;
}
