import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../electron/simulator/random';
import { childEnv, slowDiskEnv, startSteadyMarketplace } from '../../support/child-env';

const RUNS = Number(process.env.EXACTLY_ONCE_RUNS ?? 20);
const BATCH = 500;

interface Line {
  decided?: { done: number; items: string[] };
  delivered?: number;
  idle?: boolean;
  finished?: { pending: number; failed: unknown[]; unknown: unknown[]; conflicts: number };
  known?: { accepted: string[]; audited: string[] };
}

/**
 * Exactly-once must not lean on the marketplace: runs cycle through a marketplace that honours
 * Idempotency-Key, one that ignores it (as most do), and one that ignores it and loses one answer
 * in ten after applying the action (the dispatcher must read the outcome, never resend blindly).
 */
const MODES = [
  { name: 'keys honoured', idempotencyKeys: 'honour', lostAnswerRate: 0 },
  { name: 'keys ignored', idempotencyKeys: 'ignore', lostAnswerRate: 0 },
  { name: 'keys ignored, 10 % of answers lost', idempotencyKeys: 'ignore', lostAnswerRate: 0.1 },
] as const;

/** One run in four has a slow disk (each fsync 25 ms later): a wide window between commit and disk. */
const SLOW_FSYNC_MS = 25;

function run(args: string[], env: NodeJS.ProcessEnv): { lines: AsyncIterable<string>; kill(): void; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/decide-child.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { lines: createInterface({ input: child.stdout }), kill: () => child.kill('SIGKILL'), exited };
}

describe('exactly once through crashes', () => {
  it(`${RUNS} bulk refunds of ${BATCH}, each killed with SIGKILL at a random point (some on a slow disk; keys honoured, ignored, or ignored with lost answers): every refund reaches the marketplace once, none missing, none unrecorded`, async () => {
    const seeds = Array.from({ length: RUNS }, (_, index) => 1_000 + index);
    console.log(`[exactly-once] seeds: ${seeds.join(', ')}`);
    for (const seed of seeds) {
      // Seeded, so a failing seed replays the same kill point.
      const random = mulberry32(seed);
      const mode = MODES[seed % MODES.length] ?? MODES[0];
      const { clock, simulator } = await startSteadyMarketplace({
        seed,
        orders: 7_500,
        faults: { latencyMs: 1, lostAnswerRate: mode.lostAnswerRate },
        idempotencyKeys: mode.idempotencyKeys,
      });
      try {
        const dataDir = await mkdtemp(join(tmpdir(), `desk-once-${seed}-`));
        const slowDisk = seed % 4 === 1;
        // Read as each child starts, so its clock starts where the marketplace's is then.
        const env = (): NodeJS.ProcessEnv => (slowDisk ? slowDiskEnv(childEnv(clock, seed), SLOW_FSYNC_MS) : childEnv(clock, seed));
        const first = run([dataDir, simulator.url, simulator.token, 'decide', String(BATCH)], env());
        let decided: string[] = [];
        let decidedSeen = false;
        // Kill the moment the marketplace applies the K-th refund (K = 0: right after the decision).
        // The child decides in chunks of 50 while it delivers: on a slow disk a chunk spends 25 ms
        // committed in memory but not on disk, and a kill there loses it, if anything of it was sent.
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
            decidedSeen = true;
            if (killAt === 0) break;
          }
          if (line.idle) break;
        }
        first.kill();
        await first.exited;
        ledger.push = push;
        const atKill = ledger.filter((entry) => entry.action === 'accept').length;
        const disk = slowDisk ? `slow disk (+${SLOW_FSYNC_MS} ms per fsync)` : 'disk';
        console.log(`[exactly-once] seed ${seed}, ${mode.name}, ${disk}: killed at refund ${killAt}; ${atKill} refunds applied when it died, ${decidedSeen ? decided.length : 'no'} decisions answered`);
        // A kill may land before every chunk was decided; then the restarted app knows what was durable.
        if (decidedSeen) expect(decided.length, `seed ${seed}: requests decided`).toBeGreaterThanOrEqual(BATCH * 0.9);

        const second = run([dataDir, simulator.url, simulator.token, 'finish'], env());
        let finished: Line['finished'];
        let known: Line['known'];
        for await (const text of second.lines) {
          const line = JSON.parse(text) as Line;
          if (line.finished) ({ finished, known } = line);
        }
        expect((await second.exited).code, `seed ${seed}: restart exit code`).toBe(0);
        // Nothing left for the seller to check either (the demo's history always tells), and no
        // conflict: an applied action sent again blindly would come back as a version conflict.
        expect(
          { pending: finished?.pending, failed: finished?.failed, unknown: finished?.unknown, conflicts: finished?.conflicts },
          `seed ${seed}: after the restart ${JSON.stringify(finished)}`,
        ).toEqual({ pending: 0, failed: [], unknown: [], conflicts: 0 });

        const refunds = new Map<string, number>();
        for (const entry of simulator.state.ledger) {
          if (entry.action === 'accept') refunds.set(entry.requestId, (refunds.get(entry.requestId) ?? 0) + 1);
        }
        // Nothing sent unrecorded: every refund the marketplace applied has its decision's outbox
        // entry and audit entry in the restarted app.
        const accepted = new Set(known?.accepted ?? []);
        const audited = new Set(known?.audited ?? []);
        const unrecorded = [...refunds.keys()].filter((id) => !accepted.has(id) || !audited.has(id));
        expect(unrecorded, `seed ${seed}: refunds the restarted app has no decision for`).toEqual([]);
        expect([...refunds].filter(([, count]) => count !== 1), `seed ${seed}: requests refunded more than once`).toEqual([]);
        if (decidedSeen) {
          const missing = decided.filter((id) => refunds.get(id) !== 1);
          expect(missing, `seed ${seed}: requests without exactly one refund`).toEqual([]);
          expect(refunds.size, `seed ${seed}: refunds for requests never decided`).toBe(decided.length);
        } else {
          // Not answered before the kill: what was durable is delivered after the restart, once.
          expect(refunds.size, `seed ${seed}: refunds after the restart`).toBe(accepted.size);
        }
      } finally {
        await simulator.close();
      }
    }
  }, 900_000);
});
