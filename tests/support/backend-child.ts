/**
 * The backend as its own process, for crash tests: `node --import tsx tests/support/backend-child.ts
 * <dataDir> <marketplaceUrl> <token>`. Prints one JSON line per event on stdout, syncs, prints
 * `{"ready":...}` when a pass ends idle, and closes cleanly on SIGTERM.
 */
import { createBackend } from '../../electron/backend';
import { silentLogger } from '../../electron/backend/log';
import { clockFromParent, randomFromParent } from './child-env';

const [dataDir, baseUrl, token] = process.argv.slice(2);
if (dataDir === undefined || baseUrl === undefined || token === undefined) {
  console.error('usage: backend-child.ts <dataDir> <marketplaceUrl> <token>');
  process.exit(2);
}

const backend = createBackend({
  dataDir,
  marketplace: { baseUrl, token },
  clock: clockFromParent(),
  random: randomFromParent(),
  log: silentLogger,
  syncIntervalMs: 3_600_000,
  http: { retryBaseMs: 2, retryCapMs: 20 },
  syncRetry: { baseMs: 1, capMs: 5 },
});

backend.subscribe((event, payload) => {
  process.stdout.write(`${JSON.stringify({ event, payload })}\n`);
});

process.on('SIGTERM', () => {
  void backend.close().then(() => process.exit(0));
});
// Stay up until told to stop (the backend's own timers do not hold the process open).
process.stdin.resume();

await backend.start();
let status = await backend.handle('sync.now', { full: false });
while (status.state !== 'idle') status = await backend.handle('sync.now', { full: false });
process.stdout.write(`${JSON.stringify({ ready: status })}\n`);
