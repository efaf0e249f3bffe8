import { z } from 'zod';
import type { Gateway, WireObject } from './envelope';
import { invalidParameter, missingParameter } from './envelope';
import { parseJsonLossless } from './json-text';
import type { RequestParams } from './params';
import type { Platform } from './platform';
import type { TokenStore } from './tokens';
import type { Views } from './views';

/** What an API handler gets, and how it reads its parameters. */

export interface ApiContext {
  readonly api: string;
  readonly gateway: Gateway;
  readonly params: RequestParams;
  readonly platform: Platform;
  readonly views: Views;
  readonly tokens: TokenStore;
}

export interface ApiDefinition {
  /** Dotted (`aliexpress.issue.detail.get`), slash (`aliexpress/message/send`) or a GOP path (`/auth/token/create`). */
  readonly name: string;
  readonly gateways: readonly Gateway[];
  /** Calls need `session` / `access_token`. */
  readonly needsToken: boolean;
  /** A lost answer may hit it (all but the code exchange). */
  readonly mayLoseAnswer: boolean;
  readonly handle: (context: ApiContext) => WireObject;
}

/** A scalar parameter, or MissingParameter. */
export function required(context: ApiContext, name: string): string {
  const value = context.params.text.get(name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

export function optional(context: ApiContext, name: string): string | undefined {
  const value = context.params.text.get(name);
  return value === undefined || value === '' ? undefined : value;
}

/** An id given as a form field: digits only. */
export function requiredId(context: ApiContext, name: string): string {
  const value = required(context, name);
  if (!/^\d{1,20}$/.test(value)) throw invalidParameter(name, `"${value}" is not a number`);
  return value;
}

/** A Long in JSON: a number (a bigint when beyond 2^53) or a string of digits; kept as digits. */
export const IdSchema = z
  .union([z.bigint().nonnegative(), z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)])
  .transform((value) => String(value));

/** An Integer in JSON, also accepted as a string of digits. */
export const IntSchema = z.union([z.number().int(), z.string().regex(/^-?\d{1,9}$/).transform(Number)]);

export const BoolSchema = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** A JSON-valued parameter (§5: one form field holding a JSON object), validated with `schema`. */
export function jsonParam<S extends z.ZodType>(context: ApiContext, name: string, schema: S): z.output<S> {
  const text = required(context, name);
  return parseJsonValue(name, text, schema);
}

export function parseJsonValue<S extends z.ZodType>(name: string, text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = parseJsonLossless(text);
  } catch {
    throw invalidParameter(name, 'it is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = [name, ...(issue?.path ?? []).map(String)].join('.');
    if (issue !== undefined && valueAt(value, issue.path) === undefined) throw missingParameter(field);
    throw invalidParameter(field, issue?.message ?? 'it is invalid');
  }
  return parsed.data;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
