import { afterEach, describe, expect, it } from 'vitest';
import { NO_FAULTS, parseFaultSpec } from '../../../../electron/simulator/faults';
import type { Simulator } from '../../../../electron/simulator/server';
import { act, admin, call, type JsonAnswer } from './helpers';
import { acceptBody, closeAll, paidCancels, startSim } from './key-fixtures';

afterEach(closeAll);

/** What fetch reports when the server drops the connection without an answer. */
async function connectionError(answer: Promise<unknown>): Promise<string> {
  const error: unknown = await answer.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error, 'the call should have failed without an answer').toBeInstanceOf(TypeError);
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? 'no code';
}

/** Accepts `count` open cancels one by one; true where the answer was lost. */
async function acceptAll(sim: Simulator, count: number): Promise<boolean[]> {
  const lost: boolean[] = [];
  for (const request of paidCancels(sim, count)) {
    const outcome = await act(sim, request.id, 'accept', acceptBody(request), `k-${request.id}`).then(
      () => false,
      () => true,
    );
    lost.push(outcome);
  }
  return lost;
}

describe('the lost-answer fault', () => {
  it('is read from the CLI spec as lostAnswer', () => {
    expect(parseFaultSpec('lostAnswer=0.25')).toEqual({ ...NO_FAULTS, lostAnswerRate: 0.25 });
    expect(() => parseFaultSpec('lostAnswer=2')).toThrow(/"lostAnswer" must be from 0 to 1/);
  });

  it('applies a seller action, then resets the connection: the client gets no answer, the ledger has it', async () => {
    const sim = await startSim({ faults: { lostAnswerRate: 1 } });
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    const code = await connectionError(act(sim, request.id, 'accept', acceptBody(request), 'k-lost'));
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(code);
    expect(sim.state.ledger).toEqual([
      expect.objectContaining({ requestId: request.id, action: 'accept', requestVersion: request.version + 1 }),
    ]);
    expect(sim.state.requests.get(request.id)).toMatchObject({ state: 'accepted', version: request.version + 1 });
    // Honoured keys make the retry safe: the stored answer comes back, nothing applies twice.
    sim.setFaults({});
    const retried = await act(sim, request.id, 'accept', acceptBody(request), 'k-lost');
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(sim.state.ledger).toHaveLength(1);
  });

  it('spares reads and admin calls: only seller actions lose their answer', async () => {
    const sim = await startSim({ faults: { lostAnswerRate: 1 } });
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    for (const path of ['/v1/stores', '/v1/orders?limit=3', `/v1/requests/${request.id}`, `/v1/requests/${request.id}/history`]) {
      expect((await call(sim, path)).status, path).toBe(200);
    }
    expect((await admin(sim, '/_sim/ledger')).status).toBe(200);
  });

  it('is settable from the admin API and seeded: the same seed loses the same answers', async () => {
    const lostFor = async (): Promise<boolean[]> => {
      const sim = await startSim({ seed: 17 });
      const set = await admin(sim, '/_sim/faults', { lostAnswerRate: 0.5 });
      expect(set.body).toEqual({ ...NO_FAULTS, lostAnswerRate: 0.5 });
      const lost = await acceptAll(sim, 12);
      // Lost or not, every accept was applied exactly once.
      expect(sim.state.ledger.filter((entry) => entry.action === 'accept')).toHaveLength(12);
      return lost;
    };
    const first = await lostFor();
    expect(new Set(first)).toEqual(new Set([true, false]));
    expect(await lostFor()).toEqual(first);
  });

  it('draws from its own stream: the other faults fall on the same calls as before it existed', async () => {
    // The main fault stream must advance the same way for an action as for any other call, so
    // seeded runs keep their 500/503/429/drops. Reads and actions on an unknown request change
    // nothing: each answer is a 404, an injected 500/503, or (for an action) lost.
    const outcomes = async (send: (sim: Simulator, attempt: number) => Promise<JsonAnswer>): Promise<string[]> => {
      const sim = await startSim({ faults: { errorRate: 0.4, lostAnswerRate: 1 } });
      const seen: string[] = [];
      for (let attempt = 0; attempt < 16; attempt++) {
        seen.push(await send(sim, attempt).then((reply) => String(reply.status), () => 'lost'));
      }
      return seen;
    };
    const reads = await outcomes((sim) => call(sim, '/v1/requests/r-999999'));
    const actions = await outcomes((sim, attempt) => act(sim, 'r-999999', 'escalate', { expectedVersion: 1 }, `k-${attempt}`));
    expect(reads).toContain('404');
    expect(reads.some((status) => status === '500' || status === '503')).toBe(true);
    expect(actions).toEqual(reads.map((status) => (status === '404' ? 'lost' : status)));
  });
});
