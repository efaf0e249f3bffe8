import { z } from 'zod';
import { PolicySchema } from './rules/policy';

/**
 * The seller's settings. Every field has a default, so an empty or older settings record still
 * parses. The store policy (what the rules enforce, the undo window) is defined by the rules.
 */
export const SettingsSchema = z.object({
  /** Minutes between scheduled syncs with the marketplace. */
  syncIntervalMinutes: z.number().int().min(1).max(24 * 60).default(5),
  policy: PolicySchema.default(PolicySchema.parse({})),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What a settings change may carry: any subset of the fields, nothing else. */
export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
