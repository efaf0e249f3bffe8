import { describe, expect, it } from 'vitest';
import { BUYER_REASONS } from '../../../../shared/domain/request';
import {
  BUYER_REASON_CATALOGUE,
  PROOF_USEFUL_REASONS,
  REFUSAL_REASON_CATALOGUE,
  SELLER_REFUSAL_REASONS,
  buyerReasonInfo,
  refusalReasonInfo,
} from '../../../../shared/rules';

describe('buyer reason catalogue', () => {
  it('covers every buyer reason with a label and its moment', () => {
    expect(Object.keys(BUYER_REASON_CATALOGUE).sort()).toEqual([...BUYER_REASONS].sort());
    for (const reason of BUYER_REASONS) {
      const info = buyerReasonInfo(reason);
      expect(info.reason).toBe(reason);
      expect(info.label.length).toBeGreaterThan(3);
      expect(['cancel', 'dispute']).toContain(info.kind);
    }
  });

  it.each([
    ['changed_mind', 'cancel', false, false],
    ['ordered_by_mistake', 'cancel', false, false],
    ['found_cheaper', 'cancel', false, false],
    ['shipping_too_slow', 'cancel', false, false],
    ['wrong_address', 'cancel', false, false],
    ['payment_issue', 'cancel', false, false],
    ['not_received', 'dispute', false, true],
    ['not_as_described', 'dispute', true, true],
    ['damaged', 'dispute', true, true],
    ['wrong_item', 'dispute', true, true],
    ['missing_parts', 'dispute', true, true],
    ['counterfeit', 'dispute', true, true],
  ] as const)('%s: %s, proof useful %s, seller fault %s', (reason, kind, proofUseful, sellerFault) => {
    expect(BUYER_REASON_CATALOGUE[reason]).toMatchObject({ kind, proofUseful, sellerFault });
  });

  it('lists the reasons proof can support', () => {
    expect(PROOF_USEFUL_REASONS).toEqual(['not_as_described', 'damaged', 'wrong_item', 'missing_parts', 'counterfeit']);
  });
});

describe('seller refusal reasons', () => {
  it('say what each needs', () => {
    expect(SELLER_REFUSAL_REASONS).toHaveLength(5);
    expect(refusalReasonInfo('already_shipped').requires).toEqual(['carrier', 'trackingNumber']);
    expect(refusalReasonInfo('buyer_agreed_to_keep').requires).toEqual(['note']);
    expect(refusalReasonInfo('no_evidence_provided')).toMatchObject({ requires: [], onlyAfterProofDue: true });
    expect(refusalReasonInfo('evidence_contradicts_claim').requires).toEqual(['note']);
    expect(refusalReasonInfo('other').requires).toEqual(['note']);
    for (const reason of SELLER_REFUSAL_REASONS) {
      expect(REFUSAL_REASON_CATALOGUE[reason].meaning).toMatch(/\.$/);
    }
  });
});
