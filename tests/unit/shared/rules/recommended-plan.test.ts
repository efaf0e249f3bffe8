import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketplaceCapabilities } from '../../../../shared/domain/marketplace';
import { money } from '../../../../shared/money';
import {
  RULES_VERSION,
  parsePolicy,
  planAction,
  planRecommended,
  recommend,
  type RecommendedItem,
  type RecommendedPlanItem,
} from '../../../../shared/rules';
import { nowArb, pairArb, policyArb } from '../arbitraries';
import { NOW, makeLine, makeOrder, makeRequest, usd } from '../factories';

function item(id: string, orderOverrides: Parameters<typeof makeOrder>[0] = {}, requestOverrides: Parameters<typeof makeRequest>[0] = {}): RecommendedItem {
  const order = makeOrder({ id: `order-${id}`, ...orderOverrides });
  return { order, request: makeRequest({ id: `req-${id}`, ...requestOverrides }, order) };
}

const jpyOrder = {
  currency: 'JPY',
  lines: [makeLine({ currency: 'JPY', unitPrice: money(1500, 'JPY') })],
  shipping: money(0, 'JPY'),
  discount: money(0, 'JPY'),
};

// Claims of $50 or more are high value: a damaged item of $60 without photos gets a request for proof.
const policy = parsePolicy({ highValue: { USD: 5000 } });

function shown(entry: RecommendedPlanItem | undefined): unknown {
  if (entry === undefined) return undefined;
  return entry.status === 'will_do' ? [entry.requestId, entry.plan.action.type, entry.amount] : [entry.requestId, entry.code, entry.message];
}

const ALIEXPRESS_LIKE: MarketplaceCapabilities = {
  kind: 'aliexpress',
  name: 'AliExpress',
  actions: { cancel: ['accept', 'refuse'], dispute: ['accept', 'refuse', 'request_proof', 'offer'] },
  proofRequest: 'message',
  idempotencyKeys: false,
  limits: { refusalNoteMax: 512, messageMax: 1000 },
  evidence: { upload: true, contentTypes: ['image/jpeg'], maxBytes: 5 * 1024 * 1024, maxFiles: 5 },
  messages: true,
};

