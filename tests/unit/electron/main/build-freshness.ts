import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

interface Dated {
  path: string;
  mtimeMs: number;
}

/** Every file under `paths` (files or folders, recursively) with its modification time. */
async function filesUnder(paths: readonly string[]): Promise<Dated[]> {
  const files: Dated[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isFile()) {
      files.push({ path, mtimeMs: info.mtimeMs });
      continue;
    }
    for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = join(entry.parentPath, entry.name);
      files.push({ path: file, mtimeMs: (await stat(file)).mtimeMs });
    }
  }
  return files;
}

const at = (mtimeMs: number): string => new Date(mtimeMs).toISOString();

/**
 * Why the built `outputs` cannot be trusted to be the current `sources`, or null: one is
 * missing, or one is older than the newest source file. Compares modification times only.
 */
export async function staleBuildProblem(outputs: readonly string[], sources: readonly string[], rebuild: string): Promise<string | null> {
  const newest = (await filesUnder(sources)).reduce<Dated | null>((best, file) => (best === null || file.mtimeMs > best.mtimeMs ? file : best), null);
  for (const output of outputs) {
    let builtMs: number;
    try {
      builtMs = (await stat(output)).mtimeMs;
    } catch {
      return `${output} is missing: ${rebuild}.`;
    }
    if (newest !== null && newest.mtimeMs > builtMs) {
      return `${output} (built ${at(builtMs)}) is older than ${newest.path} (changed ${at(newest.mtimeMs)}), so it would test a stale build: ${rebuild}.`;
    }
  }
  return null;
}
