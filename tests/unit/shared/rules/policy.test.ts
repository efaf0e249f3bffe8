import { describe, expect, it } from 'vitest';
import { money } from '../../../../shared/money';
import {
  DEFAULT_POLICY,
  PolicySchema,
  RulesInputError,
  highValueThreshold,
  parsePolicy,
  proofThreshold,
  refundsShippingAfterShipment,
} from '../../../../shared/rules';

function policyError(input: unknown): RulesInputError {
  try {
    parsePolicy(input);
  } catch (error) {
    if (error instanceof RulesInputError) return error;
    throw error;
  }
  throw new Error('expected a RulesInputError');
}

describe('policy', () => {
  it('has a default for every field', () => {
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
    expect(parsePolicy(undefined)).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toMatchObject({
      proofDueDays: 3,
      slaWarningHours: 12,
      undoWindowSeconds: 10,
      shippingAfterShipment: 'refund_if_seller_fault',
      repeatCanceller: { minRequests: 3, windowDays: 90 },
    });
    expect(DEFAULT_POLICY.proofRequired.reasons).toContain('damaged');
    expect(DEFAULT_POLICY.refusalTemplates.already_shipped).toMatch(/tracking/);
  });

  it('fills nested defaults around what the user set', () => {
    const policy = parsePolicy({ repeatCanceller: { minRequests: 5 }, refusalTemplates: { other: 'Sorry.' }, proofRequired: { minAmount: { JPY: 100 } } });
    expect(policy.repeatCanceller).toEqual({ minRequests: 5, windowDays: 90 });
    expect(policy.refusalTemplates.other).toBe('Sorry.');
    expect(policy.refusalTemplates.already_shipped).toBe(DEFAULT_POLICY.refusalTemplates.already_shipped);
    expect(policy.proofRequired.reasons).toEqual(DEFAULT_POLICY.proofRequired.reasons);
    expect(policy.proofRequired.minAmount).toEqual({ JPY: 100 });
  });

  it.each([
    [{ proofDueDays: 0 }, 'policy.proofDueDays'],
    [{ proofDueDays: 2.5 }, 'policy.proofDueDays'],
    [{ slaWarningHours: 'soon' }, 'policy.slaWarningHours'],
    [{ undoWindowSeconds: -1 }, 'policy.undoWindowSeconds'],
    [{ shippingAfterShipment: 'sometimes' }, 'policy.shippingAfterShipment'],
    [{ highValue: { usd: 100 } }, 'policy.highValue.usd'],
    [{ highValue: { USD: -1 } }, 'policy.highValue.USD'],
    [{ proofRequired: { reasons: ['damaged', 'teleported'] } }, 'policy.proofRequired.reasons[1]'],
    [{ proofRequired: { reasons: ['not_received'] } }, 'policy.proofRequired.reasons[0]'],
    [{ repeatCanceller: { minRequests: 1 } }, 'policy.repeatCanceller.minRequests'],
    [{ refusalTemplates: { other: 42 } }, 'policy.refusalTemplates.other'],
    ['strict', 'policy'],
  ])('names the bad field of %j', (input, field) => {
    const error = policyError(input);
    expect(error.code).toBe('rules.invalid_policy');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^The policy is malformed: /);
  });

  it('explains why proof cannot be required for an unprovable reason', () => {
    expect(policyError({ proofRequired: { reasons: ['not_received'] } }).message).toMatch(/photos or video cannot show "Item not received"/);
  });

  it('lists every bad field, not just the first', () => {
    const error = policyError({ proofDueDays: 0, slaWarningHours: 0 });
    expect(error.issues.map((issue) => issue.field)).toEqual(['policy.proofDueDays', 'policy.slaWarningHours']);
  });

  it('summarises long lists of issues', () => {
    const error = policyError({ proofDueDays: 0, slaWarningHours: 0, undoWindowSeconds: -1, shippingAfterShipment: 1, highValue: 1, repeatCanceller: 1, refusalTemplates: 1 });
    expect(error.message).toMatch(/\(and 2 more\)\.$/);
  });

  it('gives thresholds per currency', () => {
    expect(proofThreshold(DEFAULT_POLICY, 'damaged', 'USD')).toEqual(money(5000, 'USD'));
    expect(proofThreshold(DEFAULT_POLICY, 'damaged', 'CAD')).toEqual(money(0, 'CAD'));
    expect(proofThreshold(DEFAULT_POLICY, 'changed_mind', 'USD')).toBeNull();
    expect(highValueThreshold(DEFAULT_POLICY, 'KWD')).toEqual(money(45000, 'KWD'));
    expect(highValueThreshold(DEFAULT_POLICY, 'CAD')).toBeNull();
  });

  it('decides shipping after shipment per setting and reason', () => {
    const keep = PolicySchema.parse({ shippingAfterShipment: 'keep' });
    const refund = PolicySchema.parse({ shippingAfterShipment: 'refund' });
    expect(refundsShippingAfterShipment(keep, 'damaged')).toBe(false);
    expect(refundsShippingAfterShipment(refund, 'changed_mind')).toBe(true);
    expect(refundsShippingAfterShipment(DEFAULT_POLICY, 'damaged')).toBe(true);
    expect(refundsShippingAfterShipment(DEFAULT_POLICY, 'changed_mind')).toBe(false);
  });
});
