import { z } from 'zod';
import type { RequestKind } from './request';

/** The marketplaces Cancel Desk speaks: one adapter folder each under electron/backend/marketplace/. */
export const MARKETPLACE_KINDS = ['demo', 'aliexpress'] as const;
export const MarketplaceKindSchema = z.enum(MARKETPLACE_KINDS);
export type MarketplaceKind = z.infer<typeof MarketplaceKindSchema>;

/** The seller's decisions, as the capabilities name them (the rules' SellerActionType). */
export const CAPABILITY_ACTIONS = ['accept', 'refuse', 'request_proof', 'offer', 'escalate'] as const;
export const CapabilityActionSchema = z.enum(CAPABILITY_ACTIONS);
export type CapabilityAction = z.infer<typeof CapabilityActionSchema>;

/**
 * What a marketplace can do, declared by its adapter and read by the rules and the desk: an action
 * a store's marketplace cannot do is blocked with a sentence that names the marketplace.
 */
export const MarketplaceCapabilitiesSchema = z
  .object({
    kind: MarketplaceKindSchema,
    /** The marketplace's name as a seller knows it ("AliExpress"). */
    name: z.string().min(1).max(60),
    /** The actions that exist for a cancellation before shipment and for a dispute after it. */
    actions: z
      .object({
        cancel: z.array(CapabilityActionSchema).max(CAPABILITY_ACTIONS.length),
        dispute: z.array(CapabilityActionSchema).max(CAPABILITY_ACTIONS.length),
      })
      .strict(),
    /** How "ask for proof" reaches the buyer: a marketplace endpoint, or a message the desk tracks. */
    proofRequest: z.enum(['endpoint', 'message']),
    /** Whether the marketplace honours an Idempotency-Key (a second line of defence only). */
    idempotencyKeys: z.boolean(),
    limits: z
      .object({
        /** Longest refusal note (memo) the marketplace takes, in characters. */
        refusalNoteMax: z.number().int().min(1).max(100_000),
        /** Longest message to the buyer, in characters. */
        messageMax: z.number().int().min(1).max(100_000),
      })
      .strict(),
    /** Seller evidence (photos) the marketplace accepts with a refusal or an offer. */
    evidence: z
      .object({
        upload: z.boolean(),
        contentTypes: z.array(z.string().min(1).max(100)).max(20),
        maxBytes: z.number().int().min(0).max(1024 * 1024 * 1024),
        maxFiles: z.number().int().min(0).max(100),
      })
      .strict(),
    /** Whether the desk can read and send the conversation with the buyer. */
    messages: z.boolean(),
  })
  .strict();
export type MarketplaceCapabilities = z.infer<typeof MarketplaceCapabilitiesSchema>;

const ACTION_NOUNS: Readonly<Record<CapabilityAction, string>> = {
  accept: 'acceptance',
  refuse: 'refusal',
  request_proof: 'proof request',
  offer: 'partial-refund offer',
  escalate: 'escalation',
};

const KIND_PHRASES: Readonly<Record<RequestKind, string>> = {
  cancel: 'cancellations before shipment',
  dispute: 'disputes after shipment',
};

/** Whether the marketplace has this action for this kind of request. */
export function supportsAction(capabilities: MarketplaceCapabilities, kind: RequestKind, action: CapabilityAction): boolean {
  return capabilities.actions[kind].includes(action);
}

/** "AliExpress has no escalation for cancellations before shipment." */
export function unsupportedActionSentence(capabilities: Pick<MarketplaceCapabilities, 'name'>, kind: RequestKind, action: CapabilityAction): string {
  return `${capabilities.name} has no ${ACTION_NOUNS[action]} for ${KIND_PHRASES[kind]}.`;
}

/**
 * The demo marketplace (electron/simulator/), as its server accepts: accept and refuse for a
 * cancellation before shipment, all five actions for a dispute (its DISPUTE_ONLY_ACTIONS), proof
 * asked through POST /v1/requests/:id/request-evidence, an Idempotency-Key on every action, and a
 * refusal memo and a proof message of at most 2,000 characters each (its body schemas).
 */
export const DEMO_CAPABILITIES: MarketplaceCapabilities = Object.freeze({
  kind: 'demo',
  name: 'Demo marketplace',
  actions: Object.freeze({
    cancel: Object.freeze(['accept', 'refuse']) as CapabilityAction[],
    dispute: Object.freeze([...CAPABILITY_ACTIONS]) as CapabilityAction[],
  }),
  proofRequest: 'endpoint',
  idempotencyKeys: true,
  limits: Object.freeze({ refusalNoteMax: 2000, messageMax: 2000 }),
  evidence: Object.freeze({
    upload: true,
    contentTypes: Object.freeze(['image/png', 'image/jpeg', 'image/webp']) as string[],
    maxBytes: 10 * 1024 * 1024,
    maxFiles: 10,
  }),
  messages: true,
});
