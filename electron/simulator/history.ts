import type { RequestState } from '../../shared/domain/request';
import type { Money } from '../../shared/money';
import { HttpError, jsonReply } from './http';
import type { Route } from './route';
import type { Actor, LedgerAction, LedgerEntry, SimState } from './state';

/**
 * GET /v1/requests/:id/history: a request's change log as the marketplace keeps it. It is what
 * lets a client prove exactly-once without idempotency keys: every change bumps the version, so
 * the seller action applied against version V is the one entry with `fromVersion` V. A seller's
 * message to the buyer is listed too (details.messageId, details.text) but changes nothing: its
 * fromVersion and toVersion are both the version it was written at.
 */

export interface HistoryItem {
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly action: LedgerAction;
  /** Null when the change opened the request. */
  readonly fromState: RequestState | null;
  readonly toState: RequestState;
  /** The version the change was applied against (0 when it opened the request). */
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly refund: Money | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** One ledger entry as the history shows it; the Idempotency-Key stays the marketplace's own. */
export function historyItem(entry: LedgerEntry): HistoryItem {
  return {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    fromState: entry.fromState,
    toState: entry.toState,
    // A message changes nothing: it is listed at the version it was written at, from and to.
    fromVersion: entry.action === 'message' ? entry.requestVersion : entry.requestVersion - 1,
    toVersion: entry.requestVersion,
    refund: entry.refund,
    details: entry.details,
  };
}

export function historyRoute(state: SimState): Route {
  return {
    method: 'GET',
    pattern: /^\/v1\/requests\/([^/]+)\/history$/,
    auth: 'token',
    faulty: true,
    handle: ({ params }) => {
      const id = params[0] ?? '';
      if (state.requests.get(id) === undefined) {
        throw new HttpError(404, 'not_found', `There is no request with id "${id}".`, { id });
      }
      return jsonReply(200, { items: state.ledgerOf(id).map(historyItem) });
    },
  };
}
