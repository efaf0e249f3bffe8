import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The demo marketplace in its own process, so its data never counts in the backend's heap and
 * its CPU is not the backend's (what a real marketplace would be).
 */
export interface MarketplaceProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
}

const LINE = /running at (http:\/\/127\.0\.0\.1:\d+) \(token ([^,]+), admin token/;

export async function startMarketplaceProcess(orders: number, seed = 42): Promise<MarketplaceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/simulator/cli.ts', '--port', '0', '--seed', String(seed), '--orders', String(orders)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the demo marketplace exited (${code}) before it was running`)));
  });
  const match = LINE.exec(first);
  if (match === null) throw new Error(`unexpected line from the demo marketplace: ${first}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: match[1] ?? '',
    token: match[2] ?? '',
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
