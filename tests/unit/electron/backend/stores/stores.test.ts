import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import type { Simulator } from '../../../../../electron/simulator/server';
import type { CancelRequest } from '../../../../../shared/domain/request';
import { parsePolicy } from '../../../../../shared/rules/policy';
import { testSeed } from '../../../../support/seed';
import { startStoresDesk, type StoreSpec, type StoresDesk } from '../../../../support/stores-desk';

const SEED = testSeed('stores', 20261202);

const ATLAS: StoreSpec = { id: 'atlas', name: 'Atlas Outdoor', seed: SEED, orders: 150, idPrefix: '' };
const LANTERN: StoreSpec = { id: 'lantern', name: 'Lantern Home', seed: SEED + 1, orders: 150, idPrefix: 'lh-' };

let desk: StoresDesk | null = null;
afterEach(async () => {
  await desk?.close();
  desk = null;
});

/** Passes until every store is idle or the passes stop changing anything (a failing store stays failing). */
async function syncUntilSettled(backend: Backend, passes = 8): Promise<void> {
  for (let pass = 0; pass < passes; pass += 1) {
    const status = await backend.handle('sync.now', { full: false });
    if (status.state === 'idle') return;
  }
}

/** What a marketplace holds: request id -> version. */
function remoteVersions(simulator: Simulator): Map<string, number> {
  return new Map(simulator.state.requests.all.listById().map((request: CancelRequest) => [request.id, request.version]));
}

async function cachedVersions(backend: Backend, storeId: string): Promise<Map<string, number>> {
  return new Map((await backend.db.requests.toArray()).filter((row) => row.storeId === storeId).map((row) => [row.id, row.version]));
}

