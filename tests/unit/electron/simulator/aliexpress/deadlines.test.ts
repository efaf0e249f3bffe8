import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../../../shared/domain/time';
import { createManualClock } from '../../../../../electron/simulator/clock';
import { createAliExpressSandbox } from '../../../../../electron/simulator/aliexpress/server';
import { orderTotal } from '../../../../../electron/simulator/aliexpress/basics';
import { formatPacific } from '../../../../../electron/simulator/aliexpress/pacific';
import { DAY, HOUR, START_MS, admin, authorize, callSync, start, type Started } from './helpers';

/** §7 on the sandbox's clock: 48 h to answer a cancellation, timeout_trigger_time for disputes. */

const LIST = 'aliexpress.trade.seller.orderlist.get';

let started: Started | null = null;
afterEach(async () => {
  await started?.sandbox.close();
  started = null;
});

describe('deadlines', () => {
  it('an unanswered cancellation is granted at its deadline with a full refund, once', async () => {
    started = await start({ orders: 30 });
    const { sandbox, clock } = started;
    const pending = [...sandbox.state.orders.values()].filter((order) => order.status === 'IN_CANCEL');
    expect(pending.length).toBeGreaterThan(0);
    const first = pending.map((order) => order.cancel?.deadlineAt ?? 0).sort((a, b) => a - b)[0] ?? 0;
    clock.advanceTo(first - 1);
    expect(pending.every((order) => order.status === 'IN_CANCEL')).toBe(true);
    clock.advance(48 * HOUR);
    for (const order of pending) {
      expect(order.status).toBe('FINISH');
      expect(order.endReason).toBe('buyer_cancel_order');
      const refunds = sandbox.state.ledger.filter((entry) => entry.kind === 'refund' && entry.orderId === order.id);
      expect(refunds).toEqual([expect.objectContaining({ api: 'platform:cancel_timeout', amountMinor: orderTotal(order) })]);
      expect(order.modifiedAt).toBe(order.tradeEndAt);
    }
  });

  it('a dispute left past timeout_trigger_time is settled on the buyer solution (seller_reponse_timeout)', async () => {
    started = await start({ orders: 30 });
    const { sandbox, clock } = started;
    const issue = [...sandbox.state.issues.values()].find((candidate) => candidate.reverseStatus === 'wait_for_seller_response' && candidate.solutions[0]?.type === 'refund');
    if (issue === undefined || issue.timeoutAt === null) throw new Error('no waiting refund dispute');
    const deadline = issue.timeoutAt;
    const asked = issue.solutions[0]?.refundMinor ?? 0;
    clock.advanceTo(deadline - 1000);
    expect(issue.status).toBe('processing');
    clock.advanceTo(deadline);
    expect(issue).toMatchObject({ status: 'finish', reverseStatus: 'refund_success', modifiedAt: deadline });
    expect(issue.solutions[0]).toMatchObject({ status: 'reached', reachedType: 'seller_reponse_timeout', reachedAt: deadline });
    expect(sandbox.state.ledger.filter((entry) => entry.kind === 'refund' && entry.issueId === issue.id)).toEqual([
      expect.objectContaining({ api: 'platform:issue_timeout', amountMinor: asked, at: new Date(deadline).toISOString() }),
    ]);
    expect(sandbox.state.orders.get(issue.orderId)?.modifiedAt).toBe(deadline);
  });

  it('changes made by time move gmt_update, so a modified-time window finds them', async () => {
    started = await start({ orders: 30 });
    const { clock } = started;
    const from = clock.now();
    clock.advance(3 * DAY);
    // The first token would have expired by now: authorize afresh.
    const token = (await authorize(started)).access_token;
    const q = { current_page: 1, page_size: 50, order_status: 'FINISH', modified_date_start: formatPacific(from), modified_date_end: formatPacific(clock.now()) };
    const answer = await callSync(started, LIST, { param_aeop_order_query: JSON.stringify(q) }, { token, simplify: true });
    const result = answer.json.result as Record<string, unknown>;
    const cancelled = [...started.sandbox.state.orders.values()].filter((order) => order.status === 'FINISH' && order.modifiedAt >= from);
    expect(cancelled.length).toBeGreaterThan(0);
    expect(result.total_count).toBe(cancelled.length);
  });

  it('every refund is paid at most once and never more than the order (a long run)', async () => {
    started = await start({ orders: 120, seed: 9 });
    const { sandbox, clock } = started;
    for (let day = 0; day < 12; day++) clock.advance(DAY);
    const refunds = sandbox.state.ledger.filter((entry) => entry.kind === 'refund');
    expect(refunds.length).toBeGreaterThan(10);
    const perIssue = new Map<string, number>();
    for (const refund of refunds) if (refund.issueId !== undefined) perIssue.set(refund.issueId, (perIssue.get(refund.issueId) ?? 0) + 1);
    expect([...perIssue.values()].every((count) => count === 1)).toBe(true);
    for (const order of sandbox.state.orders.values()) {
      const paid = refunds.filter((entry) => entry.orderId === order.id).reduce((sum, entry) => sum + (entry.amountMinor ?? 0), 0);
      expect(paid).toBeLessThanOrEqual(orderTotal(order));
    }
    expect([...sandbox.state.issues.values()].filter((issue) => issue.status === 'processing')).toEqual([]);
    expect([...sandbox.state.orders.values()].filter((order) => order.status === 'IN_CANCEL')).toEqual([]);
  });

  it('POST /_sandbox/clock advances a manual clock itself', async () => {
    started = await start({ orders: 10 });
    const answer = await admin(started, '/_sandbox/clock', { ms: 2 * HOUR });
    expect(answer.json).toMatchObject({ nowMs: START_MS + 2 * HOUR });
    expect(started.clock.now()).toBe(START_MS + 2 * HOUR);
  });

  it('on a clock it cannot move, the admin advance skews platform time and still applies each deadline at its time', async () => {
    let wall = START_MS;
    const timers: Array<{ at: number; run: () => void }> = [];
    const steady: Clock = {
      now: () => wall,
      setTimer: (delay, run) => {
        const timer = { at: wall + delay, run };
        timers.push(timer);
        return () => timers.splice(timers.indexOf(timer), 1);
      },
    };
    const sandbox = await createAliExpressSandbox({ seed: 42, orders: 30, clock: steady, appSecret: 'helloworld' });
    try {
      const order = [...sandbox.state.orders.values()].find((candidate) => candidate.status === 'IN_CANCEL');
      const deadline = order?.cancel?.deadlineAt ?? 0;
      const response = await fetch(`${sandbox.url}/_sandbox/clock`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sandbox.adminToken}` },
        body: JSON.stringify({ ms: 3 * DAY }),
      });
      expect(((await response.json()) as { nowMs: number }).nowMs).toBe(START_MS + 3 * DAY);
      expect(wall).toBe(START_MS);
      expect(order?.status).toBe('FINISH');
      expect(order?.tradeEndAt).toBe(deadline);
      wall += 1;
      expect(sandbox.state.now()).toBe(START_MS + 3 * DAY + 1);
    } finally {
      await sandbox.close();
    }
  });

  it('rejects bad options with a sentence naming the option', async () => {
    await expect(createAliExpressSandbox({ seed: -1, clock: createManualClock(0) })).rejects.toThrow(/"seed"/);
    await expect(createAliExpressSandbox({ seed: 1, clock: createManualClock(0), appKey: 'no spaces' })).rejects.toThrow(/"appKey"/);
  });
});
