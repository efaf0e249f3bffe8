/**
 * postinstall: fetches the Electron binary where the network allows it, and carries on with one
 * line where it does not. (Electron >= 42 has no postinstall of its own.)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary';

if ('missing' in findElectronBinary()) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log('Electron binary not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): use `npm run start:web`.');
  } else {
    const result = spawnSync(process.execPath, [join('node_modules', 'electron', 'install.js')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 180_000,
    });
    if (result.status !== 0) {
      console.log('Electron binary not downloaded (offline or blocked): `npm start` needs it; `npm run start:web` and `npm test` work without it.');
    }
  }
}
