import { z } from 'zod';
import { BUYER_REASONS, type BuyerReason, type RequestKind } from '../domain/request';

/** What the rules know about a buyer's reason. */
export interface BuyerReasonInfo {
  readonly reason: BuyerReason;
  readonly label: string;
  /** The moment it belongs to: `cancel` before shipment, `dispute` after. */
  readonly kind: RequestKind;
  /** Whether photos or video from the buyer can show it (a damaged item can; "not received" cannot). */
  readonly proofUseful: boolean;
  /** Whether the claim, if true, is the seller's fault (wrong, damaged, missing, never arrived). */
  readonly sellerFault: boolean;
}

/** The buyer reasons, in the order a seller sees them. */
export const BUYER_REASON_CATALOGUE: Readonly<Record<BuyerReason, BuyerReasonInfo>> = Object.freeze({
  changed_mind: { reason: 'changed_mind', label: 'Changed their mind', kind: 'cancel', proofUseful: false, sellerFault: false },
  ordered_by_mistake: { reason: 'ordered_by_mistake', label: 'Ordered by mistake', kind: 'cancel', proofUseful: false, sellerFault: false },
  found_cheaper: { reason: 'found_cheaper', label: 'Found it cheaper elsewhere', kind: 'cancel', proofUseful: false, sellerFault: false },
  shipping_too_slow: { reason: 'shipping_too_slow', label: 'Shipping takes too long', kind: 'cancel', proofUseful: false, sellerFault: false },
  wrong_address: { reason: 'wrong_address', label: 'Wrong shipping address', kind: 'cancel', proofUseful: false, sellerFault: false },
  payment_issue: { reason: 'payment_issue', label: 'Payment problem', kind: 'cancel', proofUseful: false, sellerFault: false },
  not_received: { reason: 'not_received', label: 'Item not received', kind: 'dispute', proofUseful: false, sellerFault: true },
  not_as_described: { reason: 'not_as_described', label: 'Not as described', kind: 'dispute', proofUseful: true, sellerFault: true },
  damaged: { reason: 'damaged', label: 'Arrived damaged', kind: 'dispute', proofUseful: true, sellerFault: true },
  wrong_item: { reason: 'wrong_item', label: 'Wrong item sent', kind: 'dispute', proofUseful: true, sellerFault: true },
  missing_parts: { reason: 'missing_parts', label: 'Parts missing', kind: 'dispute', proofUseful: true, sellerFault: true },
  counterfeit: { reason: 'counterfeit', label: 'Claimed counterfeit', kind: 'dispute', proofUseful: true, sellerFault: true },
});

export function buyerReasonInfo(reason: BuyerReason): BuyerReasonInfo {
  return BUYER_REASON_CATALOGUE[reason];
}

/** The buyer reasons photos or video can support: the default set a policy may require proof for. */
export const PROOF_USEFUL_REASONS: readonly BuyerReason[] = Object.freeze(
  BUYER_REASONS.filter((reason) => BUYER_REASON_CATALOGUE[reason].proofUseful),
);

export const SELLER_REFUSAL_REASONS = [
  'already_shipped',
  'buyer_agreed_to_keep',
  'no_evidence_provided',
  'evidence_contradicts_claim',
  'other',
] as const;
export const SellerRefusalReasonSchema = z.enum(SELLER_REFUSAL_REASONS);
export type SellerRefusalReason = z.infer<typeof SellerRefusalReasonSchema>;

/** A field a refusal reason needs filled in. */
export type RefusalField = 'carrier' | 'trackingNumber' | 'note';

export interface RefusalReasonInfo {
  readonly reason: SellerRefusalReason;
  readonly label: string;
  readonly requires: readonly RefusalField[];
  /** Usable only once proof was asked for and its due date passed without any. */
  readonly onlyAfterProofDue: boolean;
  /** What the seller is saying, in a sentence. */
  readonly meaning: string;
}

export const REFUSAL_REASON_CATALOGUE: Readonly<Record<SellerRefusalReason, RefusalReasonInfo>> = Object.freeze({
  already_shipped: {
    reason: 'already_shipped',
    label: 'Already shipped',
    requires: ['carrier', 'trackingNumber'],
    onlyAfterProofDue: false,
    meaning: 'The order is on its way; the carrier and tracking number prove it.',
  },
  buyer_agreed_to_keep: {
    reason: 'buyer_agreed_to_keep',
    label: 'Buyer agreed to keep the item',
    requires: ['note'],
    onlyAfterProofDue: false,
    meaning: 'The buyer agreed to keep the item; the note says how and when.',
  },
  no_evidence_provided: {
    reason: 'no_evidence_provided',
    label: 'No evidence provided',
    requires: [],
    onlyAfterProofDue: true,
    meaning: 'Proof was asked for and the buyer did not send any by the due date.',
  },
  evidence_contradicts_claim: {
    reason: 'evidence_contradicts_claim',
    label: 'Evidence contradicts the claim',
    requires: ['note'],
    onlyAfterProofDue: false,
    meaning: 'The evidence shows something else than the buyer claims; the note explains what.',
  },
  other: {
    reason: 'other',
    label: 'Other',
    requires: ['note'],
    onlyAfterProofDue: false,
    meaning: 'Another reason, explained in the note.',
  },
});

export function refusalReasonInfo(reason: SellerRefusalReason): RefusalReasonInfo {
  return REFUSAL_REASON_CATALOGUE[reason];
}

export const REFUSAL_FIELD_LABELS: Readonly<Record<RefusalField, string>> = Object.freeze({
  carrier: 'the carrier',
  trackingNumber: 'the tracking number',
  note: 'a note',
});
