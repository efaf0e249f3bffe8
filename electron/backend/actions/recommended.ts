import { toInstant } from '../../../shared/domain/time';
import { DeskError } from '../../../shared/errors';
import type { ChannelParsedInput, DecisionResult, RecommendedPlan } from '../../../shared/ipc/contract';
import { add, type Money } from '../../../shared/money';
import type { Policy } from '../../../shared/rules/policy';
import type { HistoryEntry } from '../../../shared/rules/recommend';
import { planRecommended as planRecommendedItems, type RecommendedGroup, type RecommendedItem } from '../../../shared/rules/recommended-plan';
import type { SellerActionType } from '../../../shared/rules/states';
import { recommendWithoutOrder } from '../../../shared/rules/without-order';
import type { CacheDb } from '../cache/db';
import { toRemoteRequest, type CachedRequest } from '../cache/records';
import {
  planTargets,
  recordDecisions,
  storeCapabilities,
  type DecisionDeps,
  type DecisionToRecord,
  type PlannedDecision,
  type SkippedDecision,
  storePolicy,
  type StoreCapabilities,
  type StorePolicy,
} from './decide';
import { buyerHistory } from './records';

/**
 * "Do what is recommended" (`.`): each request's own recommended action, with the parameters the
 * rules give it (shared/rules/recommended-plan.ts), planned at one instant from the cache and
 * decided like any other decision: one transaction, one batch that `z` undoes as a whole.
 */

/** One request of a recommended plan: what will be done and why, or why not. */
export type RecommendedDecision =
  | (Extract<PlannedDecision, { status: 'will_do' }> & { readonly why: string; readonly reasonCodes: readonly string[] })
  | SkippedDecision;

export interface RecommendedPlanning {
  /** One per distinct id, in the order the ids were given. */
  readonly items: readonly RecommendedDecision[];
  readonly groups: readonly RecommendedGroup[];
}

/**
 * Plans what is recommended for each request from the cache as it is, at `now`. Call it inside a
 * transaction over `requests`, `orders`, `quarantine` and `refunds`. A request whose order was set
 * aside at sync gets no recommendation (shared/rules/without-order.ts): it is skipped with why.
 */
export async function planRecommendedDecisions(
  db: CacheDb,
  requestIds: readonly string[],
  policy: StorePolicy,
  now: number,
  capabilities: StoreCapabilities,
): Promise<RecommendedPlanning> {
  const targets = await planTargets(db, requestIds);
  // The buyer's requests, read once per buyer however many of theirs are in the selection.
  const histories = new Map<string, HistoryEntry[]>();
  const items: Array<RecommendedDecision | undefined> = [];
  const candidates: Array<{ position: number; row: CachedRequest; item: RecommendedItem }> = [];
  for (const [position, target] of targets.entries()) {
    if (target.status === 'skipped') {
      items.push(target);
      continue;
    }
    const { row, order, setAside } = target;
    if (order === undefined || setAside !== undefined) {
      items.push(withoutOrder(row, policy(row.storeId), now, { reason: setAside?.reason ?? '', cachedVersion: order?.version ?? null }));
      continue;
    }
    let history = histories.get(order.buyer.id);
    if (history === undefined) {
      // Every request of the buyer: the rules leave out the one they recommend for.
      history = await buyerHistory(db, order, '');
      histories.set(order.buyer.id, history);
    }
    candidates.push({ position, row, item: { order, request: toRemoteRequest(row), history, capabilities: capabilities(row.storeId), policy: policy(row.storeId) } });
    items.push(undefined);
  }
  const plan = planRecommendedItems(
    candidates.map((candidate) => candidate.item),
    candidates[0]?.item.policy ?? policy(''),
    now,
  );
  for (const planned of plan.items) {
    const candidate = candidates[planned.index];
    if (candidate === undefined) continue;
    const { row } = candidate;
    items[candidate.position] =
      planned.status === 'skipped'
        ? { status: 'skipped', requestId: row.id, orderId: row.orderId, code: planned.code, message: planned.message }
        : {
            status: 'will_do',
            row,
            plan: planned.plan,
            amount: planned.amount,
            why: planned.reasons[0]?.message ?? '',
            reasonCodes: planned.reasons.map((reason) => reason.code),
          };
  }
  return { items: items.filter((item) => item !== undefined), groups: plan.groups };
}

