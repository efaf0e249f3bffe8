import { describe, expect, it } from 'vitest';
import { IOP_ERROR_CODE, IopError, iopFailureOutcome, type IopErrorKind } from '../../../../../../../electron/backend/marketplace/aliexpress/iop/error';
import { DeskError, toErrorShape } from '../../../../../../../shared/errors';

describe('IopError', () => {
  it('is a DeskError whose code follows its kind unless given', () => {
    const error = new IopError({ kind: 'config', message: 'Check the App Key.' });
    expect(error).toBeInstanceOf(DeskError);
    expect(toErrorShape(error)).toEqual({ code: 'marketplace_config', message: 'Check the App Key.' });
    expect([error.iopCode, error.subCode, error.marketplaceMessage, error.requestId, error.status, error.retryAfterMs]).toEqual([null, null, null, null, null, null]);
    expect(new IopError({ kind: 'unclear', code: 'invalid_payload', message: 'x' }).code).toBe('invalid_payload');
  });

  it('maps every kind to what exactly-once needs: rejected, not sent, or unknown', () => {
    const expected: Record<IopErrorKind, string> = {
      config: 'not_sent',
      token: 'not_sent',
      rate_limited: 'not_sent',
      unreachable: 'not_sent',
      rejected: 'rejected',
      unclear: 'unknown',
    };
    for (const kind of Object.keys(expected) as IopErrorKind[]) {
      const outcome = iopFailureOutcome(new IopError({ kind, message: `a ${kind} failure` }));
      expect(outcome).toEqual({ kind: expected[kind], code: IOP_ERROR_CODE[kind], message: `a ${kind} failure` });
    }
  });

  it("names the marketplace's sub code, else its code, in the outcome", () => {
    expect(iopFailureOutcome(new IopError({ kind: 'rejected', message: 'm', iopCode: '15', subCode: 'isv.x' })).code).toBe('isv.x');
    expect(iopFailureOutcome(new IopError({ kind: 'rejected', message: 'm', iopCode: 'InvalidParameter' })).code).toBe('InvalidParameter');
  });

  it('refuses a kind it does not know', () => {
    const strange = new IopError({ kind: 'rejected', message: 'm' });
    Object.defineProperty(strange, 'kind', { value: 'strange' });
    expect(() => iopFailureOutcome(strange)).toThrow(/does not handle \(strange\)/);
  });
});
