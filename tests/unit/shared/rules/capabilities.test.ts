import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPABILITY_ACTIONS, DEMO_CAPABILITIES, type MarketplaceCapabilities } from '../../../../shared/domain/marketplace';
import {
  DEFAULT_POLICY,
  RulesInputError,
  allowedActions,
  allowedActionsWithoutOrder,
  planAction,
  planBulk,
  planWithoutOrder,
  recommend,
  type BulkItem,
} from '../../../../shared/rules';
import { nowArb, pairArb, policyArb } from '../arbitraries';
import { NOW, makeOrder, makeRequest, usd } from '../factories';

/** AliExpress as the protocol notes describe it: no proof request, offer or escalation before shipment; no escalation by the seller after it. */
const ALIEXPRESS_LIKE: MarketplaceCapabilities = {
  kind: 'aliexpress',
  name: 'AliExpress',
  actions: { cancel: ['accept', 'refuse'], dispute: ['accept', 'refuse', 'request_proof', 'offer'] },
  proofRequest: 'message',
  idempotencyKeys: false,
  limits: { refusalNoteMax: 512, messageMax: 1000 },
  evidence: { upload: true, contentTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024, maxFiles: 5 },
  messages: true,
};

/** Every action for every kind: what no capabilities at all mean. */
const EVERYTHING: MarketplaceCapabilities = { ...ALIEXPRESS_LIKE, actions: { cancel: [...CAPABILITY_ACTIONS], dispute: [...CAPABILITY_ACTIONS] }, limits: { refusalNoteMax: 100_000, messageMax: 100_000 } };

const cancelOrder = makeOrder({ id: 'order-c' });
const cancel = makeRequest({ id: 'req-c' }, cancelOrder);
const shippedOrder = makeOrder({ id: 'order-d', status: 'shipped' });
const dispute = makeRequest({ id: 'req-d', reason: 'damaged', requestedAmount: usd(1000) }, shippedOrder);

function optionOf(options: ReturnType<typeof allowedActions>, action: string) {
  const option = options.find((candidate) => candidate.action === action);
  if (option === undefined) throw new Error(`no ${action} option`);
  return option;
}

