import { afterEach, describe, expect, it } from 'vitest';
import { sendMessage } from '../../../../../electron/backend/actions/messages';
import type { CachedRequest } from '../../../../../electron/backend/cache/records';
import { DEMO_CAPABILITIES } from '../../../../../shared/domain/marketplace';
import { QueueIdsInputSchema, QueueListInputSchema, type ThreadMessage } from '../../../../../shared/ipc/contract';
import { DEFAULT_POLICY } from '../../../../../shared/rules/policy';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk | undefined;

async function open(): Promise<Desk> {
  desk = await startDesk({ seed: 8, orders: 600, policy: { undoWindowSeconds: 10 } });
  return desk;
}

afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

/** An open request nobody wrote about yet: the buyer's next message raises it. */
async function quietRequest(current: Desk): Promise<CachedRequest> {
  const rows = await current.backend.db.requests.toArray();
  const written = new Set((await current.backend.db.messages.toArray()).map((message) => message.requestId));
  const row = rows.find((candidate) => candidate.state === 'requested' && candidate.local === null && !written.has(candidate.id));
  if (row === undefined) throw new Error('no quiet open request in the demo data');
  return row;
}

/** The marketplace's own thread of a request: what reached it (and how often). */
function remoteThread(current: Desk, requestId: string): Array<{ from: string; text: string }> {
  return current.simulator.marketplace.conversations.thread(requestId).map(({ from, text }) => ({ from, text }));
}

async function thread(current: Desk, requestId: string): Promise<ThreadMessage[]> {
  return (await current.backend.handle('messages.list', { requestId })).messages;
}

