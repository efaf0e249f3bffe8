import { afterEach, describe, expect, it } from 'vitest';
import type { CancelRequest } from '../../../../shared/domain/request';
import { createSimulator } from '../../../../electron/simulator/server';
import { act, admin, call, errorOf, type JsonAnswer } from './helpers';
import { acceptBody, closeAll, heldNetwork, paidCancels, startSim } from './key-fixtures';

afterEach(closeAll);

function requestOf(answer: JsonAnswer): CancelRequest {
  return (answer.body as { request: CancelRequest }).request;
}

describe("idempotencyKeys: 'ignore'", () => {
  it('applies a replayed call once: the retry meets version_conflict, not a replayed answer', async () => {
    const sim = await startSim({ idempotencyKeys: 'ignore' });
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    const first = await act(sim, request.id, 'accept', acceptBody(request), 'k-once');
    expect(first.status).toBe(200);
    expect(requestOf(first)).toMatchObject({ state: 'accepted', version: request.version + 1 });

    const again = await act(sim, request.id, 'accept', acceptBody(request), 'k-once');
    expect(again.status).toBe(409);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(errorOf(again)).toMatchObject({
      code: 'version_conflict',
      currentVersion: request.version + 1,
      currentState: 'accepted',
    });
    const entries = sim.state.ledger.filter((entry) => entry.requestId === request.id);
    // The key is never read, so the ledger does not keep it either.
    expect(entries).toEqual([expect.objectContaining({ action: 'accept', idempotencyKey: null })]);
  });

  it('accepts calls without the header, and any header, even one honour mode would refuse', async () => {
    const sim = await startSim({ idempotencyKeys: 'ignore' });
    const [bare, odd] = paidCancels(sim, 2);
    if (bare === undefined || odd === undefined) throw new Error('unreachable');
    expect((await act(sim, bare.id, 'accept', acceptBody(bare), null)).status).toBe(200);
    expect((await act(sim, odd.id, 'accept', acceptBody(odd), 'x'.repeat(300))).status).toBe(200);
    expect(sim.state.ledger.map((entry) => entry.requestId)).toEqual([bare.id, odd.id]);
  });

  it('never answers idempotency_key_reused: a reused key on another call is a new call', async () => {
    const sim = await startSim({ idempotencyKeys: 'ignore' });
    const [first, second] = paidCancels(sim, 2);
    if (first === undefined || second === undefined) throw new Error('unreachable');
    expect((await act(sim, first.id, 'accept', acceptBody(first), 'k-shared')).status).toBe(200);
    const reused = await act(sim, second.id, 'accept', acceptBody(second), 'k-shared');
    expect(reused.status).toBe(200);
    expect(requestOf(reused)).toMatchObject({ id: second.id, state: 'accepted' });
    // A body that is still wrong is judged on its own merits (a 400 naming the field), not the key.
    const invalid = await act(sim, first.id, 'accept', { expectedVersion: 'x' }, 'k-shared');
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid).code).toBe('bad_request');
  });

  it('never answers idempotency_in_flight: a duplicate sent while the first is in flight is handled afresh', async () => {
    const network = heldNetwork();
    const sim = await startSim({ idempotencyKeys: 'ignore', faults: { latencyMs: 50 }, networkClock: network.clock });
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    const first = act(sim, request.id, 'accept', acceptBody(request), 'k-twice');
    await network.waitsBegun(1);
    const second = act(sim, request.id, 'accept', acceptBody(request), 'k-twice');
    // The duplicate must wait its own latency, not be answered while the first is in flight.
    const answeredEarly = await Promise.race([network.waitsBegun(2).then(() => null), second]);
    expect(answeredEarly, 'the duplicate was answered while the first call was in flight').toBeNull();
    network.release(50);
    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.map((answer) => (answer.status === 409 ? errorOf(answer).code : 'ok')).sort()).toEqual([
      'ok',
      'version_conflict',
    ]);
    expect(sim.state.ledger.filter((entry) => entry.requestId === request.id)).toHaveLength(1);
  });

  it('refuses an unknown mode by name', async () => {
    await expect(
      createSimulator({ seed: 1, orders: 0, idempotencyKeys: 'sometimes' as 'ignore' }),
    ).rejects.toThrow(/"idempotencyKeys"/);
  });
});

describe("idempotencyKeys: 'honour' (the default) is unchanged", () => {
  it('requires the header, replays an answer, refuses reuse and reports a call in flight', async () => {
    const network = heldNetwork();
    const sim = await startSim({ faults: { latencyMs: 50 }, networkClock: network.clock });
    const [request, other] = paidCancels(sim, 2);
    if (request === undefined || other === undefined) throw new Error('unreachable');

    const missing = await act(sim, request.id, 'accept', acceptBody(request), null);
    expect(missing.status).toBe(400);
    expect(errorOf(missing)).toMatchObject({ code: 'bad_request', field: 'Idempotency-Key' });

    const first = act(sim, request.id, 'accept', acceptBody(request), 'k-h');
    await network.waitsBegun(1);
    const during = await act(sim, request.id, 'accept', acceptBody(request), 'k-h');
    expect(during.status).toBe(409);
    expect(errorOf(during).code).toBe('idempotency_in_flight');
    network.release(50);
    expect((await first).status).toBe(200);

    const replayed = await act(sim, request.id, 'accept', acceptBody(request), 'k-h');
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    const reused = await act(sim, other.id, 'accept', acceptBody(other), 'k-h');
    expect(reused.status).toBe(422);
    expect(errorOf(reused).code).toBe('idempotency_key_reused');
    expect(sim.state.ledger).toEqual([expect.objectContaining({ requestId: request.id, idempotencyKey: 'k-h' })]);
  });
});

describe('switching at run time', () => {
  it('GET|POST /_sim/idempotency-keys read and switch the mode, with the admin token only', async () => {
    const sim = await startSim();
    const [request] = paidCancels(sim, 1);
    if (request === undefined) throw new Error('unreachable');
    expect((await admin(sim, '/_sim/idempotency-keys')).body).toEqual({ idempotencyKeys: 'honour' });
    const forbidden = await call(sim, '/_sim/idempotency-keys', { method: 'POST', body: { idempotencyKeys: 'ignore' } });
    expect(forbidden.status).toBe(401);
    const bad = await admin(sim, '/_sim/idempotency-keys', { idempotencyKeys: 'never' });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'bad_request', field: 'idempotencyKeys' });

    const switched = await admin(sim, '/_sim/idempotency-keys', { idempotencyKeys: 'ignore' });
    expect(switched.body).toEqual({ idempotencyKeys: 'ignore' });
    expect((await admin(sim, '/_sim/idempotency-keys')).body).toEqual({ idempotencyKeys: 'ignore' });
    expect((await act(sim, request.id, 'accept', acceptBody(request), null)).status).toBe(200);

    sim.setIdempotencyKeys('honour');
    expect((await admin(sim, '/_sim/idempotency-keys')).body).toEqual({ idempotencyKeys: 'honour' });
    const keyless = await act(sim, request.id, 'accept', acceptBody(request), null);
    expect(errorOf(keyless)).toMatchObject({ code: 'bad_request', field: 'Idempotency-Key' });
  });
});
