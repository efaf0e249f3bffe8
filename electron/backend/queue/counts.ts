import { VIEW_IDS, type StateViewId, type ViewId } from '../../../shared/domain/views';
import type { ViewCounts } from '../../../shared/ipc/contract';
import type { CachedRequest } from '../cache/records';
import type { QueueIndex } from './memory-index';

/** A committed change to one request: its view before (undefined when new) and its row now. */
export interface ViewMove {
  before: StateViewId | undefined;
  after: StateViewId;
  row: CachedRequest;
}

/**
 * Counts per view, kept in memory and moved with every committed write, so reading them never
 * scans the cache (design.md §4: count() walks the index).
 */
export class ViewCounter {
  private readonly counts = new Map<ViewId, number>(VIEW_IDS.map((view) => [view, 0]));
  /**
   * "Buyer replied" follows a row's flag, not its view, which a move does not carry: it is counted
   * by the queue's in-memory order of flagged rows, moved by the same committed writes (its size).
   */
  private index: QueueIndex | null = null;

  /** Counts once, from the queue's in-memory orders, when the cache has loaded. */
  initialise(index: QueueIndex): void {
    this.index = index;
    for (const view of VIEW_IDS) this.counts.set(view, view === 'conflicts' ? 0 : index.size(view));
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
    if (view === 'buyer_replied' && this.index !== null) return this.index.size('buyer_replied');
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
