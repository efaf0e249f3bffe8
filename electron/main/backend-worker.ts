/**
 * The backend's thread in the Electron app: loading and syncing 100k orders takes seconds of
 * CPU, which must never freeze window events and IPC on the main thread. Input arrives here
 * already validated by the main thread's binding helper. It also decides on deadline
 * notifications (main shows them) and sends its log lines to main's log file. The stores'
 * tokens come from main (decrypted from the keychain) and every change goes back to main to be
 * stored before it is used (worker-secrets.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorDetail, toErrorShape } from '../../shared/errors';
import { QueueListInputSchema, type EventPayload } from '../../shared/ipc/contract';
import { describeIssues } from '../../shared/ipc/dispatch';
import { createBackend, type BackendOptions } from '../backend';
import { watchDeadlines } from '../backend/alerts/deadline-watch';
import type { Logger } from '../backend/log';
import { systemClock } from '../backend/system-clock';
import { systemRandom } from '../backend/system-random';
import { signedInAliExpressCredentials } from '../backend/stores/aliexpress/credentials';
import { startDemoStores, type RunningDemoStores } from '../simulator/demo-stores';
import { claimedMessageId, CONFIGURED_STORE_ID, ToWorkerSchema, type FromWorker, type ToWorker, type WorkerConfig } from './worker-protocol';
import { createSecretRequests, keychainVault } from './worker-secrets';

async function run(port: NonNullable<typeof parentPort>, config: WorkerConfig): Promise<void> {
  const post = (message: FromWorker): void => port.postMessage(message);
  const log: Logger = {
    info: (message) => post({ type: 'log', level: 'info', message }),
    warn: (message) => post({ type: 'log', level: 'warn', message }),
    error: (message) => post({ type: 'log', level: 'error', message }),
  };
  const secretRequests = createSecretRequests(post, log);
  // Every store's token, kept by main in the keychain (a configured marketplace's store with its origin-tied token).
  const credentials = keychainVault(config, secretRequests);
  let demo: RunningDemoStores | null = null;
  let stores: Pick<BackendOptions, 'stores' | 'embedded' | 'credentials'>;
  if (config.marketplace.kind === 'demo') {
    // The embedded demo stores: what the app opens on out of the box.
    demo = await startDemoStores({ seed: config.marketplace.seed, orders: config.marketplace.orders, aliexpress: true });
    // The AliExpress demo store, signed in to its sandbox for this session (never kept in the keychain).
    const ae = demo.aliexpress;
    stores = {
      stores: ae === null ? demo.seeds : [...demo.seeds, ae.seed],
      embedded: ae === null ? demo.embedded : { ...demo.embedded, [ae.seed.id]: { baseUrl: ae.signedIn.baseUrl, token: signedInAliExpressCredentials(ae.signedIn) } },
      credentials,
    };
  } else {
    // The configured marketplace, as one store, with the token main decrypted.
    stores = {
      stores: [{ id: CONFIGURED_STORE_ID, name: 'Marketplace', kind: 'demo', endpoint: { url: config.marketplace.baseUrl } }],
      credentials,
    };
  }
  log.info(`marketplace: ${config.marketplace.kind === 'demo' ? 'the embedded demo stores' : config.marketplace.baseUrl}`);
  const backend = createBackend({
    dataDir: config.dataDir,
    ...stores,
    clock: systemClock,
    random: systemRandom,
    log,
    appVersion: config.appVersion,
  });
  // Off until the seller's settings are loaded (backend.start), then as they say.
  const deadlines = watchDeadlines({
    listPage: (cursor, limit) => backend.handle('queue.list', QueueListInputSchema.parse({ view: 'needs_reply', sort: 'time_left', limit, cursor })),
    clock: systemClock,
    thresholdHours: 0,
    notify: (alert) => post({ type: 'deadline-alert', alert }),
    log,
  });
  backend.subscribe((event, payload) => {
    post({ type: 'event', event, payload });
    // New or changed requests (a sync landed): look for ones entering the window without
    // waiting for the minute timer.
    if (event === 'queue.changed') deadlines.nudge();
    // The seller changed the notification threshold in Settings: it applies at once.
    if (event === 'settings.changed') deadlines.setThresholdHours((payload as EventPayload<'settings.changed'>).deadlineAlertHours);
  });
  port.on('message', (raw: unknown) => {
    const parsed = ToWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      log.error(`main sent a malformed message (ignored): ${describeIssues(parsed.error)}`);
      // What it claims to answer fails rather than waits forever.
      const claimed = claimedMessageId(raw);
      if (claimed?.type === 'secret-saved') secretRequests.fail(claimed.id, 'The token was not saved: main sent a malformed answer.');
      if (claimed?.type === 'call') post({ type: 'result', id: claimed.id, result: { ok: false, error: { code: 'internal', message: 'The backend received a malformed request.' } } });
      return;
    }
    const message: ToWorker = parsed.data;
    if (message.type === 'secret-saved') {
      secretRequests.settle(message.id, message.result);
      return;
    }
    if (message.type === 'close') {
      void (async () => {
        deadlines.stop();
        try {
          // Stops syncing and sending between requests, then saves the cache.
          await backend.close();
        } catch (error) {
          log.error(`the backend did not close cleanly: ${errorDetail(error)}`);
        }
        await demo?.close();
        post({ type: 'closed' });
      })();
      return;
    }
    // The main thread validated the input against this channel's schema (and answers the
    // connection channels itself: the type of `channel` says so).
    backend.handle(message.channel, message.input as never).then(
      (value) => post({ type: 'result', id: message.id, result: { ok: true, value } }),
      (error: unknown) => post({ type: 'result', id: message.id, result: { ok: false, error: toErrorShape(error) } }),
    );
  });
  await backend.start();
  post({ type: 'ready' });
  deadlines.setThresholdHours((await backend.handle('settings.get', {})).deadlineAlertHours);
}

if (parentPort === null) {
  throw new Error('backend-worker must run in a worker thread');
}
const port = parentPort;
run(port, workerData as WorkerConfig).catch((error: unknown) => {
  // The whole story for the log; main shows (and hands the window) only the sentence.
  port.postMessage({ type: 'log', level: 'error', message: `the backend failed to start: ${errorDetail(error)}` } satisfies FromWorker);
  port.postMessage({ type: 'failed', message: toErrorShape(error).message } satisfies FromWorker);
});
