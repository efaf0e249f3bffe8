import { describe, expect, it, vi } from 'vitest';
import { checkExternalUrl, checkSignInUrl, openExternalSafely, SignInLinks } from '../../../../electron/main/external-links';

const REAL = 'https://api-sg.aliexpress.com/oauth/authorize?response_type=code&force_auth=true&redirect_uri=http%3A%2F%2F127.0.0.1%3A53124%2Faliexpress%2Fcallback&client_id=513774&state=abc';
const SANDBOX = 'http://127.0.0.1:4010/oauth/authorize?response_type=code&force_auth=true&redirect_uri=http%3A%2F%2F127.0.0.1%3A53124%2Faliexpress%2Fcallback&client_id=513774&state=abc';

describe('opening the AliExpress sign-in page', () => {
  it('the real authorize page is on the general allow-list', () => {
    expect(checkExternalUrl(REAL)).toMatchObject({ allowed: true });
  });

  it('a local sandbox page opens only as a page the backend handed out, and only once', () => {
    const links = new SignInLinks();
    expect(checkExternalUrl(SANDBOX)).toMatchObject({ allowed: false, code: 'not_https' });
    expect(checkSignInUrl(SANDBOX, links)).toMatchObject({ allowed: false, code: 'not_https' });
    links.rememberAnswer({ authorizeUrl: SANDBOX, redirectUri: 'http://127.0.0.1:53124/aliexpress/callback' });
    expect(checkSignInUrl(SANDBOX, links)).toEqual({ allowed: true, url: SANDBOX });
    expect(checkSignInUrl(SANDBOX, links)).toMatchObject({ allowed: false });
    // The general allow-list never learns it.
    expect(checkExternalUrl(SANDBOX)).toMatchObject({ allowed: false });
  });

  it.each([
    ['another host', 'http://192.168.1.10:4010/oauth/authorize?state=abc'],
    ['no explicit port', 'http://127.0.0.1/oauth/authorize?state=abc'],
    ['another path', 'http://127.0.0.1:4010/admin?state=abc'],
    ['credentials', 'http://user:pass@127.0.0.1:4010/oauth/authorize?state=abc'],
    ['a file', 'file:///etc/passwd'],
  ])('refuses a handed-out page on %s', (_label, url) => {
    const links = new SignInLinks();
    links.rememberAnswer({ authorizeUrl: url });
    expect(checkSignInUrl(url, links)).toMatchObject({ allowed: false });
  });

  it('ignores answers that are not a sign-in, and remembers only the last few', () => {
    const links = new SignInLinks();
    for (const answer of [null, 'x', { authorizeUrl: 1 }, { other: SANDBOX }, { authorizeUrl: `${SANDBOX}${'a'.repeat(3_000)}` }]) links.rememberAnswer(answer);
    expect(links.take(SANDBOX)).toBe(false);
    for (let port = 4000; port < 4009; port += 1) links.rememberAnswer({ authorizeUrl: `http://127.0.0.1:${port}/oauth/authorize` });
    expect(links.take('http://127.0.0.1:4000/oauth/authorize')).toBe(false);
    expect(links.take('http://127.0.0.1:4008/oauth/authorize')).toBe(true);
  });

  it('still refuses what the allow-list refuses for other reasons', () => {
    expect(checkSignInUrl('https://evil.example/oauth/authorize', new SignInLinks())).toMatchObject({ allowed: false, code: 'host_not_allowed' });
    expect(checkSignInUrl('not a url', new SignInLinks())).toMatchObject({ allowed: false, code: 'invalid_url' });
  });

  it('the safe shell takes the sign-in check in place of the allow-list', async () => {
    const links = new SignInLinks();
    links.rememberAnswer({ authorizeUrl: SANDBOX });
    const open = vi.fn(() => Promise.resolve());
    const warn = vi.fn();
    expect(await openExternalSafely(SANDBOX, { open, warn, check: (url) => checkSignInUrl(url, links) })).toBe(true);
    expect(open).toHaveBeenCalledWith(SANDBOX);
    expect(await openExternalSafely(SANDBOX, { open, warn, check: (url) => checkSignInUrl(url, links) })).toBe(false);
    expect(warn).toHaveBeenCalledOnce();
  });
});
