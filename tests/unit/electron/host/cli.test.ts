import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { MARKETPLACE_TOKEN_ENV } from '../../../../electron/host/options';
import { REDACTED_EMAIL } from '../../../../electron/main/log-redaction';
import { startDesk, TEST_START_MS, type Desk } from '../../../support/desk';

const START_AT = new Date(TEST_START_MS).toISOString();
const RUNNING_LINE = /^Cancel Desk is running at (http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)$/;
const DEMO_LINE = (storeId: string): RegExp =>
  new RegExp(`^Demo marketplace of [^(]+ \\(${storeId}\\) at (http:\\/\\/127\\.0\\.0\\.1:\\d+) \\(admin token (\\S+), for its \\/_sim\\/ ledger, clock and fault controls\\)$`);

let rendererDir: string;
/** Every host a test started: one a failed test left running is stopped after it. */
const children = new Set<ChildProcessWithoutNullStreams>();

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'desk-cli-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Cancel Desk</title>');
});

afterEach(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  }
  children.clear();
});

interface RunningHost {
  origin: string;
  token: string;
  child: ChildProcessWithoutNullStreams;
  /** Every stderr line so far. */
  stderr: string[];
  /** Resolves with the first stderr line that matches. */
  stderrLine(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGTERM; resolves with the exit code and everything written on stdout. */
  stop(): Promise<{ code: number | null; stdout: string }>;
}

/** `electron/host/cli.ts` as a user starts it (its stdin is a pipe the test may write to). */
function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/cli.ts', '--renderer-dir', rendererDir, '--start-at', START_AT, '--sync-interval-s', '86400', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  return child;
}

async function runUntilRunning(args: readonly string[], env: NodeJS.ProcessEnv = {}, stdin?: string): Promise<RunningHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'desk-cli-'));
  const child = run(['--data-dir', dataDir, ...args], env);
  if (stdin !== undefined) child.stdin.end(stdin);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const stderr: string[] = [];
  const waiting: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    for (const waiter of [...waiting]) {
      const match = waiter.pattern.exec(line);
      if (match !== null) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(([code]) => reject(new Error(`the host exited (${code}) before it was running:\n${stderr.join('\n')}`)));
  });
  const match = RUNNING_LINE.exec(first);
  if (match === null) throw new Error(`unexpected first line on stdout: ${first}`);
  return {
    origin: match[1] ?? '',
    token: match[2] ?? '',
    child,
    stderr,
    stderrLine(pattern) {
      const seen = stderr.map((line) => pattern.exec(line)).find((found) => found !== null);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.push({ pattern, resolve }));
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return { code, stdout };
    },
  };
}

