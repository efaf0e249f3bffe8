import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../../shared/ipc/contract';

const MAIN_BUNDLE = 'out/main/index.js';
const REPORT_PREFIX = 'FAKE_ELECTRON_REPORT ';

interface Report {
  windows: Array<{ webPreferences: Record<string, unknown> }>;
  ipcChannels: string[];
  privilegedSchemes: Array<{ scheme: string }>;
  protocolHandlers: string[];
  webContentsEvents: string[];
  guards: { windowOpen: string[]; willNavigatePrevented: boolean; willAttachWebviewPrevented: boolean };
  loadedUrls: string[];
  permissionRequestAnswers: boolean[];
  permissionCheckAnswers: boolean[];
}

/** Runs the built main bundle in Node with `electron` replaced by a recording fake. */
async function runMainWithFakeElectron(): Promise<Report> {
  const dir = await mkdtemp(join(tmpdir(), 'desk-main-'));
  const child = spawn(
    process.execPath,
    ['--import', './tests/unit/electron/main/fake-electron/register.mjs', MAIN_BUNDLE],
    { env: { ...process.env, FAKE_ELECTRON_USER_DATA: join(dir, 'user-data') }, stdio: 'pipe' },
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    // The fake prints its record when main loads the window; main itself keeps running.
    return await new Promise<Report>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith(REPORT_PREFIX)) resolve(JSON.parse(line.slice(REPORT_PREFIX.length)) as Report);
      });
      child.once('exit', (code) => reject(new Error(`main exited with ${code} before loading its window:\n${output}`)));
    });
  } finally {
    child.kill('SIGKILL');
  }
}

describe('the main process bundle (no Electron binary needed)', () => {
  it('exists: run `electron-vite build` first (npm test does)', () => {
    expect(existsSync(MAIN_BUNDLE), `${MAIN_BUNDLE} is missing`).toBe(true);
  });

  it('creates one hardened window, registers exactly the contract, and installs every guard', async () => {
    const report = await runMainWithFakeElectron();

    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(report.windows[0]?.webPreferences.preload)).toMatch(/out\/preload\/index\.cjs$/);

    expect([...report.ipcChannels].sort()).toEqual(Object.keys(CHANNELS).sort());

    expect(report.loadedUrls).toEqual(['app://desk/index.html']);
    expect(report.privilegedSchemes.map((scheme) => scheme.scheme)).toEqual(['app']);
    expect(report.protocolHandlers).toEqual(['app']);

    expect(report.guards.willNavigatePrevented).toBe(true);
    expect(report.guards.willAttachWebviewPrevented).toBe(true);
    expect(report.guards.windowOpen).toEqual(['deny', 'deny', 'deny']);
    expect(report.permissionRequestAnswers).toEqual([false, false, false, false]);
    expect(report.permissionCheckAnswers).toEqual([false, false]);
  });
});
