import { afterEach, describe, expect, it } from 'vitest';
import type { CancelRequest } from '../../../../shared/domain/request';
import type { HistoryItem } from '../../../../electron/simulator/history';
import { REFUND_SETTLE_MS } from '../../../../electron/simulator/marketplace';
import type { Simulator } from '../../../../electron/simulator/server';
import { act, admin, call, errorOf, type JsonAnswer } from './helpers';
import { acceptBody, closeAll, paidCancels, startSim } from './key-fixtures';

afterEach(closeAll);

function itemsOf(answer: JsonAnswer): HistoryItem[] {
  expect(answer.status).toBe(200);
  return (answer.body as { items: HistoryItem[] }).items;
}

function history(sim: Simulator, requestId: string): Promise<JsonAnswer> {
  return call(sim, `/v1/requests/${encodeURIComponent(requestId)}/history`);
}

describe('GET /v1/requests/:id/history', () => {
  it("lists exactly the request's ledger entries, oldest first, with the versions each went from and to", async () => {
    const sim = await startSim();
    const [mine, other] = paidCancels(sim, 2);
    if (mine === undefined || other === undefined) throw new Error('unreachable');
    expect((await act(sim, other.id, 'accept', acceptBody(other), 'k-other')).status).toBe(200);
    expect((await act(sim, mine.id, 'accept', acceptBody(mine), 'k-mine')).status).toBe(200);
    // The platform settles both refunds: two more entries, interleaved in the ledger.
    sim.marketplace.advance(REFUND_SETTLE_MS);
    expect(sim.state.ledger.length).toBeGreaterThanOrEqual(4);

    const items = itemsOf(await history(sim, mine.id));
    expect(items).toEqual([
      {
        seq: expect.any(Number) as number,
        at: expect.any(String) as string,
        actor: 'seller',
        action: 'accept',
        fromState: 'requested',
        toState: 'accepted',
        fromVersion: mine.version,
        toVersion: mine.version + 1,
        refund: mine.refundMax,
        details: { amount: mine.refundMax },
      },
      expect.objectContaining({
        actor: 'platform',
        action: 'settle_refund',
        fromState: 'accepted',
        toState: 'refunded',
        fromVersion: mine.version + 1,
        toVersion: mine.version + 2,
        refund: null,
      }),
    ]);
    const ledger = sim.state.ledger.filter((entry) => entry.requestId === mine.id);
    expect(items.map((item) => [item.seq, item.at])).toEqual(ledger.map((entry) => [entry.seq, entry.at]));
    expect(items.at(-1)?.toVersion).toBe(sim.state.requests.get(mine.id)?.version);
    // The key is the marketplace's own business: the history proves the action without it.
    expect(items[0]).not.toHaveProperty('idempotencyKey');
  });

  it('starts at the opening for a request opened since start (fromVersion 0), and is empty for an untouched one', async () => {
    const sim = await startSim();
    const order = sim.state.orders.list().find((candidate) => candidate.status === 'awaiting_shipment' &&
      !sim.state.requests.list().some((request) => request.orderId === candidate.id));
    if (order === undefined) throw new Error('The dataset has no order without a request.');
    const opened = await admin(sim, '/_sim/requests', { orderId: order.id });
    expect(opened.status).toBe(201);
    const request = (opened.body as { request: CancelRequest }).request;
    expect(itemsOf(await history(sim, request.id))).toEqual([
      expect.objectContaining({ actor: 'buyer', action: 'open', fromState: null, toState: 'requested', fromVersion: 0, toVersion: 1 }),
    ]);
    const [untouched] = paidCancels(sim, 1);
    if (untouched === undefined) throw new Error('unreachable');
    expect(itemsOf(await history(sim, untouched.id))).toEqual([]);
  });

  it("shows whether an action whose answer was lost was applied: one seller item from the version it was sent at", async () => {
    const sim = await startSim({ idempotencyKeys: 'ignore', faults: { lostAnswerRate: 1 } });
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    await expect(act(sim, request.id, 'accept', acceptBody(request), null)).rejects.toThrow();
    const applied = itemsOf(await history(sim, request.id)).filter(
      (item) => item.actor === 'seller' && item.fromVersion === request.version,
    );
    expect(applied).toEqual([expect.objectContaining({ action: 'accept', refund: request.refundMax })]);
  });

  it('answers 404 for an unknown request', async () => {
    const sim = await startSim();
    const answer = await history(sim, 'r-999999');
    expect(answer.status).toBe(404);
    expect(errorOf(answer)).toMatchObject({ code: 'not_found', id: 'r-999999' });
  });

  it('needs the marketplace token (the admin token will not do) and takes no POST', async () => {
    const sim = await startSim();
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    for (const token of [null, sim.adminToken, 'not-the-token']) {
      const answer = await call(sim, `/v1/requests/${request.id}/history`, { token });
      expect(answer.status).toBe(401);
      expect(errorOf(answer).code).toBe('unauthorized');
    }
    const posted = await call(sim, `/v1/requests/${request.id}/history`, { method: 'POST', body: {} });
    expect(posted.status).toBe(405);
  });

  it('is faulty like the other reads', async () => {
    const sim = await startSim({ faults: { errorRate: 1 } });
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    const answer = await history(sim, request.id);
    expect([500, 503]).toContain(answer.status);
  });
});

describe('SimState.ledgerOf', () => {
  it("keeps each request's entries apart, in ledger order, as they are appended", async () => {
    const sim = await startSim();
    const requests = paidCancels(sim, 3);
    for (const request of requests) await act(sim, request.id, 'accept', acceptBody(request), `k-${request.id}`);
    sim.marketplace.advance(REFUND_SETTLE_MS);
    for (const request of requests) {
      expect(sim.state.ledgerOf(request.id)).toEqual(sim.state.ledger.filter((entry) => entry.requestId === request.id));
      expect(sim.state.ledgerOf(request.id)).toHaveLength(2);
    }
    expect(sim.state.ledgerOf('r-999999')).toEqual([]);
  });
});
