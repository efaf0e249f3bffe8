import { z } from 'zod';
import { PolicySchema } from './rules/policy';
import { DEFAULT_MESSAGE_TEMPLATES, MessageTemplatesSchema } from './messages/templates';

const SyncIntervalMinutesSchema = z.number().int().min(1).max(24 * 60);
/** 0 turns deadline notifications off. */
const DeadlineAlertHoursSchema = z.number().min(0).max(168);

/**
 * The seller's settings. Every field has a default, so an empty or older settings record still
 * parses. The store policy (what the rules enforce, the undo window) is defined by the rules.
 */
export const SettingsSchema = z.object({
  /** Minutes between scheduled syncs with the marketplace. */
  syncIntervalMinutes: SyncIntervalMinutesSchema.default(5),
  /** A notification when a request enters its last N hours before the deadline; 0 turns them off. */
  deadlineAlertHours: DeadlineAlertHoursSchema.default(4),
  policy: PolicySchema.default(PolicySchema.parse({})),
  /** Texts the reply dialog offers, with placeholders ({orderId}, {amount}, {dueDate}, {buyerName}). */
  messageTemplates: MessageTemplatesSchema.default(() => DEFAULT_MESSAGE_TEMPLATES.map((template) => ({ ...template }))),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * What a settings change may carry: any subset of the fields, nothing else. A field left out
 * keeps its current value (so no defaults here: `SettingsSchema.partial()` would fill every
 * missing field with its default and reset it). A policy replaces the whole policy; what it
 * leaves out takes the policy's defaults.
 */
export const SettingsPatchSchema = z
  .object({
    syncIntervalMinutes: SyncIntervalMinutesSchema.optional(),
    deadlineAlertHours: DeadlineAlertHoursSchema.optional(),
    policy: PolicySchema.optional(),
    /** Replaces the whole list. */
    messageTemplates: MessageTemplatesSchema.optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** The settings after a change: the fields the patch carries, the rest as they were. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return {
    syncIntervalMinutes: patch.syncIntervalMinutes ?? current.syncIntervalMinutes,
    deadlineAlertHours: patch.deadlineAlertHours ?? current.deadlineAlertHours,
    policy: patch.policy ?? current.policy,
    messageTemplates: patch.messageTemplates ?? current.messageTemplates,
  };
}
