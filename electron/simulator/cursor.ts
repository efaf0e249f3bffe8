import { z } from 'zod';
import { IsoInstantSchema } from '../../shared/domain/time';
import type { FeedKey } from './store';

/**
 * The list endpoints' opaque cursor: base64url of `<updatedAt>|<id>` of the last item served.
 * Clients must treat it as opaque; the format may change.
 */
const CursorSchema = z.object({
  updatedAt: IsoInstantSchema,
  id: z.string().min(1).max(64),
});

export function encodeCursor(key: FeedKey): string {
  return Buffer.from(`${key.updatedAt}|${key.id}`, 'utf8').toString('base64url');
}

/** The key inside a cursor, or null when the text is not a cursor this server issued. */
export function decodeCursor(cursor: string): FeedKey | null {
  if (cursor.length === 0 || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = text.indexOf('|');
  if (separator < 0) return null;
  const parsed = CursorSchema.safeParse({
    updatedAt: text.slice(0, separator),
    id: text.slice(separator + 1),
  });
  return parsed.success ? parsed.data : null;
}