describe('planRecommended', () => {
  const items: RecommendedItem[] = [
    item('a'),
    item('b', jpyOrder),
    item('c', { tracking: { carrier: 'DHL', number: 'JD1' } }),
    item('d', { status: 'shipped' }, { reason: 'damaged' }),
    item('e', {}, { state: 'withdrawn' }),
    // The marketplace sent a blank tracking number: "already shipped" cannot be proven without one.
    item('f', { tracking: { carrier: 'DHL', number: '   ' } }),
    item('a'),
    item('g', { status: 'shipped' }, { reason: 'not_as_described', state: 'refused_by_buyer' }),
  ];

  it("plans each request's own recommended action, filled in, grouped by action with totals per currency, and skips the rest with why", () => {
    const plan = planRecommended(items, policy, NOW);
    expect(plan.rulesVersion).toBe(RULES_VERSION);
    expect(plan.items.map(shown)).toEqual([
      ['req-a', 'accept', usd(6000)],
      ['req-b', 'accept', money(1500, 'JPY')],
      ['req-c', 'refuse', null],
      ['req-d', 'request_proof', null],
      ['req-e', 'no_recommendation', recommend(items[4]!.order, items[4]!.request, [], policy, NOW).reasons[0]?.message],
      ['req-f', 'missing_field', 'Cannot refuse: "Already shipped" needs the tracking number. The recommendation cannot fill that in: decide this request yourself.'],
      ['req-a', 'duplicate_item', 'Skipped: this request is already in the batch, and a decision is never applied twice.'],
      ['req-g', 'escalate', null],
    ]);
    expect(plan.groups).toEqual([
      {
        action: 'accept',
        count: 2,
        totals: [
          { currency: 'JPY', amount: money(1500, 'JPY'), count: 1 },
          { currency: 'USD', amount: usd(6000), count: 1 },
        ],
      },
      { action: 'refuse', count: 1, totals: [] },
      { action: 'request_proof', count: 1, totals: [] },
      { action: 'escalate', count: 1, totals: [] },
    ]);
    expect(plan.counts).toEqual({ total: 8, willDo: 5, skipped: 3 });
    expect(plan.skipped.map((group) => [group.code, group.count])).toEqual([
      ['duplicate_item', 1],
      ['missing_field', 1],
      ['no_recommendation', 1],
    ]);
    expect(plan.summary).toBe('Follow 5 of 8 recommendations: accept 2 (¥1,500 and $60.00), refuse 1, ask for proof on 1, escalate 1; 3 skipped.');
  });

  it('fills in what the rules know: the refusal template and the tracking on file, the proof message and due date; and says why', () => {
    const plan = planRecommended(items, policy, NOW);
    const refuse = plan.items[2];
    expect(refuse?.status === 'will_do' ? refuse.plan.action : null).toEqual({
      type: 'refuse',
      reason: 'already_shipped',
      note: policy.refusalTemplates.already_shipped,
      carrier: 'DHL',
      trackingNumber: 'JD1',
    });
    expect(refuse?.status === 'will_do' ? refuse.reasons[0]?.code : null).toBe('tracking_on_file');
    const proof = plan.items[3];
    // The policy's message, due at the end of the day the policy's days later (what planAction sends by default).
    const byDefault = planAction(items[3]!.order, items[3]!.request, { type: 'request_proof' }, policy, NOW);
    expect(byDefault.ok && byDefault.value.action).toMatchObject({ type: 'request_proof', message: policy.proofRequestTemplate });
    expect(proof?.status === 'will_do' ? proof.plan.action : null).toEqual(byDefault.ok ? byDefault.value.action : 'unplanned');
  });

  it('what the marketplace lacks is never planned, and a template longer than it takes is skipped with the limit, never cut', () => {
    const long = parsePolicy({ ...policy, refusalTemplates: { ...policy.refusalTemplates, already_shipped: 'x'.repeat(600) } });
    const plan = planRecommended([items[2]!, items[3]!], long, NOW, ALIEXPRESS_LIKE);
    expect(plan.items.map(shown)).toEqual([
      ['req-c', 'text_too_long', 'Cannot refuse: AliExpress takes a refusal note of at most 512 characters; this one has 600.'],
      ['req-d', 'request_proof', null],
    ]);
    const noProof: MarketplaceCapabilities = { ...ALIEXPRESS_LIKE, actions: { ...ALIEXPRESS_LIKE.actions, dispute: ['refuse'] } };
    const without = planRecommended([items[3]!], policy, NOW, noProof);
    // Nothing left to suggest: the sentence says which action the marketplace lacks.
    expect(without.items[0]).toMatchObject({ status: 'skipped', code: 'no_recommendation', message: 'AliExpress has no acceptance for disputes after shipment.' });
  });

  it('a malformed item is skipped with its reason, the others still planned', () => {
    const broken = { order: { ...makeOrder({ id: 'order-x' }), paid: 'lots' }, request: makeRequest({ id: 'req-x' }) } as unknown as RecommendedItem;
    const plan = planRecommended([broken, items[0]!], policy, NOW);
    expect(plan.items.map((entry) => [entry.requestId, entry.status === 'skipped' ? entry.code : entry.status])).toEqual([
      ['req-x', 'invalid_input'],
      ['req-a', 'will_do'],
    ]);
  });

  it('will do exactly what recommend suggests, as an action planAction accepts as it is; skips exactly when nothing is suggested', () => {
    fc.assert(
      fc.property(pairArb, policyArb, nowArb, ({ order, request }, anyPolicy, now) => {
        const recommendation = recommend(order, request, [], anyPolicy, now);
        const [planned] = planRecommended([{ order, request }], anyPolicy, now).items;
        if (recommendation.action === null) {
          expect(planned).toMatchObject({ status: 'skipped', code: 'no_recommendation' });
          return;
        }
        if (planned?.status !== 'will_do') {
          // Only a field the rules cannot fill in, or a template the policy made too long, may stop it.
          expect(planned?.status === 'skipped' ? planned.code : '').toBe('missing_field');
          return;
        }
        expect(planned.plan.action.type).toBe(recommendation.action.type);
        const again = planAction(order, request, planned.plan.action, anyPolicy, now);
        expect(again.ok && again.value.action).toEqual(planned.plan.action);
      }),
      { numRuns: 300 },
    );
  });
});
