import type { MarketplaceCapabilities, MarketplaceKind } from '../../../shared/domain/marketplace';
import type { CancelRequest } from '../../../shared/domain/request';
import type { Money } from '../../../shared/money';
import type { BuyerMessage } from '../../../shared/domain/message';
import type { ListPage, ListParams, MarketplaceListing } from './listing';

/**
 * The seam between the backend and a marketplace. One adapter per marketplace kind, in its own
 * folder (demo/, aliexpress/); nothing outside marketplace/ knows a marketplace's wire format.
 * Sync, the dispatcher, evidence and refunds use only this. Every payload is validated inside the
 * adapter; what it throws is a DeskError (a transient failure of a read: the caller tries later).
 */
export interface MarketplaceAdapter extends MarketplaceListing {
  readonly kind: MarketplaceKind;
  readonly capabilities: MarketplaceCapabilities;
  /**
   * One request as the marketplace has it now (null when it has none by that id). `orderId` is the
   * request's order, for marketplaces that find a request through it (AliExpress's issues).
   */
  fetchRequest(requestId: string, orderId: string): Promise<CancelRequest | null>;
  /**
   * Sends one decision, once: the adapter never repeats a call whose outcome is unclear (it says
   * `unknown` and the dispatcher reads the outcome before anything is sent again).
   */
  act(call: ActionCall): Promise<ActOutcome>;
  /** Whether an earlier attempt of this call was applied, read from the marketplace's own state. */
  readOutcome(call: ActionCall): Promise<ReadOutcome>;
  /** A buyer's evidence file, at most maxBytes of it. */
  fetchEvidence(evidenceId: string, maxBytes: number): Promise<Buffer>;
  /** The conversations' feed: messages (buyer's and seller's) written since a mark (capabilities.messages). */
  listMessages(params: ListParams): Promise<ListPage<BuyerMessage>>;
}

/** The neutral names of what the desk sends (stored in the outbox as `endpoint`). */
export type ActionName = 'accept' | 'refuse' | 'request-evidence' | 'offer' | 'escalate' | 'retry-refund' | 'message';

/** A seller's evidence file (a photo) sent with a decision; the adapter uploads it before acting. */
export interface Attachment {
  readonly id: string;
  readonly fileName: string;
  /** Sniffed from the bytes when it was added (image/png, image/jpeg, image/webp). */
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** One outbox entry, as an adapter sees it. */
export interface ActionCall {
  /** The outbox entry's id: unique per decision (sent as an Idempotency-Key where the marketplace has them). */
  readonly id: string;
  readonly requestId: string;
  readonly orderId: string;
  readonly action: ActionName;
  /** The decision's parameters: expectedVersion, amount, reason, memo, tracking, message, dueAt, text. */
  readonly body: Readonly<Record<string, unknown>>;
  /** The seller's photos that go with it (refuse, offer), read from the data folder before acting. */
  readonly attachments?: readonly Attachment[];
}

/** What the marketplace holds after applying an action (the order unchecked: see the dispatcher). */
export interface AppliedResult {
  readonly request: CancelRequest;
  readonly order: unknown;
  /** The refund the action sent back to the buyer, if any. */
  readonly refund: Money | null;
}

export type ActOutcome =
  /** The marketplace applied it and said so. */
  | { readonly kind: 'applied'; readonly result: AppliedResult }
  /** Definitely not applied, and never will be as sent: the marketplace said no. */
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string }
  /** Definitely not applied: the request moved on since the decision (a version conflict). */
  | { readonly kind: 'conflict'; readonly code: string; readonly message: string }
  /** Definitely not applied yet (nobody answered the connect, rate limited before handling): send later. */
  | { readonly kind: 'not_sent'; readonly code: string; readonly message: string }
  /** It may have been applied (timeout, dropped connection, 5xx, an unreadable answer): read before resending. */
  | { readonly kind: 'unknown'; readonly code: string; readonly message: string };

export type ReadOutcome =
  | { readonly kind: 'applied'; readonly result: AppliedResult }
  | { readonly kind: 'not_applied' }
  /** The marketplace's state does not say: the seller decides (mark sent, or send again). */
  | { readonly kind: 'cannot_tell'; readonly reason: string };
