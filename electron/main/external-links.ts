/**
 * External links (design.md §10): a URL leaves the app for the system browser only over https, to
 * a host on the allow-list, with no credentials in it. Everything else is refused and logged.
 * After bitwarden's safe-shell: one checking wrapper in front of `shell.openExternal`.
 */

/** Hosts a seller may be sent to from inside the app (the marketplace's own pages). */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set(['www.aliexpress.com', 'sellercenter.aliexpress.com']);

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
}

/**
 * The only way the app opens a link outside itself. Resolves to whether it was opened; never
 * rejects (a refusal or a failure is logged, not thrown into an event handler).
 */
export async function openExternalSafely(url: string, dependencies: SafeShellDependencies): Promise<boolean> {
  const verdict = checkExternalUrl(url, dependencies.hosts);
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
