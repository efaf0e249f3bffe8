import { z } from 'zod';
import { BuyerMessageSchema, type BuyerMessage } from '../../../../shared/domain/message';
import { OrderSchema, type Order } from '../../../../shared/domain/order';
import { CancelRequestSchema, type CancelRequest } from '../../../../shared/domain/request';
import { DeskError } from '../../../../shared/errors';
import { describeIssues } from '../../../../shared/ipc/dispatch';
import type { MarketplaceHttpClient } from '../http-client';
import type { ListPage, ListParams, MarketplaceListing, QuarantinedRecord } from '../listing';

const PageEnvelopeSchema = z.object({
  items: z.array(z.unknown()).max(1000),
  nextCursor: z.string().max(1000).nullable(),
});

const EXCERPT_CHARS = 500;

/** The demo marketplace's change feeds over HTTP; every payload is validated here, at the boundary. */
export function demoListing(http: MarketplaceHttpClient): MarketplaceListing & { listMessages(params: ListParams): Promise<ListPage<BuyerMessage>> } {

  async function listPage<T>(resource: 'orders' | 'requests' | 'messages', schema: z.ZodType<T>, params: ListParams): Promise<ListPage<T>> {
    const query = new URLSearchParams({ limit: String(params.limit) });
    if (params.updatedSince !== null) query.set('updated_since', params.updatedSince);
    if (params.cursor !== null) query.set('cursor', params.cursor);
    const { body } = await http.call(`/v1/${resource}?${query.toString()}`);
    const envelope = PageEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      throw new DeskError('invalid_payload', `The marketplace's ${resource} page is malformed: ${describeIssues(envelope.error).slice(0, 500)}`);
    }
    const items: T[] = [];
    const quarantined: QuarantinedRecord[] = [];
    for (const raw of envelope.data.items) {
      const parsed = schema.safeParse(raw);
      if (parsed.success) {
        items.push(parsed.data);
      } else {
        quarantined.push({ resource, id: recordId(raw), version: recordVersion(raw), reason: describeIssues(parsed.error).slice(0, 1000), excerpt: excerptOf(raw) });
      }
    }
    return { items, quarantined, nextCursor: envelope.data.nextCursor };
  }

  return {
    endpoint: http.baseUrl,
    listOrders: (params) => listPage<Order>('orders', OrderSchema, params),
    listRequests: (params) => listPage<CancelRequest>('requests', CancelRequestSchema, params),
    listMessages: (params) => listPage<BuyerMessage>('messages', BuyerMessageSchema, params),
  };
}

function recordId(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') return raw.id.slice(0, 64);
  return null;
}

function recordVersion(raw: unknown): number | null {
  if (typeof raw === 'object' && raw !== null && 'version' in raw && Number.isSafeInteger(raw.version) && (raw.version as number) >= 1) return raw.version as number;
  return null;
}

function excerptOf(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, EXCERPT_CHARS);
  } catch {
    return String(raw).slice(0, EXCERPT_CHARS);
  }
}
