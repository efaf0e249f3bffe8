import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const TSX = 'node_modules/.bin/tsx';
const CLI = 'electron/simulator/cli.ts';

async function adminGet(url: string, path: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, { headers: { Authorization: 'Bearer demo-admin-token' } });
  expect(response.status).toBe(200);
  return response.json();
}

describe('simulator CLI', () => {
  it('--ignore-idempotency-keys and --faults lostAnswer=... reach the running marketplace', async () => {
    const child = spawn(
      TSX,
      [CLI, '--port', '0', '--orders', '50', '--ignore-idempotency-keys', '--faults', 'lostAnswer=0.5'],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await once(lines, 'line')) as [string];
      const url = /at (\S+) /.exec(line)?.[1] ?? '';
      expect(await adminGet(url, '/_sim/idempotency-keys')).toEqual({ idempotencyKeys: 'ignore' });
      expect(await adminGet(url, '/_sim/faults')).toMatchObject({ lostAnswerRate: 0.5 });
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  });
});
