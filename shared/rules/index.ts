/**
 * The rules: every decision a seller makes goes through here, in the backend (to enforce) and in
 * the renderer (to preview). Pure and deterministic: time comes in as `now` (epoch ms), nothing
 * is read or written, and RULES_VERSION is recorded with every decision.
 *
 * Where things are: reasons.ts (buyer and refusal reasons), phase.ts (the three moments, reply
 * deadlines), states.ts (the state machine, `transition`), refund.ts (`quoteRefund`),
 * actions.ts (`allowedActions`, `planAction`), bulk.ts (`planBulk`), recommend.ts
 * (`recommend`), policy.ts (the store policy), capabilities.ts (what the store's marketplace can
 * do: an action it lacks is blocked), input.ts (malformed input), violations.ts (why no),
 * without-order.ts (a request whose order was set aside at sync: what the request alone allows).
 */
export { RULES_VERSION } from './version';
export {
  RULE_VIOLATION_CODES,
  type RuleResult,
  type RuleViolation,
  type RuleViolationCode,
} from './violations';
export {
  RULES_INPUT_ERROR_CODES,
  RulesInputError,
  checkOrder,
  checkRequest,
  type InputIssue,
  type RulesInputErrorCode,
} from './input';
export {
  BUYER_REASON_CATALOGUE,
  PROOF_USEFUL_REASONS,
  REFUSAL_FIELD_LABELS,
  REFUSAL_REASON_CATALOGUE,
  SELLER_REFUSAL_REASONS,
  SellerRefusalReasonSchema,
  buyerReasonInfo,
  refusalReasonInfo,
  type BuyerReasonInfo,
  type RefusalField,
  type RefusalReasonInfo,
  type SellerRefusalReason,
} from './reasons';
export {
  DEFAULT_POLICY,
  PolicySchema,
  SHIPPING_AFTER_SHIPMENT,
  highValueThreshold,
  parsePolicy,
  proofThreshold,
  refundsShippingAfterShipment,
  type Policy,
  type PolicyInput,
  type ShippingAfterShipment,
} from './policy';
export {
  RULES_PHASES,
  RULES_PHASE_LABELS,
  PRE_SHIPMENT_AUTO_ACCEPT_MS,
  rulesPhaseOf,
  replyDeadlineMs,
  slaStatus,
  timeLeftMs,
  type RulesPhase,
  type SlaStatus,
} from './phase';
export {
  AttachmentIdsSchema,
  BuyerActionSchema,
  MAX_ATTACHMENTS,
  PlatformActionSchema,
  REQUEST_ACTION_TYPES,
  RequestActionSchema,
  SELLER_ACTION_TYPES,
  STATE_EDGES,
  SellerActionSchema,
  TERMINAL_STATES,
  TRANSITIONS,
  isTerminal,
  parseAction,
  transition,
  whoseTurn,
  type Actor,
  type BuyerAction,
  type PlatformAction,
  type RequestAction,
  type RequestActionType,
  type SellerAction,
  type SellerActionType,
  type Transition,
  type TransitionRule,
} from './states';
export {
  RefundSelectionSchema,
  quoteRefund,
  refundCap,
  type RefundCap,
  type RefundComponent,
  type RefundQuote,
  type RefundSelection,
} from './refund';
export {
  allowedActions,
  parseSellerAction,
  planAction,
  type AcceptOption,
  type ActionOption,
  type ActionPlan,
  type EscalateOption,
  type OfferOption,
  type OfferRange,
  type RefusalOption,
  type RefuseOption,
  type RequestProofOption,
} from './actions';
export { capabilityBlock, checkCapabilities, textLimitBlock, type LimitedText } from './capabilities';
export { attachmentsBlock } from './attachments';
export {
  BulkActionSchema,
  planBulk,
  type BulkAction,
  type BulkItem,
  type BulkParams,
  type BulkPlan,
  type BulkPlanItem,
  type BulkSkipGroup,
  type BulkTotal,
} from './bulk';
export {
  HistoryEntrySchema,
  RECOMMENDATION_REASON_CODES,
  RISK_SIGNALS,
  recommend,
  type HistoryEntry,
  type Recommendation,
  type RecommendationReason,
  type RecommendationReasonCode,
  type RiskSignal,
  type Urgency,
} from './recommend';
export {
  planRecommended,
  type RecommendedGroup,
  type RecommendedItem,
  type RecommendedPlan,
  type RecommendedPlanItem,
} from './recommended-plan';
export {
  allowedActionsWithoutOrder,
  planWithoutOrder,
  recommendWithoutOrder,
  type SetAsideOrder,
} from './without-order';
export {
  closedAtOf,
  replyStillDue,
  standingInput,
  standingOf,
  type ReplyDueInput,
  type Standing,
  type StandingInput,
  type StandingKind,
} from './standing';
export { addCalendarDays, calendarDayIn, endOfDayIn, isTimeZone, proofDueAt } from './proof-due';
