/**
 * Settings of the desktop shell itself, kept in `desktop-settings.json` under userData and read
 * at start: which marketplace to use instead of the embedded demo, where updates come from. (The
 * seller's in-app settings, deadline notifications included, go over the contract.) The file is
 * external input: validated, and an invalid one is reported and replaced by the defaults.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import { DeskError } from '../../shared/errors';
import { MarketplaceUrlSchema } from '../../shared/ipc/contract';
import { describeIssues } from '../../shared/ipc/dispatch';

export const DESKTOP_SETTINGS_FILE = 'desktop-settings.json';

/** An https URL, or plain http to this machine only (a local marketplace or update server). */
export const ServiceUrlSchema = MarketplaceUrlSchema;

export const DesktopSettingsSchema = z
  .object({
    /**
     * No longer read: the threshold is the seller's setting now (`deadlineAlertHours` in the
     * backend settings). Accepted so that an older file still parses; dropped when the file is saved.
     */
    deadlineAlertHours: z.unknown().optional(),
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

/**
 * Saves a change (the marketplace choice) into the file, atomically: a temporary file, flushed,
 * renamed over the old one. An invalid file is not overwritten with defaults: the seller would
 * lose what it said (such as the update server) without seeing why.
 */
export async function saveDesktopSettings(file: string, change: Pick<DesktopSettings, 'marketplaceUrl'>): Promise<DesktopSettings> {
  const current = await loadDesktopSettings(file);
  if (current.problem !== null) {
    throw new DeskError('settings_file_invalid', `${current.problem.replace(/the defaults are used\.$/, '')}fix or remove the file, then save again.`);
  }
  const { deadlineAlertHours: _legacy, ...kept } = current.settings;
  const next: DesktopSettings = DesktopSettingsSchema.parse({ ...kept, ...change });
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(next, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  return next;
}
