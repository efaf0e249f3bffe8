import type { RequestState } from './request';

/** The queue's views (design.md §8), in the order the sidebar shows them. */
export const VIEW_IDS = [
  'needs_reply',
  'buyer_replied',
  'proof_requested',
  'proof_in',
  'offers',
  'escalated',
  'conflicts',
  'done',
  'all',
] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export const VIEW_TITLES: Readonly<Record<ViewId, string>> = {
  needs_reply: 'Needs reply',
  buyer_replied: 'Buyer replied',
  proof_requested: 'Proof requested',
  proof_in: 'Proof in',
  offers: 'Offers',
  escalated: 'Escalated',
  conflicts: 'Conflicts',
  done: 'Done',
  all: 'All',
};

/**
 * The one state-driven view a request lives in. 'conflicts', 'buyer_replied' and 'all' are
 * overlays: a request in them stays in its state view too ("Needs reply" and "Buyer replied").
 */
export type StateViewId = Exclude<ViewId, OverlayViewId>;

/** Views a request is in besides its state view. */
export type OverlayViewId = 'conflicts' | 'buyer_replied' | 'all';

export function viewOfState(state: RequestState): StateViewId {
  switch (state) {
    case 'requested':
    case 'refused_by_buyer':
      return 'needs_reply';
    case 'proof_requested':
      return 'proof_requested';
    case 'proof_submitted':
      return 'proof_in';
    case 'offer_made':
      return 'offers';
    case 'escalated':
      return 'escalated';
    case 'accepted':
    case 'refunded':
    case 'refused':
    case 'withdrawn':
    case 'auto_accepted':
    case 'closed_by_platform':
      return 'done';
    default:
      return missingCase(state);
  }
}

/** Exhaustiveness guard for switches over unions. */
export function missingCase(value: never): never {
  throw new TypeError(`Unhandled case: ${JSON.stringify(value)}`);
}
