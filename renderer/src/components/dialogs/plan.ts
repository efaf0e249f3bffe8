/** How the bulk plan dialog groups what it shows; pure, so it reads and tests without a DOM. */
import type { DecisionPlan } from '../../../../shared/ipc/contract';

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
export function groupSkipped(plan: DecisionPlan, shown: number = SKIPPED_IDS_SHOWN): SkippedGroup[] {
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
