import { describe, expect, it } from 'vitest';
import { OrderSchema, type Order } from '../../../../shared/domain/order';
import { BUYER_REASONS, CancelRequestSchema, REQUEST_STATES } from '../../../../shared/domain/request';
import { instantMs } from '../../../../shared/domain/time';
import {
  BUYER_NAMES,
  CANCEL_RESPONSE_WINDOW_MS,
  DEMO_CURRENCIES,
  OPEN_STATES,
  generateDataset,
} from '../../../../electron/simulator/data';
import { EVIDENCE_PNG_BYTES, renderEvidencePng } from '../../../../electron/simulator/png';
import { START_MS } from './helpers';

const dataset = generateDataset({ seed: 42, orderCount: 3_000, startMs: START_MS });
const ordersById = new Map<string, Order>(dataset.orders.map((order) => [order.id, order]));

describe('generateDataset', () => {
  it('is a pure function of (seed, orderCount, startMs)', () => {
    const again = generateDataset({ seed: 42, orderCount: 3_000, startMs: START_MS });
    expect(JSON.stringify(again)).toBe(JSON.stringify(dataset));
  });

  it('differs with another seed', () => {
    const other = generateDataset({ seed: 43, orderCount: 3_000, startMs: START_MS });
    expect(JSON.stringify(other.orders)).not.toBe(JSON.stringify(dataset.orders));
  });

  it('makes exactly the orders asked for, with stable sortable ids', () => {
    expect(dataset.orders).toHaveLength(3_000);
    expect(dataset.orders[0]?.id).toBe('o-000001');
    expect(dataset.orders[2_999]?.id).toBe('o-003000');
    expect(dataset.requests[0]?.id).toBe('r-000001');
    const requestIds = dataset.requests.map((request) => request.id);
    expect([...requestIds].sort()).toEqual(requestIds);
    expect(new Set(requestIds).size).toBe(requestIds.length);
  });

  it('produces records that pass the domain schemas', () => {
    for (const order of dataset.orders) expect(OrderSchema.safeParse(order).error).toBeUndefined();
    for (const request of dataset.requests) {
      expect(CancelRequestSchema.safeParse(request).error).toBeUndefined();
    }
  });

  it('keeps money invariants in integer minor units of the order currency', () => {
    for (const order of dataset.orders) {
      const amounts = [order.shipping, order.discount, order.paid, order.refunded, ...order.lines.map((line) => line.unitPrice)];
      for (const amount of amounts) {
        expect(Number.isSafeInteger(amount.amountMinor)).toBe(true);
        expect(amount.currency).toBe(order.currency);
      }
      const lines = order.lines.reduce((sum, line) => sum + line.qty * line.unitPrice.amountMinor, 0);
      expect(order.lines.length).toBeGreaterThanOrEqual(1);
      expect(order.lines.length).toBeLessThanOrEqual(4);
      expect(order.discount.amountMinor).toBeLessThanOrEqual(lines);
      if (order.paidAt === null) {
        expect(order.paid.amountMinor).toBe(0);
      } else {
        expect(order.paid.amountMinor).toBe(lines + order.shipping.amountMinor - order.discount.amountMinor);
      }
      expect(order.refunded.amountMinor).toBeLessThanOrEqual(order.paid.amountMinor);
    }
  });

  it('mixes every demo currency, with JPY in whole yen and KWD in fils', () => {
    const currencies = new Set(dataset.orders.map((order) => order.currency));
    expect([...currencies].sort()).toEqual([...DEMO_CURRENCIES].sort());
    const kwd = dataset.orders.filter((order) => order.currency === 'KWD');
    expect(kwd.some((order) => order.lines.some((line) => line.unitPrice.amountMinor % 1000 !== 0))).toBe(true);
  });

  it('gives a third or so of orders a request, covering every state and reason', () => {
    const share = dataset.requests.length / dataset.orders.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.42);
    expect(new Set(dataset.requests.map((request) => request.state))).toEqual(new Set(REQUEST_STATES));
    expect(new Set(dataset.requests.map((request) => request.reason))).toEqual(new Set(BUYER_REASONS));
    const requested = dataset.requests.filter((request) => request.state === 'requested').length;
    for (const state of REQUEST_STATES) {
      expect(dataset.requests.filter((request) => request.state === state).length).toBeLessThanOrEqual(requested);
    }
  });

  it('covers every state and reason even in a tiny dataset', () => {
    const tiny = generateDataset({ seed: 7, orderCount: 12, startMs: START_MS });
    expect(new Set(tiny.requests.map((request) => request.state))).toEqual(new Set(REQUEST_STATES));
    expect(new Set(tiny.requests.map((request) => request.reason))).toEqual(new Set(BUYER_REASONS));
  });

  it('ties each request to its order: kind, store, currency, caps', () => {
    for (const request of dataset.requests) {
      const order = ordersById.get(request.orderId);
      expect(order).toBeDefined();
      if (order === undefined) continue;
      expect(request.storeId).toBe(order.storeId);
      expect(request.refundMax.currency).toBe(order.currency);
      expect(request.requestedAmount.currency).toBe(order.currency);
      expect(request.refundMax.amountMinor).toBeLessThanOrEqual(order.paid.amountMinor);
      if (request.kind === 'cancel') {
        expect(order.shippedAt === null || request.state === 'refused').toBe(true);
        expect(instantMs(request.respondBy) - instantMs(request.requestedAt)).toBe(CANCEL_RESPONSE_WINDOW_MS);
      } else {
        expect(order.shippedAt).not.toBeNull();
        expect(instantMs(request.requestedAt)).toBeGreaterThan(instantMs(order.shippedAt ?? ''));
      }
      if (request.offer !== null) {
        expect(request.offer.amountMinor).toBeGreaterThan(0);
        expect(request.offer.amountMinor).toBeLessThan(request.refundMax.amountMinor);
      }
      if (request.resolution?.amount) {
        expect(request.resolution.amount.amountMinor).toBeLessThanOrEqual(request.refundMax.amountMinor);
      }
    }
  });

  it('cancels and refunds the order when a pre-shipment cancel was accepted', () => {
    for (const request of dataset.requests) {
      if (request.kind !== 'cancel') continue;
      const order = ordersById.get(request.orderId);
      if (['accepted', 'refunded', 'auto_accepted'].includes(request.state)) {
        expect(order?.status).toBe('cancelled');
        expect(order?.refunded.amountMinor).toBe(order?.paid.amountMinor);
      }
    }
  });

  it('puts every past event at or before start and open deadlines after it', () => {
    for (const order of dataset.orders) {
      for (const instant of [order.placedAt, order.paidAt, order.shippedAt, order.deliveredAt, order.updatedAt]) {
        if (instant !== null) expect(instantMs(instant)).toBeLessThanOrEqual(START_MS);
      }
      expect(instantMs(order.updatedAt)).toBeGreaterThanOrEqual(instantMs(order.placedAt));
    }
    let withinFourHours = 0;
    for (const request of dataset.requests) {
      expect(instantMs(request.requestedAt)).toBeLessThanOrEqual(START_MS);
      expect(instantMs(request.updatedAt)).toBeLessThanOrEqual(START_MS);
      expect(instantMs(request.updatedAt)).toBeGreaterThanOrEqual(instantMs(request.requestedAt));
      if (OPEN_STATES.has(request.state)) {
        expect(instantMs(request.respondBy)).toBeGreaterThan(START_MS);
        expect(request.resolution).toBeNull();
        if (instantMs(request.respondBy) - START_MS < 4 * 3_600_000) withinFourHours++;
      } else {
        expect(request.resolution).not.toBeNull();
      }
      if (request.state === 'proof_requested') {
        expect(instantMs(request.proofRequest?.dueAt ?? '')).toBeGreaterThan(START_MS);
      }
      if (request.state === 'proof_submitted') {
        const submitted = request.evidence.map((item) => instantMs(item.submittedAt));
        expect(Math.max(...submitted)).toBeLessThanOrEqual(instantMs(request.proofRequest?.dueAt ?? ''));
      }
    }
    expect(withinFourHours).toBeGreaterThan(10);
  });

  it('uses the hostile and non-ASCII buyer names', () => {
    const names = new Set(dataset.orders.map((order) => order.buyer.name));
    expect(names.has('=HYPERLINK("http://x","y")')).toBe(true);
    expect([...names].some((name) => name.includes('<script>'))).toBe(true);
    expect([...names].some((name) => [...name].some((char) => char.charCodeAt(0) > 0x7f))).toBe(true);
    expect(BUYER_NAMES.length).toBeGreaterThan(20);
  });

  it('states evidence sizes that match the served PNGs', () => {
    const evidence = dataset.requests.flatMap((request) => request.evidence);
    expect(evidence.length).toBeGreaterThan(0);
    for (const item of evidence.slice(0, 20)) {
      expect(item.bytes).toBe(EVIDENCE_PNG_BYTES);
      expect(renderEvidencePng(item.id).length).toBe(item.bytes);
    }
  });
});

