import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import { toRemoteRequest } from '../../../../../electron/backend/cache/records';
import { deskAnswersFromAudit } from '../../../../../electron/backend/insights/aggregate';
import { insightsByScan } from '../../../../../electron/backend/insights/scan';
import type { ManualClock } from '../../../../../electron/simulator/clock';
import { toInstant } from '../../../../../shared/domain/time';
import { InsightsInputSchema, type Insights } from '../../../../../shared/ipc/contract';
import { dispatchCall } from '../../../../../shared/ipc/dispatch';
import { TEST_START_MS as START, startDesk, type Desk } from '../../../../support/desk';

const DAY = 86_400_000;
let desk: Desk;
let backend: Backend;
let clock: ManualClock;

beforeAll(async () => {
  desk = await startDesk({ seed: 8, orders: 600, policy: { undoWindowSeconds: 0 } });
  ({ backend, clock } = desk);
});

afterAll(async () => {
  await desk.close();
});

const range = InsightsInputSchema.parse({ from: toInstant(START - 89 * DAY).slice(0, 10), to: toInstant(START).slice(0, 10) });

/** The same figures by a full pass over what the cache holds now. */
async function scanned(input = range): Promise<Insights> {
  const rows = await backend.db.requests.toArray();
  const orders = await backend.db.orders.toArray();
  const answers = deskAnswersFromAudit(await backend.db.audit.toArray());
  return insightsByScan(rows.map(toRemoteRequest), new Map(orders.map((order) => [order.id, order])), answers, input);
}

describe('insights.get through the backend', () => {
  it('answers the figures kept in memory, equal to a full pass over the cache', async () => {
    const kept = await backend.handle('insights.get', range);
    expect(kept).toEqual(await scanned());
    expect(kept.perDay).toHaveLength(90);
    expect(kept.perDay.reduce((total, day) => total + day.total, 0)).toBeGreaterThan(100);
    expect(kept.outcomes.reduce((total, item) => total + item.count, 0)).toBe(kept.perDay.reduce((total, day) => total + day.total, 0));
    const store = kept.stores[0] ?? '';
    const one = InsightsInputSchema.parse({ ...range, storeId: store, repeatMoreThan: 1 });
    expect(await backend.handle('insights.get', one)).toEqual(await scanned(one));
  });

  it('follows a decision delivered to the marketplace: the outcome moves and the answer time is counted', async () => {
    const before = await backend.handle('insights.get', range);
    const target = (await backend.db.requests.toArray()).find((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment' && row.local === null);
    if (target === undefined) throw new Error('no open cancel request in the demo data');
    await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    clock.advance(60_000);
    await backend.dispatchIdle();
    const after = await backend.handle('insights.get', range);
    const count = (result: Insights, outcome: string): number => result.outcomes.find((item) => item.outcome === outcome)?.count ?? 0;
    expect(count(after, 'open')).toBe(count(before, 'open') - 1);
    expect(count(after, 'accepted')).toBe(count(before, 'accepted') + 1);
    expect(after.responseTime.answered).toBe(before.responseTime.answered + 1);
    expect(after).toEqual(await scanned());
  });

  it('refuses a reversed or too long range with the field named', async () => {
    const reversed = await dispatchCall('insights.get', { from: '2026-03-10', to: '2026-03-01' }, () => Promise.resolve(null));
    expect(reversed).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Invalid input for insights.get: from: must not be after "to"' } });
    const long = await dispatchCall('insights.get', { from: '2025-01-01', to: '2026-03-01' }, () => Promise.resolve(null));
    expect(long).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Invalid input for insights.get: to: the range is at most 366 days' } });
  });
});
