// Runs electronegativity's API over one folder and prints its findings as one JSON line.
// Electronegativity fetches translations and Electron's release list from the internet; both are
// stubbed out here (this machine and CI are offline, and a test must not reach out anyway): the
// `got` HTTP client it uses is replaced by one that refuses at once.
//
// Usage: node scan.mjs <folder> <electron version> <excluded check,...>
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Module = require('node:module');
const originalLoad = Module._load;
const refuse = () => Promise.reject(new Error('network access is disabled for this scan'));
refuse.head = refuse;
refuse.get = refuse;
Module._load = function load(request, parent, isMain) {
  if (request === 'got') return refuse;
  return originalLoad.call(this, request, parent, isMain);
};

const [input, electronVersion, excluded = ''] = process.argv.slice(2);
const run = require('@doyensec/electronegativity/dist/runner.js');
// Its messages about the refused downloads go to stdout; keep stdout for the result alone.
const log = console.log;
console.log = (...args) => console.error(...args);
const result = await run(
  {
    input,
    customScan: [],
    excludeFromScan: excluded.split(',').filter(Boolean),
    electronVersionOverride: electronVersion,
    isRelative: true,
    parserPlugins: [],
  },
  false,
);
log(
  JSON.stringify({
    checks: result.globalChecks + result.atomicChecks,
    errors: result.errors,
    issues: result.issues.map((issue) => ({
      id: issue.id,
      file: issue.file,
      line: issue.location?.line ?? 0,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      manualReview: issue.manualReview === true,
      description: issue.description,
    })),
  }),
);
