import { expect } from '@playwright/test';
import type { Clock } from '../../shared/domain/time';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../electron/simulator/server';
import { startHost, type HostProcess } from './host';
import { createTimeline, startAtArgs } from '../support/e2e-clock';
import { TEST_START_MS } from '../support/start';

/**
 * An end-to-end desk: the demo marketplace on the test's timeline (from TEST_START_MS) and the
 * browser host started on the same instant, connected to it as a user would connect it.
 */
export interface E2eDesk {
  readonly timeline: Clock;
  readonly simulator: Simulator;
  /** The host now running (replaced by `restartHost`). */
  readonly host: HostProcess;
  /** Stops the host cleanly (exit code 0) and starts it again on the same data folder. */
  restartHost(): Promise<HostProcess>;
  /** Stops the host (expecting a clean exit) and the marketplace. */
  close(): Promise<void>;
}

export async function startE2eDesk(options: { seed: number; orders: number; buyers?: SimulatorOptions['buyers'] }): Promise<E2eDesk> {
  const timeline = createTimeline();
  const simulator = await createSimulator({
    seed: options.seed,
    orders: options.orders,
    clock: timeline,
    startMs: TEST_START_MS,
    ...(options.buyers === undefined ? {} : { buyers: options.buyers }),
  });
  const hostArgs = (): string[] => [...startAtArgs(timeline), '--marketplace-url', simulator.url, '--marketplace-token', simulator.token];
  let host = await startHost(hostArgs());
  return {
    timeline,
    simulator,
    get host() {
      return host;
    },
    async restartHost() {
      expect(await host.stop()).toBe(0);
      host = await startHost(hostArgs(), host.dataDir);
      return host;
    },
    async close() {
      expect(await host.stop()).toBe(0);
      await simulator.close();
    },
  };
}
