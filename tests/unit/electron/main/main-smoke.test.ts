import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../../../electron/main/app-scheme';
import { CATEGORY_TITLES, COMMANDS } from '../../../../shared/commands';
import { CHANNELS } from '../../../../shared/ipc/contract';
import { staleBuildProblem } from './build-freshness';

const MAIN_BUNDLE = 'out/main/index.js';
/** What this test runs, and what it is built from. */
const BUILD_OUTPUTS = [MAIN_BUNDLE, 'out/main/backend-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const BUILD_SOURCES = ['electron', 'shared', 'electron.vite.config.ts'];

interface Guards {
  willNavigatePrevented: boolean;
  willRedirectPrevented: boolean;
  willAttachWebviewPrevented: boolean;
  subframeNavigationPrevented: boolean;
  windowOpen: string[];
}

interface SchemeAnswer {
  status: number;
  csp: string | null;
  nosniff: string | null;
  contentType: string | null;
  bytes: number;
  body?: string;
}

interface MenuItem {
  id?: string;
  label?: string;
  role?: string;
  accelerator?: string;
  registerAccelerator?: boolean;
  sublabel?: string;
  hasClick: boolean;
  submenu?: MenuItem[];
}

interface Report {
  sandboxEnabled: boolean;
  singleInstanceLock: boolean | null;
  appEvents: string[];
  windows: Array<{ width: number; height: number; x?: number; y?: number; webPreferences: Record<string, unknown> }>;
  ipcChannels: string[];
  privilegedSchemes: Array<{ scheme: string }>;
  protocolHandlers: string[];
  /** What the handler main registered for app:// answered the fake's requests. */
  schemeAnswers: Record<'index' | 'traversal' | 'backslashTraversal' | 'otherHost' | 'malformedEscape' | 'missing' | 'directory', SchemeAnswer> & { script: SchemeAnswer | null };
  /** The files the handler asked net.fetch for, relative to the working folder. */
  netFetches: string[];
  webContentsEvents: string[];
  guards: Guards;
  laterWebContents: Guards;
  loadedUrls: string[];
  permissionRequestAnswers: boolean[];
  permissionCheckAnswers: boolean[];
  devicePermissionAnswers: boolean[];
  displayMediaAnswers: unknown[];
  laterSessionPermissionAnswers: boolean[];
  senderChecks: Record<string, string>;
  menu: MenuItem[] | null;
  menuClick: { channel: string; payload: unknown } | null;
  setPaths: Array<{ name: string; path: string }>;
  appInfo: { marketplaceUrl: string } | null;
}

interface Run {
  /** Every FAKE_ELECTRON_<KIND> line, in order. */
  lines: Array<{ kind: string; value: unknown }>;
  userData: string;
  exitCode: number | null;
}

/**
 * Runs the built main bundle in Node with `electron` replaced by a recording fake, until
 * `done` says the lines seen so far are enough; with `untilExit`, until the process exits (and
 * `done` must hold by then). `args` follow the bundle on the command line (the app's argv).
 */
async function runMainWithFakeElectron(
  done: (lines: Run['lines']) => boolean,
  env: Record<string, string> = {},
  untilExit = false,
  args: string[] = [],
): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'desk-main-'));
  const userData = join(dir, 'user-data');
  const child = spawn(process.execPath, ['--import', './tests/unit/electron/main/fake-electron/register.mjs', MAIN_BUNDLE, ...args], {
    env: { ...process.env, FAKE_ELECTRON_USER_DATA: userData, ...env },
    stdio: 'pipe',
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const lines: Run['lines'] = [];
  try {
    return await new Promise<Run>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /^FAKE_ELECTRON_([A-Z_]+) (.*)$/.exec(line);
        if (match === null) return;
        lines.push({ kind: match[1] ?? '', value: JSON.parse(match[2] ?? 'null') as unknown });
        if (!untilExit && done(lines)) resolve({ lines, userData, exitCode: null });
      });
      child.once('exit', (code) => {
        if (done(lines)) resolve({ lines, userData, exitCode: code });
        else reject(new Error(`main exited with ${code} before the test saw what it waits for:\n${output}`));
      });
    });
  } finally {
    child.kill('SIGKILL');
  }
}

