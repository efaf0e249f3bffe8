import type { z } from 'zod';
import type { BuyerReason } from '../../../../shared/domain/request';
import { ConnectionUpdateSchema, type Connection, type ConnectionUpdate } from '../../../../shared/ipc/contract';
import { formatMoney, money, parseMoney } from '../../../../shared/money';
import { PolicySchema, type Policy, type ShippingAfterShipment } from '../../../../shared/rules/policy';
import { SELLER_REFUSAL_REASONS, type SellerRefusalReason } from '../../../../shared/rules/reasons';
import { SettingsSchema, type Settings, type SettingsPatch } from '../../../../shared/settings';

/**
 * The settings forms as a person edits them (text in, text out) and their conversion to what the
 * backend takes. Validation is the shared schemas' (PolicySchema, SettingsSchema,
 * ConnectionUpdateSchema); this module only reads typed text and names the failing field.
 */

/** A number input's model: Vue hands back a number, or the text when it is not one. */
export type NumberText = string | number;

/** Error messages by field key (the zod path joined with dots: `proofRequired.minAmount.USD`). */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** A sentence for a person from a zod issue (zod's own defaults read like developer messages). */
export function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return `Must be at least ${String(issue.minimum)} characters.`;
      if (issue.origin === 'array') return `Choose at least ${String(issue.minimum)}.`;
      return `Must be ${String(issue.minimum)} or more.`;
    case 'too_big':
      if (issue.origin === 'string') return `Must be at most ${String(issue.maximum)} characters.`;
      if (issue.origin === 'array') return `Choose at most ${String(issue.maximum)}.`;
      return `Must be ${String(issue.maximum)} or less.`;
    case 'invalid_type':
      return issue.expected === 'int' || issue.expected === 'number' ? 'Enter a whole number.' : 'This value is not valid.';
    case 'invalid_format':
      return issue.format === 'url' ? 'Enter a full address, such as https://marketplace.example.com.' : capitalise(issue.message);
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'invalid_value':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return capitalise(issue.message);
    default:
      return capitalise((issue as { message: string }).message);
  }
}

function capitalise(message: string): string {
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Field key of an issue: its path, less a trailing list index (an item's issue belongs to its list). */
function fieldKey(path: readonly PropertyKey[], prefix: string): string {
  const parts = path.map(String);
  if (parts.length > 0 && typeof path[path.length - 1] === 'number') parts.pop();
  return [prefix, ...parts].filter((part) => part !== '').join('.');
}

/** The first issue per field, as messages by field key. */
export function fieldErrorsOf(error: z.ZodError, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = fieldKey(issue.path, prefix);
    errors[key] ??= issueMessage(issue);
  }
  return errors;
}

type ReadNumber = { ok: true; value: number } | { ok: false; message: string };

/** Reads a whole number typed into a field; range checks are left to the schema. */
export function readWholeNumber(value: NumberText): ReadNumber {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { ok: true, value } : { ok: false, message: 'Enter a whole number.' };
  }
  const text = value.trim();
  if (text === '') return { ok: false, message: 'Enter a number.' };
  if (!/^[+-]?\d+$/.test(text)) return { ok: false, message: 'Enter a whole number.' };
  return { ok: true, value: Number(text) };
}

/** Reads a number that may have decimals ("1.5"), written with a dot as number inputs give it. */
export function readNumber(value: NumberText): ReadNumber {
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: 'Enter a number.' };
  const text = value.trim();
  if (text === '') return { ok: false, message: 'Enter a number.' };
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return { ok: false, message: 'Enter a number.' };
  return { ok: true, value: Number(text) };
}

// --- Money thresholds ---------------------------------------------------------------------------

/** One currency's threshold: the amount as typed, read in that currency. */
export interface ThresholdRow {
  currency: string;
  amount: string;
}

export function toThresholdRows(thresholds: Readonly<Record<string, number>>, locale: string): ThresholdRow[] {
  return Object.entries(thresholds).map(([currency, amountMinor]) => ({
    currency,
    amount: formatMoney(money(amountMinor, currency), locale),
  }));
}

/** Rows to minor units per currency; a row that does not read as money gets its error. */
function readThresholdRows(rows: readonly ThresholdRow[], locale: string, key: string, errors: FieldErrors): Record<string, number> {
  const thresholds: Record<string, number> = {};
  for (const row of rows) {
    const parsed = parseMoney(row.amount, row.currency, locale);
    if (parsed.ok) thresholds[row.currency] = parsed.value.amountMinor;
    else errors[`${key}.${row.currency}`] = parsed.error.message;
  }
  return thresholds;
}

// --- Store policy (everything but the undo window, which sits with the timing settings) ---------

export interface PolicyForm {
  proofReasons: BuyerReason[];
  proofMinAmount: ThresholdRow[];
  proofDueDays: NumberText;
  slaWarningHours: NumberText;
  shippingAfterShipment: ShippingAfterShipment;
  highValue: ThresholdRow[];
  repeatMinRequests: NumberText;
  repeatWindowDays: NumberText;
  proofRequestTemplate: string;
  refusalTemplates: Record<SellerRefusalReason, string>;
}

export function toPolicyForm(policy: Policy, locale: string): PolicyForm {
  return {
    proofReasons: [...policy.proofRequired.reasons],
    proofMinAmount: toThresholdRows(policy.proofRequired.minAmount, locale),
    proofDueDays: String(policy.proofDueDays),
    slaWarningHours: String(policy.slaWarningHours),
    shippingAfterShipment: policy.shippingAfterShipment,
    highValue: toThresholdRows(policy.highValue, locale),
    repeatMinRequests: String(policy.repeatCanceller.minRequests),
    repeatWindowDays: String(policy.repeatCanceller.windowDays),
    proofRequestTemplate: policy.proofRequestTemplate,
    refusalTemplates: { ...policy.refusalTemplates },
  };
}

