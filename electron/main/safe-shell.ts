import { shell } from 'electron';
import { checkSignInUrl, openExternalSafely, type SignInLinks } from './external-links';

/**
 * The app's calls of `shell.openExternal` (here only), each with a URL that passed the allow-list
 * (external-links.ts): https, a known host, no credentials. `hosts` replaces the allow-list for one
 * call whose host the app itself chose (the update feed's download page).
 */
export function openInBrowser(url: string, warn: (message: string) => void, hosts?: ReadonlySet<string>): Promise<boolean> {
  return openExternalSafely(url, { open: (allowed) => shell.openExternal(allowed), warn, ...(hosts === undefined ? {} : { hosts }) });
}

/**
 * A link the renderer opens (window.open): through the allow-list, or as a sign-in page the
 * backend handed out this run (a local AliExpress sandbox's http page, once).
 */
export function openLinkOrSignIn(url: string, links: SignInLinks, warn: (message: string) => void): Promise<boolean> {
  return openExternalSafely(url, { open: (allowed) => shell.openExternal(allowed), warn, check: (candidate) => checkSignInUrl(candidate, links) });
}
