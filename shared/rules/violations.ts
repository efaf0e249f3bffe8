/** Why the rules say no: a stable `code` for programs and a sentence a seller understands. */
export const RULE_VIOLATION_CODES = [
  /** The request is not in a state where this action applies. */
  'wrong_state',
  /** The reply deadline has passed: the marketplace decides now. */
  'deadline_passed',
  /** A platform auto-accept before the reply deadline. */
  'deadline_not_reached',
  /** The order is already cancelled. */
  'order_cancelled',
  /** The buyer has not paid: there is nothing to refuse, offer or mediate. */
  'not_paid',
  /** Refusing a pre-shipment cancel without proof of shipment. */
  'not_shipped',
  /** Proof, offers and mediation are for disputes after shipment. */
  'not_a_dispute',
  /** Photos or video cannot show this buyer reason. */
  'proof_not_useful',
  /** The store's policy wants proof before refunding this claim. */
  'proof_required',
  /** "No evidence provided" before the proof due date. */
  'proof_not_due',
  /** "No evidence provided" although the buyer sent some. */
  'evidence_provided',
  /** A refusal reason misses what it needs (carrier, tracking number, note). */
  'missing_field',
  /** This refusal reason does not apply here. */
  'refusal_reason_not_allowed',
  /** Everything paid has already been refunded. */
  'nothing_to_refund',
  /** A refund or offer of zero. */
  'amount_not_positive',
  /** Above what can still be refunded (marketplace limit, or paid minus refunded). */
  'amount_above_cap',
  /** An offer that is not below what the buyer asks: that is an accept. */
  'amount_not_below_request',
  /** The store's policy does not refund shipping here. */
  'shipping_not_refundable',
  /** An amount in another currency than the order's. */
  'currency_mismatch',
  /** A refund selection names a line the order does not have. */
  'unknown_line',
  /** A refund selection asks for a quantity the line does not have. */
  'invalid_quantity',
  /** A refund selection names a line twice. */
  'duplicate_line',
  /** A refund selection with no lines. */
  'empty_selection',
  /** A proof due date that is not in the future. */
  'invalid_due_date',
  /** The same request twice in one bulk action. */
  'duplicate_item',
  /** A bulk item whose order or request is malformed. */
  'invalid_input',
  /** The order was set aside at sync (the marketplace sent it malformed): what needs its amounts waits. */
  'order_set_aside',
  /** The store's marketplace has no such action for this kind of request (its capabilities). */
  'not_supported_by_marketplace',
  /** A note or message longer than the store's marketplace takes. */
  'text_too_long',
  /** More photos with a decision than the store's marketplace takes. */
  'too_many_attachments',
  /** "Do what is recommended" on a request with nothing recommended now. */
  'no_recommendation',
] as const;
export type RuleViolationCode = (typeof RULE_VIOLATION_CODES)[number];

/** A "no" from the rules. Shaped like DeskErrorShape, so it crosses IPC as is. */
export interface RuleViolation {
  readonly code: RuleViolationCode;
  readonly message: string;
  /** The input field at fault, when there is one ("amount", "trackingNumber", "lines[0].qty"). */
  readonly field?: string;
}

/** What a rule answers: a value, or the violation that stopped it. */
export type RuleResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RuleViolation };

export function violation(code: RuleViolationCode, message: string, field?: string): RuleViolation {
  return field === undefined ? { code, message } : { code, message, field };
}

export function ok<T>(value: T): RuleResult<T> {
  return { ok: true, value };
}

export function fail<T>(error: RuleViolation): RuleResult<T> {
  return { ok: false, error };
}