/**
 * The full policy to send (a policy patch replaces the whole policy), or the errors by field.
 * `undoWindowSeconds` is the stored one: it is edited and saved with the timing settings.
 */
export function readPolicyForm(form: PolicyForm, undoWindowSeconds: number, locale: string): FormResult<Policy> {
  const errors: FieldErrors = {};
  const whole = (key: string, value: NumberText): number | undefined => {
    const read = readWholeNumber(value);
    if (read.ok) return read.value;
    errors[key] = read.message;
    return undefined;
  };
  const candidate = {
    proofRequired: {
      reasons: form.proofReasons,
      minAmount: readThresholdRows(form.proofMinAmount, locale, 'proofRequired.minAmount', errors),
    },
    proofDueDays: whole('proofDueDays', form.proofDueDays),
    slaWarningHours: whole('slaWarningHours', form.slaWarningHours),
    undoWindowSeconds,
    shippingAfterShipment: form.shippingAfterShipment,
    highValue: readThresholdRows(form.highValue, locale, 'highValue', errors),
    repeatCanceller: {
      minRequests: whole('repeatCanceller.minRequests', form.repeatMinRequests),
      windowDays: whole('repeatCanceller.windowDays', form.repeatWindowDays),
    },
    proofRequestTemplate: form.proofRequestTemplate,
    refusalTemplates: Object.fromEntries(SELLER_REFUSAL_REASONS.map((reason) => [reason, form.refusalTemplates[reason]])),
  };
  const parsed = PolicySchema.safeParse(candidate);
  // A field left undefined above already has its message; the schema would only add "use the default".
  if (!parsed.success) Object.assign(errors, { ...fieldErrorsOf(parsed.error), ...errors });
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

// --- Undo window, sync interval, deadline alerts ------------------------------------------------

export interface TimingForm {
  undoWindowSeconds: NumberText;
  syncIntervalMinutes: NumberText;
  deadlineAlertHours: NumberText;
}

export function toTimingForm(settings: Settings): TimingForm {
  return {
    undoWindowSeconds: String(settings.policy.undoWindowSeconds),
    syncIntervalMinutes: String(settings.syncIntervalMinutes),
    deadlineAlertHours: String(settings.deadlineAlertHours),
  };
}

/**
 * The patch for the fields that changed against `current` (the stored settings): the undo window
 * travels inside the stored policy, since a policy patch replaces the whole policy.
 */
export function readTimingForm(form: TimingForm, current: Settings): FormResult<SettingsPatch> {
  const errors: FieldErrors = {};
  const check = (key: keyof TimingForm, value: NumberText, schema: z.ZodType, read: ReadNumber = readWholeNumber(value)): number | undefined => {
    if (!read.ok) {
      errors[key] = read.message;
      return undefined;
    }
    const parsed = schema.safeParse(read.value);
    if (!parsed.success) {
      errors[key] = fieldErrorsOf(parsed.error)[''] ?? 'This value is not valid.';
      return undefined;
    }
    return read.value;
  };
  const undoWindowSeconds = check('undoWindowSeconds', form.undoWindowSeconds, PolicySchema.shape.undoWindowSeconds);
  const syncIntervalMinutes = check('syncIntervalMinutes', form.syncIntervalMinutes, SettingsSchema.shape.syncIntervalMinutes);
  // The schema allows a fraction of an hour here.
  const deadlineAlertHours = check('deadlineAlertHours', form.deadlineAlertHours, SettingsSchema.shape.deadlineAlertHours, readNumber(form.deadlineAlertHours));
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const patch: SettingsPatch = {};
  if (syncIntervalMinutes !== undefined && syncIntervalMinutes !== current.syncIntervalMinutes) patch.syncIntervalMinutes = syncIntervalMinutes;
  if (undoWindowSeconds !== undefined && undoWindowSeconds !== current.policy.undoWindowSeconds) {
    patch.policy = { ...current.policy, undoWindowSeconds };
  }
  if (deadlineAlertHours !== undefined && deadlineAlertHours !== current.deadlineAlertHours) patch.deadlineAlertHours = deadlineAlertHours;
  return { ok: true, value: patch };
}

// --- Marketplace connection ---------------------------------------------------------------------

export interface ConnectionForm {
  kind: 'demo' | 'remote';
  marketplaceUrl: string;
  /** Never filled from the backend (it never sends the token); empty keeps the stored one. */
  token: string;
}

export function toConnectionForm(connection: Connection): ConnectionForm {
  return { kind: connection.saved.kind, marketplaceUrl: connection.saved.marketplaceUrl ?? '', token: '' };
}

export function readConnectionForm(form: ConnectionForm, connection: Connection): FormResult<ConnectionUpdate> {
  if (form.kind === 'demo') return { ok: true, value: { kind: 'demo' } };
  const token = form.token.trim();
  const candidate = {
    kind: 'remote' as const,
    marketplaceUrl: form.marketplaceUrl.trim(),
    ...(token === '' ? {} : { token }),
  };
  const parsed = ConnectionUpdateSchema.safeParse(candidate);
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  if (token === '' && !connection.tokenStored) errors['token'] ??= 'Enter the access token your marketplace gave you.';
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** Whether two form states hold the same values (a number input's 5 and the text "5" are the same). */
export function sameForm(a: unknown, b: unknown): boolean {
  const asText = (_key: string, value: unknown): unknown => (typeof value === 'number' ? String(value) : value);
  return JSON.stringify(a, asText) === JSON.stringify(b, asText);
}
