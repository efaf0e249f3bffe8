/** `npm start`: build, then open the Electron app — or say plainly why it cannot open here. */
import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary';

const binary = findElectronBinary();
if ('missing' in binary) {
  console.error(`Cannot start the desktop app: ${binary.missing}.`);
  console.error('Run `npm install` on a machine with internet to fetch it, or use `npm run start:web` to run Cancel Desk in a browser.');
  process.exit(1);
}
const run = (args: string[]): number => spawnSync('npx', args, { stdio: 'inherit' }).status ?? 1;
const built = run(['electron-vite', 'build']);
process.exit(built === 0 ? run(['electron-vite', 'preview']) : built);
