import {
  MarketplaceCapabilitiesSchema,
  supportsAction,
  unsupportedActionSentence,
  type MarketplaceCapabilities,
} from '../domain/marketplace';
import type { CancelRequest } from '../domain/request';
import { RulesInputError, zodIssues } from './input';
import { cannot, type SellerActionType } from './states';
import { violation, type RuleViolation } from './violations';

/**
 * What the store's marketplace can do, as the rules read it (shared/domain/marketplace.ts): an
 * action it lacks for the request's kind is blocked with a sentence that names the marketplace,
 * and a text longer than it takes is refused with the limit. No capabilities (null) means every
 * action exists and only the rules' own limits apply: what callers that name no marketplace get.
 */

/** Validates capabilities handed to the rules; absent (undefined or null) is "everything allowed". */
export function checkCapabilities(input: unknown): MarketplaceCapabilities | null {
  if (input === undefined || input === null) return null;
  const parsed = MarketplaceCapabilitiesSchema.safeParse(input);
  if (!parsed.success) throw new RulesInputError('rules.invalid_capabilities', 'marketplace capabilities', zodIssues('capabilities', parsed.error));
  return parsed.data;
}

/**
 * `checkCapabilities` once per distinct object within one call: a bulk plan hands every item of a
 * store the same capabilities, and validating them once per item would cost a parse each.
 */
export function capabilitiesChecker(): (input: unknown) => MarketplaceCapabilities | null {
  const checked = new Map<unknown, MarketplaceCapabilities | null>();
  return (input) => {
    const known = checked.get(input);
    if (known !== undefined) return known;
    const parsed = checkCapabilities(input);
    checked.set(input, parsed);
    return parsed;
  };
}

/** The block for an action the marketplace does not have for this kind of request, if it lacks it. */
export function capabilityBlock(capabilities: MarketplaceCapabilities | null, request: Pick<CancelRequest, 'kind'>, type: SellerActionType): RuleViolation | null {
  if (capabilities === null || supportsAction(capabilities, request.kind, type)) return null;
  return violation('not_supported_by_marketplace', unsupportedActionSentence(capabilities, request.kind, type));
}

/** The texts a marketplace limits, with the words a sentence uses for them. */
const LIMITED_TEXTS = {
  refusalNote: { action: 'refuse', limit: 'refusalNoteMax', noun: 'a refusal note', field: 'note' },
  proofMessage: { action: 'request_proof', limit: 'messageMax', noun: 'a message to the buyer', field: 'message' },
} as const satisfies Record<string, { action: SellerActionType; limit: keyof MarketplaceCapabilities['limits']; noun: string; field: string }>;

export type LimitedText = keyof typeof LIMITED_TEXTS;

/**
 * A text longer than the marketplace takes, refused with the limit in the sentence ("Cannot
 * refuse: AliExpress takes a refusal note of at most 512 characters; this one has 600.").
 * Length is counted in UTF-16 code units, as the marketplaces' own validators (and zod) count it.
 */
export function textLimitBlock(capabilities: MarketplaceCapabilities | null, which: LimitedText, text: string | undefined): RuleViolation | null {
  if (capabilities === null || text === undefined) return null;
  const spec = LIMITED_TEXTS[which];
  const max = capabilities.limits[spec.limit];
  if (text.length <= max) return null;
  return violation(
    'text_too_long',
    cannot(spec.action, `${capabilities.name} takes ${spec.noun} of at most ${max.toLocaleString('en-US')} characters; this one has ${text.length.toLocaleString('en-US')}`),
    spec.field,
  );
}
