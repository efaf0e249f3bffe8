/**
 * `npm run start:web`: the backend and the built renderer in a browser, on the embedded demo
 * marketplace unless --marketplace-url is given. Prints exactly one line on stdout.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeIssues } from '../../shared/ipc/dispatch';
import { createBackend } from '../backend';
import { prefixedConsoleLogger } from '../backend/log';
import { createSteadyClock, systemClock } from '../backend/system-clock';
import { systemRandom } from '../backend/system-random';
import { createSimulator, type Simulator } from '../simulator/server';
import { createHostConnection, loadSavedConnection } from './connection';
import { startHost } from './server';

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  'data-dir': z.string().min(1).default('.desk-data/web'),
  'marketplace-url': z.url().optional(),
  'marketplace-token': z.string().min(1).optional(),
  seed: z.coerce.number().int().default(42),
  orders: z.coerce.number().int().min(1).max(300_000).default(2_000),
  'renderer-dir': z.string().default('out/renderer'),
  'sync-interval-s': z.coerce.number().int().min(5).default(300),
  /** Runs the app's clock (and the embedded demo's) from this instant instead of now: tests, demos. */
  'start-at': z.iso.datetime({ offset: false }).optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'marketplace-url': { type: 'string' },
      'marketplace-token': { type: 'string' },
      seed: { type: 'string' },
      orders: { type: 'string' },
      'renderer-dir': { type: 'string' },
      'sync-interval-s': { type: 'string' },
      'start-at': { type: 'string' },
      demo: { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`start:web: ${describeIssues(parsed.error)}`);
    process.exit(2);
  }
  const args = parsed.data;
  const log = prefixedConsoleLogger('[desk]');
  const dataDir = resolve(args['data-dir']);
  const startAt = args['start-at'];
  const clock = startAt === undefined ? systemClock : createSteadyClock(Date.parse(startAt));
  await mkdir(dataDir, { recursive: true });

  // The command line wins; else the choice saved from Settings (its token is not kept: give it
  // with --marketplace-token); else the embedded demo.
  const { saved, problem } = await loadSavedConnection(dataDir);
  if (problem !== null) log.warn(problem);
  const remoteUrl = args['marketplace-url'] ?? (saved.kind === 'remote' ? saved.marketplaceUrl : undefined);
  let simulator: Simulator | null = null;
  let marketplace: { baseUrl: string; token: string };
  if (remoteUrl !== undefined) {
    marketplace = { baseUrl: remoteUrl, token: args['marketplace-token'] ?? '' };
    if (marketplace.token === '') log.warn('no marketplace token was given (--marketplace-token): the marketplace will refuse the calls');
  } else {
    simulator = await createSimulator({ seed: args.seed, orders: args.orders, ...(startAt === undefined ? {} : { clock }) });
    marketplace = { baseUrl: simulator.url, token: simulator.token };
  }

  const backend = createBackend({
    dataDir,
    marketplace,
    clock,
    random: systemRandom,
    log,
    appVersion: process.env.npm_package_version ?? '0.0.0',
    syncIntervalMs: args['sync-interval-s'] * 1000,
  });
  await backend.start();
  const connection = createHostConnection({
    dataDir,
    active: { kind: simulator === null ? 'remote' : 'demo', marketplaceUrl: marketplace.baseUrl },
    token: simulator === null ? marketplace.token : null,
    log,
  });
  const host = await startHost({ backend, connection, rendererDir: resolve(args['renderer-dir']), port: args.port, log });

  console.log(`Cancel Desk is running at ${host.url}`);
  console.error(`Data folder: ${dataDir}${simulator ? ` · demo marketplace at ${simulator.url}` : ''}`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: shutting down`);
    void (async () => {
      await host.close();
      await backend.close();
      await simulator?.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`start:web failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
