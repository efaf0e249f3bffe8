import { describe, expect, it } from 'vitest';
import { signIop } from '../../../../../../electron/backend/marketplace/aliexpress/iop';
import { iopTokenCall } from '../../../../../../electron/backend/stores/aliexpress/token-call';
import { createManualClock } from '../../../../../../electron/simulator/clock';

const T0 = Date.parse('2026-11-26T09:00:00.000Z');
const APP = { gatewayUrl: 'https://api-sg.aliexpress.com/', appKey: '513774', appSecret: 'helloworld' };

describe('iopTokenCall: the token calls through the IOP client', () => {
  it('POSTs /rest/auth/token/create signed with the path, without an access token, and answers the flat body', async () => {
    const sent: Array<{ url: string; body: string }> = [];
    const fetchStub: typeof fetch = (input, init) => {
      sent.push({ url: input instanceof Request ? input.url : input.toString(), body: typeof init?.body === 'string' ? init.body : '' });
      return Promise.resolve(new Response(JSON.stringify({ access_token: 'a', code: '0', request_id: 'r' }), { status: 200 }));
    };
    const call = iopTokenCall(APP, { clock: createManualClock(T0), fetch: fetchStub });
    expect(await call('/auth/token/create', { code: '3_513774_abc' })).toMatchObject({ access_token: 'a', code: '0' });
    const [request] = sent;
    if (request === undefined) throw new Error('nothing was sent');
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://api-sg.aliexpress.com/rest/auth/token/create');
    expect(url.searchParams.has('access_token')).toBe(false);
    expect(request.body).toBe('code=3_513774_abc');
    const system = Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'sign'));
    expect(url.searchParams.get('sign')).toBe(signIop({ ...system, code: '3_513774_abc' }, APP.appSecret, '/auth/token/create'));
    expect(url.searchParams.get('timestamp')).toBe(String(T0));
  });

  it('throws the classified error AliExpress answered', async () => {
    const fetchStub: typeof fetch = () =>
      Promise.resolve(new Response(JSON.stringify({ type: 'ISV', code: 'IllegalRefreshToken', message: 'The refresh token is invalid', request_id: 'r' }), { status: 200 }));
    const call = iopTokenCall(APP, { clock: createManualClock(T0), fetch: fetchStub });
    await expect(call('/auth/token/refresh', { refresh_token: 'x' })).rejects.toMatchObject({ kind: 'rejected' });
  });
});
