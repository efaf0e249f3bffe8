import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/** `npm run simulator -- --protocol aliexpress`: one line with what a connector needs, then serves. */

const TSX = 'node_modules/.bin/tsx';
const CLI = 'electron/simulator/cli.ts';

function run(args: readonly string[]) {
  return spawn(TSX, [CLI, ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
}

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('simulator CLI --protocol aliexpress', () => {
  it('prints the URL, app key, app secret and admin token, serves the consent page, stops on SIGTERM', async () => {
    const child = run(['--protocol', 'aliexpress', '--port', '0', '--seed', '3', '--orders', '40', '--app-secret', 'sandbox-secret']);
    const lines = createInterface({ input: child.stdout });
    const [line] = (await once(lines, 'line')) as [string];
    expect(line).toMatch(
      /^AliExpress sandbox running at http:\/\/127\.0\.0\.1:\d+ \(app key 12345678, app secret sandbox-secret, admin token demo-admin-token\)$/,
    );
    const url = /at (\S+) /.exec(line)?.[1] ?? '';
    const page = await fetch(`${url}/oauth/authorize?response_type=code&client_id=12345678&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb`);
    expect(page.status).toBe(200);
    const ledger = await fetch(`${url}/_sandbox/ledger`, { headers: { Authorization: 'Bearer demo-admin-token' } });
    expect(await ledger.json()).toEqual({ entries: [] });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it.each([
    [['--protocol', 'ebay'], '--protocol'],
    [['--protocol', 'aliexpress', '--app-key', 'a b'], '--app-key'],
    [['--protocol', 'aliexpress', '--app-secret', 'short'], '--app-secret'],
    [['--protocol', 'aliexpress', '--faults', 'error=0.1'], '--faults'],
  ])('exits with code 2 and a clear line for %j', async (args, mention) => {
    const child = run(args);
    const stderr = collect(child.stderr);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(await stderr).toContain(mention);
  });

  it('exits with code 1 when the sandbox cannot start', async () => {
    const child = run(['--protocol', 'aliexpress', '--orders', '200000']);
    const stderr = collect(child.stderr);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(await stderr).toContain('"orders"');
  });
});
