import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CancelRequest } from '../../../../shared/domain/request';
import { viewOfState } from '../../../../shared/domain/views';
import type { QueuePage, QueueRow } from '../../../../shared/ipc/contract';
import type { Backend } from '../../../../electron/backend';
import type { Simulator } from '../../../../electron/simulator/server';
import { startDesk, type Desk, type DeskBackendOptions } from '../../../support/desk';
import { byTimeLeft, fetchAllFromMarketplace } from '../../../support/marketplace';

let desk: Desk;
let simulator: Simulator;

/** A backend of its own (not started) on the desk's clock and data folder. */
function backendOn(baseUrl: string, token: string, http: DeskBackendOptions['http'] = {}): Backend {
  return desk.openBackend({ marketplace: { baseUrl, token }, http });
}

async function readWholeView(backend: Backend, view: 'all' | 'needs_reply', limit: number): Promise<QueueRow[]> {
  const rows: QueueRow[] = [];
  let cursor: string | null = null;
  do {
    const page: QueuePage = await backend.handle('queue.list', { view, sort: 'time_left', limit, cursor, search: '', storeId: null });
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return rows;
}

beforeEach(async () => {
  // The desk's own backend stays unstarted here: each test starts the ones it needs.
  desk = await startDesk({ seed: 3, orders: 400, start: false });
  ({ simulator } = desk);
});

afterEach(async () => {
  await desk.close();
});

describe('backend: a first sync pass into the cache and the queue over the contract', () => {
  it('caches every request the marketplace serves, and pages each view exactly once in time-left order', async () => {
    const backend = backendOn(simulator.url, simulator.token);
    await backend.start();
    const status = await backend.handle('sync.now', { full: false });
    expect(status.state).toBe('idle');
    expect(status.lastSyncAt).not.toBeNull();

    const remote = (await fetchAllFromMarketplace<CancelRequest>(simulator, 'requests')).sort(byTimeLeft);
    const all = await readWholeView(backend, 'all', 37);
    expect(all.map((row) => row.requestId)).toEqual(remote.map((request) => request.id));
    expect(all.map((row) => row.amount)).toEqual(remote.map((request) => request.requestedAmount));

    const needsReply = await readWholeView(backend, 'needs_reply', 25);
    const expected = remote.filter((request) => viewOfState(request.state) === 'needs_reply');
    expect(needsReply.map((row) => row.requestId)).toEqual(expected.map((request) => request.id));

    const counts = await backend.handle('queue.counts', {});
    expect(counts.all).toBe(remote.length);
    expect(counts.needs_reply).toBe(expected.length);
    const stateViews = ['needs_reply', 'proof_requested', 'proof_in', 'offers', 'escalated', 'done'] as const;
    expect(stateViews.reduce((sum, view) => sum + counts[view], 0)).toBe(remote.length);
  });

  it('fills each row with the buyer from the order', async () => {
    const backend = backendOn(simulator.url, simulator.token);
    await backend.start();
    await backend.handle('sync.now', { full: false });
    const page = await backend.handle('queue.list', { view: 'all', sort: 'requested_at', limit: 10, cursor: null, search: '', storeId: null });
    expect(page.rows).toHaveLength(10);
    for (const row of page.rows) expect(row.buyerName.length).toBeGreaterThan(0);
    const requestedAt = page.rows.map((row) => row.requestedAt);
    expect(requestedAt).toEqual([...requestedAt].sort());
  });

  it('a second pass fetches only what changed and keeps the cache identical', async () => {
    const backend = backendOn(simulator.url, simulator.token);
    await backend.start();
    await backend.handle('sync.now', { full: false });
    const before = await readWholeView(backend, 'all', 200);
    await backend.handle('sync.now', { full: false });
    expect(await readWholeView(backend, 'all', 200)).toEqual(before);
  });

  it('refuses a cursor it did not issue, with a clear error', async () => {
    const backend = backendOn(simulator.url, simulator.token);
    await backend.start();
    await expect(backend.handle('queue.list', { view: 'all', sort: 'time_left', limit: 5, cursor: 'not-a-cursor', search: '', storeId: null })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('with the marketplace down, opens on the cache and reports it unreachable with a retry time', async () => {
    const first = backendOn(simulator.url, simulator.token);
    await first.start();
    await first.handle('sync.now', { full: false });
    const cached = await readWholeView(first, 'all', 200);
    await first.close();
    const deadUrl = simulator.url;
    await simulator.close();

    // One attempt per call: the pass fails at once instead of waiting for retries on the manual clock.
    const second = backendOn(deadUrl, 'whatever', { maxAttempts: 1 });
    await second.start();
    expect(await readWholeView(second, 'all', 200)).toEqual(cached);
    const status = await second.handle('sync.now', { full: false });
    expect(status.state).toBe('unreachable');
    expect(status.message).toContain(deadUrl);
    expect(status.nextAttemptAt).not.toBeNull();
  });
});