describe('the rules read the marketplace capabilities', () => {
  it('blocks what the marketplace lacks for a cancellation with its own sentence, and leaves the rest as without capabilities', () => {
    const without = allowedActions(cancelOrder, cancel, DEFAULT_POLICY, NOW);
    const options = allowedActions(cancelOrder, cancel, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE);
    expect(optionOf(options, 'escalate')).toMatchObject({ allowed: false, code: 'not_supported_by_marketplace', message: 'AliExpress has no escalation for cancellations before shipment.' });
    expect(optionOf(options, 'offer')).toMatchObject({
      allowed: false,
      code: 'not_supported_by_marketplace',
      message: 'AliExpress has no partial-refund offer for cancellations before shipment.',
    });
    expect(optionOf(options, 'request_proof')).toMatchObject({
      allowed: false,
      code: 'not_supported_by_marketplace',
      message: 'AliExpress has no proof request for cancellations before shipment.',
    });
    expect(optionOf(options, 'accept')).toEqual(optionOf(without, 'accept'));
    expect(optionOf(options, 'refuse')).toEqual(optionOf(without, 'refuse'));
  });

  it('the marketplace sentence comes first, before the state or phase would say no', () => {
    const withdrawn = makeRequest({ id: 'req-w', state: 'withdrawn' }, shippedOrder);
    expect(optionOf(allowedActions(shippedOrder, withdrawn, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE), 'escalate')).toMatchObject({
      code: 'not_supported_by_marketplace',
      message: 'AliExpress has no escalation for disputes after shipment.',
    });
  });

  it('planAction refuses an unsupported action with the same code and sentence', () => {
    expect(planAction(shippedOrder, dispute, { type: 'escalate' }, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE)).toEqual({
      ok: false,
      error: { code: 'not_supported_by_marketplace', message: 'AliExpress has no escalation for disputes after shipment.' },
    });
    expect(planAction(shippedOrder, dispute, { type: 'escalate' }, DEFAULT_POLICY, NOW).ok).toBe(true);
  });

  it('no capabilities, or capabilities with every action and generous limits, change nothing', () => {
    fc.assert(
      fc.property(pairArb, policyArb, nowArb, ({ order, request }, policy, now) => {
        const plain = allowedActions(order, request, policy, now);
        expect(allowedActions(order, request, policy, now, undefined)).toEqual(plain);
        expect(allowedActions(order, request, policy, now, EVERYTHING)).toEqual(plain);
        expect(recommend(order, request, [], policy, now, EVERYTHING)).toEqual(recommend(order, request, [], policy, now));
      }),
      { numRuns: 150 },
    );
  });

  it('the demo marketplace allows everything the rules allow on a dispute, and blocks mediation and offers on a cancel with its name', () => {
    expect(allowedActions(shippedOrder, dispute, DEFAULT_POLICY, NOW, DEMO_CAPABILITIES)).toEqual(allowedActions(shippedOrder, dispute, DEFAULT_POLICY, NOW));
    expect(optionOf(allowedActions(cancelOrder, cancel, DEFAULT_POLICY, NOW, DEMO_CAPABILITIES), 'escalate').message).toBe(
      'Demo marketplace has no escalation for cancellations before shipment.',
    );
  });

  it('a refusal note longer than the marketplace takes is refused with the limit; one at the limit goes', () => {
    const shippedCancelOrder = makeOrder({ id: 'order-s', tracking: { carrier: 'DHL', number: 'JD1' } });
    const shippedCancel = makeRequest({ id: 'req-s' }, shippedCancelOrder);
    const refuse = (note: string) => planAction(shippedCancelOrder, shippedCancel, { type: 'refuse', reason: 'already_shipped', note }, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE);
    expect(refuse('x'.repeat(513))).toEqual({
      ok: false,
      error: { code: 'text_too_long', field: 'note', message: 'Cannot refuse: AliExpress takes a refusal note of at most 512 characters; this one has 513.' },
    });
    expect(refuse('x'.repeat(512)).ok).toBe(true);
    // Surrounding blanks are trimmed before counting: what is sent is what is counted.
    expect(refuse(` ${'x'.repeat(512)} `).ok).toBe(true);
    expect(planAction(shippedCancelOrder, shippedCancel, { type: 'refuse', reason: 'already_shipped', note: 'x'.repeat(513) }, DEFAULT_POLICY, NOW).ok).toBe(true);
  });

  it('a proof message longer than the marketplace takes is refused with the limit', () => {
    const result = planAction(shippedOrder, dispute, { type: 'request_proof', message: 'y'.repeat(1001) }, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE);
    expect(result).toEqual({
      ok: false,
      error: { code: 'text_too_long', field: 'message', message: 'Cannot ask for proof: AliExpress takes a message to the buyer of at most 1,000 characters; this one has 1,001.' },
    });
  });

  it('malformed capabilities are an input error that names the field', () => {
    const broken = { ...ALIEXPRESS_LIKE, actions: { cancel: ['accept', 'teleport'], dispute: [] } } as unknown as MarketplaceCapabilities;
    expect(() => allowedActions(cancelOrder, cancel, DEFAULT_POLICY, NOW, broken)).toThrow(RulesInputError);
    expect(() => allowedActions(cancelOrder, cancel, DEFAULT_POLICY, NOW, broken)).toThrow(/capabilities\.actions\.cancel\[1\]/);
  });
});

