import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BUILDER = join('node_modules', '.bin', 'electron-builder');

/**
 * toolchain.md "Packaging": electron-builder cannot download Electron here, but against a stub
 * Electron folder it validates the config and packs a real app.asar, whose contents we check.
 */
async function stubElectronDist(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'desk-stub-electron-'));
  await writeFile(join(dir, 'electron'), '#!/bin/sh\necho "stub electron"\n');
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
    const code = await readFile(file, 'utf8');
    // A specifier is a package name (optionally scoped) and a sub-path: never text with spaces.
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)["']/g)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('node:') || specifier === 'electron') continue;
      names.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
    }
  }
  return [...names].sort();
}

describe('packaging (stub Electron, no download)', () => {
  it('packs an app.asar holding main, preload, renderer and every runtime dependency of main', async () => {
    const { outDir } = await pack([]);
    const entries = new Set(listPackage(join(outDir, 'linux-unpacked', 'resources', 'app.asar'), { isPack: false }).map((entry) => entry.replaceAll('\\', '/')));
    for (const file of ['/package.json', '/out/main/index.js', '/out/main/backend-worker.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
      expect(entries, `${file} in app.asar`).toContain(file);
    }
    const needed = await runtimePackagesOfMain();
    expect(needed).toEqual(expect.arrayContaining(['dexie', 'fake-indexeddb', 'zod']));
    for (const name of needed) expect(entries, `node_modules/${name} in app.asar`).toContain(`/node_modules/${name}/package.json`);
    // Nothing from the test or build toolchain rides along.
    for (const devOnly of ['vitest', 'electron', 'electron-builder', 'vue', 'typescript']) {
      expect(entries).not.toContain(`/node_modules/${devOnly}`);
    }
  }, 180_000);

  it('rejects an invalid configuration before anything is downloaded', async () => {
    await expect(pack(['-c.notAnOption=1'])).rejects.toThrow(/configuration|notAnOption/i);
  }, 120_000);
});
