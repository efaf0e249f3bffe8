/**
 * The backend's thread in the Electron app: loading and syncing 100k orders takes seconds of
 * CPU, which must never freeze window events and IPC on the main thread. Input arrives here
 * already validated by the main thread's binding helper. It also decides on deadline
 * notifications (main shows them) and sends its log lines to main's log file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorDetail, toErrorShape } from '../../shared/errors';
import { QueueListInputSchema, type EventPayload } from '../../shared/ipc/contract';
import { createBackend } from '../backend';
import { watchDeadlines } from '../backend/alerts/deadline-watch';
import type { Logger } from '../backend/log';
import { systemClock } from '../backend/system-clock';
import { systemRandom } from '../backend/system-random';
import { createSimulator, type Simulator } from '../simulator/server';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol';

async function run(port: NonNullable<typeof parentPort>, config: WorkerConfig): Promise<void> {
  const post = (message: FromWorker): void => port.postMessage(message);
  const log: Logger = {
    info: (message) => post({ type: 'log', level: 'info', message }),
    warn: (message) => post({ type: 'log', level: 'warn', message }),
    error: (message) => post({ type: 'log', level: 'error', message }),
  };
  let simulator: Simulator | null = null;
  let marketplace: { baseUrl: string; token: string };
  if (config.marketplace.kind === 'demo') {
    // The embedded demo marketplace: what the app connects to out of the box.
    simulator = await createSimulator({ seed: config.marketplace.seed, orders: config.marketplace.orders });
    marketplace = { baseUrl: simulator.url, token: simulator.token };
  } else {
    marketplace = { baseUrl: config.marketplace.baseUrl, token: config.marketplace.token };
  }
  log.info(`marketplace: ${config.marketplace.kind === 'demo' ? 'the embedded demo' : marketplace.baseUrl}`);
  const backend = createBackend({
    dataDir: config.dataDir,
    marketplace,
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
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void (async () => {
        deadlines.stop();
        try {
          // Stops syncing and sending between requests, then saves the cache.
          await backend.close();
        } catch (error) {
          log.error(`the backend did not close cleanly: ${errorDetail(error)}`);
        }
        await simulator?.close();
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
