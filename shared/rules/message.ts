import type { MarketplaceCapabilities } from '../domain/marketplace';
import { violation, type RuleViolation } from './violations';

/**
 * Messages to the buyer, as the rules see them: whether the store's marketplace takes one, how
 * long it may be (its capabilities.limits.messageMax), and a proof request worded as a message
 * where the marketplace has no proof endpoint (capabilities.proofRequest 'message').
 */

/** What a message is checked against: the store's marketplace, as its capabilities (or a thread) say it. */
export type MessageCapabilities = Pick<MarketplaceCapabilities, 'name' | 'messages'> & { readonly limits: Pick<MarketplaceCapabilities['limits'], 'messageMax'> };

/** Why this text cannot go to the buyer through this marketplace, or null when it can. */
export function messageTextViolation(capabilities: MessageCapabilities, text: string): RuleViolation | null {
  if (!capabilities.messages) {
    return violation('not_supported_by_marketplace', `${capabilities.name} does not take messages to buyers from Cancel Desk; write to the buyer there.`);
  }
  if (text.trim() === '') return violation('missing_field', 'Write something to send to the buyer.', 'text');
  const max = capabilities.limits.messageMax;
  // Counted in UTF-16 code units, as the marketplaces' own validators (and zod) count it.
  if (text.length > max) {
    return violation(
      'text_too_long',
      `${capabilities.name} takes a message to the buyer of at most ${max.toLocaleString('en-US')} characters; this one has ${text.length.toLocaleString('en-US')}.`,
      'text',
    );
  }
  return null;
}

const DUE_WORDS = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** "Thursday 3 December 2026, 09:00 UTC": a due date in words, the same on every machine. */
export function dueDateWords(dueAtMs: number): string {
  const part = (type: Intl.DateTimeFormatPartTypes): string => DUE_WORDS.formatToParts(dueAtMs).find((entry) => entry.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} UTC`;
}

/** The message that asks for proof on a marketplace without a proof endpoint: the seller's words and the due date. */
export function proofRequestMessage(message: string, dueAtMs: number): string {
  const due = `Please send your photos or video by ${dueDateWords(dueAtMs)}.`;
  return message.trim() === '' ? due : `${message.trimEnd()}\n\n${due}`;
}
