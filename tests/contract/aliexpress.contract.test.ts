/**
 * The adapter contract (adapter-contract.ts) against the AliExpress adapter and the AliExpress
 * sandbox (electron/simulator/aliexpress/), which has no idempotency keys: exactly-once rests on
 * reading AliExpress's own state.
 */
import type { ActionName } from '../../electron/backend/marketplace/adapter';
import { cancelRequestId } from '../../electron/backend/marketplace/aliexpress/mapping/cancellations';
import { disputeRequestId } from '../../electron/backend/marketplace/aliexpress/mapping/disputes';
import { createManualClock } from '../../electron/simulator/clock';
import type { CancelRequest } from '../../shared/domain/request';
import { toInstant } from '../../shared/domain/time';
import { minMoney } from '../../shared/money';
import { openAliExpress } from '../support/aliexpress';
import { TEST_START_MS } from '../support/start';
import { runAdapterContract, type AdapterHarness } from './adapter-contract';

/** The seller's calls as the sandbox's ledger names them, as the desk names them. */
function actionOf(api: string, details: Readonly<Record<string, unknown>> | undefined): ActionName | null {
  switch (api) {
    case 'aliexpress.trade.seller.order.acceptcancel':
    case 'aliexpress.issue.solution.agree':
      return 'accept';
    case 'aliexpress.trade.seller.order.refusecancel':
      return 'refuse';
    case 'aliexpress.issue.solution.save':
      return Number(details?.refundAmount ?? 0) > 0 ? 'offer' : 'refuse';
    case 'aliexpress/message/send':
      return 'message';
    default:
      return null;
  }
}

