/**
 * JSON text with integers beyond 2^53, both ways. AliExpress sends its 16-digit ids as bare JSON
 * numbers; JavaScript's JSON rounds them to the nearest double, so the sandbox writes the text
 * itself (a `bigint` becomes bare digits) and reads with the reviver's source text, keeping every
 * unsafe integer as a `bigint`.
 */

/** A value the sandbox can write as JSON: plain data, with `bigint` for wide integers. */
export type JsonOut =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly JsonOut[]
  | { readonly [key: string]: JsonOut | undefined };

/** Writes `value` as compact JSON; `undefined` object members are left out (as TOP omits nulls). */
export function toJsonText(value: JsonOut): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} as JSON.`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonOut[]).map(toJsonText).join(',')}]`;
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${toJsonText(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** The third reviver argument of JSON.parse (ES2025 "JSON.parse source text access"). */
interface ReviverContext {
  readonly source?: string;
}
type SourceReviver = (this: unknown, key: string, value: unknown, context?: ReviverContext) => unknown;

const INTEGER_TEXT = /^-?\d+$/;

/**
 * Parses JSON, keeping integers outside the safe range exact as `bigint` (every other value as
 * JSON.parse gives it). Throws a SyntaxError for text that is not JSON.
 */
export function parseJsonLossless(text: string): unknown {
  const reviver: SourceReviver = (_key, value, context) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      const source = context?.source;
      if (source !== undefined && INTEGER_TEXT.test(source)) return BigInt(source);
    }
    return value;
  };
  return JSON.parse(text, reviver);
}