/** No recommendation without the order: the skip says which order and why it was set aside. */
function withoutOrder(row: CachedRequest, policy: Policy, now: number, setAside: { reason: string; cachedVersion: number | null }): SkippedDecision {
  try {
    const [first] = recommendWithoutOrder(toRemoteRequest(row), policy, now, setAside).reasons;
    return { status: 'skipped', requestId: row.id, orderId: row.orderId, code: 'order_set_aside', message: first?.message ?? `Order ${row.orderId} was set aside at sync.` };
  } catch (error) {
    if (error instanceof DeskError) return { status: 'skipped', requestId: row.id, orderId: row.orderId, code: 'invalid_input', message: error.message };
    throw error;
  }
}

/** What `decideRecommended` would do now, with nothing written: the plan the seller confirms. */
export async function planRecommended(deps: Pick<DecisionDeps, 'db' | 'clock' | 'policy' | 'storePolicy' | 'capabilities'>, requestIds: readonly string[]): Promise<RecommendedPlan> {
  const { db } = deps;
  const now = deps.clock.now();
  const policy = storePolicy(deps);
  const capabilities = storeCapabilities(deps);
  const planning = await db.transaction('r', [db.requests, db.orders, db.quarantine, db.refunds], async () => {
    // Awaited inside an async scope: handed back as a bare promise, the buyers' history reads
    // (async functions two levels down) ran after Dexie had committed (PrematureCommitError).
    const planned = await planRecommendedDecisions(db, requestIds, policy, now, capabilities);
    return planned;
  });
  const items = planning.items.map((item): RecommendedPlan['items'][number] =>
    item.status === 'will_do'
      ? {
          requestId: item.row.id,
          orderId: item.row.orderId,
          status: 'will_do',
          action: item.plan.action.type,
          amount: item.amount,
          summary: item.plan.summary,
          why: item.why,
        }
      : { requestId: item.requestId, orderId: item.orderId, status: 'skipped', code: item.code, message: item.message },
  );
  const willDo = items.filter((item) => item.status === 'will_do').length;
  return {
    evaluatedAt: toInstant(now),
    willDo,
    skipped: items.length - willDo,
    items,
    groups: planning.groups.map((group) => ({ action: group.action, count: group.count, totals: group.totals.map((total) => ({ ...total })) })),
  };
}

const ACTION_WORDS: Readonly<Record<SellerActionType, string>> = {
  accept: 'accept',
  refuse: 'refuse',
  request_proof: 'ask for proof',
  offer: 'make an offer',
  escalate: 'escalate',
};

/**
 * Decides the confirmed recommendations: planned again at this instant (what is sent is what the
 * rules allow now), each request's recommended action filled in and recorded in ONE batch. A
 * request whose recommendation is no longer the action the plan showed is skipped, never decided
 * otherwise.
 */
export async function decideRecommended(deps: DecisionDeps, items: ChannelParsedInput<'decisions.decideRecommended'>['items']): Promise<DecisionResult> {
  const capabilities = storeCapabilities(deps);
  const expected = new Map<string, SellerActionType>();
  for (const item of items) if (!expected.has(item.requestId)) expected.set(item.requestId, item.action);
  return recordDecisions(deps, 'recommended', async (policy, now) => {
    const planning = await planRecommendedDecisions(deps.db, [...expected.keys()], policy, now, capabilities);
    const totals = new Map<string, { amount: Money; count: number }>();
    const decided = planning.items.map((item): DecisionToRecord => {
      if (item.status === 'skipped') return item;
      const shown = expected.get(item.row.id);
      const recommended = item.plan.action.type;
      if (shown !== recommended) {
        return {
          status: 'skipped',
          requestId: item.row.id,
          orderId: item.row.orderId,
          code: 'recommendation_changed',
          message: `The recommendation changed since the plan: it is now to ${ACTION_WORDS[recommended]}, not to ${ACTION_WORDS[shown ?? recommended]}. Look at this request again.`,
        };
      }
      // The result's totals are what will be refunded: an offer is only a proposal to the buyer.
      if (item.amount !== null && recommended === 'accept') {
        const total = totals.get(item.amount.currency);
        totals.set(item.amount.currency, { amount: total === undefined ? item.amount : add(total.amount, item.amount), count: (total?.count ?? 0) + 1 });
      }
      const { type: _type, ...params } = item.plan.action;
      return {
        status: 'will_do',
        row: item.row,
        plan: item.plan,
        amount: item.amount,
        // What is kept to decide again on a retry: the recommendation as it was filled in.
        decision: item.plan.action,
        auditParams: { ...params, recommended: true, reasons: item.reasonCodes },
      };
    });
    return {
      items: decided,
      totals: [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([currency, total]) => ({ currency, amount: total.amount, count: total.count })),
    };
  });
}
