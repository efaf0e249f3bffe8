/**
 * Part of `npm test`, after the unit run: the line coverage of each scope (shared/, electron/,
 * renderer/), summed from the run's json-summary, beside the floor vitest.config.mts holds it to.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { z } from 'zod';

const SUMMARY = resolve(process.argv[2] ?? 'node_modules/.tmp/coverage/coverage-summary.json');
const Counts = z.object({ total: z.number(), covered: z.number() });
const Summary = z.record(z.string(), z.object({ lines: Counts }));
const SCOPES = ['shared/', 'electron/', 'renderer/'] as const;

const summary = Summary.parse(JSON.parse(readFileSync(SUMMARY, 'utf8')));
const totals = new Map(SCOPES.map((scope) => [scope, { total: 0, covered: 0, files: 0 }]));
for (const [file, { lines }] of Object.entries(summary)) {
  if (file === 'total') continue;
  const path = relative(process.cwd(), file).replaceAll('\\', '/');
  const scope = SCOPES.find((prefix) => path.startsWith(prefix));
  const sum = scope === undefined ? undefined : totals.get(scope);
  if (sum === undefined) continue;
  sum.total += lines.total;
  sum.covered += lines.covered;
  sum.files += 1;
}
console.log('Line coverage by scope:');
for (const [scope, sum] of totals) {
  const percent = sum.total === 0 ? 0 : (100 * sum.covered) / sum.total;
  console.log(`  ${scope.padEnd(10)} ${percent.toFixed(2).padStart(6)} %  (${sum.covered} of ${sum.total} lines, ${sum.files} files)`);
}
