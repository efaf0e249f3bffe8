import { describe, expect, it } from 'vitest';
import { DEMO_CAPABILITIES } from '../../../../shared/domain/marketplace';
import { dueDateWords, messageTextViolation, proofRequestMessage } from '../../../../shared/rules/message';

describe('messageTextViolation', () => {
  it('takes a message up to the marketplace limit and refuses a longer one with the limit and the length', () => {
    expect(messageTextViolation(DEMO_CAPABILITIES, 'x'.repeat(2000))).toBeNull();
    expect(messageTextViolation(DEMO_CAPABILITIES, 'x'.repeat(2001))).toEqual({
      code: 'text_too_long',
      field: 'text',
      message: 'Demo marketplace takes a message to the buyer of at most 2,000 characters; this one has 2,001.',
    });
    const small = { ...DEMO_CAPABILITIES, name: 'AliExpress', limits: { ...DEMO_CAPABILITIES.limits, messageMax: 512 } };
    expect(messageTextViolation(small, 'y'.repeat(513))?.message).toBe('AliExpress takes a message to the buyer of at most 512 characters; this one has 513.');
  });

  it('refuses an empty message and any message where the marketplace takes none', () => {
    expect(messageTextViolation(DEMO_CAPABILITIES, ' \n\t')).toMatchObject({ code: 'missing_field', field: 'text' });
    expect(messageTextViolation({ ...DEMO_CAPABILITIES, messages: false }, 'Hello')).toMatchObject({
      code: 'not_supported_by_marketplace',
      message: 'Demo marketplace does not take messages to buyers from Cancel Desk; write to the buyer there.',
    });
  });
});

describe('a proof request as a message', () => {
  it('appends the due date in words, in UTC, the same on every machine', () => {
    const due = Date.UTC(2026, 11, 3, 9, 5);
    expect(dueDateWords(due)).toBe('Thursday 3 December 2026, 09:05 UTC');
    expect(proofRequestMessage('Photos of the box, please.  ', due)).toBe('Photos of the box, please.\n\nPlease send your photos or video by Thursday 3 December 2026, 09:05 UTC.');
    expect(proofRequestMessage('', due)).toBe('Please send your photos or video by Thursday 3 December 2026, 09:05 UTC.');
  });
});
