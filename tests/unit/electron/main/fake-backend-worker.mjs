// A stand-in for backend-worker.ts, run in a real worker thread by backend-client.test.ts: it
// speaks the worker protocol, and each call's input says how to misbehave.
//
// workerData.dataDir === 'fail-at-start': reports a failed start when the first call arrives,
// then keeps the thread alive without ever answering (as a backend stuck after a failed start).
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
const failAtStart = workerData.dataDir === 'fail-at-start';
let hangingId = null;

if (!failAtStart) port.postMessage({ type: 'ready' });

port.on('message', (message) => {
  if (failAtStart) {
    if (message.type === 'call') port.postMessage({ type: 'failed', message: 'the cache is unreadable' });
    return;
  }
  if (message.type === 'close') {
    port.postMessage({ type: 'closed' });
    return;
  }
  const { id, input } = message;
  switch (input.do) {
    case 'echo':
      port.postMessage({ type: 'result', id, result: { ok: true, value: input.value } });
      break;
    case 'refuse':
      port.postMessage({ type: 'result', id, result: { ok: false, error: { code: 'not_found', message: 'There is no request R-1.' } } });
      break;
    case 'hang':
      hangingId = id;
      break;
    case 'die':
      process.exit(3);
      break;
    case 'throw':
      throw new Error('boom in the backend');
    case 'garble':
      // An answer for this very call, in the wrong shape.
      port.postMessage({ type: 'result', id, result: { ok: 'yes', value: 'half an answer' } });
      break;
    case 'junk':
      for (const junk of [
        null,
        42,
        'result',
        {},
        { type: 'nonsense' },
        { type: 'result' },
        { type: 'result', id: String(hangingId), result: { ok: true, value: 'stray' } },
        { type: 'result', id: 999_999, result: { ok: true, value: 'stray' } },
        { type: 'event', event: 'no.such.event', payload: 'stray' },
        { type: 'log', level: 'debug', message: 'stray' },
        { type: 'deadline-alert', alert: { title: 'stray' } },
      ]) {
        port.postMessage(junk);
      }
      port.postMessage({ type: 'event', event: 'queue.changed', payload: { counts: {} } });
      port.postMessage({ type: 'result', id, result: { ok: true, value: 'the real answer' } });
      break;
    default:
      throw new Error(`the fake backend worker does not know ${JSON.stringify(input)}`);
  }
});
