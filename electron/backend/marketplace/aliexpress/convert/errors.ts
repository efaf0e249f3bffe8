import { DeskError } from '../../../../../shared/errors';

/** Characters of a bad text value quoted in a sentence: enough to recognise it, never a whole payload. */
const EXCERPT_CHARS = 40;

/**
 * A bad value as a short, printable excerpt for a sentence. Text is quoted, cut to 40 characters,
 * and everything outside printable ASCII is escaped (\u202e, \n...): the sentence is logged and
 * shown to the seller, and a value from the marketplace must not reorder or break either.
 */
export function excerpt(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const cut = value.length > EXCERPT_CHARS;
      const quoted = JSON.stringify(cut ? value.slice(0, EXCERPT_CHARS) : value).replace(
        /[^\x20-\x7e]/g,
        (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      return cut ? `${quoted}… (${value.length} characters)` : quoted;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'nothing';
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'a list' : 'an object';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
}

/**
 * The error every converter throws for a value it cannot take: code 'invalid_payload' and one
 * sentence naming the field and the value, which the adapter records as the quarantine reason.
 * `problem` finishes the sentence ("an id is digits only").
 */
export function invalidPayload(field: string, value: unknown, problem: string): DeskError {
  const sent = value === undefined ? `AliExpress sent no ${field}` : `AliExpress sent ${field} as ${excerpt(value)}`;
  return new DeskError('invalid_payload', `${sent}: ${problem}.`);
}
