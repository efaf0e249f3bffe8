import { applySettingsPatch, DEFAULT_SETTINGS, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import { describeIssues } from '../../shared/ipc/dispatch';
import type { CacheDb } from './cache/db';
import type { Logger } from './log';

const KEY = 'app';

/** The seller's settings, kept in the cache; a stored record that no longer parses falls back to defaults. */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;

  constructor(
    private readonly db: CacheDb,
    private readonly log: Logger,
  ) {}

  async load(): Promise<Settings> {
    const row = await this.db.settings.get(KEY);
    if (row !== undefined) {
      const parsed = SettingsSchema.safeParse(row.value);
      if (parsed.success) this.current = parsed.data;
      else this.log.warn(`stored settings are invalid (${describeIssues(parsed.error)}); using defaults`);
    }
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    // The patch was validated at the boundary; every field of the result is a checked value.
    const next = SettingsSchema.parse(applySettingsPatch(this.current, patch));
    await this.db.settings.put({ key: KEY, value: next });
    this.current = next;
    return next;
  }
}
