// A stand-in for backend-worker.ts, run in a real worker thread by backend-client.test.ts: it
// speaks the worker protocol, and each call's input says how to misbehave.
//
// workerData.dataDir === 'fail-at-start': reports a failed start when the first call arrives,
// then keeps the thread alive without ever answering (as a backend stuck after a failed start).
// workerData.dataDir === 'report-config': answers every call with the config it was started with.
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
const failAtStart = workerData.dataDir === 'fail-at-start';
let hangingId = null;
/** Main's answers to this worker's secret-save requests, in order, and who waits for which id. */
const secretAnswers = [];
const secretWaiters = new Map();

/** Asks main to keep a token, and resolves with main's answer (a secret-saved message). */
function waitForSecretAnswer(id) {
  return new Promise((resolve) => secretWaiters.set(id, resolve));
}

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
  if (message.type === 'secret-saved') {
    secretAnswers.push(message);
    secretWaiters.get(message.id)?.(message);
    return;
  }
  const { id, input } = message;
  if (workerData.dataDir === 'report-config') {
    port.postMessage({ type: 'result', id, result: { ok: true, value: workerData } });
    return;
  }
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
    case 'save-secret':
      // Answers the call with main's answer to the request.
      void waitForSecretAnswer(input.secretId).then((answer) => port.postMessage({ type: 'result', id, result: { ok: true, value: answer } }));
      port.postMessage({ type: 'secret-save', id: input.secretId, storeId: input.storeId, token: input.token });
      break;
    case 'secret-junk':
      // Malformed requests, then a good one: the call is answered with every answer main sent by then.
      for (const junk of [
        { type: 'secret-save', id: 7, storeId: 'Not An Id', token: 'tok-junk-1234' },
        { type: 'secret-save', id: 8, storeId: 'shop', token: '' },
        { type: 'secret-save', id: 10, storeId: 'shop' },
        { type: 'secret-save', id: -1, storeId: 'shop', token: 'tok-junk-1234' },
        { type: 'secret-save', storeId: 'shop', token: 'tok-junk-1234' },
        { type: 'secret-saved', id: 9, result: { ok: true } },
      ]) {
        port.postMessage(junk);
      }
      void waitForSecretAnswer(9).then(() => port.postMessage({ type: 'result', id, result: { ok: true, value: [...secretAnswers] } }));
      port.postMessage({ type: 'secret-save', id: 9, storeId: 'shop', token: 'tok-good-5678' });
      break;
    default:
      throw new Error(`the fake backend worker does not know ${JSON.stringify(input)}`);
  }
});
