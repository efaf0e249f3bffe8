import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../electron/backend';
import { silentLogger } from '../../../electron/backend/log';
import { createTestSteadyClock } from '../../support/child-env';
import { TEST_START_MS } from '../../support/start';
import { generateDataset } from '../../../electron/simulator/data';
import { mulberry32 } from '../../../shared/domain/random';
import { testSeed } from '../../support/seed';

/** Seeds the backend's retry jitter (SEED overrides it; printed once). */
const SEED = testSeed('malformed-payloads', 20261126);

let server: Server | null = null;
let backend: Backend | null = null;

afterEach(async () => {
  await backend?.close();
  backend = null;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A marketplace that serves one page per resource, exactly as given (and no messages). */
async function marketplaceServing(pages: { orders: unknown[]; requests: unknown[] }): Promise<string> {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const items = path === '/v1/messages' ? [] : pages[path === '/v1/orders' ? 'orders' : 'requests'];
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ items, nextCursor: null }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('malformed marketplace payloads', () => {
  it('are quarantined one by one with a reason, while the rest of the page applies', async () => {
    const { orders, requests } = generateDataset({ seed: 9, orderCount: 40, startMs: TEST_START_MS });
    const [good, ...rest] = requests;
    if (good === undefined) throw new Error('no requests generated');
    const badRequests: Array<[string, unknown]> = [
      ['wrong types', { ...good, id: 'bad-types', version: 'seven' }],
      ['missing fields', { id: 'bad-missing', orderId: good.orderId }],
      ['unknown currency', { ...good, id: 'bad-currency', requestedAmount: { amountMinor: 100, currency: 'XXX1' } }],
      ['negative amount', { ...good, id: 'bad-negative', requestedAmount: { amountMinor: -5, currency: 'USD' } }],
      ['fractional amount', { ...good, id: 'bad-fraction', requestedAmount: { amountMinor: 12.5, currency: 'USD' } }],
      ['a 1 MB string', { ...good, id: 'bad-huge', buyerMessage: 'x'.repeat(1024 * 1024) }],
      ['unknown state', { ...good, id: 'bad-state', state: 'teleported' }],
      ['a date in the wrong format', { ...good, id: 'bad-date', respondBy: '26/11/2026 10:00' }],
      ['not an object', 'just a string'],
    ];
    const url = await marketplaceServing({
      orders: [...orders, { ...orders[0], id: 'o-bad', paid: { amountMinor: 1, currency: 'usd' } }],
      requests: [good, ...badRequests.map(([, record]) => record), ...rest],
    });
    backend = createBackend({ dataDir: await mkdtemp(join(tmpdir(), 'desk-q-')), marketplace: { baseUrl: url, token: 't' }, clock: createTestSteadyClock(), log: silentLogger, syncIntervalMs: 3_600_000, random: mulberry32(SEED) });
    await backend.start();
    const status = await backend.handle('sync.now', { full: false });

    expect(status.state).toBe('idle');
    expect(status.quarantined).toBe(badRequests.length + 1);
    expect(await backend.db.requests.count()).toBe(requests.length);
    expect(await backend.db.orders.count()).toBe(orders.length);
    const quarantined = await backend.db.quarantine.toArray();
    expect(quarantined.map((row) => row.recordId).sort()).toEqual(
      ['o-bad', 'bad-types', 'bad-missing', 'bad-currency', 'bad-negative', 'bad-fraction', 'bad-huge', 'bad-state', 'bad-date', ''].sort(),
    );
    const reasonOf = (id: string): string => quarantined.find((row) => row.recordId === id)?.reason ?? '';
    expect(reasonOf('bad-types')).toContain('version');
    expect(reasonOf('bad-currency')).toContain('requestedAmount.currency');
    expect(reasonOf('bad-negative')).toContain('requestedAmount.amountMinor');
    expect(reasonOf('bad-huge')).toContain('buyerMessage');
    expect(reasonOf('bad-state')).toContain('state');
    expect(reasonOf('bad-date')).toContain('respondBy');
    for (const row of quarantined) expect(row.excerpt.length).toBeLessThanOrEqual(500);
  });

  it('a page that is not a page at all fails the pass with a clear error, and nothing is written', async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ rows: 'nope' }));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    backend = createBackend({ dataDir: await mkdtemp(join(tmpdir(), 'desk-q-')), marketplace: { baseUrl: url, token: 't' }, clock: createTestSteadyClock(), log: silentLogger, syncIntervalMs: 3_600_000, random: mulberry32(SEED) });
    await backend.start();
    const status = await backend.handle('sync.now', { full: false });
    expect(status.state).toBe('error');
    expect(status.message).toContain('malformed');
    expect(await backend.db.orders.count()).toBe(0);
  });
});