async function openSandbox(): Promise<AdapterHarness> {
  const clock = createManualClock(TEST_START_MS);
  const rig = await openAliExpress({ seed: 20261202, orders: 120, clock });
  const { sandbox, adapter } = rig;
  const admin = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const answer = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${sandbox.adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (answer.status >= 300) throw new Error(`the sandbox refused ${path}: HTTP ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as Record<string, unknown>;
  };
  const used = new Set<string>();
  const during = async <T>(faults: Parameters<typeof sandbox.setFaults>[0], work: () => Promise<T>): Promise<T> => {
    sandbox.setFaults(faults);
    try {
      return await work();
    } finally {
      sandbox.setFaults({});
    }
  };
  const fresh = async (kind: CancelRequest['kind']): Promise<CancelRequest> => {
    const orders = [...sandbox.state.orders.values()];
    if (kind === 'cancel') {
      const order = orders.find((candidate) => (candidate.status === 'WAIT_SELLER_SEND_GOODS' || candidate.status === 'RISK_CONTROL') && !used.has(candidate.id));
      if (order === undefined) throw new Error('the sandbox has no order left to cancel');
      used.add(order.id);
      await admin('/_sandbox/cancel-request', { orderId: order.id, reason: 'I found a better price elsewhere' });
      // Seconds later, as the desk sees it: a decision's version is the request's modification second.
      clock.advance(5_000);
      const request = await adapter.fetchRequest(cancelRequestId(order.id), order.id);
      if (request === null) throw new Error(`the adapter does not see the cancellation of ${order.id}`);
      return request;
    }
    const order = orders.find((candidate) => candidate.shippedAt !== null && candidate.status !== 'FINISH' && !used.has(candidate.id) && sandbox.state.issuesOf(candidate.id).every((issue) => issue.status !== 'processing'));
    if (order === undefined) throw new Error('the sandbox has no shipped order left to dispute');
    used.add(order.id);
    const { issueId } = await admin('/_sandbox/dispute', { orderId: order.id });
    clock.advance(5_000);
    const request = await adapter.fetchRequest(disputeRequestId(String(issueId)), order.id);
    if (request === null) throw new Error(`the adapter does not see issue ${String(issueId)}`);
    return request;
  };
  return {
    adapter,
    freshRequest: fresh,
    body(action, request) {
      switch (action) {
        case 'accept':
          return { expectedVersion: request.version, amount: minMoney(request.requestedAmount, request.refundMax) };
        case 'refuse':
          return { expectedVersion: request.version, reason: 'other', memo: 'Contract suite' };
        case 'request_proof':
          return { expectedVersion: request.version, message: 'Please send photos.', dueAt: toInstant(clock.now() + 5 * 86_400_000) };
        case 'offer':
          return { expectedVersion: request.version, amount: { ...request.requestedAmount, amountMinor: Math.max(1, Math.floor(request.requestedAmount.amountMinor / 2)) } };
        case 'escalate':
          return { expectedVersion: request.version };
      }
    },
    // Only the actions lose their answers: the adapter reads the request before acting, as it must.
    withLostAnswers: (work) => during({ lostAnswerRate: 1, lostAnswerScope: 'actions' }, work),
    withCallsFailingBeforeHandling: (work) => during({ errorRate: 1 }, work),
    appliedActions(requestId) {
      const orderId = /^cancel-(\d+)$/.exec(requestId)?.[1] ?? null;
      const issueId = /^issue-(\d+)$/.exec(requestId)?.[1] ?? null;
      const issueOrder = issueId === null ? undefined : sandbox.state.issues.get(issueId)?.orderId;
      // Messages go to the buyer, named in the ledger by the order only.
      const isMessage = (api: string) => api === 'aliexpress/message/send';
      const seller = sandbox.state.ledger.filter(
        (entry) =>
          entry.kind === 'seller_action' &&
          entry.api !== 'aliexpress.issue.image.upload' &&
          (orderId !== null ? entry.orderId === orderId && entry.issueId === undefined : entry.issueId === issueId || (isMessage(entry.api) && entry.orderId === issueOrder)),
      );
      return Promise.resolve(
        seller.map((entry) => {
          const refund = sandbox.state.ledger.find((candidate) => candidate.kind === 'refund' && candidate.seq > entry.seq && candidate.orderId === entry.orderId && (issueId === null || candidate.issueId === issueId));
          const action = actionOf(entry.api, entry.details);
          return { action: action ?? (entry.api as ActionName), refund: action === 'accept' && refund?.amountMinor !== undefined && refund.currency !== undefined ? { amountMinor: refund.amountMinor, currency: refund.currency } : null };
        }),
      );
    },
    async buyerWrites(requestId, text) {
      const orderId = /^cancel-(\d+)$/.exec(requestId)?.[1] ?? [...sandbox.state.issues.values()].find((issue) => `issue-${issue.id}` === requestId)?.orderId;
      await admin('/_sandbox/buyer-message', { orderId, text });
    },
    messageBody: (text) => ({ text, decidedAt: toInstant(clock.now()) }),
    evidenceId() {
      const withPhoto = [...sandbox.state.issues.values()].find((issue) => issue.processes.some((process) => process.attachments.some((attachment) => attachment.owner === 'buyer')));
      if (withPhoto === undefined) throw new Error('the sandbox has no buyer photo');
      return adapter.fetchRequest(disputeRequestId(withPhoto.id), withPhoto.orderId).then((request) => {
        const id = request?.evidence[0]?.id;
        if (id === undefined) throw new Error('the adapter shows no buyer photo');
        return id;
      });
    },
    uploadsOf(requestId) {
      const issueId = /^issue-(\d+)$/.exec(requestId)?.[1];
      const uploads = sandbox.state.ledger.filter((entry) => entry.api === 'aliexpress.issue.image.upload' && entry.issueId === issueId);
      const next = (seq: number) => sandbox.state.ledger.find((entry) => entry.kind === 'seller_action' && entry.seq > seq && entry.issueId === issueId && entry.api !== 'aliexpress.issue.image.upload');
      return Promise.resolve(
        uploads.map((upload) => {
          const file = sandbox.state.uploads.get(String(upload.details?.fileId));
          const after = next(upload.seq);
          return { contentType: file?.contentType ?? 'unknown', bytes: Number(upload.details?.bytes ?? 0), sentWith: after === undefined ? null : actionOf(after.api, after.details) };
        }),
      );
    },
    close: () => sandbox.close(),
  };
}

runAdapterContract('aliexpress', openSandbox);
