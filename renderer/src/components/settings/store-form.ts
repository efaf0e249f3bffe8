import type { z } from 'zod';
import { MARKETPLACE_KINDS, type MarketplaceKind } from '../../../../shared/domain/marketplace';
import {
  ALIEXPRESS_GATEWAY_URL,
  StoreAddAliExpressInputSchema,
  StoreAddInputSchema,
  StoreCompleteSignInInputSchema,
  StoreNameSchema,
  StoreUpdateInputSchema,
} from '../../../../shared/ipc/contract';
import { fieldErrorsOf, issueMessage, type FieldErrors, type FormResult } from './settings-form';

/**
 * The store forms of Settings as a person fills them in, read with the contract's own schemas
 * (StoreNameSchema, StoreAddInputSchema, StoreUpdateInputSchema): this module only names the
 * failing field in words.
 */

/** The marketplaces a store can be of, as the seller knows them. */
export const MARKETPLACE_TITLES: Readonly<Record<MarketplaceKind, string>> = {
  demo: 'Demo marketplace',
  aliexpress: 'AliExpress',
};
export const MARKETPLACE_OPTIONS = MARKETPLACE_KINDS.map((kind) => ({ kind, title: MARKETPLACE_TITLES[kind] }));

export type ReadField<T> = { ok: true; value: T } | { ok: false; message: string };

function nameMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return 'Enter a name.';
  if (issue.code === 'too_big') return `At most ${String(issue.maximum)} characters.`;
  return issueMessage(issue);
}

/** A store's name: 1 to 60 characters once trimmed. */
export function readStoreName(text: string): ReadField<string> {
  const parsed = StoreNameSchema.safeParse(text);
  if (parsed.success) return { ok: true, value: parsed.data };
  const [issue] = parsed.error.issues;
  return { ok: false, message: issue === undefined ? 'This name is not valid.' : nameMessage(issue) };
}

function tokenMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return 'Enter the access token (at least 8 characters).';
  return issueMessage(issue);
}

/** New credentials for a store: the token as the marketplace issued it. */
export function readStoreToken(storeId: string, text: string): ReadField<string> {
  const parsed = StoreUpdateInputSchema.safeParse({ storeId, token: text });
  if (parsed.success && parsed.data.token !== undefined) return { ok: true, value: parsed.data.token };
  const issue = parsed.success ? undefined : parsed.error.issues.find((candidate) => candidate.path[0] === 'token');
  return { ok: false, message: issue === undefined ? 'Enter the access token.' : tokenMessage(issue) };
}

/** The "Add a store" form as typed: an API address and token, or for AliExpress the gateway and the seller's app. */
export interface AddStoreForm {
  name: string;
  kind: MarketplaceKind;
  url: string;
  token: string;
  gatewayUrl: string;
  appKey: string;
  appSecret: string;
}

export function emptyAddStoreForm(): AddStoreForm {
  return { name: '', kind: 'aliexpress', url: '', token: '', gatewayUrl: ALIEXPRESS_GATEWAY_URL, appKey: '', appSecret: '' };
}

/** The form as `stores.add` takes it, or the message per field (name, kind, url, token). */
export function readAddStoreForm(form: AddStoreForm): FormResult<{ name: string; kind: MarketplaceKind; url: string; token: string }> {
  const parsed = StoreAddInputSchema.safeParse({ name: form.name, kind: form.kind, url: form.url.trim(), token: form.token });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = fieldErrorsOf(parsed.error);
  // The name and the token in the words of their own fields (the first issue of each).
  const nameIssue = parsed.error.issues.find((issue) => issue.path[0] === 'name');
  if (nameIssue !== undefined) errors.name = nameMessage(nameIssue);
  const tokenIssue = parsed.error.issues.find((issue) => issue.path[0] === 'token');
  if (tokenIssue !== undefined) errors.token = tokenMessage(tokenIssue);
  return { ok: false, errors };
}

/** What `stores.addAliExpress` takes. */
export interface AliExpressStoreInput {
  name: string;
  gatewayUrl: string;
  appKey: string;
  appSecret: string;
}

function appFieldMessage(field: 'appKey' | 'appSecret', issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return field === 'appKey' ? 'Enter the App Key.' : 'Enter the App Secret (at least 8 characters).';
  if (issue.code === 'too_big') return `At most ${String(issue.maximum)} characters.`;
  if (issue.code === 'invalid_format') return 'Copy it from the AliExpress developer console: letters, digits and signs, without spaces.';
  return issueMessage(issue);
}

/** The AliExpress form (name, gateway, App Key, App Secret) as `stores.addAliExpress` takes it, or the message per field. */
export function readAliExpressStoreForm(form: AddStoreForm): FormResult<AliExpressStoreInput> {
  const parsed = StoreAddAliExpressInputSchema.safeParse({ name: form.name, gatewayUrl: form.gatewayUrl.trim(), appKey: form.appKey, appSecret: form.appSecret });
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = fieldErrorsOf(parsed.error);
  const firstIssue = (field: string): z.core.$ZodIssue | undefined => parsed.error.issues.find((issue) => issue.path[0] === field);
  // The name and the app's fields in the words of their own fields (the first issue of each).
  const nameIssue = firstIssue('name');
  if (nameIssue !== undefined) errors.name = nameMessage(nameIssue);
  for (const field of ['appKey', 'appSecret'] as const) {
    const issue = firstIssue(field);
    if (issue !== undefined) errors[field] = appFieldMessage(field, issue);
  }
  return { ok: false, errors };
}

/** The paste fallback's text: the code AliExpress showed, or the whole address the browser landed on. */
export function readPastedSignIn(storeId: string, text: string): ReadField<string> {
  const parsed = StoreCompleteSignInInputSchema.safeParse({ storeId, pasted: text });
  if (parsed.success) return { ok: true, value: parsed.data.pasted };
  const issue = parsed.error.issues.find((candidate) => candidate.path[0] === 'pasted');
  if (issue?.code === 'too_big') return { ok: false, message: `At most ${String(issue.maximum)} characters: paste the code, or the address AliExpress sent you to.` };
  return { ok: false, message: 'Paste the code AliExpress showed, or the whole address your browser landed on.' };
}
