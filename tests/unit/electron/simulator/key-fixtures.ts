import type { CancelRequest } from '../../../../shared/domain/request';
import type { Clock } from '../../../../shared/domain/time';
import { createManualClock, type ManualClock } from '../../../../electron/simulator/clock';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../../electron/simulator/server';
import { START_MS } from './helpers';

/** Simulators started by a test; `closeAll()` in afterEach stops them. */
const opened: Simulator[] = [];

/** A small, quiet marketplace on a manual clock (buyers idle, so only the test changes things). */
export async function startSim(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await createSimulator({
    seed: 17,
    orders: 600,
    clock: createManualClock(START_MS),
    buyers: { active: false },
    ...options,
  });
  opened.push(sim);
  return sim;
}

export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((sim) => sim.close()));
}

/** Open pre-shipment cancels with money to refund: each can be accepted once. */
export function paidCancels(sim: Simulator, count: number): CancelRequest[] {
  const found = sim.state.requests
    .list()
    .filter((request) => request.kind === 'cancel' && request.state === 'requested' && request.refundMax.amountMinor > 0)
    .slice(0, count);
  if (found.length < count) throw new Error(`The dataset has ${found.length} open paid cancels; the test needs ${count}.`);
  return found;
}

export function acceptBody(request: CancelRequest): { expectedVersion: number; amount: CancelRequest['refundMax'] } {
  return { expectedVersion: request.version, amount: request.refundMax };
}

/**
 * A network clock that holds every fault latency until `release`, and tells when the n-th wait
 * has begun: a call can be kept "in flight" without sleeping.
 */
export interface HeldNetwork {
  readonly clock: Clock;
  /** Resolves once `count` waits have begun in all. */
  waitsBegun(count: number): Promise<void>;
  release(ms: number): void;
}

export function heldNetwork(): HeldNetwork {
  const manual: ManualClock = createManualClock(0);
  let begun = 0;
  const waiting: Array<{ readonly count: number; readonly resolve: () => void }> = [];
  return {
    clock: {
      now: () => manual.now(),
      setTimer(delayMs, callback) {
        const cancel = manual.setTimer(delayMs, callback);
        begun++;
        for (const waiter of waiting.filter((entry) => entry.count <= begun)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve();
        }
        return cancel;
      },
    },
    waitsBegun: (count) =>
      new Promise<void>((resolve) => {
        if (begun >= count) resolve();
        else waiting.push({ count, resolve });
      }),
    release: (ms) => manual.advance(ms),
  };
}
