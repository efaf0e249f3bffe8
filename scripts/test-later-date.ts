/**
 * Part of `npm test`: the node-side suites (backend, host, main, tooling, simulator) and the
 * reliability suite once more with the wall clock moved 400 days ahead (Debian's `faketime`), so
 * a test that depends on the date fails the day it is written, not a week later.
 * Where `faketime` is missing: CI fails (it installs it); elsewhere the pass is skipped, saying why.
 */
import { spawnSync } from 'node:child_process';

const AHEAD = '+400 days';
const found = spawnSync('sh', ['-c', 'command -v faketime'], { encoding: 'utf8' });
if (found.status !== 0) {
  const reason = '`faketime` is not installed (Debian: apt-get install faketime), so the suites were not run 400 days ahead.';
  if (process.env.CI) {
    console.error(`test:later-date: ${reason}`);
    process.exit(1);
  }
  console.log(`test:later-date: skipped: ${reason}`);
  process.exit(0);
}
console.log(`test:later-date: the node-side and reliability suites with the clock at ${AHEAD}`);
// The crash rounds of the exactly-once test run in full in the first pass; three show the date here.
const env = { ...process.env, EXACTLY_ONCE_RUNS: process.env.EXACTLY_ONCE_RUNS ?? '3', EXACTLY_ONCE_ALIEXPRESS_RUNS: process.env.EXACTLY_ONCE_ALIEXPRESS_RUNS ?? '2' };
const run = spawnSync('faketime', [AHEAD, 'npx', 'vitest', 'run', '--project', 'node', '--project', 'reliability'], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
