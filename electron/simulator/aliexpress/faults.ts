import { z } from 'zod';
import { Rng } from '../random';

/**
 * What a hostile gateway does to the connector, from a seeded PRNG so that a run replays:
 * - `apiCallLimit`: share of calls refused with ApiCallLimit (nothing applied);
 * - `callsPerSecond`: a real throttle: the call over the limit within one second is refused with
 *   ApiCallLimit and so is every call for the next second ("this ban will last 1 seconds");
 * - `errorRate`: share of calls answered with an ISP or SYSTEM error (nothing applied);
 * - `lostAnswerRate`: share of calls handled in full (applied) whose connection is then destroyed
 *   without an answer.
 * Token calls are spared the lost answer (a spent code would lock the demo out for good).
 * `lostAnswerScope: 'actions'` loses only the answers of the seller's actions (the calls that
 * change something), so a connector that reads before it acts meets the loss where it matters.
 */

/** The calls that change something at the platform: the seller's actions. */
export const ACTION_APIS: ReadonlySet<string> = new Set([
  'aliexpress.trade.seller.order.acceptcancel',
  'aliexpress.trade.seller.order.refusecancel',
  'aliexpress.issue.solution.agree',
  'aliexpress.issue.solution.save',
  'aliexpress.issue.image.upload',
  'aliexpress/message/send',
]);

const Rate = z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1');

export const SandboxFaultsSchema = z.strictObject({
  lostAnswerRate: Rate.default(0),
  lostAnswerScope: z.enum(['all', 'actions']).default('all'),
  errorRate: Rate.default(0),
  apiCallLimit: Rate.default(0),
  /** 0 turns the throttle off. */
  callsPerSecond: z.number().int().min(0).max(1_000_000).default(0),
});
export type SandboxFaults = z.output<typeof SandboxFaultsSchema>;
export type SandboxFaultsInput = z.input<typeof SandboxFaultsSchema>;

export type CallFault = 'none' | 'api_call_limit' | 'isp_error' | 'system_error';

export class FaultPlan {
  private config: SandboxFaults;
  private readonly rng: Rng;
  private readonly lostRng: Rng;
  private recent: number[] = [];
  private bannedUntil = Number.NEGATIVE_INFINITY;

  constructor(seed: number, initial: SandboxFaults) {
    this.config = initial;
    this.rng = new Rng((seed ^ 0xae_fa17) >>> 0);
    this.lostRng = new Rng((seed ^ 0xae_1057) >>> 0);
  }

  get current(): SandboxFaults {
    return this.config;
  }

  set(config: SandboxFaults): void {
    this.config = config;
    this.recent = [];
    this.bannedUntil = Number.NEGATIVE_INFINITY;
  }

  /** True when the throttle refuses a call made at `nowMs` (network time). */
  throttled(nowMs: number): boolean {
    const limit = this.config.callsPerSecond;
    if (limit <= 0) return false;
    if (nowMs < this.bannedUntil) return true;
    this.recent = this.recent.filter((at) => at > nowMs - 1000);
    if (this.recent.length >= limit) {
      this.bannedUntil = nowMs + 1000;
      return true;
    }
    this.recent.push(nowMs);
    return false;
  }

  /** What happens to one call before it is handled. Always draws the same count. */
  beforeCall(): CallFault {
    const limited = this.rng.float();
    const error = this.rng.float();
    const kind = this.rng.float();
    if (limited < this.config.apiCallLimit) return 'api_call_limit';
    if (error < this.config.errorRate) return kind < 0.5 ? 'isp_error' : 'system_error';
    return 'none';
  }

  /** Whether a handled call's answer is lost (always one draw, whatever the scope, so runs replay). */
  loseAnswer(api: string): boolean {
    const lost = this.lostRng.float() < this.config.lostAnswerRate;
    return lost && (this.config.lostAnswerScope === 'all' || ACTION_APIS.has(api.replace(/^\//, '')));
  }
}
