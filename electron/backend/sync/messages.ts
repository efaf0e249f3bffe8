import type { MarketplaceCapabilities } from '../../../shared/domain/marketplace';
import type { BuyerMessage } from '../../../shared/domain/message';
import type { CacheDb, MessageRow, OutboxEntry } from '../cache/db';
import type { CachedRequest } from '../cache/records';
import type { ListPage, ListParams } from '../marketplace/listing';
import type { ViewMove } from '../queue/counts';

/**
 * The conversations' half of sync: messages from the marketplace's feed into the cache, the
 * seller's own messages matched with what this desk sent, and the "buyer replied" flag.
 */

/** What sync reads of a marketplace for conversations (an adapter has both; a bare listing neither). */
export interface ConversationListing {
  listMessages?(params: ListParams): Promise<ListPage<BuyerMessage>>;
  readonly capabilities?: Pick<MarketplaceCapabilities, 'messages'>;
}

/** The id of the row a message written here has until the marketplace's copy replaces it. */
export function localMessageId(outboxId: string): string {
  return `local-${outboxId}`;
}

/** The outbox entries of one request that are messages to the buyer, oldest first. */
export async function messageEntries(db: CacheDb, requestId: string): Promise<OutboxEntry[]> {
  const entries = await db.outbox.where('requestId').equals(requestId).toArray();
  return entries.filter((entry) => entry.endpoint === 'message').sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * Writes a page of messages (call it inside the page's transaction, with `messages`, `outbox` and
 * `requests`). Messages never change: one already cached is skipped. A seller's message that this
 * desk sent (same request, same text, an entry not matched yet) takes that entry's id and replaces
 * the local row written when it was sent. A buyer's message newer than everything else that
 * happened to the request raises it as "buyer replied"; the seller's message answers it.
 */
export async function applyMessagePage(db: CacheDb, items: readonly BuyerMessage[]): Promise<ViewMove[]> {
  const unique = new Map(items.map((item) => [item.id, item]));
  const known = await db.messages.bulkGet([...unique.keys()]);
  const fresh = [...unique.values()].filter((_, index) => known[index] === undefined);
  if (fresh.length === 0) return [];
  const byRequest = new Map<string, BuyerMessage[]>();
  for (const item of fresh) byRequest.set(item.requestId, [...(byRequest.get(item.requestId) ?? []), item]);

  const moves: ViewMove[] = [];
  for (const [requestId, messages] of byRequest) {
    messages.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const rows = await db.messages.where('requestId').equals(requestId).toArray();
    const entries = await messageEntries(db, requestId);
    const linked = new Set(rows.filter((row) => row.outboxId !== null && row.id !== localMessageId(row.outboxId)).map((row) => row.outboxId));
    const writes: MessageRow[] = [];
    const replaced: string[] = [];
    for (const message of messages) {
      let outboxId: string | null = null;
      if (message.from === 'seller') {
        const entry = entries.find((candidate) => candidate.status !== 'cancelled' && !linked.has(candidate.id) && candidate.body.text === message.text);
        if (entry !== undefined) {
          outboxId = entry.id;
          linked.add(entry.id);
          replaced.push(localMessageId(entry.id));
        }
      }
      writes.push({ id: message.id, requestId, from: message.from, text: message.text, at: message.at, status: message.from === 'buyer' ? 'received' : 'sent', outboxId });
    }
    await db.messages.bulkDelete(replaced);
    await db.messages.bulkPut(writes);

    const row = await db.requests.get(requestId);
    if (row === undefined) continue;
    const next = withReplyFlag(row, [...rows, ...writes], entries);
    if ((next.buyerRepliedAt ?? null) !== (row.buyerRepliedAt ?? null)) {
      await db.requests.put(next);
      moves.push({ before: row.view, after: next.view, row: next });
    }
  }
  return moves;
}

/**
 * The request with its "buyer replied" flag as the thread says: the buyer's newest message, when
 * it is newer than the request's last change at the marketplace, than the seller's last message
 * (sent, or waiting in the outbox) and than a decision waiting to be sent; otherwise none.
 */
export function withReplyFlag(row: CachedRequest, messages: readonly MessageRow[], entries: readonly OutboxEntry[]): CachedRequest {
  const latest = (times: ReadonlyArray<string | null | undefined>): string =>
    times.reduce<string>((max, at) => (at !== null && at !== undefined && at > max ? at : max), '');
  const buyer = latest(messages.filter((message) => message.from === 'buyer').map((message) => message.at));
  const seller = latest([
    ...messages.filter((message) => message.from === 'seller' && message.status !== 'failed').map((message) => message.at),
    ...entries.filter((entry) => entry.status !== 'cancelled' && entry.status !== 'failed').map((entry) => entry.createdAt),
    row.local?.decidedAt,
  ]);
  const replied = buyer !== '' && buyer > row.updatedAt && buyer > seller ? buyer : null;
  return { ...row, buyerRepliedAt: replied };
}
