/**
 * What an installed Cancel Desk refuses from whoever launches it. The fuses (electron-builder.yml)
 * close ELECTRON_RUN_AS_NODE, NODE_OPTIONS and Node's --inspect; this closes the rest a launcher
 * (a shortcut, another program of the same user) could pass:
 * - Chromium's remote debugging and any --inspect switch: the app quits rather than hand its
 *   window, its IPC and the token it holds to a debugger;
 * - the development overrides in the environment: another marketplace (which would receive the
 *   keychain's token), another update feed, another profile prepared by someone else. They are
 *   ignored, and the log says so.
 * Development builds (`app.isPackaged` false) keep all of them: tests and `npm start` use them.
 */
import { MARKETPLACE_URL_ENV } from './marketplace-choice';
import { UPDATE_URL_ENV } from './updater';

/** A separate profile (tests, a second seller account in development). */
export const USER_DATA_ENV = 'CANCEL_DESK_USER_DATA';

/** Environment variables that only a development build reads. */
export const DEVELOPMENT_ONLY_ENV = [USER_DATA_ENV, MARKETPLACE_URL_ENV, UPDATE_URL_ENV] as const;

/**
 * The debugging switches in a command line (argv[0], the executable, is not read). Chromium takes
 * `--switch`, `-switch` and, on Windows, `/switch` (case-insensitive there), and stops reading
 * switches at a bare `--`.
 */
export function debuggingSwitches(argv: readonly string[], platform: NodeJS.Platform): string[] {
  const found: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg === '--') break;
    const prefix = /^--?/.exec(arg)?.[0] ?? (platform === 'win32' && arg.startsWith('/') ? '/' : null);
    if (prefix === null) continue;
    const rawName = arg.slice(prefix.length).split('=')[0] ?? '';
    const name = platform === 'win32' ? rawName.toLowerCase() : rawName;
    if (name.startsWith('remote-debugging-') || name.startsWith('inspect')) found.push(`${prefix}${rawName}`);
  }
  return found;
}

export interface LaunchOverrides {
  /** The profile folder to use instead of the OS default; null: the default. */
  userData: string | null;
  /** Whether CANCEL_DESK_MARKETPLACE_URL may replace the marketplace saved in Settings. */
  marketplaceUrl: boolean;
  /** The overrides that are set but ignored (for the log). */
  ignored: string[];
}

/** Which overrides from the environment apply: all of them in development, none when installed. */
export function launchOverrides(env: Readonly<Record<string, string | undefined>>, isPackaged: boolean): LaunchOverrides {
  const isSet = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  if (isPackaged) return { userData: null, marketplaceUrl: false, ignored: DEVELOPMENT_ONLY_ENV.filter(isSet) };
  return { userData: isSet(USER_DATA_ENV) ? (env[USER_DATA_ENV] ?? null) : null, marketplaceUrl: true, ignored: [] };
}

/** The log line for an override an installed app ignored. */
export function ignoredOverrideMessage(name: string): string {
  return `${name} is set but ignored: an installed Cancel Desk does not take it from the environment (development builds do)`;
}
