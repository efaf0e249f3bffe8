import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { signedInAliExpressCredentials } from '../../../electron/backend/stores/aliexpress/credentials';
import { createAliExpressSandbox } from '../../../electron/simulator/aliexpress/server';
import { mulberry32 } from '../../../electron/simulator/random';
import { childEnv, createTestSteadyClock } from '../../support/child-env';
import { TEST_START_MS } from '../../support/start';

const RUNS = Number(process.env.EXACTLY_ONCE_ALIEXPRESS_RUNS ?? 6);
const BATCH = 200;

interface Line {
  decided?: { done: number; items: string[] };
  idle?: boolean;
  finished?: { pending: number; failed: unknown[]; unknown: unknown[]; conflicts: number };
  known?: { accepted: string[]; audited: string[] };
}

function run(args: string[], env: NodeJS.ProcessEnv): { lines: AsyncIterable<string>; kill(): void; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/decide-child.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, DESK_TEST_ALIEXPRESS: '1' } });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { lines: createInterface({ input: child.stdout }), kill: () => child.kill('SIGKILL'), exited };
}

const ACCEPT = 'aliexpress.trade.seller.order.acceptcancel';

/**
 * The kill -9 test of exactly-once against the AliExpress sandbox, which has no idempotency keys:
 * bulk accepts of cancellations, the app killed when the sandbox applies the K-th, every other run
 * with one action answer in ten lost after it was applied. After a restart every cancellation is
 * refunded once, none is missing, and every refund has its decision in the restarted app.
 */
describe('exactly once through crashes, on AliExpress (no idempotency keys)', () => {
  it(`${RUNS} bulk accepts of ${BATCH} cancellations, each killed with SIGKILL at a random point: every refund once, none missing, none unrecorded`, async () => {
    const seeds = Array.from({ length: RUNS }, (_, index) => 2_000 + index);
    console.log(`[exactly-once-aliexpress] seeds: ${seeds.join(', ')}`);
    for (const seed of seeds) {
      const random = mulberry32(seed);
      const lostAnswers = seed % 2 === 1;
      const clock = createTestSteadyClock();
      const sandbox = await createAliExpressSandbox({ seed, orders: 1_500, clock, startMs: TEST_START_MS });
      try {
        if (lostAnswers) sandbox.setFaults({ lostAnswerRate: 0.1, lostAnswerScope: 'actions' });
        const credentials = signedInAliExpressCredentials({ appKey: sandbox.appKey, appSecret: sandbox.appSecret, ...sandbox.grant() });
        const dataDir = await mkdtemp(join(tmpdir(), `desk-once-ae-${seed}-`));
        const first = run([dataDir, sandbox.url, credentials, 'decide', String(BATCH)], childEnv(clock, seed));
        const killAt = Math.floor(random() * BATCH * 0.9);
        const ledger = sandbox.state.ledger;
        const push = ledger.push.bind(ledger);
        let applied = 0;
        ledger.push = (...entries) => {
          applied += entries.filter((entry) => entry.api === ACCEPT && entry.kind === 'seller_action').length;
          if (applied >= killAt && killAt > 0) first.kill();
          return push(...entries);
        };
        let decided: string[] = [];
        let decidedSeen = false;
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
        const refundsOf = () => {
          const refunds = new Map<string, number>();
          for (const entry of sandbox.state.ledger) if (entry.kind === 'refund' && entry.api === ACCEPT) refunds.set(`cancel-${entry.orderId}`, (refunds.get(`cancel-${entry.orderId}`) ?? 0) + 1);
          return refunds;
        };
        console.log(`[exactly-once-aliexpress] seed ${seed}, ${lostAnswers ? '10 % of action answers lost' : 'answers kept'}: killed at refund ${killAt}; ${refundsOf().size} refunds applied when it died, ${decidedSeen ? decided.length : 'no'} decisions answered`);
        if (decidedSeen) expect(decided.length, `seed ${seed}: cancellations decided`).toBeGreaterThanOrEqual(Math.min(BATCH, 100));

        // The restart: no lost answers now, so what is left is delivered and read back.
        sandbox.setFaults({});
        const second = run([dataDir, sandbox.url, credentials, 'finish'], childEnv(clock, seed));
        let finished: Line['finished'];
        let known: Line['known'];
        for await (const text of second.lines) {
          const line = JSON.parse(text) as Line;
          if (line.finished) ({ finished, known } = line);
        }
        expect((await second.exited).code, `seed ${seed}: restart exit code`).toBe(0);
        expect(
          { pending: finished?.pending, failed: finished?.failed, unknown: finished?.unknown, conflicts: finished?.conflicts },
          `seed ${seed}: after the restart ${JSON.stringify(finished)}`,
        ).toEqual({ pending: 0, failed: [], unknown: [], conflicts: 0 });
        const refunds = refundsOf();
        const accepted = new Set(known?.accepted ?? []);
        const audited = new Set(known?.audited ?? []);
        expect([...refunds.keys()].filter((id) => !accepted.has(id) || !audited.has(id)), `seed ${seed}: refunds the restarted app has no decision for`).toEqual([]);
        expect([...refunds].filter(([, count]) => count !== 1), `seed ${seed}: cancellations refunded more than once`).toEqual([]);
        if (decidedSeen) {
          expect(decided.filter((id) => refunds.get(id) !== 1), `seed ${seed}: cancellations without exactly one refund`).toEqual([]);
          expect(refunds.size, `seed ${seed}: refunds for cancellations never decided`).toBe(decided.length);
        } else {
          expect(refunds.size, `seed ${seed}: refunds after the restart`).toBe(accepted.size);
        }
      } finally {
        await sandbox.close();
      }
    }
  }, 900_000);
});
