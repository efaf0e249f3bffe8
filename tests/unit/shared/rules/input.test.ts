import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CancelRequest } from '../../../../shared/domain/request';
import type { Order } from '../../../../shared/domain/order';
import { DeskError } from '../../../../shared/errors';
import { money } from '../../../../shared/money';
import {
  DEFAULT_POLICY,
  RulesInputError,
  allowedActions,
  checkOrder,
  checkRequest,
  planAction,
  planBulk,
  quoteRefund,
  recommend,
  refundCap,
  transition,
} from '../../../../shared/rules';
import { NOW, makeLine, makeOrder, makeRequest } from '../factories';

function inputError(run: () => unknown): RulesInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof RulesInputError) return error;
    throw error;
  }
  throw new Error('expected a RulesInputError');
}

/** Feeds a value the types forbid, as data from outside can be. */
function asOrder(value: unknown): Order {
  return value as Order;
}
function asRequest(value: unknown): CancelRequest {
  return value as CancelRequest;
}

describe('malformed orders', () => {
  const order = makeOrder();
  it.each([
    [null, 'order'],
    [42, 'order'],
    [[], 'order'],
    [{}, 'order.id'],
    [{ ...order, lines: null }, 'order.lines'],
    [{ ...order, lines: [] }, 'order.lines'],
    [{ ...order, status: 'lost' }, 'order.status'],
    [{ ...order, paid: { amountMinor: 87.96, currency: 'USD' } }, 'order.paid.amountMinor'],
    [{ ...order, paid: { amountMinor: Number.NaN, currency: 'USD' } }, 'order.paid.amountMinor'],
    [{ ...order, paid: { amountMinor: -1, currency: 'USD' } }, 'order.paid.amountMinor'],
    [{ ...order, paid: { amountMinor: 2 ** 53, currency: 'USD' } }, 'order.paid.amountMinor'],
    [{ ...order, refunded: { amountMinor: 1, currency: 'EUR' } }, 'order.refunded.currency'],
    [{ ...order, lines: [order.lines[0], { ...order.lines[1], unitPrice: money(100, 'JPY') }] }, 'order.lines[1].unitPrice.currency'],
    [{ ...order, lines: [order.lines[0], { ...order.lines[1], lineId: 'line-1' }] }, 'order.lines[1].lineId'],
    [{ ...order, lines: [makeLine({ qty: 100_000, unitPrice: money(2 ** 40, 'USD') })] }, 'order.lines'],
    [{ ...order, discount: money(999_999, 'USD') }, 'order.discount'],
    [{ ...order, refunded: money(order.paid.amountMinor + 1, 'USD') }, 'order.refunded'],
    [{ ...order, placedAt: 'yesterday' }, 'order.placedAt'],
  ])('%#: names %s', (input, field) => {
    const error = inputError(() => checkOrder(input));
    expect(error).toBeInstanceOf(DeskError);
    expect(error.code).toBe('rules.invalid_order');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^The order is malformed: /);
  });

  it('says what the currency should be', () => {
    const error = inputError(() => checkOrder({ ...order, shipping: money(1, 'EUR') }));
    expect(error.message).toBe("The order is malformed: order.shipping.currency: must be USD, the order's currency (got EUR).");
  });
});

