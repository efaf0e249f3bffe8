import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

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

describe('simulator CLI', () => {
  it('prints one line, serves, and stops cleanly on SIGTERM', async () => {
    const child = run(['--port', '0', '--seed', '7', '--orders', '300', '--faults', 'latency=1,reorder=0.5']);
    const lines = createInterface({ input: child.stdout });
    const [line] = (await once(lines, 'line')) as [string];
    expect(line).toMatch(
      /^Demo marketplace running at http:\/\/127\.0\.0\.1:\d+ \(token demo-token, admin token \S+\)$/,
    );
    const url = /at (\S+) /.exec(line)?.[1] ?? '';
    const response = await fetch(`${url}/v1/orders?limit=3`, { headers: { Authorization: 'Bearer demo-token' } });
    expect(response.status).toBe(200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it.each([
    [['--port', 'abc'], '--port'],
    [['--orders', '-5'], '--orders'],
    [['--seed', '99999999999'], '--seed'],
    [['--token', 'x'], '--token'],
    [['--bogus'], 'bogus'],
    [['--faults', 'error=3'], '--faults'],
    [['--faults', 'nonsense=1'], 'nonsense'],
  ])('exits with code 2 and a clear line for %j', async (args, mention) => {
    const child = run(args);
    const stderr = collect(child.stderr);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(await stderr).toContain(mention);
  });
});
