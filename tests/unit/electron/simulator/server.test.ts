import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain/order';
import type { CancelRequest } from '../../../../shared/domain/request';
import { createManualClock } from '../../../../electron/simulator/clock';
import { encodeCursor } from '../../../../electron/simulator/cursor';
import { createSimulator, type Simulator } from '../../../../electron/simulator/server';
import { START_MS, call, errorOf } from './helpers';

interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

let sim: Simulator;

beforeAll(async () => {
  sim = await createSimulator({ seed: 42, orders: 1_500, clock: createManualClock(START_MS), token: 'test-token-1' });
});

afterAll(async () => {
  await sim.close();
});

async function walk<T extends { id: string; updatedAt: string }>(
  path: string,
  query: string,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = query === '' ? '' : '&';
    const cursorPart: string = cursor === null ? '' : `${separator}cursor=${cursor}`;
    const answer = await call(sim, `${path}?${query}${cursorPart}`);
    expect(answer.status).toBe(200);
    const page = answer.body as Page<T>;
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);
  return { items, pages };
}

function isFeedOrdered(items: readonly { id: string; updatedAt: string }[]): boolean {
  for (let index = 1; index < items.length; index++) {
    const previous = items[index - 1];
    const current = items[index];
    if (previous === undefined || current === undefined) return false;
    if (previous.updatedAt > current.updatedAt) return false;
    if (previous.updatedAt === current.updatedAt && previous.id >= current.id) return false;
  }
  return true;
}