describe('several stores in one queue', () => {
  it('two stores syncing at once under injected faults each converge to their own marketplace, stamped with their store', async () => {
    const faults = { errorRate: 0.2, dropRate: 0.1, duplicateRate: 0.2, reorderRate: 0.3 };
    desk = await startStoresDesk({ seed: SEED, stores: [{ ...ATLAS, faults }, { ...LANTERN, faults }] });
    const { backend, marketplaces } = desk;
    await syncUntilSettled(backend, 20);
    for (const store of [ATLAS, LANTERN]) {
      const marketplace = marketplaces[store.id];
      if (marketplace === undefined) throw new Error(store.id);
      expect(await cachedVersions(backend, store.id), store.id).toEqual(remoteVersions(marketplace));
    }
    const rows = await backend.db.requests.toArray();
    expect(new Set(rows.map((row) => row.storeId))).toEqual(new Set(['atlas', 'lantern']));
    const orders = await backend.db.orders.toArray();
    expect(orders.every((order) => order.storeId === 'atlas' || order.storeId === 'lantern')).toBe(true);
    const status = await backend.handle('sync.status', {});
    expect(status.state).toBe('idle');
    expect(status.stores?.map((store) => [store.id, store.health.state])).toEqual([
      ['atlas', 'up_to_date'],
      ['lantern', 'up_to_date'],
    ]);
  });

  it("one store's marketplace down does not stop the other; the status names the store and since when", async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, { ...LANTERN, faults: { errorRate: 1 } }] });
    const { backend, marketplaces, clock } = desk;
    const downSince = new Date(clock.now()).toISOString();
    const status = await backend.handle('sync.now', { full: false });
    expect(await cachedVersions(backend, 'atlas')).toEqual(remoteVersions(marketplaces.atlas as Simulator));
    expect((await cachedVersions(backend, 'lantern')).size).toBe(0);
    expect(status.state).toBe('error');
    expect(status.message).toMatch(/^Lantern Home: /);
    const lantern = (await backend.handle('stores.list', {})).find((store) => store.id === 'lantern');
    expect(lantern?.health).toMatchObject({ state: 'error', since: downSince, lastSyncAt: null });
    const atlas = (await backend.handle('stores.list', {})).find((store) => store.id === 'atlas');
    expect(atlas?.health.state).toBe('up_to_date');

    // Back up: the next pass brings it in.
    (marketplaces.lantern as Simulator).setFaults({});
    await syncUntilSettled(backend);
    expect(await cachedVersions(backend, 'lantern')).toEqual(remoteVersions(marketplaces.lantern as Simulator));
  });

  it('two marketplaces that send the same ids: the second copy is set aside with the reason, the first store keeps its own', async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, { ...LANTERN, idPrefix: '' }] });
    const { backend, marketplaces } = desk;
    await backend.handle('sync.now', { full: false });
    const atlas = remoteVersions(marketplaces.atlas as Simulator);
    const lantern = remoteVersions(marketplaces.lantern as Simulator);
    const shared = [...lantern.keys()].filter((id) => atlas.has(id));
    expect(shared.length).toBeGreaterThan(0);
    const rows = await backend.db.requests.bulkGet(shared);
    const owners = new Set(rows.map((row) => row?.storeId));
    // Whichever store synced a shared id first keeps it; the other's copy is set aside, never taken over.
    expect(owners.size).toBeGreaterThanOrEqual(1);
    const setAside = await backend.handle('quarantine.list', { limit: 500 });
    const reasons = setAside.records.filter((record) => record.resource === 'requests' && shared.includes(record.recordId));
    expect(reasons.length).toBeGreaterThan(0);
    for (const record of reasons) {
      const owner = (await backend.db.requests.get(record.recordId))?.storeId;
      expect(record.reason).toMatch(new RegExp(`^Store "(Atlas Outdoor|Lantern Home)" sent request ${record.recordId}, which store ${owner ?? '?'} already has`));
    }
  });

  it('a bulk accept across both stores refunds each in its own marketplace, exactly once', async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, LANTERN] });
    const { backend, marketplaces } = desk;
    await syncUntilSettled(backend);
    const open = (await backend.db.requests.toArray()).filter((row) => row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment' && row.local === null);
    const picked = [...open.filter((row) => row.storeId === 'atlas').slice(0, 5), ...open.filter((row) => row.storeId === 'lantern').slice(0, 5)];
    expect(picked).toHaveLength(10);
    const result = await backend.handle('decisions.decide', { requestIds: picked.map((row) => row.id), action: { type: 'accept' } });
    expect(result.done).toBe(10);
    await desk.deliver();
    for (const store of [ATLAS, LANTERN]) {
      const ledger = (marketplaces[store.id] as Simulator).state.ledger.filter((entry) => entry.action === 'accept');
      expect(ledger.map((entry) => entry.requestId).sort(), store.id).toEqual(picked.filter((row) => row.storeId === store.id).map((row) => row.id).sort());
    }
    // Stamped with the store after the marketplace's answer too.
    const after = (await backend.db.requests.bulkGet(picked.map((row) => row.id))).map((row) => row?.storeId);
    expect(after).toEqual(picked.map((row) => row.storeId));
  });

  it('a paused store neither syncs nor sends; resumed, its decision goes out', async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, LANTERN] });
    const { backend, marketplaces } = desk;
    await syncUntilSettled(backend);
    const target = (await backend.db.requests.toArray()).find((row) => row.storeId === 'lantern' && row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    if (target === undefined) throw new Error('no open cancel in Lantern Home');
    const paused = await backend.handle('stores.update', { storeId: 'lantern', paused: true });
    expect(paused.health.state).toBe('paused');
    await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    await desk.deliver();
    const lanternLedger = (marketplaces.lantern as Simulator).state.ledger;
    expect(lanternLedger.filter((entry) => entry.requestId === target.id)).toEqual([]);
    const waiting = await backend.db.outbox.where('requestId').equals(target.id).first();
    expect(waiting?.status).toBe('retry');
    expect(waiting?.lastError?.message).toContain('Lantern Home is paused');

    await backend.handle('stores.update', { storeId: 'lantern', paused: false });
    desk.clock.advance(10 * 60_000);
    await backend.dispatchIdle();
    expect(lanternLedger.filter((entry) => entry.requestId === target.id && entry.actor === 'seller').map((entry) => entry.action)).toEqual(['accept']);
  });

  it('renames a store; removing it is refused while its decisions wait, then drops its requests and keeps the audit log', async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, LANTERN] });
    const { backend } = desk;
    await syncUntilSettled(backend);
    expect((await backend.handle('stores.update', { storeId: 'lantern', name: 'Lantern Home EU' })).name).toBe('Lantern Home EU');
    const target = (await backend.db.requests.toArray()).find((row) => row.storeId === 'lantern' && row.kind === 'cancel' && row.state === 'requested' && row.phase === 'before_shipment');
    if (target === undefined) throw new Error('no open cancel in Lantern Home');
    await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'accept' } });
    await expect(backend.handle('stores.remove', { storeId: 'lantern' })).rejects.toMatchObject({ code: 'store_busy' });
    expect((await backend.handle('stores.list', {})).map((store) => store.id)).toEqual(['atlas', 'lantern']);

    await desk.deliver();
    const lanternRequests = (await backend.db.requests.toArray()).filter((row) => row.storeId === 'lantern').length;
    const removed = await backend.handle('stores.remove', { storeId: 'lantern' });
    expect(removed).toEqual({ storeId: 'lantern', requestsRemoved: lanternRequests, auditEntriesKept: expect.any(Number) as number });
    expect(removed.auditEntriesKept).toBeGreaterThanOrEqual(2);
    expect((await backend.db.requests.toArray()).some((row) => row.storeId === 'lantern')).toBe(false);
    expect(await backend.db.audit.where('requestId').equals(target.id).count()).toBeGreaterThanOrEqual(2);
    expect((await backend.handle('stores.list', {})).map((store) => store.id)).toEqual(['atlas']);
    const counts = await backend.handle('queue.counts', {});
    expect(counts.all).toBe((await backend.db.requests.count()));

    // A restart keeps it removed (the shell still offers it as a seed).
    await backend.close();
    const reopened = desk.openBackend();
    await reopened.start();
    expect((await reopened.handle('stores.list', {})).map((store) => store.id)).toEqual(['atlas']);
  });

  it('a store added with credentials the marketplace refuses stops syncing and asks for new ones; new ones bring it in', async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS] });
    const { backend } = desk;
    const other = await startStoresDesk({ seed: SEED + 7, stores: [{ ...LANTERN, id: 'remote' }] });
    try {
      const remote = other.marketplaces.remote as Simulator;
      const added = await backend.handle('stores.add', { name: 'Lantern Home', kind: 'demo', url: remote.url, token: 'not-the-token' });
      expect(added).toMatchObject({ id: 'lantern-home', embedded: false, credentials: 'session' });
      expect(JSON.stringify(added)).not.toContain('not-the-token');
      const status = await backend.handle('sync.now', { full: false });
      const health = status.stores?.find((store) => store.id === 'lantern-home')?.health;
      expect(health?.state).toBe('credentials_rejected');
      expect(status.nextAttemptAt === null || !status.stores?.some((store) => store.id === 'lantern-home' && store.health.state === 'syncing')).toBe(true);
      expect((await cachedVersions(backend, 'lantern-home')).size).toBe(0);

      await backend.handle('stores.update', { storeId: 'lantern-home', token: remote.token });
      await syncUntilSettled(backend);
      expect(await cachedVersions(backend, 'lantern-home')).toEqual(remoteVersions(remote));
      expect((await backend.handle('stores.list', {})).find((store) => store.id === 'lantern-home')?.health.state).toBe('up_to_date');
    } finally {
      await other.close();
    }
  });
});

