/**
 * Deterministic builders for the dialog tests (the web tsconfig project cannot import
 * tests/unit/shared/factories.ts, so this is the part of it these tests need). No randomness,
 * no clock: everything is relative to NOW. Options come from the real rules (`allowedActions`).
 */
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import type { Component } from 'vue';
import type { Order, OrderLine } from '../../../../shared/domain/order';
import type { CancelRequest, Evidence } from '../../../../shared/domain/request';
import { toInstant } from '../../../../shared/domain/time';
import type { DecisionPlan } from '../../../../shared/ipc/contract';
import { money } from '../../../../shared/money';
import {
  DEFAULT_POLICY,
  allowedActions,
  type ActionOption,
  type OfferOption,
  type Policy,
  type RefuseOption,
  type RequestProofOption,
} from '../../../../shared/rules';

export const NOW = Date.parse('2026-11-26T09:30:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function at(offsetMs: number): string {
  return toInstant(NOW + offsetMs);
}

function line(lineId: string, title: string, qty: number, unitMinor: number, currency: string): OrderLine {
  return { lineId, sku: lineId.toUpperCase(), title, qty, unitPrice: money(unitMinor, currency) };
}

/**
 * A shipped order in `currency`: 2 × 1250 and 1 × 3000 minor units, 500 shipping, no discount,
 * paid in full, DHL tracking. `awaiting_shipment` gives an unshipped one.
 */
export function makeOrder(overrides: Partial<Order> = {}): Order {
  const currency = overrides.currency ?? 'USD';
  const status = overrides.status ?? 'shipped';
  const lines = overrides.lines ?? [line('line-1', 'Enamel mug, blue', 2, 1250, currency), line('line-2', 'T-shirt, size M', 1, 3000, currency)];
  const shipping = overrides.shipping ?? money(500, currency);
  const shipped = status === 'shipped' || status === 'delivered' || status === 'completed';
  const subtotal = lines.reduce((total, item) => total + item.unitPrice.amountMinor * item.qty, 0);
  return {
    id: 'order-1',
    storeId: 'store-1',
    status,
    currency,
    buyer: { id: 'buyer-1', name: 'Ada Buyer', country: 'DE' },
    lines,
    shipping,
    discount: money(0, currency),
    paid: money(subtotal + shipping.amountMinor, currency),
    refunded: money(0, currency),
    placedAt: at(-5 * DAY),
    paidAt: at(-5 * DAY + HOUR),
    shippedAt: shipped ? at(-3 * DAY) : null,
    deliveredAt: null,
    updatedAt: at(-DAY),
    tracking: shipped ? { carrier: 'DHL', number: 'JD014600006281230704' } : null,
    version: 1,
    ...overrides,
  };
}

/** A request on `order`: a dispute (damaged) after shipment, a cancel before; asks for everything left. */
export function makeRequest(overrides: Partial<CancelRequest> = {}, order: Order = makeOrder()): CancelRequest {
  const shipped = order.shippedAt !== null;
  const remaining = money(order.paid.amountMinor - order.refunded.amountMinor, order.currency);
  return {
    id: 'req-1',
    orderId: order.id,
    storeId: order.storeId,
    kind: shipped ? 'dispute' : 'cancel',
    reason: shipped ? 'damaged' : 'changed_mind',
    buyerMessage: 'It arrived broken.',
    requestedAt: at(-2 * HOUR),
    respondBy: shipped ? at(5 * DAY) : at(46 * HOUR),
    requestedAmount: remaining,
    refundMax: remaining,
    state: 'requested',
    evidence: [],
    proofRequest: null,
    offer: null,
    resolution: null,
    updatedAt: at(-2 * HOUR),
    version: 1,
    ...overrides,
  };
}

export function makeEvidence(count: number): Evidence[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `ev-${index + 1}`,
    kind: 'photo' as const,
    fileName: `photo-${index + 1}.jpg`,
    contentType: 'image/jpeg',
    bytes: 120_000 + index,
    submittedAt: at(-HOUR),
  }));
}

export interface Situation {
  readonly order: Order;
  readonly request: CancelRequest;
  readonly policy: Policy;
}

export function situation(order: Order = makeOrder(), requestOverrides: Partial<CancelRequest> = {}, policy: Policy = DEFAULT_POLICY): Situation {
  return { order, request: makeRequest(requestOverrides, order), policy };
}

function optionOf<T extends ActionOption['action']>(found: Situation, action: T): Extract<ActionOption, { action: T }> {
  const option = allowedActions(found.order, found.request, found.policy, NOW).find((candidate) => candidate.action === action);
  if (option === undefined) throw new Error(`allowedActions gave no ${action} option`);
  return option as Extract<ActionOption, { action: T }>;
}

export const refuseOptionFor = (found: Situation): RefuseOption => optionOf(found, 'refuse');
export const requestProofOptionFor = (found: Situation): RequestProofOption => optionOf(found, 'request_proof');
export const offerOptionFor = (found: Situation): OfferOption => optionOf(found, 'offer');

type PlanItem = DecisionPlan['items'][number];

export function willDo(index: number, amountMinor: number | null = 1000, currency = 'USD'): PlanItem {
  return {
    requestId: `req-${index}`,
    orderId: `order-${index}`,
    status: 'will_do',
    amount: amountMinor === null ? null : money(amountMinor, currency),
    summary: 'Accept and refund.',
  };
}

export function skipped(index: number, code: string, message: string): PlanItem {
  return { requestId: `req-${index}`, orderId: `order-${index}`, status: 'skipped', code, message };
}

/** A plan from its items: counts and per-currency totals computed the way the backend does. */
export function makePlan(items: readonly PlanItem[]): DecisionPlan {
  const totals = new Map<string, { minor: number; count: number }>();
  for (const item of items) {
    if (item.status !== 'will_do' || item.amount === null) continue;
    const current = totals.get(item.amount.currency) ?? { minor: 0, count: 0 };
    totals.set(item.amount.currency, { minor: current.minor + item.amount.amountMinor, count: current.count + 1 });
  }
  const willDoCount = items.filter((item) => item.status === 'will_do').length;
  return {
    willDo: willDoCount,
    skipped: items.length - willDoCount,
    items: [...items],
    totals: [...totals.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, total]) => ({ currency, amount: money(total.minor, currency), count: total.count })),
  };
}

/** Mounts a dialog attached to the document (focus only works on connected elements). */
export function mountDialog<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}) {
  const host = document.createElement('div');
  document.body.appendChild(host);
  return mount(component, { ...options, attachTo: host });
}

/** A button outside the dialog that had focus before it opened. */
export function focusedOpener(): HTMLButtonElement {
  const opener = document.createElement('button');
  opener.textContent = 'Open';
  document.body.appendChild(opener);
  opener.focus();
  return opener;
}
