import { z } from 'zod';
import type { Clock } from '../../shared/domain/time';
import { Rng } from './random';

/**
 * Fault injection for the /v1 API (health excepted): what a hostile network and an overloaded
 * marketplace do to a client. Every decision comes from a seeded PRNG, so a run replays.
 */

const Rate = z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1');

export const FaultConfigSchema = z.strictObject({
  /** Share of calls answered 500 or 503 (half each) without doing anything. */
  errorRate: Rate.default(0),
  /** Delay before each call is handled, in ms of the network clock. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Share of calls answered 429 with Retry-After. */
  rate429: Rate.default(0),
  /** The Retry-After (seconds) sent with 429 and 503. */
  retryAfterSeconds: z.number().int().min(0).max(3_600).default(1),
  /**
   * Share of calls whose connection is destroyed without an answer: half before handling, half
   * after (an action is then applied although the client never hears so).
   */
  dropRate: Rate.default(0),
  /**
   * Share of seller action calls (POST /v1/requests/:id/<action>) handled in full (applied, when
   * the marketplace accepts them) whose connection is then destroyed before the answer leaves:
   * the client sees a reset and must find out by reading whether its action took.
   */
  lostAnswerRate: Rate.default(0),
  /** Share of list pages that repeat items the client already had. */
  duplicateRate: Rate.default(0),
  /** Share of list pages whose items come shuffled (nextCursor still follows the feed). */
  reorderRate: Rate.default(0),
  /** Share of accepted refunds the platform fails to pay out (the seller may retry them). */
  refundFailRate: Rate.default(0),
});
export type FaultConfig = z.output<typeof FaultConfigSchema>;
export type FaultConfigInput = z.input<typeof FaultConfigSchema>;

export const NO_FAULTS: FaultConfig = FaultConfigSchema.parse({});

/** Names accepted by `--faults name=value,...` and what they set. */
const SPEC_NAMES: Readonly<Record<string, keyof FaultConfig>> = {
  error: 'errorRate',
  latency: 'latencyMs',
  rate429: 'rate429',
  retryAfter: 'retryAfterSeconds',
  drop: 'dropRate',
  lostAnswer: 'lostAnswerRate',
  duplicate: 'duplicateRate',
  reorder: 'reorderRate',
  refundFail: 'refundFailRate',
};

/**
 * Parses `error=0.2,latency=50,rate429=0.1` into a config. Throws a RangeError naming the bad
 * entry.
 */
export function parseFaultSpec(spec: string): FaultConfig {
  const input: Record<string, number> = {};
  for (const part of spec.split(',').map((text) => text.trim()).filter((text) => text !== '')) {
    const match = /^([A-Za-z0-9]+)=(-?\d+(?:\.\d+)?)$/.exec(part);
    if (match === null) throw new RangeError(`Fault "${part}" is not name=number.`);
    const field = SPEC_NAMES[match[1] as string];
    if (field === undefined) {
      throw new RangeError(`Unknown fault "${match[1]}"; known: ${Object.keys(SPEC_NAMES).join(', ')}.`);
    }
    input[field] = Number(match[2]);
  }
  const parsed = FaultConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '?');
    const name = Object.entries(SPEC_NAMES).find(([, value]) => value === field)?.[0] ?? field;
    throw new RangeError(`Fault "${name}" ${issue?.message ?? 'is invalid'}.`);
  }
  return parsed.data;
}

export type CallFault =
  | { readonly kind: 'none' }
  | { readonly kind: 'drop_before' }
  | { readonly kind: 'drop_after' }
  | { readonly kind: 'lost_answer' }
  | { readonly kind: 'status'; readonly status: 429 | 500 | 503 };

export interface PageFault {
  /** Items from just before the page start served again (0 = none). */
  readonly overlap: number;
  /** nextCursor points back at this same page, so the client is served it twice. */
  readonly replay: boolean;
  readonly reorder: boolean;
}

/** What a call is, for the faults that only hit some calls. */
export type CallTarget = 'action' | 'other';

export class FaultInjector {
  private config: FaultConfig;
  private readonly rng: Rng;
  /**
   * Lost answers draw from their own stream: adding the fault left the main stream's draws,
   * and so every seeded run recorded before it, unchanged.
   */
  private readonly lostAnswerRng: Rng;

  constructor(
    seed: number,
    initial: FaultConfig,
    private readonly networkClock: Clock,
  ) {
    this.config = initial;
    this.rng = new Rng((seed ^ 0x5eed_fa17) >>> 0);
    this.lostAnswerRng = new Rng((seed ^ 0x1057_a45e) >>> 0);
  }

  get current(): FaultConfig {
    return this.config;
  }

  set(config: FaultConfig): void {
    this.config = config;
  }

  /**
   * Decides what happens to one call. Always draws the same count for a target, so runs stay
   * aligned.
   */
  decideCall(target: CallTarget = 'other'): CallFault {
    const drop = this.rng.float();
    const dropWhen = this.rng.float();
    const limited = this.rng.float();
    const error = this.rng.float();
    const errorKind = this.rng.float();
    const lost = target === 'action' ? this.lostAnswerRng.float() : 1;
    if (drop < this.config.dropRate) return { kind: dropWhen < 0.5 ? 'drop_before' : 'drop_after' };
    if (limited < this.config.rate429) return { kind: 'status', status: 429 };
    if (error < this.config.errorRate) return { kind: 'status', status: errorKind < 0.5 ? 500 : 503 };
    if (lost < this.config.lostAnswerRate) return { kind: 'lost_answer' };
    return { kind: 'none' };
  }

  decidePage(limit: number): PageFault {
    const duplicate = this.rng.float();
    const mode = this.rng.float();
    const size = this.rng.float();
    const reorder = this.rng.float();
    const duplicated = duplicate < this.config.duplicateRate;
    return {
      overlap: duplicated && mode < 0.5 ? 1 + Math.floor(size * Math.min(limit, 10)) : 0,
      replay: duplicated && mode >= 0.5,
      reorder: reorder < this.config.reorderRate,
    };
  }

  shuffle<T>(items: readonly T[]): T[] {
    return this.rng.shuffled(items);
  }

  /** Waits the configured latency on the network clock (resolves at once when 0). */
  delay(): Promise<void> {
    const latency = this.config.latencyMs;
    if (latency <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.networkClock.setTimer(latency, resolve);
    });
  }
}
