// Fetches the Electron binary where the network allows it; carries on (one line) where it does not.
// Electron >= 42 has no postinstall of its own, so `npm install` alone would never fetch it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
if (existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()))) {
  process.exit(0);
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('Electron binary not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): use `npm run start:web`.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 180_000,
});
if (result.status !== 0) {
  console.log('Electron binary not downloaded (offline or blocked): `npm start` needs it; `npm run start:web` and `npm test` work without it.');
}
