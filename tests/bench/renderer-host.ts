/**
 * The renderer bench's app: the built renderer (out/renderer, rebuilt when older than its sources)
 * served by the browser host (electron/host/cli.ts) with its embedded demo marketplace.
 */
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const RUNNING_LINE = /^Cancel Desk is running at (http:\/\/\S+)$/;
const RENDERER_SOURCES = ['renderer', 'shared', 'electron.vite.config.ts', 'package.json'];
const BUILT = 'out/renderer/index.html';

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (info === null) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds with `electron-vite build` when out/renderer is missing or older than a source; answers whether it built. */
export async function buildRendererIfStale(): Promise<boolean> {
  const built = (await stat(BUILT).catch(() => null))?.mtimeMs ?? 0;
  let sources = 0;
  for (const path of RENDERER_SOURCES) sources = Math.max(sources, await newestMtime(path));
  if (built > sources) return false;
  try {
    await promisify(execFile)('npx', ['electron-vite', 'build'], { maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`electron-vite build failed:\n${stdout}\n${stderr}`, { cause: error });
  }
  return true;
}

export interface RendererHost {
  url: string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** `electron/host/cli.ts` on a free port with the demo marketplace at this size; no periodic sync while measuring. */
export async function startRendererHost(orders: number, dataDir: string, seed = 42): Promise<RendererHost> {
  const args = ['--import', 'tsx', 'electron/host/cli.ts', '--data-dir', dataDir, '--port', '0', '--orders', String(orders), '--seed', String(seed), '--sync-interval-s', '86400'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then((code) => reject(new Error(`the browser host exited (${code}) before it was running:\n${stderr}`)));
  });
  const match = RUNNING_LINE.exec(first);
  if (match === null) {
    child.kill('SIGTERM');
    throw new Error(`unexpected first line from the browser host: ${first}`);
  }
  return {
    url: match[1] ?? '',
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
