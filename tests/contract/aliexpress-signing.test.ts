import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signIop } from '../../electron/backend/marketplace/aliexpress/iop';
import { signatureMatches } from '../../electron/simulator/aliexpress/signature';

/**
 * The connector's signer and the sandbox's verifier were written apart from the protocol
 * reference (§2); they must agree on any request: unicode values, empty ones (the connector drops
 * them, the sandbox accepts either reading, Q2), a repeated `method`, the `/rest` path prefix.
 */
describe('AliExpress signing: the connector and the sandbox agree', () => {
  const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/);
  const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constant(''), fc.constantFrom('Товар уже отправлен', '已发货', '🙂 ok', ' '));

  it('a request the connector signs is one the sandbox verifies, and a changed value is not', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 12 }), fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom(null, '/auth/token/create', '/auth/token/refresh'), (params, secret, path) => {
        const withMethod = { ...params, method: 'aliexpress.trade.seller.order.refusecancel' };
        const sign = signIop(withMethod, secret, path);
        // What goes on the wire: blank values are neither sent nor signed by the connector.
        const sent = new Map(Object.entries(withMethod).filter(([, text]) => text.trim() !== ''));
        expect(signatureMatches(secret, [path ?? ''], sent, sign)).toBe(true);
        const [first] = [...sent.keys()].filter((name) => name !== 'method');
        if (first !== undefined) {
          const tampered = new Map(sent);
          tampered.set(first, `${sent.get(first) ?? ''}x`);
          expect(signatureMatches(secret, [path ?? ''], tampered, sign)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
