import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateIcons } from '../../../scripts/icons';

const run = promisify(execFile);
const BUILDER = join('node_modules', '.bin', 'electron-builder');

/**
 * toolchain.md "Packaging": electron-builder cannot download Electron here, but against a stub
 * Electron folder it validates the config and packs a real app.asar, whose contents we check.
 */
/**
 * Electron's fuse wire (@electron/fuses): a sentinel, the wire's version (1), its length, then one
 * byte per fuse ('0' off, '1' on). The stub carries one with Electron's defaults, so that
 * electron-builder flips it for real and the test can read the result.
 */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES_IN_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
const ELECTRON_DEFAULT_FUSES = '10110001';

function readFuses(binary: Buffer): Record<string, boolean> {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at === -1) throw new Error('no fuse wire in the binary');
  const wire = at + FUSE_SENTINEL.length;
  expect(binary[wire], 'fuse wire version').toBe(1);
  const length = binary[wire + 1] ?? 0;
  return Object.fromEntries(FUSES_IN_ORDER.slice(0, length).map((name, index) => [name, binary[wire + 2 + index] === '1'.charCodeAt(0)]));
}

async function stubElectronDist(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'desk-stub-electron-'));
  await writeFile(join(dir, 'electron'), `#!/bin/sh\necho "stub electron"\n# ${FUSE_SENTINEL}\x01\x08${ELECTRON_DEFAULT_FUSES}\n`, 'latin1');
  await chmod(join(dir, 'electron'), 0o755);
  const electronVersion = (JSON.parse(await readFile('node_modules/electron/package.json', 'utf8')) as { version: string }).version;
  await writeFile(join(dir, 'version'), electronVersion);
  await writeFile(join(dir, 'LICENSE'), 'stub');
  await writeFile(join(dir, 'LICENSES.chromium.html'), '<html></html>');
  return dir;
}

async function pack(extraArgs: string[]): Promise<{ output: string; outDir: string }> {
  const outDir = await mkdtemp(join(tmpdir(), 'desk-pack-'));
  const { stdout, stderr } = await run(
    BUILDER,
    ['--dir', '--linux', '--x64', '--publish', 'never', `-c.electronDist=${await stubElectronDist()}`, `-c.directories.output=${outDir}`, ...extraArgs],
    { env: { ...process.env, CI: 'true' }, maxBuffer: 16 * 1024 * 1024 },
  );
  return { output: stdout + stderr, outDir };
}

/** Every package main's bundles import at run time (bare specifiers, not node: or electron). */
async function runtimePackagesOfMain(): Promise<string[]> {
  const files = ['out/main/index.js', 'out/main/backend-worker.js', ...(await readdir('out/main/chunks')).map((file) => `out/main/chunks/${file}`)];
  const names = new Set<string>();
  for (const file of files) {
    // Bundled libraries keep their JSDoc, whose examples read like imports (` * import { X } from 'yaml'`):
    // a line that is part of a comment imports nothing.
    const code = (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join('\n');
    // A specifier is a package name (optionally scoped) and a sub-path: never text with spaces.
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)["']/g)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('node:') || specifier === 'electron') continue;
      names.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
    }
  }
  return [...names].sort();
}

/** What this test requires of electron-builder.yml (the rest is electron-builder's to validate). */
const BuilderConfigSchema = z.object({
  appId: z.literal('com.canceldesk.app'),
  productName: z.literal('Cancel Desk'),
  asar: z.literal(true),
  electronFuses: z.object({
    runAsNode: z.literal(false),
    enableNodeOptionsEnvironmentVariable: z.literal(false),
    enableNodeCliInspectArguments: z.literal(false),
    onlyLoadAppFromAsar: z.literal(true),
    enableEmbeddedAsarIntegrityValidation: z.literal(true),
    enableCookieEncryption: z.literal(true),
    grantFileProtocolExtraPrivileges: z.literal(false),
  }),
  publish: z.null(),
  linux: z.object({ target: z.array(z.string()), icon: z.literal('build/icons') }),
  win: z.object({ target: z.array(z.string()), icon: z.literal('build/icon.ico') }),
  mac: z.object({
    target: z.array(z.string()),
    icon: z.literal('build/icon.icns'),
    hardenedRuntime: z.literal(true),
    entitlements: z.literal('build/entitlements.mac.plist'),
    entitlementsInherit: z.literal('build/entitlements.mac.plist'),
  }),
});

describe('the packaging configuration', () => {
  it('declares every installer, the fuses, the hardened runtime and the icons', async () => {
    const config = BuilderConfigSchema.parse(parseYaml(await readFile('electron-builder.yml', 'utf8')));
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(existsSync(config.mac.entitlements)).toBe(true);
    const entitlements = await readFile(config.mac.entitlements, 'utf8');
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
    // Nothing that would weaken the hardened runtime beyond what V8 needs.
    expect(entitlements).not.toMatch(/disable-library-validation|allow-dyld-environment-variables|disable-executable-page-protection/);
  });
});

describe('packaging (stub Electron, no download)', () => {
  // The icons electron-builder.yml names are generated from build/icon.svg (not committed).
  beforeAll(async () => {
    await generateIcons();
  }, 60_000);

  it('packs an app.asar holding main, preload, renderer and every runtime dependency of main, with the fuses flipped', async () => {
    const { outDir } = await pack([]);
    const fuses = readFuses(await readFile(join(outDir, 'linux-unpacked', 'cancel-desk')));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    const entries = new Set(listPackage(join(outDir, 'linux-unpacked', 'resources', 'app.asar'), { isPack: false }).map((entry) => entry.replaceAll('\\', '/')));
    for (const file of ['/package.json', '/out/main/index.js', '/out/main/backend-worker.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
      expect(entries, `${file} in app.asar`).toContain(file);
    }
    const needed = await runtimePackagesOfMain();
    expect(needed).toEqual(expect.arrayContaining(['dexie', 'fake-indexeddb', 'zod']));
    for (const name of needed) expect(entries, `node_modules/${name} in app.asar`).toContain(`/node_modules/${name}/package.json`);
    // Nothing from the test or build toolchain rides along.
    expect(needed).toEqual(expect.arrayContaining(['electron-log', 'electron-updater']));
    for (const devOnly of ['vitest', 'electron', 'electron-builder', 'vue', 'typescript', '@doyensec/electronegativity', '@resvg/resvg-js', 'png2icons', 'yaml']) {
      expect(entries).not.toContain(`/node_modules/${devOnly}`);
    }
  }, 180_000);

  it('writes the update feed into the app when built with one (what `npm run dist` does with CANCEL_DESK_UPDATE_URL)', async () => {
    const { outDir } = await pack(['-c.publish.provider=generic', '-c.publish.url=https://updates.example.com/cancel-desk/']);
    const appUpdate = await readFile(join(outDir, 'linux-unpacked', 'resources', 'app-update.yml'), 'utf8');
    expect(parseYaml(appUpdate)).toMatchObject({ provider: 'generic', url: 'https://updates.example.com/cancel-desk/' });
  }, 180_000);

  it('rejects an invalid configuration before anything is downloaded', async () => {
    await expect(pack(['-c.notAnOption=1'])).rejects.toThrow(/configuration|notAnOption/i);
  }, 120_000);
});
