import { describe, expect, it } from 'vitest';
import * as iop from '../../../../../../../electron/backend/marketplace/aliexpress/iop';

describe('the iop public API', () => {
  it('exports what the adapter and the stores use, and nothing by accident', () => {
    expect(Object.keys(iop).sort()).toEqual(
      [
        'DEFAULT_RETRY_AFTER_MS',
        'FORM_CONTENT_TYPE',
        'IOP_DEFAULT_PARTNER_ID',
        'IOP_DEFAULT_TIMEOUT_MS',
        'IOP_ERROR_CODE',
        'IOP_LIMITS',
        'IopClient',
        'IopError',
        'IopLong',
        'SIGN_IN_AGAIN',
        'cleanMarketplaceText',
        'encodeIopRequest',
        'iopFailureOutcome',
        'iopFormValue',
        'iopJson',
        'iopList',
        'iopListAt',
        'iopLong',
        'isBlankIopValue',
        'parseIopJson',
        'readIopAnswer',
        'signIop',
        'stringToSign',
        'wrapperKey',
      ].sort(),
    );
    expect(iop.IOP_LIMITS).toEqual({ requestsPerSecond: 10, burst: 10, maxInFlight: 4 });
  });
});
