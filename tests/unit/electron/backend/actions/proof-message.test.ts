import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import { createDemoAdapter, createDemoHttpClient } from '../../../../../electron/backend/marketplace/demo';
import { DEMO_CAPABILITIES } from '../../../../../shared/domain/marketplace';
import { mulberry32 } from '../../../../../shared/domain/random';
import { toInstant } from '../../../../../shared/domain/time';
import { dueDateWords } from '../../../../../shared/rules/message';
import { DEFAULT_POLICY } from '../../../../../shared/rules/policy';
import { startDesk, type Desk } from '../../../../support/desk';

const DAY_MS = 24 * 3_600_000;

let desk: Desk | undefined;

afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

/** A desk whose marketplace has no proof endpoint: the demo, as a store that asks for proof by message. */
async function messageProofDesk(): Promise<{ current: Desk; backend: Backend }> {
  const current = await startDesk({ seed: 8, orders: 600, start: false });
  desk = current;
  const { simulator, clock } = current;
  const adapter = {
    ...createDemoAdapter(createDemoHttpClient({ baseUrl: simulator.url, token: simulator.token, clock, random: mulberry32(3), retryBaseMs: 1 })),
    capabilities: { ...DEMO_CAPABILITIES, proofRequest: 'message' as const },
  };
  const backend = current.openBackend({ adapter, dataDir: await mkdtemp(join(tmpdir(), 'desk-proof-message-')) });
  await backend.start();
  await backend.handle('sync.now', { full: false });
  await backend.handle('settings.update', { policy: { ...DEFAULT_POLICY, undoWindowSeconds: 10 } });
  return { current, backend };
}

/** Lets the undo window pass and waits until this backend's outbox delivered what is due. */
async function deliver(current: Desk, backend: Backend): Promise<void> {
  current.clock.advance(60_000);
  await backend.dispatchIdle();
}

async function openDispute(backend: Backend): Promise<{ id: string; version: number }> {
  const row = (await backend.db.requests.toArray()).find((candidate) => candidate.kind === 'dispute' && candidate.state === 'requested' && candidate.reason === 'damaged' && candidate.local === null);
  if (row === undefined) throw new Error('no open damaged-item dispute in the demo data');
  return row;
}

describe("'Ask for proof' on a marketplace without a proof endpoint", () => {
  it('goes to the buyer as a message with the due date in words; the desk tracks the proof request and its due date', async () => {
    const { current, backend } = await messageProofDesk();
    const target = await openDispute(backend);
    const dueAt = toInstant(current.clock.now() + 3 * DAY_MS);
    const result = await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'request_proof', message: 'Please send photos of the damage.', dueAt } });
    expect(result).toMatchObject({ done: 1, items: [{ status: 'done', state: 'proof_requested' }] });
    const [entry] = await backend.db.outbox.where('requestId').equals(target.id).toArray();
    const text = `Please send photos of the damage.\n\nPlease send your photos or video by ${dueDateWords(Date.parse(dueAt))}.`;
    expect(entry).toMatchObject({ endpoint: 'message', body: { text, decidedAt: toInstant(current.clock.now()) } });
    expect(text).toMatch(/by \w+day \d{1,2} \w+ \d{4}, \d\d:\d\d UTC\.$/);
    expect((await backend.db.requests.get(target.id))?.view).toBe('proof_requested');

    await deliver(current, backend);
    // At the marketplace: one message, and the request as it was (it has no proof request to record).
    const sellers = (requestId: string): string[] => current.simulator.marketplace.conversations.thread(requestId).filter((message) => message.from === 'seller').map((message) => message.text);
    expect(sellers(target.id)).toEqual([text]);
    expect(current.simulator.state.requests.get(target.id)).toMatchObject({ state: 'requested', version: target.version, proofRequest: null });
    // Here: proof requested, with the due date the desk keeps.
    const row = await backend.db.requests.get(target.id);
    expect(row).toMatchObject({ state: 'proof_requested', view: 'proof_requested', local: null, proofRequest: { message: 'Please send photos of the damage.', dueAt } });
    const page = await backend.handle('queue.list', { view: 'proof_requested', sort: 'time_left', limit: 200, cursor: null, search: '', storeId: null });
    expect(page.rows.find((queued) => queued.requestId === target.id)).toMatchObject({ state: 'proof_requested', proofDueAt: dueAt });
    // A later sync (nothing new at the marketplace) keeps it so, and the thread shows the message sent.
    await backend.handle('sync.now', { full: false });
    expect((await backend.db.requests.get(target.id))?.state).toBe('proof_requested');
    const mine = (await backend.handle('messages.list', { requestId: target.id })).messages.filter((message) => message.from === 'seller');
    expect(mine.map((message) => [message.text, message.status])).toEqual([[text, 'sent']]);
  });

  it('undone in its window sends nothing and tracks nothing', async () => {
    const { current, backend } = await messageProofDesk();
    const target = await openDispute(backend);
    const dueAt = toInstant(current.clock.now() + 3 * DAY_MS);
    const result = await backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'request_proof', dueAt } });
    expect(await backend.handle('decisions.undo', { batchId: result.batchId ?? '' })).toMatchObject({ undone: 1 });
    await deliver(current, backend);
    expect(current.simulator.marketplace.conversations.thread(target.id).filter((message) => message.from === 'seller')).toEqual([]);
    expect(await backend.db.requests.get(target.id)).toMatchObject({ state: 'requested', view: 'needs_reply', deskProofRequest: null, proofRequest: null });
    expect((await backend.handle('messages.list', { requestId: target.id })).messages.filter((message) => message.from === 'seller')).toEqual([]);
  });

  it('goes through the proof endpoint where the marketplace has one (the demo as it is)', async () => {
    desk = await startDesk({ seed: 8, orders: 600, policy: { undoWindowSeconds: 0 } });
    const target = await openDispute(desk.backend);
    const dueAt = toInstant(desk.clock.now() + 3 * DAY_MS);
    await desk.backend.handle('decisions.decide', { requestIds: [target.id], action: { type: 'request_proof', dueAt } });
    expect((await desk.backend.db.outbox.where('requestId').equals(target.id).toArray())[0]?.endpoint).toBe('request-evidence');
  });
});
