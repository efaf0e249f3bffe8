/**
 * External links (design.md §10): a URL leaves the app for the system browser only over https, to
 * a host on the allow-list, with no credentials in it. Everything else is refused and logged.
 * After bitwarden's safe-shell: one checking wrapper in front of `shell.openExternal`.
 */

/** Hosts a seller may be sent to from inside the app (the marketplace's own pages; api-sg: "Sign in with AliExpress", protocol §3.1). */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set(['www.aliexpress.com', 'sellercenter.aliexpress.com', 'api-sg.aliexpress.com']);

const MAX_URL_LENGTH = 2_048;

export type ExternalUrlVerdict =
  | { allowed: true; url: string }
  | { allowed: false; code: 'invalid_url' | 'not_https' | 'host_not_allowed' | 'credentials_in_url' | 'url_too_long'; message: string };

/** Whether `url` may be opened in the system browser, and why not when it may not. */
export function checkExternalUrl(url: string, hosts: ReadonlySet<string> = EXTERNAL_HOSTS): ExternalUrlVerdict {
  if (url.length > MAX_URL_LENGTH) {
    return { allowed: false, code: 'url_too_long', message: `A link longer than ${MAX_URL_LENGTH} characters is not opened.` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allowed: false, code: 'invalid_url', message: 'The link is not a valid URL.' };
  }
  if (parsed.protocol !== 'https:') {
    return { allowed: false, code: 'not_https', message: `Only https links are opened (this one is ${parsed.protocol}).` };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { allowed: false, code: 'credentials_in_url', message: 'A link with a user name or password in it is not opened.' };
  }
  // URL lower-cases the host and turns internationalised names into punycode, so a look-alike
  // host never matches an allowed one by accident; a trailing dot is the same host.
  const host = parsed.hostname.replace(/\.$/, '');
  if (parsed.port !== '' || !hosts.has(host)) {
    return { allowed: false, code: 'host_not_allowed', message: `${host}${parsed.port ? `:${parsed.port}` : ''} is not on Cancel Desk’s list of sites to open.` };
  }
  return { allowed: true, url: parsed.toString() };
}

export function isAllowedExternalUrl(url: string, hosts: ReadonlySet<string> = EXTERNAL_HOSTS): boolean {
  return checkExternalUrl(url, hosts).allowed;
}

export interface SafeShellDependencies {
  /** Hands the checked URL to the system browser (safe-shell.ts); a recorder in tests. */
  open(url: string): Promise<void>;
  warn(message: string): void;
  hosts?: ReadonlySet<string>;
  /** Another check than the allow-list (the sign-in pages: checkSignInUrl); `hosts` is then unused. */
  check?: (url: string) => ExternalUrlVerdict;
}

/**
 * The only way the app opens a link outside itself. Resolves to whether it was opened; never
 * rejects (a refusal or a failure is logged, not thrown into an event handler).
 */
export async function openExternalSafely(url: string, dependencies: SafeShellDependencies): Promise<boolean> {
  const verdict = dependencies.check?.(url) ?? checkExternalUrl(url, dependencies.hosts);
  if (!verdict.allowed) {
    dependencies.warn(`refused to open a link outside the app (${verdict.code}): ${verdict.message}`);
    return false;
  }
  try {
    await dependencies.open(verdict.url);
    return true;
  } catch (error) {
    dependencies.warn(`could not open ${verdict.url}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** How many sign-in pages are remembered at once (a seller signs in to a few stores, not dozens). */
const SIGN_IN_LINKS_KEPT = 8;

/**
 * The sign-in pages the backend handed out this run (`stores.signIn`), each opened at most once.
 * A local AliExpress sandbox's page is plain http on this machine, which the allow-list never
 * opens; it is opened only as the exact page the backend answered, not as a kind of address.
 */
export class SignInLinks {
  private readonly links: string[] = [];

  /** Remembers the authorize page of a `stores.signIn` answer (anything else is ignored). */
  rememberAnswer(answer: unknown): void {
    if (typeof answer !== 'object' || answer === null || !('authorizeUrl' in answer)) return;
    const url = answer.authorizeUrl;
    if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return;
    this.links.push(url);
    if (this.links.length > SIGN_IN_LINKS_KEPT) this.links.shift();
  }

  /** Whether this exact page was handed out and not opened yet; it is forgotten either way. */
  take(url: string): boolean {
    const at = this.links.indexOf(url);
    if (at === -1) return false;
    this.links.splice(at, 1);
    return true;
  }
}

/** This machine's names (a sandbox the seller runs locally). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The check for a sign-in page: the allow-list's (https://api-sg.aliexpress.com/oauth/authorize),
 * or a local sandbox's authorize page (http, this machine, an explicit port, /oauth/authorize, no
 * credentials) that is exactly one the backend handed out and has not been opened yet.
 */
export function checkSignInUrl(url: string, links: SignInLinks, hosts: ReadonlySet<string> = EXTERNAL_HOSTS): ExternalUrlVerdict {
  const general = checkExternalUrl(url, hosts);
  if (general.allowed || general.code !== 'not_https') return general;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return general;
  }
  const sandboxPage =
    parsed.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(parsed.hostname) &&
    parsed.port !== '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname === '/oauth/authorize';
  if (!sandboxPage || !links.take(url)) return general;
  return { allowed: true, url: parsed.toString() };
}
