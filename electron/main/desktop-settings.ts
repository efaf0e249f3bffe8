/**
 * Settings of the desktop shell itself, kept in `desktop-settings.json` under userData and read
 * at start: when deadline notifications fire, which marketplace to use instead of the embedded
 * demo, where updates come from. (The seller's in-app settings go over the contract.) The file is
 * external input: validated, and an invalid one is reported and replaced by the defaults.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from '../../shared/ipc/dispatch';

export const DESKTOP_SETTINGS_FILE = 'desktop-settings.json';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** An https URL, or plain http to this machine only (a local marketplace or update server). */
export const ServiceUrlSchema = z
  .url()
  .max(2_048)
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  }, 'must be an https URL (plain http is allowed for localhost only)')
  .refine((value) => {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'must not contain a user name or password (the token is kept in the system keychain)');

export const DesktopSettingsSchema = z
  .object({
    /** A notification when a request enters its last N hours before the deadline; 0 turns them off. */
    deadlineAlertHours: z.number().min(0).max(168).default(4),
    /** The marketplace API to sync with; null: the embedded demo marketplace. */
    marketplaceUrl: ServiceUrlSchema.nullable().default(null),
    /** Where update files (latest*.yml and the installers) are served; null: no automatic updates. */
    updateFeedUrl: ServiceUrlSchema.nullable().default(null),
  })
  .strict();
export type DesktopSettings = z.infer<typeof DesktopSettingsSchema>;

export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = DesktopSettingsSchema.parse({});

export type DesktopSettingsRead = { settings: DesktopSettings; problem: string | null };

/** Parses the file's text (null: no file); never throws, an invalid file yields the defaults and the reason. */
export function parseDesktopSettings(text: string | null): DesktopSettingsRead {
  if (text === null) return { settings: DEFAULT_DESKTOP_SETTINGS, problem: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { settings: DEFAULT_DESKTOP_SETTINGS, problem: `${DESKTOP_SETTINGS_FILE} is not JSON (${error instanceof Error ? error.message : String(error)}); the defaults are used.` };
  }
  const parsed = DesktopSettingsSchema.safeParse(json);
  if (!parsed.success) {
    return { settings: DEFAULT_DESKTOP_SETTINGS, problem: `${DESKTOP_SETTINGS_FILE} is invalid (${describeIssues(parsed.error)}); the defaults are used.` };
  }
  return { settings: parsed.data, problem: null };
}

export async function loadDesktopSettings(file: string): Promise<DesktopSettingsRead> {
  try {
    return parseDesktopSettings(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseDesktopSettings(null);
    return { settings: DEFAULT_DESKTOP_SETTINGS, problem: `Could not read ${file} (${error instanceof Error ? error.message : String(error)}); the defaults are used.` };
  }
}