describe('planBulk with capabilities', () => {
  const items: BulkItem[] = [
    { order: cancelOrder, request: cancel },
    { order: shippedOrder, request: dispute },
  ];

  it('skips an action the marketplace lacks with its sentence, per request kind', () => {
    const plan = planBulk(items, 'request_proof', {}, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE);
    expect(plan.items.map((item) => (item.status === 'skipped' ? [item.requestId, item.code, item.message] : [item.requestId, 'will_do']))).toEqual([
      ['req-c', 'not_supported_by_marketplace', 'AliExpress has no proof request for cancellations before shipment.'],
      ['req-d', 'will_do'],
    ]);
    expect(plan.skipped).toEqual([{ code: 'not_supported_by_marketplace', count: 1, example: 'AliExpress has no proof request for cancellations before shipment.' }]);

    const escalate = planBulk(items, 'escalate', {}, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE);
    expect(escalate.items.map((item) => (item.status === 'skipped' ? item.message : 'will_do'))).toEqual([
      'AliExpress has no escalation for cancellations before shipment.',
      'AliExpress has no escalation for disputes after shipment.',
    ]);
  });

  it("an item's own store capabilities win over the plan's", () => {
    const mixed: BulkItem[] = [
      { order: shippedOrder, request: dispute, capabilities: ALIEXPRESS_LIKE },
      { order: makeOrder({ id: 'order-e', status: 'shipped' }), request: makeRequest({ id: 'req-e', reason: 'damaged' }, makeOrder({ id: 'order-e', status: 'shipped' })) },
    ];
    const plan = planBulk(mixed, 'escalate', {}, DEFAULT_POLICY, NOW, DEMO_CAPABILITIES);
    expect(plan.items.map((item) => item.status)).toEqual(['skipped', 'will_do']);
  });

  it('skips a refusal whose note is longer than the marketplace takes, with the limit', () => {
    const shippedCancelOrder = makeOrder({ id: 'order-s', tracking: { carrier: 'DHL', number: 'JD1' } });
    const plan = planBulk(
      [{ order: shippedCancelOrder, request: makeRequest({ id: 'req-s' }, shippedCancelOrder) }],
      'refuse',
      { reason: 'already_shipped', note: 'z'.repeat(600) },
      DEFAULT_POLICY,
      NOW,
      ALIEXPRESS_LIKE,
    );
    expect(plan.items[0]).toMatchObject({
      status: 'skipped',
      code: 'text_too_long',
      field: 'note',
      message: 'Cannot refuse: AliExpress takes a refusal note of at most 512 characters; this one has 600.',
    });
  });
});

describe('recommend and the set-aside rules with capabilities', () => {
  it('never recommends what the marketplace lacks', () => {
    // A costly damage claim without photos: proof would be asked for, but this marketplace has no proof request.
    const costly = makeRequest({ id: 'req-x', reason: 'damaged', requestedAmount: usd(6500) }, shippedOrder);
    const policy = { ...DEFAULT_POLICY, highValue: { USD: 5000 } };
    expect(recommend(shippedOrder, costly, [], policy, NOW).action?.type).toBe('request_proof');
    const noProof: MarketplaceCapabilities = { ...ALIEXPRESS_LIKE, actions: { ...ALIEXPRESS_LIKE.actions, dispute: ['accept', 'refuse', 'offer'] } };
    const suggested = recommend(shippedOrder, costly, [], policy, NOW, noProof).action;
    expect(suggested?.type).not.toBe('request_proof');
    if (suggested !== null && suggested !== undefined) expect(planAction(shippedOrder, costly, suggested, policy, NOW, noProof).ok).toBe(true);

    const noAccept: MarketplaceCapabilities = { ...ALIEXPRESS_LIKE, actions: { cancel: ['refuse'], dispute: [] } };
    expect(recommend(cancelOrder, cancel, [], DEFAULT_POLICY, NOW, noAccept)).toMatchObject({
      action: null,
      reasons: [{ code: 'not_supported_by_marketplace', message: 'AliExpress has no acceptance for cancellations before shipment.' }],
    });
  });

  it('a request whose order was set aside is checked against the capabilities too', () => {
    const options = allowedActionsWithoutOrder(dispute, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE);
    expect(options.find((option) => option.action === 'escalate')).toMatchObject({
      allowed: false,
      code: 'not_supported_by_marketplace',
      message: 'AliExpress has no escalation for disputes after shipment.',
    });
    expect(planWithoutOrder(dispute, { type: 'request_proof', message: 'p'.repeat(1001) }, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE)).toMatchObject({
      ok: false,
      error: { code: 'text_too_long', field: 'message' },
    });
    expect(planWithoutOrder(dispute, { type: 'escalate' }, DEFAULT_POLICY, NOW, ALIEXPRESS_LIKE)).toMatchObject({ ok: false, error: { code: 'not_supported_by_marketplace' } });
  });
});
