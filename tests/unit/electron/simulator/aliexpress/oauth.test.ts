import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, bodyOf, callRest, callSync, errorOf, start, type Started } from './helpers';

/** The seller's consent page and the token flow (§3), expiry on the sandbox's clock. */

const LIST = 'aliexpress.trade.seller.orderlist.get';
const query = { param_aeop_order_query: JSON.stringify({ current_page: 1, page_size: 1 }) };
const CALLBACK = 'http://127.0.0.1:9/callback';

let started: Started | null = null;
afterEach(async () => {
  await started?.sandbox.close();
  started = null;
});

function authorizeUrl(s: Started, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ response_type: 'code', force_auth: 'true', redirect_uri: CALLBACK, client_id: s.sandbox.appKey, state: 'xyz 1', ...extra });
  return `${s.sandbox.url}/oauth/authorize?${params.toString()}`;
}

async function createToken(s: Started, code: string): Promise<Record<string, unknown>> {
  return (await callRest(s, '/auth/token/create', { code })).json;
}

describe('the consent page', () => {
  it('shows the demo seller a form that redirects back with a code and the state', async () => {
    started = await start();
    const page = await fetch(authorizeUrl(started));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(started.sandbox.state.seller.loginId);
    expect(html).toContain('name="state" value="xyz 1"');
    const form = new URLSearchParams({ response_type: 'code', client_id: started.sandbox.appKey, redirect_uri: CALLBACK, state: 'xyz 1', decision: 'allow' });
    const allowed = await fetch(`${started.sandbox.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(allowed.status).toBe(302);
    const location = new URL(allowed.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe('xyz 1');
    const code = location.searchParams.get('code') ?? '';
    expect(code).toMatch(/^3_12345678_/);
    expect(await createToken(started, code)).toMatchObject({ code: '0' });
  });

  it('redirects with error=access_denied when the seller says no', async () => {
    started = await start();
    const form = new URLSearchParams({ response_type: 'code', client_id: started.sandbox.appKey, redirect_uri: CALLBACK, decision: 'deny' });
    const denied = await fetch(`${started.sandbox.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const location = new URL(denied.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('auto=1 redirects at once (the sandbox shortcut)', async () => {
    started = await start();
    const answer = await fetch(authorizeUrl(started, { auto: '1' }), { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(new URL(answer.headers.get('location') ?? '').searchParams.get('code')).toMatch(/^3_/);
  });

  it.each([
    [{ client_id: '999' }, 'client_id'],
    [{ response_type: 'token' }, 'response_type'],
    [{ redirect_uri: 'not a url' }, 'redirect_uri'],
    [{ redirect_uri: 'javascript:alert(1)' }, 'redirect_uri'],
  ])('refuses %j with a page that says why', async (extra, word) => {
    started = await start();
    const answer = await fetch(authorizeUrl(started, extra), { redirect: 'manual' });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain(word);
    const posted = await fetch(`${started.sandbox.url}/oauth/authorize`, { method: 'POST', body: new URLSearchParams({ response_type: 'code', client_id: '1' }) });
    expect(posted.status).toBe(400);
  });
});

describe('tokens', () => {
  it('creates tokens from a code once; the answer is flat with the documented fields', async () => {
    started = await start();
    const code = started.sandbox.issueCode();
    const token = await createToken(started, code);
    expect(token).toMatchObject({
      code: '0',
      expires_in: 86_400,
      refresh_expires_in: 172_800,
      expire_time: started.clock.now() + DAY,
      refresh_token_valid_time: started.clock.now() + 2 * DAY,
      seller_id: started.sandbox.state.seller.sellerId,
      user_nick: started.sandbox.state.seller.loginId,
      access_token: expect.stringMatching(/^50000\w{65}$/) as unknown,
      refresh_token: expect.stringMatching(/^50001\w{65}$/) as unknown,
    });
    expect(typeof token.seller_id).toBe('string');
    expect(String(token.request_id)).toHaveLength(25);
    const again = await createToken(started, code);
    expect(again).toMatchObject({ type: 'ISV', code: 'InvalidCode' });
    expect(Object.keys(again).sort()).toEqual(['code', 'message', 'request_id', 'type']);
    expect((await callRest(started, '/auth/token/create', {})).json.code).toBe('MissingParameter');
  });

  it('a code is short-lived (10 minutes)', async () => {
    started = await start();
    const code = started.sandbox.issueCode();
    started.clock.advance(10 * 60_000);
    expect((await createToken(started, code)).code).toBe('InvalidCode');
  });

  it('an access token expires on the clock; refresh gives a new one; the refresh token expires too', async () => {
    started = await start();
    const first = await createToken(started, started.sandbox.issueCode());
    const access = String(first.access_token);
    expect(bodyOf(await callSync(started, LIST, query, { token: access }), LIST).result).toMatchObject({ success: true });
    started.clock.advance(DAY);
    expect(errorOf(await callSync(started, LIST, query, { token: access })).code).toBe('IllegalAccessToken');
    const refreshed = (await callRest(started, '/auth/token/refresh', { refresh_token: String(first.refresh_token) })).json;
    expect(refreshed).toMatchObject({ code: '0', refresh_token_valid_time: first.refresh_token_valid_time, expires_in: 86_400, refresh_expires_in: 86_400 });
    expect(refreshed.access_token).not.toBe(access);
    expect(bodyOf(await callSync(started, LIST, query, { token: String(refreshed.access_token) }), LIST).result).toMatchObject({ success: true });
    // The old refresh token still works until its own expiry (a lost refresh answer is not fatal).
    expect((await callRest(started, '/auth/token/refresh', { refresh_token: String(first.refresh_token) }, { viaMethod: true })).json.code).toBe('0');
    started.clock.advance(DAY);
    expect((await callRest(started, '/auth/token/refresh', { refresh_token: String(refreshed.refresh_token) })).json).toMatchObject({ code: 'IllegalRefreshToken' });
    expect(errorOf(await callSync(started, LIST, query, { token: String(refreshed.access_token) })).code).toBe('IllegalAccessToken');
  });

  it('honours custom token lifetimes', async () => {
    started = await start({ accessTokenTtlMs: HOUR, refreshTokenTtlMs: 3 * HOUR });
    const token = await createToken(started, started.sandbox.issueCode());
    expect(token).toMatchObject({ expires_in: 3600, refresh_expires_in: 10_800 });
  });
});
