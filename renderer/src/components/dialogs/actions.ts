/**
 * What the decision dialogs emit. Kept in a .ts file (not exported from the .vue files) so that
 * callers and tests see the real types; each one is assignable to a BulkAction.
 */
import type { IsoInstant } from '../../../../shared/domain/time';
import type { Money } from '../../../../shared/money';
import type { BulkAction } from '../../../../shared/rules';

/** RefuseDialog's `submit`: the reason and only the fields that reason requires, trimmed; for one request, its photos. */
export type RefuseAction = Extract<BulkAction, { type: 'refuse' }>;

/** RequestProofDialog's `submit`: the message (trimmed) and the end of the chosen local day. */
export interface RequestProofAction {
  readonly type: 'request_proof';
  readonly message: string;
  readonly dueAt: IsoInstant;
}

/** OfferDialog's `submit`: an amount and its photos (one request) or a percent (a selection), never both. */
export type OfferAction = { readonly type: 'offer'; readonly amount: Money; readonly attachments?: string[] } | { readonly type: 'offer'; readonly percent: number };
