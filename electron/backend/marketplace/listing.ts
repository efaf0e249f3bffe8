import type { Order } from '../../../shared/domain/order';
import type { CancelRequest } from '../../../shared/domain/request';

/** A record the marketplace sent that failed validation: kept aside with the reason. */
export interface QuarantinedRecord {
  resource: 'orders' | 'requests' | 'messages';
  id: string | null;
  /** The record's version when it has a readable one: a later valid copy at this version or above replaces it. */
  version: number | null;
  reason: string;
  /** The start of the raw record, for a person to look at. */
  excerpt: string;
}

export interface ListParams {
  /** Inclusive lower bound on updatedAt; null for everything. */
  updatedSince: string | null;
  cursor: string | null;
  limit: number;
}

export interface ListPage<T> {
  items: T[];
  quarantined: QuarantinedRecord[];
  nextCursor: string | null;
}

/** The reading half of a marketplace adapter: what sync needs. */
export interface MarketplaceListing {
  /** Where the marketplace is (for the status bar and logs; never a secret). */
  readonly endpoint: string;
  listOrders(params: ListParams): Promise<ListPage<Order>>;
  listRequests(params: ListParams): Promise<ListPage<CancelRequest>>;
}
