import { shell } from 'electron';
import { openExternalSafely } from './external-links';

/**
 * The app's one call of `shell.openExternal`, and only with a URL that passed the allow-list
 * (external-links.ts): https, a known host, no credentials. `hosts` replaces the allow-list for one
 * call whose host the app itself chose (the update feed's download page).
 */
export function openInBrowser(url: string, warn: (message: string) => void, hosts?: ReadonlySet<string>): Promise<boolean> {
  return openExternalSafely(url, { open: (allowed) => shell.openExternal(allowed), warn, ...(hosts === undefined ? {} : { hosts }) });
}
