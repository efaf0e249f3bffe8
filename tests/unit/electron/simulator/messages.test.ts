import { afterEach, describe, expect, it } from 'vitest';
import { BuyerMessageSchema, type BuyerMessage } from '../../../../shared/domain/message';
import type { CancelRequest } from '../../../../shared/domain/request';
import type { HistoryItem } from '../../../../electron/simulator/history';
import { HOUR_MS } from '../../../../electron/simulator/data';
import { SELLER_MESSAGE_MAX } from '../../../../electron/simulator/messages';
import type { Simulator } from '../../../../electron/simulator/server';
import { act, admin, call, errorOf, type JsonAnswer } from './helpers';
import { acceptBody, closeAll, paidCancels, startSim } from './key-fixtures';

afterEach(closeAll);

interface FeedPage {
  readonly items: BuyerMessage[];
  readonly nextCursor: string | null;
}

function pageOf(answer: JsonAnswer): FeedPage {
  expect(answer.status).toBe(200);
  return answer.body as FeedPage;
}

/** The whole feed, page by page, from `since` (inclusive). */
async function readFeed(sim: Simulator, since: string | null = null, limit = 50): Promise<BuyerMessage[]> {
  const items: BuyerMessage[] = [];
  let cursor: string | null = null;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (since !== null) query.set('updated_since', since);
    if (cursor !== null) query.set('cursor', cursor);
    const page = pageOf(await call(sim, `/v1/messages?${query.toString()}`));
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
}

function message(sim: Simulator, requestId: string, text: string, key: string | null): Promise<JsonAnswer> {
  return act(sim, requestId, 'message', { text }, key);
}

async function historyOf(sim: Simulator, requestId: string): Promise<HistoryItem[]> {
  const answer = await call(sim, `/v1/requests/${encodeURIComponent(requestId)}/history`);
  expect(answer.status).toBe(200);
  return (answer.body as { items: HistoryItem[] }).items;
}

