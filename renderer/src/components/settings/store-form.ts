import type { z } from 'zod';
import { MARKETPLACE_KINDS, type MarketplaceKind } from '../../../../shared/domain/marketplace';
import { StoreAddInputSchema, StoreNameSchema, StoreUpdateInputSchema } from '../../../../shared/ipc/contract';
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

/** The "Add a store" form as typed. */
export interface AddStoreForm {
  name: string;
  kind: MarketplaceKind;
  url: string;
  token: string;
}

export function emptyAddStoreForm(): AddStoreForm {
  return { name: '', kind: 'aliexpress', url: '', token: '' };
}

/** The form as `stores.add` takes it, or the message per field (name, kind, url, token). */
export function readAddStoreForm(form: AddStoreForm): FormResult<AddStoreForm> {
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
