/**
 * The adapter contract (adapter-contract.ts) against the demo adapter and the demo marketplace,
 * which here ignores Idempotency-Key: exactly-once must hold without it.
 */
import { createDemoAdapter, createDemoHttpClient } from '../../electron/backend/marketplace/demo';
import type { ActionName } from '../../electron/backend/marketplace/adapter';
import { createManualClock } from '../../electron/simulator/clock';
import { createSimulator } from '../../electron/simulator/server';
import { mulberry32 } from '../../shared/domain/random';
import type { CancelRequest } from '../../shared/domain/request';
import { toInstant } from '../../shared/domain/time';
import { minMoney } from '../../shared/money';
import { TEST_START_MS } from '../support/start';
import { runAdapterContract, type AdapterHarness } from './adapter-contract';

const LEDGER_TO_ACTION: Readonly<Record<string, ActionName>> = {
  accept: 'accept',
  refuse: 'refuse',
  request_evidence: 'request-evidence',
  offer: 'offer',
  escalate: 'escalate',
  retry_refund: 'retry-refund',
};

async function openDemo(): Promise<AdapterHarness> {
  const clock = createManualClock(TEST_START_MS);
  const simulator = await createSimulator({ seed: 20261202, orders: 400, clock, startMs: TEST_START_MS, buyers: { active: false }, idempotencyKeys: 'ignore' });
  // One attempt per call inside the client: what the adapter reports is what the marketplace did.
  const http = createDemoHttpClient({ baseUrl: simulator.url, token: simulator.token, clock, random: mulberry32(7), maxAttempts: 1 });
  const adapter = createDemoAdapter(http);
  const used = new Set<string>();
  const during = async <T>(faults: Parameters<typeof simulator.setFaults>[0], work: () => Promise<T>): Promise<T> => {
    simulator.setFaults(faults);
    try {
      return await work();
    } finally {
      simulator.setFaults({});
    }
  };
  return {
    adapter,
    freshRequest(kind) {
      const request = simulator.state.requests.all.listById().find((candidate: CancelRequest) => candidate.kind === kind && candidate.state === 'requested' && !used.has(candidate.id));
      if (request === undefined) return Promise.reject(new Error(`the demo has no untouched ${kind} request left`));
      used.add(request.id);
      return Promise.resolve(request);
    },
    body(action, request) {
      switch (action) {
        case 'accept':
          return { expectedVersion: request.version, amount: minMoney(request.requestedAmount, request.refundMax) };
        case 'refuse':
          return {
            expectedVersion: request.version,
            reason: 'other',
            memo: 'Contract suite',
            ...(request.kind === 'cancel' ? { tracking: { carrier: 'DHL', number: 'JD0001' } } : {}),
          };
        case 'request_proof':
          return { expectedVersion: request.version, message: 'Please send photos.', dueAt: toInstant(TEST_START_MS + 5 * 86_400_000) };
        case 'offer':
          return { expectedVersion: request.version, amount: { ...request.refundMax, amountMinor: Math.max(1, Math.floor(request.refundMax.amountMinor / 2)) } };
        case 'escalate':
          return { expectedVersion: request.version };
      }
    },
    withLostAnswers: (work) => during({ lostAnswerRate: 1 }, work),
    // The demo answers 500 or 503 without doing anything.
    withCallsFailingBeforeHandling: (work) => during({ errorRate: 1 }, work),
    appliedActions: (requestId) =>
      Promise.resolve(
        simulator.state.ledger
          .filter((entry) => entry.requestId === requestId && entry.actor === 'seller')
          .map((entry) => ({ action: LEDGER_TO_ACTION[entry.action] ?? (entry.action as ActionName), refund: entry.refund })),
      ),
    async buyerWrites(requestId, text) {
      const answer = await fetch(`${simulator.url}/_sim/requests/${encodeURIComponent(requestId)}/buyer-message`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${simulator.adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      if (answer.status !== 201) throw new Error(`the demo refused a buyer message: HTTP ${answer.status}`);
    },
    messageBody: (text) => ({ text, decidedAt: toInstant(clock.now()) }),
    evidenceId() {
      const withPhoto = simulator.state.requests.all.listById().find((candidate: CancelRequest) => candidate.evidence.some((item) => item.kind === 'photo'));
      const photo = withPhoto?.evidence.find((item) => item.kind === 'photo');
      if (photo === undefined) throw new Error('the demo has no photo evidence');
      return Promise.resolve(photo.id);
    },
    uploadsOf(requestId) {
      const sellerEntries = simulator.state.ledgerOf(requestId).filter((entry) => entry.actor === 'seller');
      const sentWith = (id: string): ActionName | null => {
        const entry = sellerEntries.find((candidate) => Array.isArray(candidate.details.evidenceIds) && candidate.details.evidenceIds.includes(id));
        return entry === undefined ? null : (LEDGER_TO_ACTION[entry.action] ?? null);
      };
      return Promise.resolve(simulator.state.sellerUploads.of(requestId).map((upload) => ({ contentType: upload.contentType, bytes: upload.bytes.length, sentWith: sentWith(upload.id) })));
    },
    close: () => simulator.close(),
  };
}

runAdapterContract('demo', openDemo);