describe('malformed requests', () => {
  const order = makeOrder();
  const request = makeRequest({}, order);
  it.each([
    [undefined, 'request'],
    [{ ...request, state: 'pending' }, 'request.state'],
    [{ ...request, reason: 'bored' }, 'request.reason'],
    [{ ...request, respondBy: '2026-13-01' }, 'request.respondBy'],
    [{ ...request, evidence: [{ id: 'x' }] }, 'request.evidence[0].kind'],
    [{ ...request, requestedAmount: money(1, 'EUR') }, 'request.requestedAmount.currency'],
    [{ ...request, refundMax: money(1, 'EUR') }, 'request.refundMax.currency'],
    [{ ...request, offer: money(1, 'EUR') }, 'request.offer.currency'],
    [{ ...request, orderId: 'order-2' }, 'request.orderId'],
    [{ ...request, storeId: 'store-2' }, 'request.storeId'],
  ])('%#: names %s', (input, field) => {
    const error = inputError(() => checkRequest(input, order));
    expect(error.code).toBe('rules.invalid_request');
    expect(error.field).toBe(field);
  });

  it('checks currencies against the refund limit without an order', () => {
    expect(inputError(() => checkRequest({ ...request, requestedAmount: money(1, 'EUR') })).message).toMatch(/the refund limit's currency/);
  });
});

describe('every entry point answers garbage with a typed error, never a TypeError (property)', () => {
  const order = makeOrder();
  const request = makeRequest({}, order);
  const garbage = fc.oneof(
    fc.anything(),
    // Near misses: a valid object with one field replaced by anything.
    fc.record({ key: fc.constantFrom(...Object.keys(order)), value: fc.anything() }).map(({ key, value }) => ({ ...order, [key]: value })),
  );
  const garbageRequest = fc.record({ key: fc.constantFrom(...Object.keys(request)), value: fc.anything() }).map(({ key, value }) => ({ ...request, [key]: value }));

  function onlyTypedErrors(run: () => unknown): void {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(DeskError);
    }
  }

  it('for orders', () => {
    fc.assert(
      fc.property(garbage, (input) => {
        onlyTypedErrors(() => allowedActions(asOrder(input), request, DEFAULT_POLICY, NOW));
        onlyTypedErrors(() => quoteRefund(asOrder(input), request, { kind: 'full' }));
        onlyTypedErrors(() => refundCap(asOrder(input), request));
        onlyTypedErrors(() => recommend(asOrder(input), request, [], DEFAULT_POLICY, NOW));
      }),
    );
  });

  it('for requests', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), garbageRequest), (input) => {
        onlyTypedErrors(() => allowedActions(order, asRequest(input), DEFAULT_POLICY, NOW));
        onlyTypedErrors(() => transition(asRequest(input), { type: 'accept' }, NOW));
        onlyTypedErrors(() => planAction(order, asRequest(input), { type: 'accept' }, DEFAULT_POLICY, NOW));
        const plan = planBulk([{ order, request: asRequest(input) }], 'accept', {}, DEFAULT_POLICY, NOW);
        expect(plan.items).toHaveLength(1);
      }),
    );
  });

  it('for actions, selections, history, policy and now', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        onlyTypedErrors(() => transition(request, input as never, NOW));
        onlyTypedErrors(() => planAction(order, request, input as never, DEFAULT_POLICY, NOW));
        onlyTypedErrors(() => quoteRefund(order, request, input as never));
        onlyTypedErrors(() => recommend(order, request, input as never, DEFAULT_POLICY, NOW));
        onlyTypedErrors(() => allowedActions(order, request, input as never, NOW));
        onlyTypedErrors(() => allowedActions(order, request, DEFAULT_POLICY, input as never));
        onlyTypedErrors(() => planBulk([{ order, request }], 'offer', input as never, DEFAULT_POLICY, NOW));
        onlyTypedErrors(() => planBulk(input as never, 'accept', {}, DEFAULT_POLICY, NOW));
      }),
    );
  });
});

describe('specific input errors', () => {
  const order = makeOrder();
  const request = makeRequest({}, order);
  it('names the time, the action, the selection and the history', () => {
    expect(inputError(() => allowedActions(order, request, DEFAULT_POLICY, Number.NaN))).toMatchObject({ code: 'rules.invalid_now', field: 'now' });
    expect(inputError(() => transition(request, { type: 'teleport' } as never, NOW))).toMatchObject({ code: 'rules.invalid_action', field: 'action.type' });
    expect(inputError(() => planAction(order, request, { type: 'offer' } as never, DEFAULT_POLICY, NOW))).toMatchObject({ code: 'rules.invalid_action', field: 'action.amount' });
    expect(inputError(() => quoteRefund(order, request, { kind: 'amount', amount: money(-1, 'USD') }))).toMatchObject({ code: 'rules.invalid_action', field: 'selection.amount.amountMinor' });
    expect(inputError(() => recommend(order, request, [{ id: 'x' }] as never, DEFAULT_POLICY, NOW))).toMatchObject({ code: 'rules.invalid_history', field: 'history[0].orderId' });
    expect(inputError(() => planBulk([], 'offer', { amount: money(1, 'USD'), percent: 10 }, DEFAULT_POLICY, NOW))).toMatchObject({ code: 'rules.invalid_action', field: 'params.amount' });
    expect(inputError(() => planBulk([], 'refuse', {} as never, DEFAULT_POLICY, NOW))).toMatchObject({ code: 'rules.invalid_action', field: 'params.reason' });
    expect(inputError(() => planBulk({} as never, 'accept', {}, DEFAULT_POLICY, NOW))).toMatchObject({ code: 'rules.invalid_items', field: 'items' });
  });
});
