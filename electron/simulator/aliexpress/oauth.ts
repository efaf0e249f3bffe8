import type { Platform } from './platform';
import type { TokenStore } from './tokens';

/**
 * The seller's consent page (§3.1): GET /oauth/authorize?response_type=code&client_id=<app key>
 * &redirect_uri=<url>&state=<opaque>[&force_auth=true][&uuid=…] shows the demo seller a page with
 * Authorize / Deny buttons, which POST back here and redirect (302) to
 * `redirect_uri?code=…&state=…` or `redirect_uri?error=access_denied&state=…`.
 * Sandbox shortcut, not AliExpress: add `auto=1` to the GET to be redirected with a code at once
 * (tests, and the embedded demo store, which has nobody to click).
 * Any http(s) redirect_uri is taken: the sandbox has no registered callback to compare with.
 */

export interface OAuthAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

function page(status: number, title: string, inner: string): OAuthAnswer {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:32rem;margin:4rem auto;color:#222}
button{font:inherit;padding:.5rem 1.2rem;margin-right:.6rem}.app{font-family:monospace}</style></head>
<body><h1>${escapeHtml(title)}</h1>${inner}</body></html>`;
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body };
}

function redirect(location: URL): OAuthAnswer {
  return { status: 302, headers: { Location: location.toString(), 'Cache-Control': 'no-store' }, body: '' };
}

interface AuthorizeInput {
  readonly redirect: URL;
  readonly state: string | null;
}

function check(params: URLSearchParams, appKey: string): AuthorizeInput | string {
  if (params.get('response_type') !== 'code') return 'response_type must be "code".';
  if (params.get('client_id') !== appKey) return 'client_id is not the app key of this sandbox.';
  const target = params.get('redirect_uri') ?? '';
  let redirectUrl: URL;
  try {
    redirectUrl = new URL(target);
  } catch {
    return 'redirect_uri must be an absolute http(s) URL.';
  }
  if (redirectUrl.protocol !== 'http:' && redirectUrl.protocol !== 'https:') return 'redirect_uri must be an http(s) URL.';
  return { redirect: redirectUrl, state: params.get('state') };
}

function withCode(input: AuthorizeInput, tokens: TokenStore, platform: Platform): OAuthAnswer {
  const location = new URL(input.redirect);
  location.searchParams.set('code', tokens.issueCode(platform.now()).code);
  if (input.state !== null) location.searchParams.set('state', input.state);
  return redirect(location);
}

/** GET /oauth/authorize. */
export function authorizePage(params: URLSearchParams, appKey: string, tokens: TokenStore, platform: Platform): OAuthAnswer {
  const input = check(params, appKey);
  if (typeof input === 'string') return page(400, 'Authorization request refused', `<p>${escapeHtml(input)}</p>`);
  if (params.get('auto') === '1') return withCode(input, tokens, platform);
  const hidden = ['response_type', 'client_id', 'redirect_uri', 'state']
    .filter((name) => params.get(name) !== null)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
    .join('');
  return page(
    200,
    'Authorize an app',
    `<p>The app <span class="app">${escapeHtml(appKey)}</span> asks to manage the orders, disputes and buyer messages of
<strong>${escapeHtml(platform.seller.loginId)}</strong> (AliExpress sandbox seller).</p>
<form method="post" action="/oauth/authorize">${hidden}
<button type="submit" name="decision" value="allow">Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

/** POST /oauth/authorize: the consent form's answer. */
export function authorizeDecision(form: URLSearchParams, appKey: string, tokens: TokenStore, platform: Platform): OAuthAnswer {
  const input = check(form, appKey);
  if (typeof input === 'string') return page(400, 'Authorization request refused', `<p>${escapeHtml(input)}</p>`);
  if (form.get('decision') !== 'allow') {
    const location = new URL(input.redirect);
    location.searchParams.set('error', 'access_denied');
    if (input.state !== null) location.searchParams.set('state', input.state);
    return redirect(location);
  }
  return withCode(input, tokens, platform);
}
