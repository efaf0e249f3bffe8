import type { z } from 'zod';
import { OrderSchema, type Order } from '../domain/order';
import { CancelRequestSchema, type CancelRequest } from '../domain/request';
import { DeskError } from '../errors';
import { describeValue } from '../money';

/** Stable codes of malformed input handed to the rules. */
export const RULES_INPUT_ERROR_CODES = [
  'rules.invalid_order',
  'rules.invalid_request',
  'rules.invalid_policy',
  'rules.invalid_action',
  'rules.invalid_history',
  'rules.invalid_items',
  'rules.invalid_now',
  'rules.invalid_time_zone',
  'rules.invalid_capabilities',
] as const;
export type RulesInputErrorCode = (typeof RULES_INPUT_ERROR_CODES)[number];

export interface InputIssue {
  /** Where, from the object's name: "order.lines[1].unitPrice.currency". */
  readonly field: string;
  readonly message: string;
}

/**
 * Input the rules cannot work with (a malformed order, request, policy or action). Never a
 * TypeError: the message names every failing field, `field` is the first.
 */
export class RulesInputError extends DeskError {
  declare readonly code: RulesInputErrorCode;
  readonly field: string;
  readonly issues: readonly InputIssue[];
  constructor(code: RulesInputErrorCode, what: string, issues: readonly InputIssue[]) {
    const shown = issues.slice(0, 5).map((issue) => `${issue.field}: ${issue.message}`);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super(code, `The ${what} is malformed: ${shown.join('; ')}${more}.`);
    this.field = issues[0]?.field ?? what;
    this.issues = issues;
  }
}

/** "order" + ["lines", 1, "qty"] -> "order.lines[1].qty". */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    root,
  );
}

/** Every issue of a zod error, with its field named from `root`. */
export function zodIssues(root: string, error: z.ZodError): InputIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: fieldPath(root, [...issue.path, key]), message: 'is not a known field' }));
    }
    const nested = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    return [{ field: fieldPath(root, issue.path), message: nested ?? issue.message }];
  });
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, code: RulesInputErrorCode, root: string, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new RulesInputError(code, what, zodIssues(root, parsed.error));
  return parsed.data;
}

function sameCurrency(issues: InputIssue[], field: string, actual: string, expected: string, owner: string): void {
  if (actual !== expected) {
    issues.push({ field, message: `must be ${expected}, the ${owner}'s currency (got ${actual})` });
  }
}

/** Validates an order for the rules: its schema, then that its amounts agree with each other. */
export function checkOrder(input: unknown): Order {
  const order = parseWith(OrderSchema, input, 'rules.invalid_order', 'order', 'order');
  const issues: InputIssue[] = [];
  const currency = order.currency;
  let subtotal = 0n;
  const lineIds = new Set<string>();
  order.lines.forEach((line, index) => {
    sameCurrency(issues, `order.lines[${index}].unitPrice.currency`, line.unitPrice.currency, currency, 'order');
    if (lineIds.has(line.lineId)) issues.push({ field: `order.lines[${index}].lineId`, message: `"${line.lineId}" is used by another line` });
    lineIds.add(line.lineId);
    subtotal += BigInt(line.unitPrice.amountMinor) * BigInt(line.qty);
  });
  if (subtotal > BigInt(Number.MAX_SAFE_INTEGER)) {
    issues.push({ field: 'order.lines', message: 'the lines add up to more than can be counted exactly' });
  }
  for (const name of ['shipping', 'discount', 'paid', 'refunded'] as const) {
    sameCurrency(issues, `order.${name}.currency`, order[name].currency, currency, 'order');
  }
  if (issues.length === 0) {
    if (BigInt(order.discount.amountMinor) > subtotal) {
      issues.push({ field: 'order.discount', message: 'is larger than the lines it discounts' });
    }
    if (order.refunded.amountMinor > order.paid.amountMinor) {
      issues.push({ field: 'order.refunded', message: 'is more than was paid' });
    }
  }
  if (issues.length > 0) throw new RulesInputError('rules.invalid_order', 'order', issues);
  return order;
}

/** Validates a request for the rules (its schema; with an order, that it belongs to it). */
export function checkRequest(input: unknown, order?: Order): CancelRequest {
  const request = parseWith(CancelRequestSchema, input, 'rules.invalid_request', 'request', 'request');
  const issues: InputIssue[] = [];
  const currency = order?.currency ?? request.refundMax.currency;
  const owner = order === undefined ? 'refund limit' : 'order';
  sameCurrency(issues, 'request.requestedAmount.currency', request.requestedAmount.currency, currency, owner);
  if (order !== undefined) sameCurrency(issues, 'request.refundMax.currency', request.refundMax.currency, currency, owner);
  if (request.offer !== null) sameCurrency(issues, 'request.offer.currency', request.offer.currency, currency, owner);
  if (order !== undefined) {
    if (request.orderId !== order.id) {
      issues.push({ field: 'request.orderId', message: `is "${request.orderId}", but the order is "${order.id}"` });
    }
    if (request.storeId !== order.storeId) {
      issues.push({ field: 'request.storeId', message: `is "${request.storeId}", but the order's store is "${order.storeId}"` });
    }
  }
  if (issues.length > 0) throw new RulesInputError('rules.invalid_request', 'request', issues);
  return request;
}

/** Validates `now`: epoch milliseconds, a finite number. */
export function checkNow(now: unknown): number {
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new RulesInputError('rules.invalid_now', 'current time', [
      { field: 'now', message: `must be epoch milliseconds, not ${describeValue(now)}` },
    ]);
  }
  return now;
}
