import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleBuildProblem } from './build-freshness';

const REBUILD = 'run the build';
// Fixed instants (seconds), never the wall clock.
const EARLY = 1_700_000_000;
const LATER = EARLY + 60;

async function project(): Promise<{ dir: string; output: string; source: string; nested: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'desk-freshness-'));
  await mkdir(join(dir, 'out'));
  await mkdir(join(dir, 'src', 'deep', 'er'), { recursive: true });
  const output = join(dir, 'out', 'index.js');
  const source = join(dir, 'src', 'index.ts');
  const nested = join(dir, 'src', 'deep', 'er', 'module.ts');
  for (const file of [output, source, nested]) await writeFile(file, '');
  await utimes(source, EARLY, EARLY);
  await utimes(nested, EARLY, EARLY);
  await utimes(output, LATER, LATER);
  return { dir, output, source, nested };
}

describe('telling a stale build', () => {
  it('accepts outputs built after every source', async () => {
    const { dir, output } = await project();
    expect(await staleBuildProblem([output], [join(dir, 'src')], REBUILD)).toBeNull();
  });

  it('names the output and the source file changed after it, however deep', async () => {
    const { dir, output, nested } = await project();
    await utimes(nested, LATER + 1, LATER + 1);
    const problem = await staleBuildProblem([output], [join(dir, 'src')], REBUILD);
    expect(problem).toContain(`${output} (built ${new Date(LATER * 1000).toISOString()}) is older than ${nested}`);
    expect(problem).toMatch(/stale build: run the build\.$/);
  });

  it('checks every output, and source files given by name', async () => {
    const { dir, output } = await project();
    const config = join(dir, 'vite.config.ts');
    await writeFile(config, '');
    await utimes(config, LATER + 1, LATER + 1);
    const problem = await staleBuildProblem([output], [join(dir, 'src'), config], REBUILD);
    expect(problem).toContain(`is older than ${config}`);

    const second = join(dir, 'out', 'preload.cjs');
    await writeFile(second, '');
    await utimes(second, EARLY - 1, EARLY - 1);
    expect(await staleBuildProblem([output, second], [join(dir, 'src')], REBUILD)).toContain(`${second} (built`);
  });

  it('reports a missing output', async () => {
    const { dir } = await project();
    const missing = join(dir, 'out', 'none.js');
    expect(await staleBuildProblem([missing], [join(dir, 'src')], REBUILD)).toBe(`${missing} is missing: run the build.`);
  });
});
