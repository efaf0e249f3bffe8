/**
 * The backend's thread in the Electron app: loading and syncing 100k orders takes seconds of
 * CPU, which must never freeze window events and IPC on the main thread. Input arrives here
 * already validated by the main thread's binding helper.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorShape } from '../../shared/errors';
import { createBackend } from '../backend';
import { prefixedConsoleLogger } from '../backend/log';
import { systemClock } from '../backend/system-clock';
import { createSimulator } from '../simulator/server';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol';

async function run(port: NonNullable<typeof parentPort>, config: WorkerConfig): Promise<void> {
  const post = (message: FromWorker): void => port.postMessage(message);
  const log = prefixedConsoleLogger('[backend]');
  // The embedded demo marketplace: what the app connects to out of the box.
  const simulator = await createSimulator({ seed: config.demo.seed, orders: config.demo.orders });
  const backend = createBackend({
    dataDir: config.dataDir,
    marketplace: { baseUrl: simulator.url, token: simulator.token },
    clock: systemClock,
    log,
    appVersion: config.appVersion,
  });
  backend.subscribe((event, payload) => post({ type: 'event', event, payload }));
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void (async () => {
        await backend.close();
        await simulator.close();
        post({ type: 'closed' });
      })();
      return;
    }
    // The main thread validated the input against this channel's schema.
    backend.handle(message.channel, message.input as never).then(
      (value) => post({ type: 'result', id: message.id, result: { ok: true, value } }),
      (error: unknown) => post({ type: 'result', id: message.id, result: { ok: false, error: toErrorShape(error) } }),
    );
  });
  await backend.start();
  post({ type: 'ready' });
}

if (parentPort === null) {
  throw new Error('backend-worker must run in a worker thread');
}
const port = parentPort;
run(port, workerData as WorkerConfig).catch((error: unknown) => {
  port.postMessage({ type: 'failed', message: toErrorShape(error).message } satisfies FromWorker);
});
