import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../../../electron/backend';
import { evidenceDir, sniffImageType } from '../../../../../electron/backend/evidence/files';
import { silentLogger } from '../../../../../electron/backend/log';
import { createManualClock, type ManualClock } from '../../../../../electron/simulator/clock';
import { createSimulator, type Simulator } from '../../../../../electron/simulator/server';
import { DEFAULT_POLICY } from '../../../../../shared/rules/policy';

let simulator: Simulator;
let backend: Backend;
let clock: ManualClock;
let dataDir: string;
const START = Date.UTC(2026, 10, 26, 9);

beforeEach(async () => {
  simulator = await createSimulator({ seed: 14, orders: 500, buyers: { active: false }, startMs: START });
  clock = createManualClock(START);
  dataDir = await mkdtemp(join(tmpdir(), 'desk-proof-'));
  backend = createBackend({ dataDir, marketplace: { baseUrl: simulator.url, token: simulator.token }, clock, log: silentLogger, syncIntervalMs: 24 * 3_600_000 });
  await backend.start();
  await backend.whenFullyLoaded();
  await backend.handle('sync.now', { full: false });
  await backend.handle('settings.update', { policy: { ...DEFAULT_POLICY, undoWindowSeconds: 0 } });
});

afterEach(async () => {
  await backend.close();
  await simulator.close();
});

async function deliver(): Promise<void> {
  clock.advance(1_000);
  await backend.dispatchIdle();
}

describe('the proof flow, end to end with the demo marketplace', () => {
  it('ask for proof, the buyer sends photos, sync brings them in, the seller accepts', async () => {
    const dispute = (await backend.db.requests.toArray()).find((row) => row.kind === 'dispute' && row.state === 'requested' && row.reason === 'damaged');
    if (dispute === undefined) throw new Error('no open damage dispute in the demo data');

    await backend.handle('decisions.decide', { requestIds: [dispute.id], action: { type: 'request_proof', message: 'Please send photos of the damage and the box.' } });
    await deliver();
    const asked = await backend.handle('queue.list', { view: 'proof_requested', sort: 'time_left', limit: 200, cursor: null, search: '' });
    const row = asked.rows.find((item) => item.requestId === dispute.id);
    expect(row?.proofDueAt).not.toBeNull();

    const sent = await fetch(`${simulator.url}/_sim/requests/${dispute.id}/submit-proof`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${simulator.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ photos: 2 }),
    });
    expect(sent.status).toBe(200);
    await backend.handle('sync.now', { full: false });

    const proofIn = await backend.handle('queue.list', { view: 'proof_in', sort: 'time_left', limit: 200, cursor: null, search: '' });
    expect(proofIn.rows.map((item) => item.requestId)).toContain(dispute.id);
    const detail = await backend.handle('requests.get', { requestId: dispute.id });
    expect(detail.request.evidence.length).toBe(dispute.evidence.length + 2);
    for (const item of detail.request.evidence) {
      const row = await backend.db.evidence.get(item.id);
      expect(row?.path).not.toBeNull();
      const bytes = await readFile(join(evidenceDir(dataDir), row?.path ?? ''));
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