describe('the conversation syncs in', () => {
  it('brings every message of the marketplace into the cache, each thread oldest first, and says what the marketplace takes', async () => {
    const current = await open();
    const remote = current.simulator.marketplace.conversations.messages.list();
    expect(remote.length).toBeGreaterThan(0);
    expect((await current.backend.db.messages.toArray()).map((row) => row.id).sort()).toEqual(remote.map((message) => message.id).sort());
    const sample = remote[0];
    if (sample === undefined) throw new Error('unreachable');
    const answer = await current.backend.handle('messages.list', { requestId: sample.requestId });
    expect(answer.marketplace).toEqual({ name: DEMO_CAPABILITIES.name, messages: true, messageMax: 2000 });
    const expected = current.simulator.marketplace.conversations.thread(sample.requestId);
    expect(answer.messages).toEqual(expected.map((message) => ({ id: message.id, from: 'buyer', text: message.text, at: message.at, status: 'received', failure: null })));
    await expect(current.backend.handle('messages.list', { requestId: 'r-999999' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it("raises a request into 'Buyer replied' when the buyer writes, keeping it in its state view, until the seller answers", async () => {
    const current = await open();
    const { backend } = current;
    const target = await quietRequest(current);
    const before = await backend.handle('queue.counts', {});
    current.simulator.marketplace.conversations.buyer(target.id, 'Any news?');
    await backend.handle('sync.now', { full: false });

    const raised = await backend.db.requests.get(target.id);
    expect(raised?.buyerRepliedAt).toBe(current.simulator.marketplace.conversations.thread(target.id).at(-1)?.at);
    const counts = await backend.handle('queue.counts', {});
    expect(counts.buyer_replied).toBe((before.buyer_replied ?? 0) + 1);
    expect(counts.needs_reply).toBe(before.needs_reply);
    const replied = await backend.handle('queue.list', QueueListInputSchema.parse({ view: 'buyer_replied', limit: 200 }));
    expect(replied.total).toBe(counts.buyer_replied);
    expect(replied.rows.find((row) => row.requestId === target.id)).toMatchObject({ state: 'requested', buyerRepliedAt: raised?.buyerRepliedAt });
    const ids = await backend.handle('queue.ids', QueueIdsInputSchema.parse({ view: 'buyer_replied' }));
    expect(ids.ids).toContain(target.id);

    await backend.handle('messages.send', { requestId: target.id, text: 'We are on it.' });
    expect((await backend.db.requests.get(target.id))?.buyerRepliedAt).toBeNull();
    expect((await backend.handle('queue.counts', {})).buyer_replied).toBe(before.buyer_replied);
  });
});

describe('messages.send: through the outbox like a decision', () => {
  it('is pending during the undo window, then reaches the marketplace once, and shows sent with its id after sync', async () => {
    const current = await open();
    const { backend } = current;
    const target = await quietRequest(current);
    const sent = await backend.handle('messages.send', { requestId: target.id, text: 'Your parcel left today.' });
    expect(sent.message).toMatchObject({ from: 'seller', text: 'Your parcel left today.', status: 'pending' });
    expect(sent.undoUntil).toBe(new Date(current.clock.now() + 10_000).toISOString());
    const entries = await backend.db.outbox.where('batchId').equals(sent.batchId).toArray();
    expect(entries).toEqual([expect.objectContaining({ endpoint: 'message', status: 'held', body: { text: 'Your parcel left today.', decidedAt: sent.message.at } })]);
    expect(await thread(current, target.id)).toEqual([sent.message]);
    expect((await backend.handle('requests.get', { requestId: target.id })).audit[0]).toMatchObject({ action: 'message', actor: 'seller' });
    expect(remoteThread(current, target.id)).toEqual([]);

    await current.deliver();
    expect(remoteThread(current, target.id)).toEqual([{ from: 'seller', text: 'Your parcel left today.' }]);
    expect((await thread(current, target.id)).map((message) => message.status)).toEqual(['sent']);
    // The request is untouched at the marketplace: no new version, no state.
    expect(current.sellerLedger(target.id).map((entry) => [entry.action, entry.requestVersion])).toEqual([['message', target.version]]);

    await backend.handle('sync.now', { full: false });
    const remote = current.simulator.marketplace.conversations.thread(target.id)[0];
    expect(await thread(current, target.id)).toEqual([{ id: remote?.id, from: 'seller', text: 'Your parcel left today.', at: remote?.at, status: 'sent', failure: null }]);
    expect(await backend.db.messages.where('requestId').equals(target.id).toArray()).toEqual([
      expect.objectContaining({ id: remote?.id, status: 'sent', outboxId: entries[0]?.id }),
    ]);
  });

  it('undone inside the window sends nothing, and the buyer-replied flag comes back', async () => {
    const current = await open();
    const { backend } = current;
    const target = await quietRequest(current);
    current.simulator.marketplace.conversations.buyer(target.id, 'Hello?');
    await backend.handle('sync.now', { full: false });
    const flag = (await backend.db.requests.get(target.id))?.buyerRepliedAt;
    expect(flag).toEqual(expect.any(String));

    const sent = await backend.handle('messages.send', { requestId: target.id, text: 'On it.' });
    current.clock.advance(5_000);
    expect(await backend.handle('decisions.undo', { batchId: sent.batchId })).toEqual({ batchId: sent.batchId, undone: 1 });
    expect((await backend.db.requests.get(target.id))?.buyerRepliedAt).toBe(flag);
    expect((await thread(current, target.id)).map((message) => message.from)).toEqual(['buyer']);
    await current.deliver();
    expect(remoteThread(current, target.id)).toEqual([{ from: 'buyer', text: 'Hello?' }]);
    expect((await backend.handle('requests.get', { requestId: target.id })).audit[0]).toMatchObject({ action: 'undo' });
  });

  it('is delivered exactly once when the answer is lost and the marketplace ignores keys (read back, never resent blindly)', async () => {
    const current = await open();
    const { backend, simulator } = current;
    const target = await quietRequest(current);
    simulator.setIdempotencyKeys('ignore');
    simulator.setFaults({ lostAnswerRate: 1 });
    const sent = await backend.handle('messages.send', { requestId: target.id, text: 'Sent once, whatever happens.' });
    await current.deliver();
    // The answer was lost: the next attempt reads the history first, finds it, and settles.
    await current.deliver(1_000);
    await current.deliver(1_000);
    expect(remoteThread(current, target.id)).toEqual([{ from: 'seller', text: 'Sent once, whatever happens.' }]);
    const [entry] = await backend.db.outbox.where('batchId').equals(sent.batchId).toArray();
    expect(entry).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('refuses a message longer than the marketplace takes, naming the limit, an empty one, and one to a marketplace without messages', async () => {
    const current = await open();
    const { backend } = current;
    const target = await quietRequest(current);
    const outboxBefore = await backend.db.outbox.count();
    await expect(backend.handle('messages.send', { requestId: target.id, text: 'x'.repeat(2001) })).rejects.toMatchObject({
      code: 'text_too_long',
      message: 'Demo marketplace takes a message to the buyer of at most 2,000 characters; this one has 2,001.',
    });
    await expect(backend.handle('messages.send', { requestId: target.id, text: '  \n ' })).rejects.toMatchObject({ code: 'missing_field' });
    const silent = { ...DEMO_CAPABILITIES, messages: false };
    const deps = { db: backend.db, clock: current.clock, flush: () => Promise.resolve(), policy: () => DEFAULT_POLICY, onRequestsChanged: () => undefined, onOutboxChanged: () => undefined, capabilities: () => silent };
    await expect(sendMessage(deps, target.id, 'Hello')).rejects.toMatchObject({ code: 'not_supported_by_marketplace', message: expect.stringMatching(/^Demo marketplace does not take messages/) as unknown });
    expect(await backend.db.outbox.count()).toBe(outboxBefore);
    expect((await backend.handle('messages.send', { requestId: target.id, text: 'x'.repeat(2000) })).message.status).toBe('pending');
  });
});