describe("a store's own policy and message templates", () => {
  /** The accept option's block code on a request's rules panel (null: allowed; 'unavailable': no panel). */
  async function acceptBlock(backend: Backend, requestId: string): Promise<string | null> {
    const detail = await backend.handle('requests.get', { requestId });
    if (!detail.rules.available) return 'unavailable';
    const accept = detail.rules.actions.find((option) => option.action === 'accept');
    if (accept === undefined) throw new Error(`no accept option on ${requestId}`);
    return accept.allowed ? null : accept.code;
  }

  it('the rules, plans and decisions of a store with its own policy use it; the other store keeps the seller’s; it survives a restart and can be dropped', async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, LANTERN] });
    const { backend } = desk;
    await syncUntilSettled(backend);
    // The seller's policy: proof before refunding any claim a photo can show, at any amount.
    await backend.handle('settings.update', { policy: parsePolicy({ proofRequired: { minAmount: {} } }) });
    const open = (await backend.db.requests.toArray()).filter((row) => row.local === null && ['requested', 'disputed'].includes(row.state));
    const blocked = new Map<string, string[]>();
    for (const row of open) {
      if ((await acceptBlock(backend, row.id)) === 'proof_required') blocked.set(row.storeId, [...(blocked.get(row.storeId) ?? []), row.id]);
    }
    const atlasBlocked = blocked.get('atlas') ?? [];
    const lanternBlocked = blocked.get('lantern') ?? [];
    expect(atlasBlocked.length, 'Atlas requests waiting for proof').toBeGreaterThan(0);
    expect(lanternBlocked.length, 'Lantern requests waiting for proof').toBeGreaterThan(0);

    // Lantern Home's own policy asks for no proof: its requests can be accepted, Atlas's cannot.
    const own = parsePolicy({ proofRequired: { reasons: [] }, undoWindowSeconds: 300 });
    const view = await backend.handle('stores.update', { storeId: 'lantern', policy: own });
    expect(view.policy).toEqual(own);
    expect((await backend.handle('stores.list', {})).find((store) => store.id === 'atlas')?.policy).toBeNull();
    for (const id of lanternBlocked) expect(await acceptBlock(backend, id), id).toBeNull();
    for (const id of atlasBlocked) expect(await acceptBlock(backend, id), id).toBe('proof_required');
    const detail = await backend.handle('requests.get', { requestId: lanternBlocked[0] ?? '' });
    expect(detail.policy?.proofRequired.reasons).toEqual([]);

    // A plan across both stores: each item with its own store's policy.
    const ids = [atlasBlocked[0] ?? '', lanternBlocked[0] ?? ''];
    const plan = await backend.handle('decisions.plan', { requestIds: ids, action: { type: 'accept' } });
    expect(plan.items.map((item) => [item.requestId, item.status === 'skipped' ? item.code : item.status])).toEqual([
      [ids[0], 'proof_required'],
      [ids[1], 'will_do'],
    ]);
    // The undo window stays the seller's (10 s), whichever store decides.
    const decided = await backend.handle('decisions.decide', { requestIds: [ids[1] ?? ''], action: { type: 'accept' } });
    expect(decided.done).toBe(1);
    expect(Date.parse(decided.undoUntil ?? '') - desk.clock.now()).toBe(10_000);

    // A restart reads the store's own policy back.
    await backend.close();
    const again = desk.openBackend();
    await again.start();
    await again.whenFullyLoaded();
    expect((await again.handle('stores.list', {})).find((store) => store.id === 'lantern')?.policy).toEqual(own);
    const other = lanternBlocked[1];
    if (other !== undefined) {
      expect(await acceptBlock(again, other)).toBeNull();
      // Back to the seller's: blocked again.
      await again.handle('stores.update', { storeId: 'lantern', policy: null });
      expect(await acceptBlock(again, other)).toBe('proof_required');
    }
  });

  it("a store's own templates are the ones its replies offer; the other store offers the seller's", async () => {
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, LANTERN] });
    const { backend } = desk;
    await syncUntilSettled(backend);
    const rows = await backend.db.requests.toArray();
    const atlasRow = rows.find((row) => row.storeId === 'atlas');
    const lanternRow = rows.find((row) => row.storeId === 'lantern');
    const seller = (await backend.handle('settings.get', {})).messageTemplates;
    const own = [{ name: 'Lantern thanks', text: 'Thank you for shopping at Lantern Home, {buyerName}.' }];
    await backend.handle('stores.update', { storeId: 'lantern', messageTemplates: own });
    expect((await backend.handle('messages.list', { requestId: lanternRow?.id ?? '' })).templates).toEqual(own);
    expect((await backend.handle('messages.list', { requestId: atlasRow?.id ?? '' })).templates).toEqual(seller);
    await backend.handle('stores.update', { storeId: 'lantern', messageTemplates: null });
    expect((await backend.handle('messages.list', { requestId: lanternRow?.id ?? '' })).templates).toEqual(seller);
  });

  it('a stored policy that no longer reads is ignored with a warning: the store follows the seller’s', async () => {
    const warnings: string[] = [];
    desk = await startStoresDesk({ seed: SEED, stores: [ATLAS, LANTERN] });
    await desk.backend.db.stores.update('lantern', { policy: { proofDueDays: 'three' }, messageTemplates: [{ name: '' }] });
    await desk.backend.close();
    const again = desk.openBackend({ log: { info() {}, warn: (message) => warnings.push(message), error() {} } });
    await again.start();
    await again.whenFullyLoaded();
    const lantern = (await again.handle('stores.list', {})).find((store) => store.id === 'lantern');
    expect(lantern).toMatchObject({ policy: null, messageTemplates: null });
    expect(warnings).toEqual([
      "The store lantern's own policy no longer reads; it follows the seller's until they are saved again.",
      "The store lantern's own message templates no longer reads; it follows the seller's until they are saved again.",
    ]);
  });
});