describe('GET /v1/messages', () => {
  it('serves the seeded buyer messages as a feed ordered by (updatedAt, id), the same for the same seed', async () => {
    const sim = await startSim();
    const feed = await readFeed(sim);
    expect(feed.length).toBeGreaterThan(10);
    for (const item of feed) expect(BuyerMessageSchema.safeParse(item).success).toBe(true);
    const keys = feed.map((item) => `${item.updatedAt}|${item.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(feed.map((item) => item.id)).size).toBe(feed.length);
    // Buyers only, 1 to 3 per request that has any, each after its request was opened.
    expect(new Set(feed.map((item) => item.from))).toEqual(new Set(['buyer']));
    const perRequest = new Map<string, number>();
    for (const item of feed) perRequest.set(item.requestId, (perRequest.get(item.requestId) ?? 0) + 1);
    expect(Math.max(...perRequest.values())).toBeLessThanOrEqual(3);
    for (const item of feed) {
      const request = sim.state.requests.get(item.requestId);
      expect(request?.orderId).toBe(item.orderId);
      expect(item.at >= (request?.requestedAt ?? '')).toBe(true);
    }
    const again = await startSim();
    expect(await readFeed(again, null, 200)).toEqual(feed);
  });

  it('needs the token and refuses a malformed query, like the other feeds', async () => {
    const sim = await startSim();
    expect((await call(sim, '/v1/messages', { token: null })).status).toBe(401);
    const bad = await call(sim, '/v1/messages?limit=500');
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toMatch(/"limit" must be an integer from 1 to 200/);
    expect((await call(sim, '/v1/messages?cursor=nope!')).status).toBe(400);
  });

  it('is faulty like the other reads', async () => {
    const sim = await startSim({ faults: { errorRate: 1 } });
    expect((await call(sim, '/v1/messages')).status).toBeGreaterThanOrEqual(500);
  });
});

describe('POST /v1/requests/:id/message', () => {
  it('adds a seller message to the feed and the history without changing the request', async () => {
    const sim = await startSim();
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    const before = await readFeed(sim);
    const last = before.at(-1);
    const answer = await message(sim, request.id, 'Your parcel left today.', 'k-msg-1');
    expect(answer.status).toBe(200);
    const body = answer.body as { request: CancelRequest; refund: unknown };
    expect(body.request).toEqual(request);
    expect(body.refund).toBeNull();
    expect(sim.state.requests.get(request.id)).toEqual(request);

    const after = await readFeed(sim, last?.updatedAt ?? null);
    const mine = after.filter((item) => item.from === 'seller');
    expect(mine).toEqual([expect.objectContaining({ requestId: request.id, orderId: request.orderId, text: 'Your parcel left today.', version: 1 })]);
    const written = mine[0];
    expect(await historyOf(sim, request.id)).toEqual([
      expect.objectContaining({
        actor: 'seller',
        action: 'message',
        at: written?.at,
        fromState: request.state,
        toState: request.state,
        fromVersion: request.version,
        toVersion: request.version,
        details: { messageId: written?.id, text: 'Your parcel left today.' },
      }),
    ]);
    // A decision made on the version the seller read still applies after the message.
    expect((await act(sim, request.id, 'accept', acceptBody(request), 'k-accept')).status).toBe(200);
  });

  it('refuses an empty message and one over 2,000 characters with 422 and the limit', async () => {
    const sim = await startSim();
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    const long = await message(sim, request.id, 'x'.repeat(SELLER_MESSAGE_MAX + 1), 'k-long');
    expect(long.status).toBe(422);
    expect(errorOf(long)).toMatchObject({ code: 'message_too_long', limit: 2000, length: 2001 });
    expect(errorOf(long).message).toMatch(/at most 2000 characters; this one has 2001/);
    const empty = await message(sim, request.id, '   ', 'k-empty');
    expect(empty.status).toBe(422);
    expect(errorOf(empty)).toMatchObject({ code: 'message_empty', limit: 2000 });
    expect((await message(sim, request.id, 'x'.repeat(SELLER_MESSAGE_MAX), 'k-max')).status).toBe(200);
    expect((await message(sim, 'r-999999', 'Hello', 'k-404')).status).toBe(404);
    expect((await act(sim, request.id, 'message', { text: 'Hi', extra: 1 }, 'k-extra')).status).toBe(400);
    expect(sim.state.ledger.filter((entry) => entry.action === 'message')).toHaveLength(1);
  });

  it('honours the Idempotency-Key as the other seller actions do: required, replayed, refused for another body', async () => {
    const sim = await startSim();
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    expect((await message(sim, request.id, 'Hello', null)).status).toBe(400);
    expect((await message(sim, request.id, 'Hello', 'k-same')).status).toBe(200);
    const replay = await message(sim, request.id, 'Hello', 'k-same');
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await message(sim, request.id, 'Other', 'k-same')).status).toBe(422);
    expect(sim.marketplace.conversations.thread(request.id).filter((item) => item.from === 'seller')).toHaveLength(1);
  });

  it('with keys ignored, a lost answer leaves one message the history shows (a blind retry would write it twice)', async () => {
    const sim = await startSim({ idempotencyKeys: 'ignore', faults: { lostAnswerRate: 1 } });
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    await expect(message(sim, request.id, 'Lost in the wire', null)).rejects.toThrow();
    const items = (await historyOf(sim, request.id)).filter((item) => item.action === 'message');
    expect(items).toEqual([expect.objectContaining({ details: expect.objectContaining({ text: 'Lost in the wire' }) as unknown })]);
    sim.setFaults({});
    expect((await message(sim, request.id, 'Lost in the wire', null)).status).toBe(200);
    expect(sim.marketplace.conversations.thread(request.id).filter((item) => item.from === 'seller')).toHaveLength(2);
  });
});

describe('buyers in the conversation', () => {
  it('POST /_sim/requests/:id/buyer-message makes the buyer write now (admin token only)', async () => {
    const sim = await startSim();
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    expect((await call(sim, `/_sim/requests/${request.id}/buyer-message`, { method: 'POST', body: { text: 'Hi' } })).status).toBe(401);
    const answer = await admin(sim, `/_sim/requests/${request.id}/buyer-message`, { text: 'Where is my money?' });
    expect(answer.status).toBe(201);
    const written = (answer.body as { message: BuyerMessage }).message;
    expect(written).toMatchObject({ requestId: request.id, from: 'buyer', text: 'Where is my money?' });
    expect((await readFeed(sim, written.updatedAt)).map((item) => item.id)).toEqual([written.id]);
    expect(sim.state.requests.get(request.id)).toEqual(request);
    expect((await admin(sim, '/_sim/requests/r-999999/buyer-message', { text: 'Hi' })).status).toBe(404);
    expect((await admin(sim, `/_sim/requests/${request.id}/buyer-message`, { text: '' })).status).toBe(400);
  });

  it('when active, some buyers answer a seller message or a proof request later, on the clock, the same way for the same seed', async () => {
    const run = async (): Promise<Array<[string, string]>> => {
      const sim = await startSim({ buyers: { active: true, newRequestEveryMs: 0 } });
      const open = sim.state.requests.list().filter((request) => request.state === 'requested').slice(0, 12);
      const written = new Map<string, string>();
      for (const request of open) {
        const answer = await message(sim, request.id, 'Could you tell me more?', `k-${request.id}`);
        expect(answer.status).toBe(200);
        written.set(request.id, sim.marketplace.conversations.thread(request.id).at(-1)?.at ?? '');
      }
      const before = open.map((request) => sim.marketplace.conversations.thread(request.id).length);
      sim.marketplace.advance(11 * HOUR_MS);
      const replies = open.flatMap((request, index) =>
        sim.marketplace.conversations.thread(request.id).slice(before[index]).map((item) => {
          expect(item.from).toBe('buyer');
          expect(item.at > (written.get(request.id) ?? '')).toBe(true);
          return [request.id, item.text] as [string, string];
        }),
      );
      return replies;
    };
    const first = await run();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(12);
    expect(await run()).toEqual(first);
  });

  it('a buyer answers a proof request too (some of them), and stays quiet while buyers are idle', async () => {
    const proofReplies = async (active: boolean): Promise<number> => {
      const sim = await startSim({ buyers: { active, newRequestEveryMs: 0 } });
      const disputes = sim.state.requests.list().filter((request) => request.kind === 'dispute' && request.state === 'requested').slice(0, 10);
      for (const request of disputes) {
        const dueAt = new Date(sim.marketplace.now() + 3 * 24 * HOUR_MS).toISOString();
        const answer = await act(sim, request.id, 'request-evidence', { expectedVersion: request.version, message: 'Photos please', dueAt }, `k-${request.id}`);
        expect(answer.status).toBe(200);
      }
      const before = disputes.map((request) => sim.marketplace.conversations.thread(request.id).length);
      sim.marketplace.advance(11 * HOUR_MS);
      return disputes.reduce((sum, request, index) => sum + sim.marketplace.conversations.thread(request.id).length - (before[index] ?? 0), 0);
    };
    expect(await proofReplies(true)).toBeGreaterThan(0);
    expect(await proofReplies(false)).toBe(0);
  });
});
