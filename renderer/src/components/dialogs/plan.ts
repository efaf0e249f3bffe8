/** How the bulk plan dialog groups what it shows; pure, so it reads and tests without a DOM. */
import type { DecisionPlan, RecommendedPlan } from '../../../../shared/ipc/contract';
import { add, type Money } from '../../../../shared/money';

/**
 * What the plan dialog shows: a bulk plan of one action (with its totals), or a plan of what is
 * recommended (one group per action, each with its totals).
 */
export type ShownPlan = Pick<DecisionPlan, 'willDo' | 'skipped'> & {
  readonly items: ReadonlyArray<DecisionPlan['items'][number] | RecommendedPlan['items'][number]>;
  readonly totals?: DecisionPlan['totals'];
};

/** One action of a recommended plan, as the dialog lists it. */
export interface ActionGroup {
  readonly action: string;
  /** As a button would say it: "Accept and refund". */
  readonly title: string;
  readonly count: number;
  readonly totals: DecisionPlan['totals'];
}

/** Order ids listed per skip reason before "and N more". */
export const SKIPPED_IDS_SHOWN = 50;

export interface SkippedGroup {
  readonly code: string;
  /** Why, as the rules said it (each distinct sentence is its own group: one code can carry several). */
  readonly message: string;
  readonly count: number;
  /** The first SKIPPED_IDS_SHOWN order ids (the request id when the order is unknown). */
  readonly shownIds: readonly string[];
  /** How many more there are beyond `shownIds`. */
  readonly moreCount: number;
}

/**
 * The skipped items grouped by their reason's sentence (the same code may say different things:
 * "Parts missing" claims over KWD 15 and "Claimed counterfeit" over €50 are both proof_required),
 * most frequent first, in the plan's order within a group.
 */
export function groupSkipped(plan: Pick<ShownPlan, 'items'>, shown: number = SKIPPED_IDS_SHOWN): SkippedGroup[] {
  const groups = new Map<string, { code: string; message: string; ids: string[] }>();
  for (const item of plan.items) {
    if (item.status !== 'skipped') continue;
    const key = `${item.code}\n${item.message}`;
    const group = groups.get(key) ?? { code: item.code, message: item.message, ids: [] };
    group.ids.push(item.orderId ?? item.requestId);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => ({
      code: group.code,
      message: group.message,
      count: group.ids.length,
      shownIds: group.ids.slice(0, shown),
      moreCount: Math.max(0, group.ids.length - shown),
    }))
    .sort((a, b) => b.count - a.count || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

/** What a plan does in one store: how many requests, and the amounts per currency. */
export interface StoreTotals {
  /** Null for the requests whose store the desk could not tell. */
  readonly storeId: string | null;
  readonly name: string;
  readonly count: number;
  /** Per currency, by currency code. */
  readonly totals: DecisionPlan['totals'];
}

/**
 * The will-do items of a plan per store, each with its totals per currency (through the money
 * module: exact in minor units), stores by name (those not known last); `counted` says which items'
 * amounts add up (a recommended plan mixes refunds and offers: only refunds are totalled).
 */
export function totalsByStore(
  items: ShownPlan['items'],
  storeOf: ReadonlyMap<string, string>,
  nameOf: (storeId: string) => string,
  counted: (item: ShownPlan['items'][number]) => boolean = () => true,
): StoreTotals[] {
  const stores = new Map<string | null, { count: number; totals: Map<string, { amount: Money; count: number }> }>();
  for (const item of items) {
    if (item.status !== 'will_do') continue;
    const storeId = storeOf.get(item.requestId) ?? null;
    const store = stores.get(storeId) ?? { count: 0, totals: new Map<string, { amount: Money; count: number }>() };
    store.count += 1;
    if (item.amount !== null && counted(item)) {
      const current = store.totals.get(item.amount.currency);
      store.totals.set(item.amount.currency, { amount: current === undefined ? item.amount : add(current.amount, item.amount), count: (current?.count ?? 0) + 1 });
    }
    stores.set(storeId, store);
  }
  return [...stores.entries()]
    .map(([storeId, store]) => ({
      storeId,
      name: storeId === null ? 'Store not known' : nameOf(storeId),
      count: store.count,
      totals: [...store.totals.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([currency, total]) => ({ currency, amount: total.amount, count: total.count })),
    }))
    .sort((a, b) => (a.storeId === null ? 1 : b.storeId === null ? -1 : a.name.localeCompare(b.name)));
}
