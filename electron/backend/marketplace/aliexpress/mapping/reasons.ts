import type { BuyerReason } from '../../../../../shared/domain/request';

/**
 * The desk's reason for a buyer's words. AliExpress sends the reason as text (a cancellation's
 * `cancel_request_reason`, a dispute's `issue_reason` / `reason_english`), from its own list that
 * changes over time and by language. We read the words we know; anything else falls back to the
 * reason that asks the least of the seller's rules (a change of mind before shipment; "not as
 * described" after it), and the buyer's own words stay in the request for the seller to read.
 */
const CANCEL_WORDS: ReadonlyArray<readonly [RegExp, BuyerReason]> = [
  [/address/i, 'wrong_address'],
  [/pay|payment|charged/i, 'payment_issue'],
  [/cheaper|better price|lower price/i, 'found_cheaper'],
  [/mistake|wrong (item|size|colou?r)|duplicate|ordered by/i, 'ordered_by_mistake'],
  [/ship|deliver|slow|long|late|time/i, 'shipping_too_slow'],
];

const DISPUTE_WORDS: ReadonlyArray<readonly [RegExp, BuyerReason]> = [
  [/not (been )?(received|arrived|delivered)|never (received|arrived)|did ?n.t (receive|arrive)|lost|tracking|no (logistics|shipping) update/i, 'not_received'],
  [/damag|broken|crack|defect|not work|doesn.t work|faulty|quality/i, 'damaged'],
  [/counterfeit|fake|replica|not (genuine|original)/i, 'counterfeit'],
  [/missing|incomplete|less than|quantity|parts? (are )?missing/i, 'missing_parts'],
  [/wrong (item|product|size|colou?r)|different (item|product)|received the wrong/i, 'wrong_item'],
  [/not as described|description|different from|size|colou?r|material/i, 'not_as_described'],
];

function match(words: ReadonlyArray<readonly [RegExp, BuyerReason]>, text: string, fallback: BuyerReason): BuyerReason {
  for (const [pattern, reason] of words) if (pattern.test(text)) return reason;
  return fallback;
}

export function cancelReason(text: string): BuyerReason {
  return match(CANCEL_WORDS, text, 'changed_mind');
}

export function disputeReason(text: string): BuyerReason {
  return match(DISPUTE_WORDS, text, 'not_as_described');
}
