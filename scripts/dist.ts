/**
 * `npm run dist`: the installers for this OS (Linux: AppImage + deb; Windows: nsis; macOS: dmg),
 * in dist/. Needs the internet: electron-builder downloads Electron and its packaging tools.
 *
 *   CANCEL_DESK_UPDATE_URL=https://updates.example.com/cancel-desk/ npm run dist
 * also writes latest*.yml beside the installers and builds that feed into the app (README).
 *   CANCEL_DESK_UPDATE_PUBLIC_KEY=<base64> builds in the key Linux updates must be signed with;
 *   CANCEL_DESK_UPDATE_SIGNING_KEY=<private key file> then signs the AppImage and deb
 *   (scripts/sign-update.ts; README "Signing").
 * Extra arguments go to electron-builder (`npm run dist -- --linux deb`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServiceUrlSchema } from '../electron/main/desktop-settings';
import { parseUpdatePublicKey } from '../electron/main/update-signature';
import { UPDATE_URL_ENV } from '../electron/main/updater';
import { generateIcons } from './icons';
import { packageVersion, readSigningKey, signUpdates, SIGNING_KEY_ENV, SIGNING_KEY_PASSPHRASE_ENV, UPDATE_PUBLIC_KEY_ENV, updateFilesIn } from './sign-update';

/** The names electron-vite hands to main as `import.meta.env.*` (electron/main/build-info.ts). */
export const BUILD_PUBLIC_KEY_VAR = 'MAIN_VITE_UPDATE_PUBLIC_KEY';
export const BUILD_MAC_SIGNED_VAR = 'MAIN_VITE_MAC_SIGNED';

export interface DistPlan {
  /** electron-builder arguments that build the update feed in. */
  publishArgs: string[];
  /** The environment of `electron-vite build`: what is baked into main, and nothing stray. */
  buildEnv: Record<string, string | undefined>;
  /** What the installers will do about updates, for the person building. */
  notes: string[];
  /** Why nothing is built (a setting is invalid); null: build. */
  problem: string | null;
}

/** What `npm run dist` will build, from its environment. Pure. */
export function distPlan(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): DistPlan {
  const buildEnv: Record<string, string | undefined> = { ...env };
  // Only this plan decides what is baked in: a value left in the shell must not slip into a build.
  delete buildEnv[BUILD_PUBLIC_KEY_VAR];
  delete buildEnv[BUILD_MAC_SIGNED_VAR];
  const notes: string[] = [];
  const publishArgs: string[] = [];
  const fail = (problem: string): DistPlan => ({ publishArgs: [], buildEnv, notes, problem });

  const updateUrl = env[UPDATE_URL_ENV];
  const hasFeed = updateUrl !== undefined && updateUrl !== '';
  if (hasFeed) {
    const parsed = ServiceUrlSchema.safeParse(updateUrl);
    if (!parsed.success) return fail(`${UPDATE_URL_ENV} ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
    publishArgs.push('-c.publish.provider=generic', `-c.publish.url=${parsed.data}`);
    notes.push(`the installers will update from ${parsed.data}`);
  } else {
    notes.push(`no ${UPDATE_URL_ENV}: the installers have no update feed built in.`);
  }

  const publicKey = env[UPDATE_PUBLIC_KEY_ENV]?.trim() ?? '';
  if (publicKey !== '') {
    const key = parseUpdatePublicKey(publicKey);
    if (!key.ok) return fail(`${UPDATE_PUBLIC_KEY_ENV}: ${key.reason}.`);
    buildEnv[BUILD_PUBLIC_KEY_VAR] = publicKey;
    notes.push(`Linux (AppImage, deb) installs only updates signed with the key ${publicKey}.`);
  } else if (hasFeed) {
    notes.push(`no ${UPDATE_PUBLIC_KEY_ENV}: Linux copies will offer updates as downloads and install none (README "Signing").`);
  }

  const macSigned = platform === 'darwin' && [env.CSC_LINK, env.CSC_NAME].some((value) => value !== undefined && value !== '');
  buildEnv[BUILD_MAC_SIGNED_VAR] = macSigned ? '1' : '0';
  if (platform === 'darwin' && hasFeed) {
    notes.push(macSigned ? 'macOS installs only updates signed with the same Developer ID.' : 'no CSC_LINK or CSC_NAME: this macOS build is taken as unsigned and will offer updates as downloads.');
  }
  if (platform === 'win32' && hasFeed) {
    notes.push('Windows installs only updates signed by this build’s publisher: without CSC_LINK/WIN_CSC_LINK the build has none, and offers updates as downloads.');
  }
  return { publishArgs, buildEnv, notes, problem: null };
}

function run(command: string, args: string[], env: Record<string, string | undefined> = process.env): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    if (command.endsWith('electron-builder') || args[0] === 'electron-builder') {
      console.error('dist: electron-builder failed. It downloads Electron and its packaging tools: run `npm run dist` on a machine with internet (README "Installers").');
    }
    process.exit(result.status ?? 1);
  }
}

async function main(): Promise<void> {
  const plan = distPlan(process.env, process.platform);
  if (plan.problem !== null) {
    console.error(`dist: ${plan.problem}`);
    process.exit(2);
  }
  for (const note of plan.notes) console.log(`dist: ${note}`);

  run('npx', ['electron-vite', 'build'], plan.buildEnv);
  const icons = await generateIcons();
  console.log(`dist: ${icons.length} icons from build/icon.svg`);
  run('npx', ['electron-builder', '--publish', 'never', ...plan.publishArgs, ...process.argv.slice(2)]);

  const linuxFiles = existsSync('dist') ? await updateFilesIn('dist') : [];
  const signingKey = process.env[SIGNING_KEY_ENV];
  if (linuxFiles.length > 0 && signingKey !== undefined && signingKey !== '') {
    const version = await packageVersion();
    const written = await signUpdates({
      files: linuxFiles.filter((file) => basename(file).includes(`-${version}-`)),
      appVersion: version,
      privateKey: await readSigningKey(signingKey, process.env[SIGNING_KEY_PASSPHRASE_ENV]),
      expectedPublicKey: plan.buildEnv[BUILD_PUBLIC_KEY_VAR] ?? '',
    });
    for (const file of written) console.log(`dist: signed ${file}`);
  } else if (linuxFiles.length > 0 && plan.buildEnv[BUILD_PUBLIC_KEY_VAR] !== undefined) {
    console.log(`dist: sign the Linux files before publishing them: ${SIGNING_KEY_ENV}=<key file> npx tsx scripts/sign-update.ts sign`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
