import { shell } from 'electron';
import { openExternalSafely } from './external-links';

/**
 * The app's one call of `shell.openExternal`, and only with a URL that passed the allow-list
 * (external-links.ts): https, a known host, no credentials.
 */
export function openInBrowser(url: string, warn: (message: string) => void): Promise<boolean> {
  return openExternalSafely(url, { open: (allowed) => shell.openExternal(allowed), warn });
}
