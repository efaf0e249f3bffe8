import { z } from 'zod';
import { OrderSchema, type Order } from '../../../shared/domain/order';
import { CancelRequestSchema, type CancelRequest } from '../../../shared/domain/request';
import { DeskError } from '../../../shared/errors';
import { describeIssues } from '../../../shared/ipc/dispatch';
import type { ListPage, ListParams, MarketplaceConnector, QuarantinedRecord } from './connector';

export interface DemoConnectorOptions {
  baseUrl: string;
  token: string;
  /** Per-request timeout. */
  timeoutMs?: number;
}

const PageEnvelopeSchema = z.object({
  items: z.array(z.unknown()),
  nextCursor: z.string().max(1000).nullable(),
});

const ErrorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

/** The demo marketplace over HTTP; every payload is validated here, at the boundary. */
export function createDemoConnector(options: DemoConnectorOptions): MarketplaceConnector {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function getJson(path: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new DeskError('marketplace_unreachable', `The marketplace at ${baseUrl} did not answer (${cause}).`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new DeskError('invalid_payload', `The marketplace answered ${path} with something that is not JSON (HTTP ${response.status}).`);
    }
    if (!response.ok) {
      const parsed = ErrorEnvelopeSchema.safeParse(body);
      const detail = parsed.success ? `${parsed.data.error.code}: ${parsed.data.error.message}` : `HTTP ${response.status}`;
      throw new DeskError('marketplace_error', `The marketplace refused ${path} (${detail}).`);
    }
    return body;
  }

  async function listPage<T>(
    resource: 'orders' | 'requests',
    schema: z.ZodType<T>,
    params: ListParams,
  ): Promise<ListPage<T>> {
    const query = new URLSearchParams({ limit: String(params.limit) });
    if (params.updatedSince !== null) query.set('updated_since', params.updatedSince);
    if (params.cursor !== null) query.set('cursor', params.cursor);
    const body = await getJson(`/v1/${resource}?${query.toString()}`);
    const envelope = PageEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      throw new DeskError('invalid_payload', `The marketplace's ${resource} page is malformed: ${describeIssues(envelope.error)}`);
    }
    const items: T[] = [];
    const quarantined: QuarantinedRecord[] = [];
    for (const raw of envelope.data.items) {
      const parsed = schema.safeParse(raw);
      if (parsed.success) {
        items.push(parsed.data);
      } else {
        quarantined.push({ resource, id: recordId(raw), reason: describeIssues(parsed.error) });
      }
    }
    return { items, quarantined, nextCursor: envelope.data.nextCursor };
  }

  return {
    baseUrl,
    listOrders: (params) => listPage<Order>('orders', OrderSchema, params),
    listRequests: (params) => listPage<CancelRequest>('requests', CancelRequestSchema, params),
  };
}

function recordId(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') {
    return raw.id.slice(0, 64);
  }
  return null;
}
