import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../../../../electron/backend';
import { evidenceDir, sniffImageType } from '../../../../../electron/backend/evidence/files';
import type { Simulator } from '../../../../../electron/simulator/server';
import { startDesk, type Desk } from '../../../../support/desk';

let desk: Desk;
let simulator: Simulator;
let backend: Backend;

beforeEach(async () => {
  desk = await startDesk({ seed: 14, orders: 500, sync: false, policy: { undoWindowSeconds: 0 } });
  ({ simulator, backend } = desk);
  await backend.whenFullyLoaded();
  await backend.handle('sync.now', { full: false });
});

afterEach(async () => {
  await desk.close();
});

const deliver = (): Promise<void> => desk.deliver(1_000);

describe('the proof flow, end to end with the demo marketplace', () => {
  it('ask for proof, the buyer sends photos, sync brings them in, the seller accepts', async () => {
    const dispute = (await backend.db.requests.toArray()).find((row) => row.kind === 'dispute' && row.state === 'requested' && row.reason === 'damaged');
    if (dispute === undefined) throw new Error('no open damage dispute in the demo data');

    await backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'request_proof', message: 'Please send photos of the damage and the box.' } });
    await deliver();
    const asked = await backend.handle('queue.list', { view: 'proof_requested', sort: 'time_left', limit: 200, cursor: null, search: '', storeId: null });
    const row = asked.rows.find((item) => item.requestId === dispute.id);
    if (row === undefined) throw new Error(`${dispute.id} is not in Proof requested`);
    // The due time the marketplace holds is the one the queue shows.
    expect(row.proofDueAt).toEqual(expect.any(String));
    expect(row.proofDueAt).toBe(simulator.state.requests.get(dispute.id)?.proofRequest?.dueAt);

    const sent = await fetch(`${simulator.url}/_sim/requests/${dispute.id}/submit-proof`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${simulator.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ photos: 2 }),
    });
    expect(sent.status).toBe(200);
    await backend.handle('sync.now', { full: false });

    const proofIn = await backend.handle('queue.list', { view: 'proof_in', sort: 'time_left', limit: 200, cursor: null, search: '', storeId: null });
    expect(proofIn.rows.map((item) => item.requestId)).toContain(dispute.id);
    const detail = await backend.handle('requests.get', { requestId: dispute.id });
    expect(detail.request.evidence.length).toBe(dispute.evidence.length + 2);
    for (const item of detail.request.evidence) {
      const row = await backend.db.evidence.get(item.id);
      if (row?.path == null) throw new Error(`evidence ${item.id} was not downloaded`);
      const bytes = await readFile(join(evidenceDir(desk.dataDir), row.path));
      expect(sniffImageType(bytes)).toBe('image/png');
      const image = await backend.handle('evidence.get', { evidenceId: item.id });
      expect(image.contentType).toBe('image/png');
      expect(Buffer.from(image.dataBase64, 'base64').equals(bytes)).toBe(true);
    }

    await backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'accept' } });
    await deliver();
    expect(simulator.state.ledger.filter((entry) => entry.requestId === dispute.id && entry.actor === 'seller').map((entry) => entry.action)).toEqual([
      'request_evidence',
      'accept',
    ]);
  });

  it('answers an unknown evidence id with not_found', async () => {
    await expect(backend.handle('evidence.get', { evidenceId: '../cache/journal' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
