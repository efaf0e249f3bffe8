import { describe, expect, it } from 'vitest';
import { REQUEST_STATES } from '../../../../shared/domain/request';
import { VIEW_IDS, VIEW_TITLES, missingCase, viewOfState } from '../../../../shared/domain/views';

describe('viewOfState', () => {
  it.each([
    ['requested', 'needs_reply'],
    ['refused_by_buyer', 'needs_reply'],
    ['proof_requested', 'proof_requested'],
    ['proof_submitted', 'proof_in'],
    ['offer_made', 'offers'],
    ['escalated', 'escalated'],
    ['accepted', 'done'],
    ['refunded', 'done'],
    ['refused', 'done'],
    ['withdrawn', 'done'],
    ['auto_accepted', 'done'],
    ['closed_by_platform', 'done'],
  ] as const)('%s is in %s', (state, view) => {
    expect(viewOfState(state)).toBe(view);
  });

  it('places every state in a titled view', () => {
    for (const state of REQUEST_STATES) expect(VIEW_TITLES[viewOfState(state)]).toBeTruthy();
    expect(Object.keys(VIEW_TITLES)).toEqual([...VIEW_IDS]);
  });

  it('fails loudly on a case a switch missed', () => {
    expect(() => missingCase('surprise' as never)).toThrow('Unhandled case: "surprise"');
  });
});
