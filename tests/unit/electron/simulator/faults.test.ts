import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../../shared/domain/order';
import type { CancelRequest } from '../../../../shared/domain/request';
import type { Clock } from '../../../../shared/domain/time';
import { createManualClock } from '../../../../electron/simulator/clock';
import { NO_FAULTS, parseFaultSpec } from '../../../../electron/simulator/faults';
import { createSimulator, type Simulator } from '../../../../electron/simulator/server';
import { START_MS, act, admin, call, errorOf } from './helpers';

const opened: Simulator[] = [];

async function start(options: { faults?: Record<string, number>; networkClock?: Clock } = {}): Promise<Simulator> {
  const sim = await createSimulator({
    seed: 9,
    orders: 800,
    clock: createManualClock(START_MS),
    buyers: { active: false },
    ...options,
  });
  opened.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()));
});

describe('parseFaultSpec', () => {
  it('reads the CLI form', () => {
    expect(parseFaultSpec('error=0.2,latency=50,rate429=0.1')).toEqual({
      ...NO_FAULTS,
      errorRate: 0.2,
      latencyMs: 50,
      rate429: 0.1,
    });
    expect(parseFaultSpec('drop=0.05, duplicate=0.1,reorder=1,retryAfter=0')).toEqual({
      ...NO_FAULTS,
      dropRate: 0.05,
      duplicateRate: 0.1,
      reorderRate: 1,
      retryAfterSeconds: 0,
    });
    expect(parseFaultSpec('')).toEqual(NO_FAULTS);
  });

  it.each([
    ['error=1.5', /"error" must be from 0 to 1/],
    ['latency=0.5', /"latency"/],
    ['boom=1', /Unknown fault "boom"/],
    ['error', /not name=number/],
  ])('rejects %s', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('injected faults', () => {
  it('answer 500 or 503 on every /v1 call at error rate 1, leaving health and admin alone', async () => {
    const sim = await start({ faults: { errorRate: 1, retryAfterSeconds: 3 } });
    const statuses = new Set<number>();
    for (let call_ = 0; call_ < 12; call_++) {
      const answer = await call(sim, '/v1/orders?limit=5');
      statuses.add(answer.status);
      expect(['internal', 'unavailable']).toContain(errorOf(answer).code);
      if (answer.status === 503) expect(answer.headers.get('retry-after')).toBe('3');
    }
    expect(statuses).toEqual(new Set([500, 503]));
    expect((await call(sim, '/v1/health', { token: null })).status).toBe(200);
    expect((await admin(sim, '/_sim/ledger')).status).toBe(200);
  });

  it('answer 429 with Retry-After, and change nothing', async () => {
    const sim = await start({ faults: { rate429: 1, retryAfterSeconds: 2 } });
    const request = sim.state.requests.list().find((item) => item.state === 'requested');
    if (request === undefined) throw new Error('no open request');
    const answer = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-429');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(errorOf(answer)).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 2 });
    expect(sim.state.ledger).toHaveLength(0);
    sim.setFaults({});
    const retried = await act(sim, request.id, 'accept', { expectedVersion: request.version, amount: request.refundMax }, 'k-429');
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('drop connections; an action dropped after it applied is replayed, never applied twice', async () => {
    const sim = await start({ faults: { dropRate: 1 } });
    await expect(call(sim, '/v1/orders')).rejects.toThrow();
    const request = sim.state.requests.list().find((item) => item.kind === 'cancel' && item.state === 'requested');
    if (request === undefined) throw new Error('no open cancel');
    const body = { expectedVersion: request.version, amount: request.refundMax };
    for (let attempt = 0; attempt < 6; attempt++) {
      await expect(act(sim, request.id, 'accept', body, 'k-drop')).rejects.toThrow();
    }
    // With this seed at least one attempt was dropped after it applied.
    expect(sim.state.ledger.filter((entry) => entry.idempotencyKey === 'k-drop')).toHaveLength(1);
    sim.setFaults({});
    const retried = await act(sim, request.id, 'accept', body, 'k-drop');
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(sim.state.ledger.filter((entry) => entry.requestId === request.id)).toHaveLength(1);
  });

  it('duplicate and reorder list pages, yet a client that follows nextCursor and keeps the newest sees everything', async () => {
    const sim = await start({ faults: { duplicateRate: 0.4, reorderRate: 0.5 } });
    const seen = new Map<string, Order>();
    let received = 0;
    let outOfOrder = 0;
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await call(sim, `/v1/orders?limit=40${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(answer.status).toBe(200);
      const page = answer.body as { items: Order[]; nextCursor: string | null };
      received += page.items.length;
      for (let index = 1; index < page.items.length; index++) {
        const previous = page.items[index - 1];
        const current = page.items[index];
        if (previous !== undefined && current !== undefined && previous.updatedAt > current.updatedAt) outOfOrder++;
      }
      for (const item of page.items) seen.set(item.id, item);
      cursor = page.nextCursor;
      pages++;
      expect(pages).toBeLessThan(200);
    } while (cursor !== null);
    expect(received).toBeGreaterThan(800);
    expect(outOfOrder).toBeGreaterThan(0);
    expect([...seen.values()].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
      sim.state.orders.list().sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it('delay calls by the latency on the network clock', async () => {
    const network = createManualClock(0);
    let signalArmed: () => void = () => undefined;
    const armed = new Promise<void>((resolve) => {
      signalArmed = resolve;
    });
    const networkClock: Clock = {
      now: () => network.now(),
      setTimer: (delayMs, callback) => {
        const cancel = network.setTimer(delayMs, callback);
        signalArmed();
        return cancel;
      },
    };
    const sim = await start({ faults: { latencyMs: 80 }, networkClock });
    let answered = false;
    const pending = call(sim, '/v1/requests/r-000001').then((answer) => {
      answered = true;
      return answer;
    });
    await armed;
    expect(answered).toBe(false);
    network.advance(80);
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect((answer.body as CancelRequest).id).toBe('r-000001');
  });

  it('are deterministic for a seed', async () => {
    const statusesOf = async (): Promise<number[]> => {
      const sim = await start({ faults: { errorRate: 0.3, rate429: 0.2 } });
      const statuses: number[] = [];
      for (let index = 0; index < 20; index++) statuses.push((await call(sim, '/v1/stores')).status);
      return statuses;
    };
    const first = await statusesOf();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await statusesOf()).toEqual(first);
  });
});
