import type { Order } from '../../../shared/domain/order';
import type { CancelRequest } from '../../../shared/domain/request';
import type { ChannelParsedInput, Insights } from '../../../shared/ipc/contract';
import { contributionOf, factsOf } from './definitions';
import { DayTally, RefundTally, summarise, type RepeatBuyer } from './tally';

/**
 * The same figures by one full pass over plain objects (every request, its order, the desk's
 * answers): what each call would cost without the kept aggregate. The benchmark's baseline for
 * `insights_ms`, and the reference the aggregate is checked against in the tests.
 */
export function insightsByScan(
  requests: readonly CancelRequest[],
  orders: ReadonlyMap<string, Order>,
  deskAnswers: ReadonlyMap<string, string>,
  input: ChannelParsedInput<'insights.get'>,
): Insights {
  const days = new Map<string, DayTally>();
  const refunds = new Map<string, RefundTally>();
  const stores = new Set<string>();
  const skuTitles = new Map<string, string>();
  const buyerNames = new Map<string, string>();
  const buyers = new Map<string, RepeatBuyer>();
  for (const request of requests) {
    stores.add(request.storeId);
    if (input.storeId !== null && request.storeId !== input.storeId) continue;
    const order = orders.get(request.orderId);
    const facts = factsOf(order);
    const contribution = contributionOf(request, facts, deskAnswers.get(request.id));
    if (contribution.day >= input.from && contribution.day <= input.to) {
      let tally = days.get(contribution.day);
      if (tally === undefined) days.set(contribution.day, (tally = new DayTally()));
      tally.add(contribution);
      for (const line of facts.skus) skuTitles.set(line.sku, line.title);
      if (facts.buyerId !== null) {
        buyerNames.set(facts.buyerId, facts.buyerName);
        const buyer = buyers.get(facts.buyerId);
        if (buyer === undefined) buyers.set(facts.buyerId, { buyerId: facts.buyerId, requests: 1, last: request.requestedAt });
        else {
          buyer.requests += 1;
          if (request.requestedAt > buyer.last) buyer.last = request.requestedAt;
        }
      }
    }
    const { refund } = contribution;
    if (refund !== null && refund.day >= input.from && refund.day <= input.to) {
      let tally = refunds.get(refund.day);
      if (tally === undefined) refunds.set(refund.day, (tally = new RefundTally()));
      tally.add(refund.amount);
    }
  }
  const one = <T>(tally: T | undefined): T[] => (tally === undefined ? [] : [tally]);
  return summarise(
    { ...input, stores: [...stores].sort() },
    (day) => one(days.get(day)),
    (day) => one(refunds.get(day)),
    [...buyers.values()],
    { skuTitle: (sku) => skuTitles.get(sku) ?? '', buyerName: (buyerId) => buyerNames.get(buyerId) ?? '' },
  );
}
