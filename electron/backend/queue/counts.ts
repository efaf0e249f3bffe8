import Dexie from 'dexie';
import { VIEW_IDS, type StateViewId, type ViewId } from '../../../shared/domain/views';
import type { ViewCounts } from '../../../shared/ipc/contract';
import type { CacheDb } from '../cache/db';

/** A change to one request's view: `before` undefined when it is new. */
export interface ViewMove {
  before: StateViewId | undefined;
  after: StateViewId;
}

/**
 * Counts per view, kept in memory and moved with every committed write, so reading them never
 * scans the cache (design.md §4: count() walks the index).
 */
export class ViewCounter {
  private readonly counts = new Map<ViewId, number>(VIEW_IDS.map((view) => [view, 0]));

  /** Counts once, from the index, when the cache has loaded. */
  async initialise(db: CacheDb): Promise<void> {
    const stateViews = VIEW_IDS.filter((view): view is StateViewId => view !== 'all' && view !== 'conflicts');
    const counted = await Promise.all(
      stateViews.map((view) => db.requests.where('[view+respondBy+id]').between([view, Dexie.minKey, Dexie.minKey], [view, Dexie.maxKey, Dexie.maxKey]).count()),
    );
    for (const view of VIEW_IDS) this.counts.set(view, 0);
    stateViews.forEach((view, index) => this.counts.set(view, counted[index] ?? 0));
    this.counts.set('all', counted.reduce((sum, count) => sum + count, 0));
  }

  apply(moves: readonly ViewMove[]): void {
    for (const { before, after } of moves) {
      if (before === after) continue;
      if (before === undefined) this.bump('all', 1);
      else this.bump(before, -1);
      this.bump(after, 1);
    }
  }

  setConflicts(count: number): void {
    this.counts.set('conflicts', count);
  }

  get(view: ViewId): number {
    return this.counts.get(view) ?? 0;
  }

  snapshot(): ViewCounts {
    const result: Partial<Record<ViewId, number>> = {};
    for (const view of VIEW_IDS) result[view] = this.get(view);
    return result as ViewCounts;
  }

  private bump(view: ViewId, delta: number): void {
    this.counts.set(view, this.get(view) + delta);
  }
}