describe('demo marketplace HTTP API', () => {
  it('listens on loopback with the given token', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.token).toBe('test-token-1');
    expect(sim.adminToken.length).toBeGreaterThan(8);
  });

  it('answers health without a token', async () => {
    const answer = await call(sim, '/v1/health', { token: null });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('refuses requests without the right bearer token', async () => {
    for (const token of [null, 'wrong-token', sim.adminToken]) {
      const answer = await call(sim, '/v1/orders', { token });
      expect(answer.status).toBe(401);
      expect(errorOf(answer).code).toBe('unauthorized');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('walks the tail of the feed one order at a time with limit 1', async () => {
    const tail = sim.state.orders.list().slice(-120);
    const since = encodeURIComponent(tail[0]?.updatedAt ?? '');
    const { items, pages } = await walk<Order>('/v1/orders', `updated_since=${since}&limit=1`);
    expect(items.map((order) => order.id)).toEqual(tail.map((order) => order.id));
    expect(pages).toBe(120);
  });

  it.each([7, 100, 200])('walks every order exactly once in feed order with limit %i', async (limit) => {
    const { items, pages } = await walk<Order>('/v1/orders', `limit=${limit}`);
    expect(items).toHaveLength(1_500);
    expect(new Set(items.map((order) => order.id)).size).toBe(1_500);
    expect(isFeedOrdered(items)).toBe(true);
    expect(pages).toBe(Math.ceil(1_500 / limit));
  });

  it('walks every request exactly once with the default limit of 100', async () => {
    const { items, pages } = await walk<CancelRequest>('/v1/requests', '');
    expect(items).toHaveLength(sim.state.requests.size);
    expect(new Set(items.map((request) => request.id)).size).toBe(items.length);
    expect(isFeedOrdered(items)).toBe(true);
    expect(pages).toBe(Math.ceil(items.length / 100));
    expect(items).toEqual(sim.state.requests.list());
  });

  it('filters by updated_since, inclusively', async () => {
    const all = sim.state.orders.list();
    const pivot = all[900];
    expect(pivot).toBeDefined();
    const since = pivot?.updatedAt ?? '';
    const { items } = await walk<Order>('/v1/orders', `updated_since=${encodeURIComponent(since)}&limit=200`);
    const expected = all.filter((order) => order.updatedAt >= since);
    expect(items.map((order) => order.id)).toEqual(expected.map((order) => order.id));
    expect(items[0]?.updatedAt).toBe(since);
  });

  it('accepts updated_since with an offset and without milliseconds', async () => {
    const answer = await call(sim, `/v1/orders?updated_since=${encodeURIComponent('2026-11-26T10:00:00+01:00')}`);
    expect(answer.status).toBe(200);
    const page = answer.body as Page<Order>;
    for (const order of page.items) expect(order.updatedAt >= '2026-11-26T09:00:00.000Z').toBe(true);
  });

  it('continues strictly after the cursor key, also combined with updated_since', async () => {
    const all = sim.state.requests.list();
    const key = all[10];
    const cursor = encodeCursor({ updatedAt: key?.updatedAt ?? '', id: key?.id ?? '' });
    const answer = await call(sim, `/v1/requests?limit=5&cursor=${cursor}&updated_since=2000-01-01T00:00:00.000Z`);
    expect((answer.body as Page<CancelRequest>).items.map((request) => request.id)).toEqual(
      all.slice(11, 16).map((request) => request.id),
    );
  });

  it('ends with nextCursor null and an empty page past the end', async () => {
    const answer = await call(sim, '/v1/orders?updated_since=2099-01-01T00:00:00.000Z');
    expect(answer.body).toEqual({ items: [], nextCursor: null });
  });

  it('filters by store', async () => {
    const { items } = await walk<Order>('/v1/orders', 'store_id=store-2&limit=200');
    const expected = sim.state.orders.list().filter((order) => order.storeId === 'store-2');
    expect(items.map((order) => order.id)).toEqual(expected.map((order) => order.id));
    const unknown = await call(sim, '/v1/orders?store_id=store-nope');
    expect(unknown.body).toEqual({ items: [], nextCursor: null });
    const stores = await call(sim, '/v1/stores');
    expect(stores.body).toEqual({ items: [{ id: 'store-1' }, { id: 'store-2' }, { id: 'store-3' }] });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=-1', 'limit'],
    ['updated_since=yesterday', 'updated_since'],
    ['updated_since=2026-13-01T00:00:00Z', 'updated_since'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('garbage|x').toString('base64url')}`, 'cursor'],
    ['cursor=%25%25', 'cursor'],
    ['limit=5&limit=6', 'limit'],
    ['page=2', 'page'],
  ])('rejects %s with a 400 naming the parameter', async (query, parameter) => {
    const answer = await call(sim, `/v1/requests?${query}`);
    expect(answer.status).toBe(400);
    const error = errorOf(answer);
    expect(error.code).toBe('bad_request');
    expect(error.field).toBe(parameter);
    expect(error.message).toContain(`"${parameter}"`);
  });

  it('gets one order and one request by id', async () => {
    const order = sim.state.orders.get('o-000001');
    expect((await call(sim, '/v1/orders/o-000001')).body).toEqual(order);
    const request = sim.state.requests.get('r-000001');
    expect((await call(sim, '/v1/requests/r-000001')).body).toEqual(request);
  });

  it('answers 404 with a stable code for unknown records and paths', async () => {
    for (const path of ['/v1/orders/o-999999', '/v1/requests/nope', '/v1/evidence/ev-nope', '/v1/nothing', '/']) {
      const answer = await call(sim, path);
      expect(answer.status).toBe(404);
      expect(errorOf(answer).code).toBe('not_found');
    }
  });

  it('answers 405 for a wrong method on a known path', async () => {
    const answer = await call(sim, '/v1/orders', { method: 'DELETE' });
    expect(answer.status).toBe(405);
    expect(errorOf(answer).code).toBe('method_not_allowed');
  });

  it('serves evidence photos as PNG images', async () => {
    const withEvidence = sim.state.requests.list().find((request) => request.evidence.length > 0);
    const evidence = withEvidence?.evidence[0];
    expect(evidence).toBeDefined();
    const response = await fetch(`${sim.url}/v1/evidence/${evidence?.id ?? ''}`, {
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBe(evidence?.bytes);
    const unauthorised = await fetch(`${sim.url}/v1/evidence/${evidence?.id ?? ''}`);
    expect(unauthorised.status).toBe(401);
  });
});

describe('createSimulator options', () => {
  it('generates the same data for the same seed and start', async () => {
    const a = await createSimulator({ seed: 5, orders: 200, clock: createManualClock(START_MS) });
    const b = await createSimulator({ seed: 5, orders: 200, clock: createManualClock(START_MS) });
    try {
      expect(a.state.orders.list()).toEqual(b.state.orders.list());
      expect(a.token).not.toBe(b.token);
      const first = await call(a, '/v1/requests?limit=200');
      const second = await call(b, '/v1/requests?limit=200');
      expect(first.body).toEqual(second.body);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rejects invalid options with a sentence naming the option', async () => {
    await expect(createSimulator({ seed: -1, orders: 10 })).rejects.toThrow(/"seed"/);
    await expect(createSimulator({ seed: 1, orders: 1.5 })).rejects.toThrow(/"orders"/);
    await expect(createSimulator({ seed: 1, orders: 1, token: 'short' })).rejects.toThrow(/"token"/);
    // A dataset made for a fixed instant, aged by the wall clock, would go stale as days pass.
    await expect(createSimulator({ seed: 1, orders: 1, startMs: START_MS })).rejects.toThrow(/"startMs" needs a "clock"/);
  });

  it('closes idempotently', async () => {
    const local = await createSimulator({ seed: 1, orders: 10, clock: createManualClock(START_MS) });
    await Promise.all([local.close(), local.close()]);
    await expect(fetch(`${local.url}/v1/health`)).rejects.toThrow();
  });
});
