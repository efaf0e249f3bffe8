import { z } from 'zod';
import { BUYER_REASONS, BuyerReasonSchema, type BuyerReason } from '../domain/request';
import { missingCase } from '../domain/views';
import { AmountMinorSchema, CurrencyCodeSchema, money, type Money } from '../money';
import { RulesInputError, zodIssues } from './input';
import { BUYER_REASON_CATALOGUE, PROOF_USEFUL_REASONS, type SellerRefusalReason } from './reasons';

/** Per-currency thresholds in minor units: { USD: 5000 } is $50.00. */
const ThresholdsSchema = z.record(CurrencyCodeSchema, AmountMinorSchema);

/** After shipment, is shipping refunded: always, never, or when the claim is the seller's fault. */
export const SHIPPING_AFTER_SHIPMENT = ['refund', 'keep', 'refund_if_seller_fault'] as const;
export type ShippingAfterShipment = (typeof SHIPPING_AFTER_SHIPMENT)[number];

const DEFAULT_REFUSAL_TEMPLATES = {
  already_shipped: 'Your order has already shipped and is on its way; you can follow it with the tracking number below.',
  buyer_agreed_to_keep: 'As agreed with you, you are keeping the item, so this request is closed without a refund.',
  no_evidence_provided: 'We asked for photos or a video of the problem and did not receive any by the due date.',
  evidence_contradicts_claim: 'The photos and information we have do not match the problem described.',
  other: '',
} as const satisfies Record<SellerRefusalReason, string>;

const Template = z.string().max(2000);

/**
 * A store's policy (user-editable). Every field has a default, so `{}` is a complete policy.
 */
export const PolicySchema = z.strictObject({
  /** Proof (photos/video) needed before refunding these reasons at or above these amounts. */
  proofRequired: z.strictObject({
      reasons: z
        .array(BuyerReasonSchema)
        .max(BUYER_REASONS.length)
        .default([...PROOF_USEFUL_REASONS])
        .superRefine((reasons, context) => {
          reasons.forEach((reason, index) => {
            if (!BUYER_REASON_CATALOGUE[reason].proofUseful) {
              context.addIssue({
                code: 'custom',
                path: [index],
                message: `photos or video cannot show "${BUYER_REASON_CATALOGUE[reason].label}", so proof cannot be required for it`,
              });
            }
          });
        }),
      /** From which requested amount; a currency not listed needs proof at any amount. */
      minAmount: ThresholdsSchema.default({ USD: 5000, EUR: 5000, GBP: 4000, BRL: 25000, JPY: 7000, KWD: 15000 }),
    })
    .prefault({}),
  /** Days the buyer gets to send proof. */
  proofDueDays: z.number().int().min(1).max(30).default(3),
  /** A request is "act now" when less than this many hours are left to reply. */
  slaWarningHours: z.number().int().min(1).max(168).default(12),
  /** How long a decision can be undone before it is sent. */
  undoWindowSeconds: z.number().int().min(0).max(300).default(10),
  /** Whether shipping is refunded after shipment (before shipment it always is). */
  shippingAfterShipment: z.enum(SHIPPING_AFTER_SHIPMENT).default('refund_if_seller_fault'),
  /** From which requested amount a claim counts as high value (a risk signal); unlisted: never. */
  highValue: ThresholdsSchema.default({ USD: 15000, EUR: 15000, GBP: 12000, BRL: 75000, JPY: 20000, KWD: 45000 }),
  /** A buyer with this many requests within the window is a repeat canceller (a risk signal). */
  repeatCanceller: z.strictObject({
      minRequests: z.number().int().min(2).max(100).default(3),
      windowDays: z.number().int().min(1).max(365).default(90),
    })
    .prefault({}),
  /** The message sent with a proof request. */
  proofRequestTemplate: Template.default('Please send photos or a short video that show the problem with the item.'),
  /** Default notes per refusal reason, offered to the seller to edit. */
  refusalTemplates: z.strictObject({
      already_shipped: Template.default(DEFAULT_REFUSAL_TEMPLATES.already_shipped),
      buyer_agreed_to_keep: Template.default(DEFAULT_REFUSAL_TEMPLATES.buyer_agreed_to_keep),
      no_evidence_provided: Template.default(DEFAULT_REFUSAL_TEMPLATES.no_evidence_provided),
      evidence_contradicts_claim: Template.default(DEFAULT_REFUSAL_TEMPLATES.evidence_contradicts_claim),
      other: Template.default(DEFAULT_REFUSAL_TEMPLATES.other),
    })
    .prefault({}),
});
export type Policy = z.infer<typeof PolicySchema>;
/** A policy as stored or typed: any field may be left out for its default. */
export type PolicyInput = z.input<typeof PolicySchema>;

/** Validates a policy and fills in the defaults; `rules.invalid_policy` names every bad field. */
export function parsePolicy(input: unknown): Policy {
  const parsed = PolicySchema.safeParse(input ?? {});
  if (!parsed.success) throw new RulesInputError('rules.invalid_policy', 'policy', zodIssues('policy', parsed.error));
  return parsed.data;
}

export const DEFAULT_POLICY: Policy = Object.freeze(parsePolicy({}));

/**
 * `parsePolicy` once per distinct object: a plan spanning stores hands the same store's policy
 * with each of its items, and each is checked once.
 */
export function policyChecker(): (input: unknown) => Policy {
  const checked = new Map<unknown, Policy>();
  return (input) => {
    const known = checked.get(input);
    if (known !== undefined) return known;
    const parsed = parsePolicy(input);
    checked.set(input, parsed);
    return parsed;
  };
}

/**
 * The amount from which the policy wants proof for this reason in this currency, or null when
 * it never does. A currency without a threshold needs proof at any amount.
 */
export function proofThreshold(policy: Policy, reason: BuyerReason, currency: string): Money | null {
  if (!policy.proofRequired.reasons.includes(reason)) return null;
  return money(policy.proofRequired.minAmount[currency] ?? 0, currency);
}

/** The amount from which a claim is high value in this currency, or null when none is set. */
export function highValueThreshold(policy: Policy, currency: string): Money | null {
  const threshold = policy.highValue[currency];
  return threshold === undefined ? null : money(threshold, currency);
}

/** Whether the policy refunds shipping after shipment for this reason. */
export function refundsShippingAfterShipment(policy: Policy, reason: BuyerReason): boolean {
  switch (policy.shippingAfterShipment) {
    case 'refund':
      return true;
    case 'keep':
      return false;
    case 'refund_if_seller_fault':
      return BUYER_REASON_CATALOGUE[reason].sellerFault;
    default:
      return missingCase(policy.shippingAfterShipment);
  }
}
