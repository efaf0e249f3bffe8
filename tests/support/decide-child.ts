/**
 * The backend as its own process for the exactly-once test:
 *   node --import tsx tests/support/decide-child.ts <dataDir> <marketplaceUrl> <token> decide <count>
 *     syncs, accepts <count> open requests in one batch (undo window 0), prints
 *     {"decided": {...}} once the decision is durable, then one {"delivered": n} line per
 *     outbox change while it delivers;
 *   ... finish
 *     starts on the same data folder, delivers what is left, prints {"finished": {...}}.
 */
import { createBackend } from '../../electron/backend';
import { silentLogger } from '../../electron/backend/log';
import { clockFromParent, randomFromParent } from './child-env';
import { DEFAULT_POLICY } from '../../shared/rules/policy';

const [dataDir, baseUrl, token, mode, count] = process.argv.slice(2);
if (dataDir === undefined || baseUrl === undefined || token === undefined || (mode !== 'decide' && mode !== 'finish')) {
  console.error('usage: decide-child.ts <dataDir> <marketplaceUrl> <token> decide <count> | finish');
  process.exit(2);
}
const say = (line: unknown): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const backend = createBackend({
  dataDir,
  marketplace: { baseUrl, token },
  clock: clockFromParent(),
  random: randomFromParent(),
  log: silentLogger,
  syncIntervalMs: 3_600_000,
  http: { retryBaseMs: 2, retryCapMs: 20 },
  dispatchRetry: { baseMs: 5, capMs: 50 },
});
backend.subscribe((event, payload) => {
  if (event === 'outbox.changed') say({ delivered: (payload as { pending: number }).pending });
});
await backend.start();

if (mode === 'decide') {
  await backend.handle('settings.update', { policy: { ...DEFAULT_POLICY, undoWindowSeconds: 0 } });
  let status = await backend.handle('sync.now', { full: false });
  while (status.state !== 'idle') status = await backend.handle('sync.now', { full: false });
  const open = (await backend.db.requests.toArray())
    .filter((row) => row.view === 'needs_reply' && row.kind === 'cancel' && row.phase === 'before_shipment')
    .sort((a, b) => (a.respondBy < b.respondBy ? -1 : a.respondBy > b.respondBy ? 1 : a.id < b.id ? -1 : 1))
    .slice(0, Number(count ?? '500'));
  const result = await backend.handle('decisions.decide', { requestIds: open.map((row) => row.id), action: { type: 'accept' } });
  say({ decided: { batchId: result.batchId, done: result.done, items: result.items.filter((item) => item.status === 'done').map((item) => item.requestId) } });
  await backend.dispatchIdle();
  say({ idle: true });
} else {
  await backend.dispatchIdle();
  const pending = await backend.handle('outbox.summary', {});
  say({ finished: pending });
  await backend.close();
  process.exit(0);
}