function reportOf(run: Run): Report {
  const line = run.lines.find((entry) => entry.kind === 'REPORT');
  if (line === undefined) throw new Error('no report');
  return line.value as Report;
}

const hasReport = (lines: Run['lines']): boolean => lines.some((line) => line.kind === 'REPORT');

/** The development overrides, each pointing somewhere an installed app must not go. */
function overrides(dir: string): Record<string, string> {
  return {
    CANCEL_DESK_USER_DATA: join(dir, 'prepared-profile'),
    // Port 9 (discard): nothing answers, so a development run's sync just fails.
    CANCEL_DESK_MARKETPLACE_URL: 'http://127.0.0.1:9/',
    CANCEL_DESK_UPDATE_URL: 'https://updates.evil.example/',
  };
}

describe('the main process bundle (no Electron binary needed)', () => {
  // Never test whatever was built last: every test here fails until the build is current.
  beforeAll(async () => {
    const problem = await staleBuildProblem(BUILD_OUTPUTS, BUILD_SOURCES, 'run `npx electron-vite build` (npm test builds first)');
    if (problem !== null) throw new Error(problem);
  });

  it('creates one hardened window, registers exactly the contract, and installs every guard', async () => {
    const report = reportOf(await runMainWithFakeElectron(hasReport));

    expect(report.sandboxEnabled).toBe(true);
    expect(report.singleInstanceLock).toBe(true);
    expect(report.appEvents).toEqual(expect.arrayContaining(['second-instance', 'web-contents-created', 'session-created', 'before-quit', 'window-all-closed']));

    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(report.windows[0]?.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(String(report.windows[0]?.webPreferences.preload)).toMatch(/out\/preload\/index\.cjs$/);
    // No saved position yet: the default size, no position (the OS centres it).
    expect(report.windows[0]).toMatchObject({ width: 1280, height: 800 });
    expect(report.windows[0]).not.toHaveProperty('x');

    expect([...report.ipcChannels].sort()).toEqual(Object.keys(CHANNELS).sort());

    expect(report.loadedUrls).toEqual(['app://desk/index.html']);
    expect(report.privilegedSchemes.map((scheme) => scheme.scheme)).toEqual(['app']);
    expect(report.protocolHandlers).toEqual(['app']);

    const expectedGuards: Guards = {
      willNavigatePrevented: true,
      willRedirectPrevented: true,
      willAttachWebviewPrevented: true,
      subframeNavigationPrevented: true,
      windowOpen: ['deny', 'deny', 'deny', 'deny'],
    };
    expect(report.guards).toEqual(expectedGuards);
    // A web contents created later, not by createMainWindow, gets the same guards.
    expect(report.laterWebContents).toEqual(expectedGuards);

    expect(report.permissionRequestAnswers).toEqual([false, false, false, false]);
    expect(report.permissionCheckAnswers).toEqual([false, false]);
    expect(report.devicePermissionAnswers).toEqual([false, false]);
    expect(report.displayMediaAnswers).toEqual([null]);
    expect(report.laterSessionPermissionAnswers).toEqual([false, false, false, false]);
  });

  it('serves the renderer through the real app:// handler, refusing what leaves it, with the security headers', async () => {
    const report = reportOf(await runMainWithFakeElectron(hasReport));
    const answers = report.schemeAnswers;
    expect(answers.index).toMatchObject({ status: 200 });
    expect(answers.index.body).toContain('<div id="app"></div>');
    expect(answers.script, 'index.html names its script').not.toBeNull();
    expect(answers.script).toMatchObject({ status: 200, contentType: 'text/javascript' });
    expect(answers.script?.bytes).toBeGreaterThan(0);
    expect({
      traversal: answers.traversal.status,
      backslashTraversal: answers.backslashTraversal.status,
      otherHost: answers.otherHost.status,
      malformedEscape: answers.malformedEscape.status,
      missing: answers.missing.status,
      directory: answers.directory.status,
    }).toEqual({ traversal: 403, backslashTraversal: 403, otherHost: 403, malformedEscape: 400, missing: 404, directory: 403 });
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer?.csp, `the CSP on ${name}`).toBe(SECURITY_HEADERS['Content-Security-Policy']);
      expect(answer?.nosniff, `nosniff on ${name}`).toBe('nosniff');
    }
    // Only the two files asked for were read, both from the built renderer.
    expect(report.netFetches).toEqual(['out/renderer/index.html', `out/renderer/${/src="\.\/(assets\/[^"]+\.js)"/.exec(answers.index.body ?? '')?.[1]}`]);
  });

  it('answers IPC only from the main window’s top frame on the app’s own origin', async () => {
    const report = reportOf(await runMainWithFakeElectron(hasReport));
    expect(report.senderChecks).toEqual({
      ownWindowTopFrame: 'ok',
      otherWebContents: 'forbidden_sender',
      foreignOrigin: 'forbidden_sender',
      lookalikeOrigin: 'forbidden_sender',
      subFrame: 'forbidden_sender',
      destroyedFrame: 'forbidden_sender',
    });
  });

  it('opens only allow-listed https links, in the system browser', async () => {
    const run = await runMainWithFakeElectron(hasReport);
    const opened = run.lines.filter((line) => line.kind === 'OPEN_EXTERNAL').map((line) => line.value);
    // Probed once on the window and once on a later web contents.
    expect(opened).toEqual(['https://www.aliexpress.com/item/1.html', 'https://www.aliexpress.com/item/1.html']);
  });

  it('builds the app menu from the command catalogue and sends a chosen command to the renderer', async () => {
    const report = reportOf(await runMainWithFakeElectron(hasReport));
    const menu = report.menu ?? [];
    const commandItems = menu.flatMap((top) => (top.submenu ?? []).filter((item) => item.id !== undefined && !item.role));
    expect(commandItems.map((item) => item.id)).toEqual(COMMANDS.map((command) => command.id));
    expect(commandItems.map((item) => item.label)).toEqual(COMMANDS.map((command) => command.title));
    expect(commandItems.every((item) => item.hasClick)).toBe(true);
    for (const title of Object.values(CATEGORY_TITLES)) expect(menu.map((top) => top.label)).toContain(title);

    // Chords are registered accelerators; plain keys are shown but never registered (typing).
    const byId = new Map(commandItems.map((item) => [item.id, item]));
    expect(byId.get('app.palette')).toMatchObject({ accelerator: 'CmdOrCtrl+K' });
    expect(byId.get('app.palette')?.registerAccelerator).toBeUndefined();
    expect(byId.get('app.settings')).toMatchObject({ accelerator: 'CmdOrCtrl+,' });
    expect(byId.get('queue.next')).toMatchObject({ accelerator: 'J', registerAccelerator: false });
    expect(byId.get('queue.extendDown')).toMatchObject({ accelerator: 'Shift+J', registerAccelerator: false });
    expect(byId.get('view.needsReply')?.accelerator).toBeUndefined();
    for (const item of commandItems) {
      const registered = item.accelerator !== undefined && item.registerAccelerator !== false;
      if (registered) expect(item.accelerator, `${item.id} registers ${item.accelerator}`).toMatch(/^(CmdOrCtrl|Ctrl|Alt)\+/);
    }

    expect(report.menuClick).toEqual({ channel: 'desk-event:command.invoke', payload: { id: 'app.palette' } });
  });

  it('shows one grouped notification for the demo’s requests entering their last hours', async () => {
    const run = await runMainWithFakeElectron((lines) => lines.some((line) => line.kind === 'NOTIFICATION'));
    const notification = run.lines.find((line) => line.kind === 'NOTIFICATION')?.value as { title: string; body: string };
    // The demo always has requests due within the default 4 hours.
    expect(notification.title).toMatch(/^(\d+ requests are due within 4 hours|A request is due in .+)$/);
    expect(notification.body).toMatch(/^Order \S+ \(.+ left\)/);
  });

  it('quits at once, with no window and no IPC, when another instance holds the lock', async () => {
    const run = await runMainWithFakeElectron((lines) => lines.some((line) => line.kind === 'EXIT'), { FAKE_ELECTRON_LOCK: 'taken' }, true);
    const exit = run.lines.find((line) => line.kind === 'EXIT')?.value as { record: Report };
    expect(exit.record.singleInstanceLock).toBe(false);
    expect(exit.record.windows).toEqual([]);
    expect(exit.record.ipcChannels).toEqual([]);
    expect(run.lines.some((line) => line.kind === 'REPORT')).toBe(false);
  });

  it('an installed app quits at once on a remote-debugging or inspect switch: no window, no IPC, and the log says why', async () => {
    // Stops at the exit, or at a window (which must not come).
    const run = await runMainWithFakeElectron((lines) => lines.some((line) => line.kind === 'APP_EXIT' || line.kind === 'REPORT'), {}, false, ['--remote-debugging-port=9222', '--inspect-brk']);
    const exit = run.lines.find((line) => line.kind === 'APP_EXIT')?.value as { code: number; record: Report } | undefined;
    expect(exit?.code, 'the app exits, with an error code, before any window').toBe(1);
    expect(exit?.record.windows).toEqual([]);
    expect(exit?.record.ipcChannels).toEqual([]);
    expect(exit?.record.singleInstanceLock).toBeNull();
    expect(run.lines.some((line) => line.kind === 'REPORT')).toBe(false);
    const logText = await readFile(join(run.userData, 'logs', 'main.log'), 'utf8');
    expect(logText).toContain('Cancel Desk did not start: an installed copy refuses --remote-debugging-port, --inspect-brk');
  });

  it('an installed app ignores the development overrides in its environment, and its log names them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-overrides-'));
    const run = await runMainWithFakeElectron(hasReport, overrides(dir));
    const report = reportOf(run);
    // The profile is the OS default, and the backend syncs with the embedded demo, not the URL.
    expect(report.setPaths).toEqual([]);
    // The worker logs its marketplace before it answers any call (app.info's address depends on
    // how many stores are loaded by then).
    const logText = await readFile(join(run.userData, 'logs', 'main.log'), 'utf8');
    expect(logText).toContain('[backend] marketplace: the embedded demo stores');
    expect(logText).not.toContain('127.0.0.1:9/');
    for (const name of Object.keys(overrides(dir))) expect(logText).toContain(`${name} is set but ignored: an installed Cancel Desk does not take it from the environment`);
  });

  it('a development build keeps the overrides and the debugging switches (tests and npm start use them)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'desk-overrides-'));
    const run = await runMainWithFakeElectron(hasReport, { ...overrides(dir), FAKE_ELECTRON_PACKAGED: '0' }, false, ['--remote-debugging-port=9222']);
    const report = reportOf(run);
    expect(report.setPaths).toEqual([{ name: 'userData', path: join(dir, 'prepared-profile') }]);
    expect(await readFile(join(run.userData, 'logs', 'main.log'), 'utf8')).toContain('[backend] marketplace: http://127.0.0.1:9/');
    expect(report.windows).toHaveLength(1);
  });

  it('shows the needs-reply count on the badge, and on quit closes the backend (cache saved) before exiting', async () => {
    const run = await runMainWithFakeElectron((lines) => lines.some((line) => line.kind === 'EXIT'), { FAKE_ELECTRON_QUIT_ON_BADGE: '1' }, true);
    const badges = run.lines.filter((line) => line.kind === 'BADGE').map((line) => line.value as number);
    expect(badges.some((count) => count > 0)).toBe(true);
    // The first before-quit is held while the backend closes; the app then quits for real.
    const quits = run.lines.filter((line) => line.kind === 'QUIT').map((line) => line.value);
    expect(quits).toEqual([
      { round: 1, prevented: true },
      { round: 2, prevented: false },
    ]);
    expect(run.exitCode).toBe(0);
    // Whatever form the cache takes on disk (snapshot, journal), the backend wrote it before the process went.
    const written = (await readdir(run.userData, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() && !entry.parentPath.includes('logs'));
    expect(written.length, 'the backend saved its cache').toBeGreaterThan(0);

    const logText = await readFile(join(run.userData, 'logs', 'main.log'), 'utf8');
    expect(logText).toContain('Cancel Desk 0.0.0-test started');
    expect(logText).toContain('the backend closed cleanly');
    expect(logText).not.toContain('[error]');
    // The window's place was saved on the way out, for the next launch.
    expect(JSON.parse(await readFile(join(run.userData, 'window-state.json'), 'utf8'))).toMatchObject({ version: 1, bounds: { width: 1280, height: 800 }, maximized: false });
    // No keychain in the fake: nothing was stored in plain text.
    expect(existsSync(join(run.userData, 'secrets.json'))).toBe(false);
  });
});
