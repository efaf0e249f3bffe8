/**
 * `npm run start:web`: the backend and the built renderer in a browser, on the two embedded demo
 * stores (electron/simulator/demo-stores.ts) unless --marketplace-url is given. Prints exactly one line on stdout (the running
 * address); everything else, the log included, goes to stderr.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createBackend, type BackendOptions } from '../backend';
import { signedInAliExpressCredentials } from '../backend/stores/aliexpress/credentials';
import { memoryVault } from '../backend/stores/credentials';
import { createSteadyClock, systemClock } from '../backend/system-clock';
import { systemRandom } from '../backend/system-random';
import { ALIEXPRESS_DEMO_STORE, startDemoStores, type RunningDemoStores } from '../simulator/demo-stores';
import { createHostConnection, loadSavedConnection } from './connection';
import { createConsoleLog } from './console-log';
import { MARKETPLACE_TOKEN_ENV, parseHostArgs } from './options';
import { startHost } from './server';

const consoleLog = createConsoleLog('[desk]');

/** The store of a marketplace named with --marketplace-url. */
const REMOTE_STORE_ID = 'marketplace';

/** The first line of standard input (a pipe, a redirected file, or typed at a prompt). */
async function readTokenFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Marketplace token (then Enter): ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
    process.stdin.destroy();
  }
}

async function main(): Promise<void> {
  const parsed = await parseHostArgs(process.argv.slice(2), {
    env: process.env,
    readFile: (path) => readFile(path, 'utf8'),
    readStdin: readTokenFromStdin,
  });
  if (!parsed.ok) {
    console.error(`start:web: ${parsed.message}`);
    process.exit(2);
  }
  const args = parsed.args;
  const log = consoleLog.logger;
  if (args.marketplaceToken !== null) consoleLog.addSecret(args.marketplaceToken.value);
  const dataDir = resolve(args['data-dir']);
  const startAt = args['start-at'];
  const clock = startAt === undefined ? systemClock : createSteadyClock(Date.parse(startAt));
  // Created for this user only (0700), like every folder of the data (cache/files.ts).
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  // The command line wins; else the choice saved from Settings (its token is not kept: give it
  // again, see options.ts); else the embedded demo.
  const { saved, problem } = await loadSavedConnection(dataDir);
  if (problem !== null) log.warn(problem);
  const remoteUrl = args['marketplace-url'] ?? (saved.kind === 'remote' ? saved.marketplaceUrl : undefined);
  let demo: RunningDemoStores | null = null;
  let backendStores: Pick<BackendOptions, 'stores' | 'embedded' | 'credentials'>;
  let activeUrl: string;
  if (remoteUrl !== undefined) {
    const token = args.marketplaceToken?.value ?? '';
    if (token === '') {
      log.warn(
        `no marketplace token was given (${MARKETPLACE_TOKEN_ENV}, --marketplace-token-file or --marketplace-token-stdin): enter it for the store in Settings`,
      );
    }
    // One store on the marketplace named on the command line (its token kept for this session).
    backendStores = {
      stores: [{ id: REMOTE_STORE_ID, name: 'Marketplace', kind: 'demo', endpoint: { url: remoteUrl } }],
      credentials: memoryVault(token === '' ? {} : { [REMOTE_STORE_ID]: token }),
    };
    activeUrl = remoteUrl;
  } else {
    if (args.marketplaceToken !== null) log.warn(`the marketplace token from ${args.marketplaceToken.source} is not used: the embedded demo stores run (no --marketplace-url)`);
    demo = await startDemoStores({ seed: args.seed, orders: args.orders, aliexpress: !args['no-aliexpress-demo'], ...(startAt === undefined ? {} : { clock, startMs: Date.parse(startAt) }) });
    for (const { simulator } of demo.simulators) consoleLog.addSecret(simulator.token);
    const ae = demo.aliexpress;
    const aeToken = ae === null ? null : signedInAliExpressCredentials(ae.signedIn);
    if (ae !== null && aeToken !== null) {
      for (const secret of [ae.signedIn.appSecret, ae.signedIn.accessToken, ae.signedIn.refreshToken, aeToken]) consoleLog.addSecret(secret);
    }
    backendStores = {
      stores: ae === null ? demo.seeds : [...demo.seeds, ae.seed],
      embedded: ae === null || aeToken === null ? demo.embedded : { ...demo.embedded, [ae.seed.id]: { baseUrl: ae.signedIn.baseUrl, token: aeToken } },
    };
    activeUrl = demo.simulators[0]?.simulator.url ?? '';
  }

  const backend = createBackend({
    dataDir,
    ...backendStores,
    clock,
    random: systemRandom,
    log,
    appVersion: process.env.npm_package_version ?? '0.0.0',
    syncIntervalMs: args['sync-interval-s'] * 1000,
  });
  await backend.start();
  const connection = createHostConnection({
    dataDir,
    active: { kind: demo === null ? 'remote' : 'demo', marketplaceUrl: activeUrl },
    token: demo === null ? (args.marketplaceToken?.value ?? null) : null,
    log,
  });
  const host = await startHost({ backend, connection, rendererDir: resolve(args['renderer-dir']), port: args.port, log });
  consoleLog.addSecret(host.token);

  // The one line on stdout (tests/e2e/host.ts reads it). The lines below are for the person who
  // started it, written as they are: the demo's admin token is what its /_sim/ controls need.
  console.log(`Cancel Desk is running at ${host.url}`);
  console.error(`Data folder: ${dataDir}`);
  for (const { store, simulator } of demo?.simulators ?? []) {
    console.error(`Demo marketplace of ${store.name} (${store.id}) at ${simulator.url} (admin token ${simulator.adminToken}, for its /_sim/ ledger, clock and fault controls)`);
  }
  if (demo?.aliexpress) {
    const { sandbox } = demo.aliexpress;
    console.error(`AliExpress sandbox of ${ALIEXPRESS_DEMO_STORE.name} (${ALIEXPRESS_DEMO_STORE.id}) at ${sandbox.url} (admin token ${sandbox.adminToken}, for its /_sandbox/ ledger, clock and fault controls)`);
  }

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: shutting down`);
    void (async () => {
      await host.close();
      await backend.close();
      await demo?.close();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(consoleLog.redact(`start:web failed: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});
