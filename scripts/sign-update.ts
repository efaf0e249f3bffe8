/**
 * Signs the Linux update files (AppImage, deb) so that installed apps accept them (README
 * "Signing"). The private key lives outside the repository, on the publisher's machine or CI
 * secret store; the app holds only the public key (`CANCEL_DESK_UPDATE_PUBLIC_KEY` at build time).
 *
 *   npx tsx scripts/sign-update.ts keygen <private-key-file>
 *       a new Ed25519 key (PEM, mode 0600, never over an existing file; encrypted when
 *       CANCEL_DESK_UPDATE_SIGNING_KEY_PASSPHRASE is set); prints the public key to build in.
 *   CANCEL_DESK_UPDATE_SIGNING_KEY=<private-key-file> npx tsx scripts/sign-update.ts sign [files...]
 *       writes `<file>.sig` beside each file (default: this version's dist/*.AppImage and
 *       dist/*.deb), as the version in package.json; upload them with the files. `--key <file>`
 *       instead of the variable.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AppVersionSchema, encodeUpdatePublicKey, SIGNATURE_SUFFIX, signUpdateFile } from '../electron/main/update-signature';

export const SIGNING_KEY_ENV = 'CANCEL_DESK_UPDATE_SIGNING_KEY';
export const SIGNING_KEY_PASSPHRASE_ENV = 'CANCEL_DESK_UPDATE_SIGNING_KEY_PASSPHRASE';
export const UPDATE_PUBLIC_KEY_ENV = 'CANCEL_DESK_UPDATE_PUBLIC_KEY';

/** Writes a new private key to `file` (refusing to replace one) and returns the public key in the form the app pins. */
export async function generateUpdateKey(file: string, passphrase?: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem =
    passphrase === undefined || passphrase === ''
      ? privateKey.export({ type: 'pkcs8', format: 'pem' })
      : privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
  // 'wx': never over an existing key (that would orphan every app built with its public half).
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  return encodeUpdatePublicKey(privateKey);
}

export async function readSigningKey(file: string, passphrase?: string): Promise<KeyObject> {
  const key = createPrivateKey({ key: await readFile(file), ...(passphrase === undefined || passphrase === '' ? {} : { passphrase }) });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; update signing keys are Ed25519 (make one with \`keygen\`)`);
  return key;
}

/** The update files of a `npm run dist` output folder. */
export async function updateFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.AppImage') || name.endsWith('.deb')).sort().map((name) => join(dir, name));
}

/**
 * Signs each file as `appVersion`, writing `<file>.sig`. A file whose name does not carry that
 * version is refused: signing an old file as the new version is how a rollback would be made.
 * `expectedPublicKey` (what the apps were built with) guards against signing with the wrong key.
 */
export async function signUpdates(options: { files: string[]; appVersion: string; privateKey: KeyObject; expectedPublicKey?: string }): Promise<string[]> {
  const appVersion = AppVersionSchema.parse(options.appVersion);
  const publicKey = encodeUpdatePublicKey(options.privateKey);
  if (options.expectedPublicKey !== undefined && options.expectedPublicKey.trim() !== '' && options.expectedPublicKey.trim() !== publicKey) {
    throw new Error(`this key's public half (${publicKey}) is not ${UPDATE_PUBLIC_KEY_ENV} (${options.expectedPublicKey.trim()}): apps built with that key would refuse these signatures`);
  }
  if (options.files.length === 0) throw new Error('no update files to sign');
  for (const file of options.files) {
    if (!basename(file).includes(`-${appVersion}-`)) throw new Error(`${file} is not named for version ${appVersion}; refusing to sign it as that version`);
  }
  const written: string[] = [];
  for (const file of options.files) {
    const signature = await signUpdateFile({ file, appVersion, privateKey: options.privateKey });
    await writeFile(`${file}${SIGNATURE_SUFFIX}`, `${JSON.stringify(signature, null, 2)}\n`);
    written.push(`${file}${SIGNATURE_SUFFIX}`);
  }
  return written;
}

/** The version `npm run dist` builds (package.json). */
export async function packageVersion(): Promise<string> {
  return z.object({ version: AppVersionSchema }).parse(JSON.parse(await readFile('package.json', 'utf8'))).version;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { key: { type: 'string' } } });
  const [command, ...rest] = positionals;
  const passphrase = process.env[SIGNING_KEY_PASSPHRASE_ENV];
  switch (command) {
    case 'keygen': {
      const file = rest[0];
      if (file === undefined || rest.length > 1) {
        console.error('usage: sign-update.ts keygen <private-key-file>   (keep the file out of the repository)');
        return 2;
      }
      const publicKey = await generateUpdateKey(file, passphrase);
      console.log(`sign-update: a new private key is in ${file} (readable by you only); keep it, and a backup, outside the repository.`);
      console.log(`sign-update: build the apps with\n  ${UPDATE_PUBLIC_KEY_ENV}=${publicKey} npm run dist`);
      return 0;
    }
    case 'sign': {
      const keyFile = values.key ?? process.env[SIGNING_KEY_ENV];
      if (keyFile === undefined || keyFile === '') {
        console.error(`sign-update: give the private key file with --key <file> or ${SIGNING_KEY_ENV}=<file>.`);
        return 2;
      }
      const appVersion = await packageVersion();
      // By default this version's files in dist/ (older builds may still lie there); named files must all be this version.
      const files = rest.length > 0 ? rest : (await updateFilesIn('dist')).filter((file) => basename(file).includes(`-${appVersion}-`));
      const written = await signUpdates({
        files,
        appVersion,
        privateKey: await readSigningKey(keyFile, passphrase),
        ...(process.env[UPDATE_PUBLIC_KEY_ENV] === undefined ? {} : { expectedPublicKey: process.env[UPDATE_PUBLIC_KEY_ENV] }),
      });
      for (const file of written) console.log(`sign-update: wrote ${file}`);
      console.log('sign-update: upload each .sig beside its file in the update folder.');
      return 0;
    }
    case undefined:
    default:
      console.error('usage: sign-update.ts keygen <private-key-file> | sign [--key <file>] [files...]');
      return 2;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`sign-update: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