describe('a dataset for one store of several', () => {
  it('puts the prefix before every id (orders, lines, requests, evidence, buyers) and spreads orders over the given stores only', () => {
    const dataset = generateDataset({ seed: 5, orderCount: 120, startMs: Date.UTC(2026, 10, 26, 9), idPrefix: 'lh-', storeIds: ['lantern-home'] });
    expect(dataset.orders.length).toBe(120);
    for (const order of dataset.orders) {
      expect(order.id.startsWith('lh-o-')).toBe(true);
      expect(order.buyer.id.startsWith('lh-b-')).toBe(true);
      expect(order.storeId).toBe('lantern-home');
      for (const line of order.lines) expect(line.lineId.startsWith(`${order.id}-`)).toBe(true);
    }
    for (const request of dataset.requests) {
      expect(request.id.startsWith('lh-r-')).toBe(true);
      for (const item of request.evidence) expect(item.id.startsWith('lh-ev-')).toBe(true);
    }
    const plain = generateDataset({ seed: 5, orderCount: 120, startMs: Date.UTC(2026, 10, 26, 9) });
    // The same data otherwise: only the ids differ.
    expect(plain.orders.map((order) => `lh-${order.id}`)).toEqual(dataset.orders.map((order) => order.id));
    expect(() => generateDataset({ seed: 5, orderCount: 1, startMs: 0, idPrefix: 'no spaces-' })).toThrow(/idPrefix/);
    expect(() => generateDataset({ seed: 5, orderCount: 1, startMs: 0, storeIds: [] })).toThrow(/storeIds/);
  });
});
