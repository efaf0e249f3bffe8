import { z } from 'zod';

/**
 * The seller's settings for the app (store policy lives with the rules, shared/rules/policy.ts).
 * Every field has a default, so an empty or older settings record still parses.
 */
export const SettingsSchema = z.object({
  /** Minutes between scheduled syncs with the marketplace. */
  syncIntervalMinutes: z.number().int().min(1).max(24 * 60).default(5),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What a settings change may carry: any subset of the fields, nothing else. */
export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
