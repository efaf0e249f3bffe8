/**
 * `npm run dist`: the installers for this OS (Linux: AppImage + deb; Windows: nsis; macOS: dmg),
 * in dist/. Needs the internet: electron-builder downloads Electron and its packaging tools.
 *
 *   CANCEL_DESK_UPDATE_URL=https://updates.example.com/cancel-desk/ npm run dist
 * also writes latest*.yml beside the installers and builds that feed into the app (README).
 * Extra arguments go to electron-builder (`npm run dist -- --linux deb`).
 */
import { spawnSync } from 'node:child_process';
import { ServiceUrlSchema } from '../electron/main/desktop-settings';
import { UPDATE_URL_ENV } from '../electron/main/updater';
import { generateIcons } from './icons';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    if (command.endsWith('electron-builder')) {
      console.error('dist: electron-builder failed. It downloads Electron and its packaging tools: run `npm run dist` on a machine with internet (README "Installers").');
    }
    process.exit(result.status ?? 1);
  }
}

const publishArgs: string[] = [];
const updateUrl = process.env[UPDATE_URL_ENV];
if (updateUrl !== undefined && updateUrl !== '') {
  const parsed = ServiceUrlSchema.safeParse(updateUrl);
  if (!parsed.success) {
    console.error(`dist: ${UPDATE_URL_ENV} ${parsed.error.issues[0]?.message ?? 'is invalid'}.`);
    process.exit(2);
  }
  publishArgs.push('-c.publish.provider=generic', `-c.publish.url=${parsed.data}`);
  console.log(`dist: the installers will update from ${parsed.data}`);
} else {
  console.log(`dist: no ${UPDATE_URL_ENV}: the installers have no update feed built in.`);
}

run('npx', ['electron-vite', 'build']);
const icons = await generateIcons();
console.log(`dist: ${icons.length} icons from build/icon.svg`);
run('npx', ['electron-builder', '--publish', 'never', ...publishArgs, ...process.argv.slice(2)]);