function connect(host: RunningHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${host.origin.replace('http:', 'ws:')}/ipc?token=${host.token}`, { origin: host.origin });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const ResultFrame = z.object({ type: z.literal('result'), id: z.number(), result: z.unknown() });

/** The answer to one call; rejects if the connection closes first (the host went away). */
function call(socket: WebSocket, id: number, channel: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onClose = (code: number): void => {
      socket.off('message', onMessage);
      reject(new Error(`the connection closed (${code}) before ${channel} was answered`));
    };
    const onMessage = (data: Buffer): void => {
      const frame = ResultFrame.safeParse(JSON.parse(data.toString('utf8')));
      if (frame.success && frame.data.id === id) {
        socket.off('message', onMessage);
        socket.off('close', onClose);
        resolve(frame.data.result);
      }
    };
    socket.on('message', onMessage);
    socket.once('close', onClose);
    socket.send(JSON.stringify({ type: 'call', id, channel, input }));
  });
}

/** The status of GET / with this Host header (fetch cannot set one). */
function fetchWithHost(origin: string, hostHeader: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path: '/', headers: { host: hostHeader } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', reject);
    request.end();
  });
}

/** How a host that should refuse to start ended: its exit code, or 'running' if it started anyway. */
async function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null | 'running'; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const code = await Promise.race([
    (once(child, 'exit') as Promise<[number | null]>).then(([exitCode]) => exitCode),
    (once(createInterface({ input: child.stdout }), 'line') as Promise<[string]>).then(() => 'running' as const),
  ]);
  return { code, stderr };
}

describe('start:web', () => {
  it('prints one line on stdout, each demo store\'s marketplace address and admin token on stderr, and outlives bad frames', async () => {
    const host = await runUntilRunning(['--orders', '20']);
    let stopped: Awaited<ReturnType<RunningHost['stop']>>;
    try {
      for (const storeId of ['atlas-outdoor', 'lantern-home']) {
        const [, demoUrl = '', adminToken = ''] = await host.stderrLine(DEMO_LINE(storeId));
        // The printed admin token opens that demo's controls.
        const clock = await fetch(`${demoUrl}/_sim/clock`, { headers: { Authorization: `Bearer ${adminToken}` } });
        expect(clock.status).toBe(200);
      }
      // And the AliExpress sandbox's, for the AliExpress demo store.
      const [, sandboxUrl = '', sandboxAdmin = ''] = await host.stderrLine(/^AliExpress sandbox of .+ \(jade-bazaar\) at (http:\/\/127\.0\.0\.1:\d+) \(admin token (\S+), /);
      expect((await fetch(`${sandboxUrl}/_sandbox/clock`, { headers: { Authorization: `Bearer ${sandboxAdmin}` } })).status).toBe(200);
      expect(host.stderr.some((line) => line.startsWith('Data folder: '))).toBe(true);
      // The three stores are in the desk, out of the box: two demo marketplaces and AliExpress's sandbox, signed in.
      const socket = await connect(host);
      const stores = (await call(socket, 7, 'stores.list', {})) as { ok: boolean; value: Array<{ id: string; name: string; kind: string; embedded: boolean; credentials: string }> };
      expect(stores.value.map((store) => [store.id, store.name, store.kind, store.embedded])).toEqual([
        ['atlas-outdoor', 'Atlas Outdoor', 'demo', true],
        ['lantern-home', 'Lantern Home', 'demo', true],
        ['jade-bazaar', 'Jade Bazaar (AliExpress)', 'aliexpress', true],
      ]);
      // The demo seller's tokens never reach the log.
      expect(host.stderr.join('\n')).not.toMatch(/50000[A-Za-z0-9]{20}/);
      socket.close();

      // A frame over the limit and one that is not UTF-8 close their own connections only.
      const bystander = await connect(host);
      for (const [frame, code] of [
        [Buffer.alloc(17 * 1024 * 1024, 0x20), 1009],
        [Buffer.from([0x7b, 0xff, 0x7d]), 1007],
      ] as const) {
        const offender = await connect(host);
        const closed = once(offender, 'close') as Promise<[number]>;
        offender.send(frame, { binary: false });
        expect((await closed)[0]).toBe(code);
      }
      expect(await call(bystander, 1, 'queue.counts', {})).toMatchObject({ ok: true });
      bystander.close();
      expect(host.child.exitCode).toBeNull();

      // Its log goes through the desktop app's redaction: here an e-mail address in a refused Host header.
      const refused = await fetchWithHost(host.origin, 'seller@shop.example');
      expect(refused).toBe(403);
      const [logLine = ''] = await host.stderrLine(/^.*refused a page request for host.*$/);
      expect(logLine).toContain(REDACTED_EMAIL);
      expect(logLine).not.toContain('seller@shop.example');
    } finally {
      stopped = await host.stop();
    }
    expect(stopped.code).toBe(0);
    expect(stopped.stdout.split('\n').filter((line) => line !== '')).toHaveLength(1);
  });

  it('refuses --marketplace-token with a sentence saying what to use instead', async () => {
    const { code, stderr } = await exitOf(run(['--marketplace-url', 'https://api.market.example/', '--marketplace-token', 'tok-on-the-command-line']));
    expect(code).toBe(2);
    expect(stderr).toContain(`Give it in the ${MARKETPLACE_TOKEN_ENV} environment variable, in a file (--marketplace-token-file <path>), or on standard input (--marketplace-token-stdin).`);
  });

  describe('with another marketplace', () => {
    let desk: Desk;

    beforeAll(async () => {
      desk = await startDesk({ seed: 3, orders: 20, start: false });
    });

    afterAll(async () => {
      await desk.close();
    });

    // The environment variable is what tests/e2e/host.ts hands every end-to-end host; options.test.ts has the rest.
    it('syncs with the token read from standard input, and never logs it', async () => {
      const token = desk.simulator.token;
      const host = await runUntilRunning(['--marketplace-url', desk.simulator.url, '--marketplace-token-stdin'], {}, `${token}\n`);
      try {
        const socket = await connect(host);
        try {
          // Without the token the marketplace refuses the pass (state "error").
          expect(await call(socket, 1, 'sync.now', { full: false })).toMatchObject({ ok: true, value: { state: 'idle', message: null } });
          const counts = z.object({ ok: z.literal(true), value: z.object({ all: z.number() }) }).parse(await call(socket, 2, 'queue.counts', {}));
          expect(counts.value.all).toBeGreaterThan(0);
        } finally {
          socket.close();
        }
      } finally {
        await host.stop();
      }
      expect(host.stderr.join('\n')).not.toContain(token);
    });
  });
});
