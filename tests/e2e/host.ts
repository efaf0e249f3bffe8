import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, type Page } from '@playwright/test';

export interface HostProcess {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  child: ChildProcessWithoutNullStreams;
  /** SIGTERM, then wait for a clean exit; answers the exit code. */
  stop(): Promise<number | null>;
  /**
   * The embedded demo stores' marketplaces, as the host prints them on stderr for the person who
   * started it (address and admin token, for their /_sim/ ledger): resolves once all are printed.
   */
  demoMarketplaces(count: number): Promise<DemoMarketplace[]>;
  /** The AliExpress demo store's sandbox, once the host printed it. */
  aliExpressSandbox(): Promise<DemoMarketplace>;
}

export interface DemoMarketplace {
  storeId: string;
  name: string;
  url: string;
  adminToken: string;
}

const DEMO_LINE = /^Demo marketplace of (.+) \(([a-z0-9-]+)\) at (http:\/\/127\.0\.0\.1:\d+) \(admin token (\S+), /gm;

function demoLines(stderr: string): DemoMarketplace[] {
  return [...stderr.matchAll(DEMO_LINE)].map((match) => ({ name: match[1] ?? '', storeId: match[2] ?? '', url: match[3] ?? '', adminToken: match[4] ?? '' }));
}

const SANDBOX_LINE = /^AliExpress sandbox of (.+) \(([a-z0-9-]+)\) at (http:\/\/127\.0\.0\.1:\d+) \(admin token (\S+), /m;

const RUNNING_LINE = /^Cancel Desk is running at (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([\w-]+)$/;

/**
 * Starts `electron/host/cli.ts` as a user would, and reads its one line. The host refuses a token
 * on its command line, so a `--marketplace-token <t>` pair in `args` is handed over the way a user
 * would: in the CANCEL_DESK_MARKETPLACE_TOKEN environment variable.
 */
export async function startHost(args: string[], dataDir?: string): Promise<HostProcess> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'desk-e2e-')));
  const tokenAt = args.indexOf('--marketplace-token');
  const marketplaceToken = tokenAt === -1 ? undefined : args[tokenAt + 1];
  const cliArgs = tokenAt === -1 ? args : args.filter((_, index) => index !== tokenAt && index !== tokenAt + 1);
  const env = marketplaceToken === undefined ? process.env : { ...process.env, CANCEL_DESK_MARKETPLACE_TOKEN: marketplaceToken };
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/cli.ts', '--data-dir', dir, ...cliArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env,
  });
  let stderr = '';
  const stderrListeners = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const listener of stderrListeners) listener();
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`host exited (${code}) before it was running:\n${stderr}`)));
  });
  const match = RUNNING_LINE.exec(first);
  if (match === null) throw new Error(`unexpected first line from the host: ${first}`);
  const [, origin = '', , token = ''] = match;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    dataDir: dir,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    aliExpressSandbox() {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = SANDBOX_LINE.exec(stderr);
          if (match === null) return;
          stderrListeners.delete(check);
          resolve({ name: match[1] ?? '', storeId: match[2] ?? '', url: match[3] ?? '', adminToken: match[4] ?? '' });
        };
        stderrListeners.add(check);
        child.once('exit', (code) => reject(new Error(`host exited (${code}) before printing its AliExpress sandbox:\n${stderr}`)));
        check();
      });
    },
    demoMarketplaces(count) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = demoLines(stderr);
          if (found.length < count) return;
          stderrListeners.delete(check);
          resolve(found);
        };
        stderrListeners.add(check);
        child.once('exit', (code) => reject(new Error(`host exited (${code}) before printing ${count} demo marketplaces:\n${stderr}`)));
        check();
      });
    },
  };
}

/** Fails the test on any uncaught page error or console error. */
export function watchPageErrors(page: Page): () => void {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return () => expect(errors, 'errors in the page').toEqual([]);
}
