import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../shared/domain/time';
import { mulberry32, type Random } from '../../shared/domain/random';
import { createSteadyClock } from '../../electron/backend/system-clock';
import type { FaultConfigInput } from '../../electron/simulator/faults';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../electron/simulator/server';
import { TEST_START_MS } from './start';

/**
 * Tests whose peers run in other processes (crash tests: a child backend beside the demo
 * marketplace) need time to pass on its own, so a manual clock will not do. They use a steady
 * clock instead: it starts at the test's fixed instant and runs at real speed, never reading the
 * wall clock's date. A child is handed the instant its clock starts at (the parent's `now()` as
 * it spawns it), so parent and child agree to a few milliseconds, and the seed of its retry jitter.
 */
const CLOCK_START_ENV = 'DESK_TEST_CLOCK_START_MS';
const SEED_ENV = 'DESK_TEST_SEED';

/** A steady clock from the test's fixed start (or `startMs`). */
export function createTestSteadyClock(startMs = TEST_START_MS): Clock {
  return createSteadyClock(startMs);
}

/** The environment for a child that runs on `clock`, as it reads now, with this jitter seed. */
export function childEnv(clock: Clock, seed: number): NodeJS.ProcessEnv {
  return { ...process.env, [CLOCK_START_ENV]: String(clock.now()), [SEED_ENV]: String(seed) };
}

function fromParent(name: string): number {
  const value = Number(process.env[name]);
  if (!Number.isSafeInteger(value)) {
    console.error(`${name} must be set by the parent test (an integer); got ${JSON.stringify(process.env[name])}`);
    process.exit(2);
  }
  return value;
}

/** In a child: the steady clock its parent handed over (exits with a clear line without one). */
export function clockFromParent(): Clock {
  return createSteadyClock(fromParent(CLOCK_START_ENV));
}

/** In a child: the seeded random source for its retry jitter. */
export function randomFromParent(): Random {
  return mulberry32(fromParent(SEED_ENV));
}

const SLOW_DISK_ENV = 'DESK_TEST_SLOW_FSYNC_MS';

/** The environment for a child whose disk is slow: every fsync takes `ms` longer. */
export function slowDiskEnv(env: NodeJS.ProcessEnv, ms: number): NodeJS.ProcessEnv {
  return { ...env, [SLOW_DISK_ENV]: String(ms) };
}

/**
 * In a child: a fault injected into the file layer, when the parent asked for one. Every fsync of
 * every file (the journal's included) waits first, as on a laptop's slow disk, so the window in
 * which a transaction is committed in memory but not yet on disk is wide.
 */
export async function slowDiskFromParent(): Promise<void> {
  const delayMs = Number(process.env[SLOW_DISK_ENV] ?? '0');
  if (!(delayMs > 0)) return;
  const probeFile = join(tmpdir(), `desk-slow-disk-${process.pid}`);
  const probe = await open(probeFile, 'w');
  const prototype: unknown = Object.getPrototypeOf(probe);
  await probe.close();
  await unlink(probeFile);
  const sync: unknown = Reflect.get(prototype as object, 'sync');
  if (typeof sync !== 'function') throw new Error('FileHandle has no sync() to slow down');
  Reflect.set(prototype as object, 'sync', function slowSync(this: unknown): Promise<unknown> {
    return new Promise<void>((resolve) => setTimeout(resolve, delayMs)).then((): unknown => Reflect.apply(sync as (this: unknown) => unknown, this, []));
  });
}

/**
 * The demo marketplace for a reliability test: its data made for the test's fixed start, on a
 * steady clock from there (buyers still), so peers in other processes can be handed its time.
 */
export async function startSteadyMarketplace(options: {
  seed: number;
  orders: number;
  faults?: FaultConfigInput;
  idempotencyKeys?: SimulatorOptions['idempotencyKeys'];
}): Promise<{ clock: Clock; simulator: Simulator }> {
  const clock = createTestSteadyClock();
  const simulator = await createSimulator({
    seed: options.seed,
    orders: options.orders,
    buyers: { active: false },
    clock,
    startMs: TEST_START_MS,
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.idempotencyKeys === undefined ? {} : { idempotencyKeys: options.idempotencyKeys }),
  });
  return { clock, simulator };
}
