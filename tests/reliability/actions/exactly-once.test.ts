import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../electron/simulator/random';
import { createSimulator } from '../../../electron/simulator/server';
import { childEnv, createTestSteadyClock } from '../../support/child-env';

const RUNS = Number(process.env.EXACTLY_ONCE_RUNS ?? 20);
const BATCH = 500;

interface Line {
  decided?: { batchId: string; done: number; items: string[] };
  delivered?: number;
  idle?: boolean;
  finished?: { pending: number; failed: unknown[] };
}

function run(args: string[], env: NodeJS.ProcessEnv): { lines: AsyncIterable<string>; kill(): void; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/decide-child.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { lines: createInterface({ input: child.stdout }), kill: () => child.kill('SIGKILL'), exited };
}

describe('exactly once through crashes', () => {
  it(`${RUNS} bulk refunds of ${BATCH}, each killed with SIGKILL at a random point: every refund reaches the marketplace once, none missing`, async () => {
    const seeds = Array.from({ length: RUNS }, (_, index) => 1_000 + index);
    console.log(`[exactly-once] seeds: ${seeds.join(', ')}`);
    for (const seed of seeds) {
      // Seeded, so a failing seed replays the same kill point.
      const random = mulberry32(seed);
      const clock = createTestSteadyClock();
      const simulator = await createSimulator({ seed, orders: 7_500, buyers: { active: false }, faults: { latencyMs: 1 }, clock });
      try {
        const dataDir = await mkdtemp(join(tmpdir(), `desk-once-${seed}-`));
        const first = run([dataDir, simulator.url, simulator.token, 'decide', String(BATCH)], childEnv(clock, seed));
        let decided: string[] = [];
        // Kill the moment the marketplace applies the K-th refund (K = 0: right after the decision).
        const killAt = Math.floor(random() * BATCH * 0.9);
        let applied = 0;
        const ledger = simulator.state.ledger;
        const push = ledger.push.bind(ledger);
        ledger.push = (...entries) => {
          applied += entries.filter((entry) => entry.action === 'accept').length;
          if (applied >= killAt && killAt > 0) first.kill();
          return push(...entries);
        };
        for await (const text of first.lines) {
          const line = JSON.parse(text) as Line;
          if (line.decided) {
            decided = line.decided.items;
            if (killAt === 0) break;
          }
          if (line.idle) break;
        }
        first.kill();
        await first.exited;
        ledger.push = push;
        const atKill = ledger.filter((entry) => entry.action === 'accept').length;
        console.log(`[exactly-once] seed ${seed}: killed at refund ${killAt}; ${atKill}/${decided.length} refunds applied when it died`);
        expect(decided.length, `seed ${seed}: requests decided`).toBeGreaterThanOrEqual(BATCH * 0.9);

        const second = run([dataDir, simulator.url, simulator.token, 'finish'], childEnv(clock, seed));
        let finished: Line['finished'];
        for await (const text of second.lines) {
          const line = JSON.parse(text) as Line;
          if (line.finished) finished = line.finished;
        }
        expect((await second.exited).code, `seed ${seed}: restart exit code`).toBe(0);
        expect(finished, `seed ${seed}`).toMatchObject({ pending: 0, failed: [] });

        const refunds = new Map<string, number>();
        for (const entry of simulator.state.ledger) {
          if (entry.action === 'accept') refunds.set(entry.requestId, (refunds.get(entry.requestId) ?? 0) + 1);
        }
        const missing = decided.filter((id) => refunds.get(id) !== 1);
        expect(missing, `seed ${seed}: requests without exactly one refund`).toEqual([]);
        expect(refunds.size, `seed ${seed}: refunds for requests never decided`).toBe(decided.length);
      } finally {
        await simulator.close();
      }
    }
  }, 900_000);
});
