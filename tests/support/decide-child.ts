/**
 * The backend as its own process for the exactly-once test:
 *   node --import tsx tests/support/decide-child.ts <dataDir> <marketplaceUrl> <token> decide <count>
 *     syncs, accepts <count> open requests in chunks of 50 (undo window 0), prints
 *     {"decided": {...}} once every chunk is durable, then one {"delivered": n} line per
 *     outbox change while it delivers;
 *   ... finish
 *     starts on the same data folder, delivers what is left, prints {"finished": {...}, "known":
 *     {accepted, audited}} (the requests with an accept in the outbox and in the audit log).
 * With DESK_TEST_SLOW_FSYNC_MS set, every fsync is that much slower (a slow disk).
 * With DESK_TEST_ALIEXPRESS set, <marketplaceUrl> is an AliExpress sandbox and <token> the store's
 * credentials (app and tokens, as the vault keeps them): one AliExpress store, 'main'.
 */
import { createBackend } from '../../electron/backend';
import { silentLogger } from '../../electron/backend/log';
import { memoryVault } from '../../electron/backend/stores/credentials';
import { clockFromParent, randomFromParent, slowDiskFromParent } from './child-env';
import { DEFAULT_POLICY } from '../../shared/rules/policy';

const [dataDir, baseUrl, token, mode, count] = process.argv.slice(2);
if (dataDir === undefined || baseUrl === undefined || token === undefined || (mode !== 'decide' && mode !== 'finish')) {
  console.error('usage: decide-child.ts <dataDir> <marketplaceUrl> <token> decide <count> | finish');
  process.exit(2);
}
const DECIDE_CHUNK = 50;
const say = (line: unknown): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

await slowDiskFromParent();

const clock = clockFromParent();
const aliexpress = process.env.DESK_TEST_ALIEXPRESS === '1';
const backend = createBackend({
  dataDir,
  ...(aliexpress
    ? { stores: [{ id: 'main', name: 'AliExpress', kind: 'aliexpress' as const, endpoint: { url: baseUrl } }], credentials: memoryVault({ main: token }) }
    : { marketplace: { baseUrl, token } }),
  clock,
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
  // In chunks, as the desk commits a large selection: later chunks are decided while earlier ones
  // are being delivered, so the dispatcher is busy when each new decision commits.
  const decided: string[] = [];
  for (let start = 0; start < open.length; start += DECIDE_CHUNK) {
    const chunk = open.slice(start, start + DECIDE_CHUNK).map((row) => row.id);
    const result = await backend.handle('decisions.decide', { requestIds: chunk, action: { type: 'accept' } });
    decided.push(...result.items.filter((item) => item.status === 'done').map((item) => item.requestId));
  }
  say({ decided: { done: decided.length, items: decided } });
  await backend.dispatchIdle();
  say({ idle: true });
} else {
  await backend.dispatchIdle();
  const pending = await backend.handle('outbox.summary', {});
  // What the restarted app knows of each decision: its outbox entry and its audit entry.
  const accepted = (await backend.db.outbox.toArray()).filter((entry) => entry.endpoint === 'accept').map((entry) => entry.requestId);
  const audited = (await backend.db.audit.toArray()).filter((entry) => entry.actor === 'seller' && entry.action === 'accept').map((entry) => entry.requestId);
  say({ finished: pending, known: { accepted, audited } });
  await backend.close();
  process.exit(0);
}
