import { z } from 'zod';
import { MoneySchema } from '../money';
import { IsoInstantSchema } from './time';

export const ORDER_STATUSES = [
  'awaiting_payment',
  'awaiting_shipment',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
] as const;
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const BuyerSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(200),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/),
});
export type Buyer = z.infer<typeof BuyerSchema>;

export const OrderLineSchema = z.object({
  lineId: z.string().min(1).max(64),
  sku: z.string().min(1).max(64),
  title: z.string().max(500),
  qty: z.number().int().min(1).max(100_000),
  unitPrice: MoneySchema,
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const TrackingSchema = z.object({
  carrier: z.string().min(1).max(100),
  number: z.string().min(1).max(100),
});
export type Tracking = z.infer<typeof TrackingSchema>;

export const OrderSchema = z.object({
  id: z.string().min(1).max(64),
  storeId: z.string().min(1).max(64),
  status: OrderStatusSchema,
  currency: z.string().regex(/^[A-Z]{3}$/),
  buyer: BuyerSchema,
  lines: z.array(OrderLineSchema).min(1).max(500),
  /** Shipping charged to the buyer. */
  shipping: MoneySchema,
  /** Order-level discount (coupons), prorated over lines when refunding. */
  discount: MoneySchema,
  /** What the buyer paid: lines + shipping - discount (0 before payment). */
  paid: MoneySchema,
  /** Refunded so far. */
  refunded: MoneySchema,
  /**
   * What of `refunded` went to which line and to shipping, where known (the marketplace's report,
   * else what this app refunded). The rest of `refunded` is unattributed: the rules count it
   * against whatever is being refunded, so that nothing is ever refunded twice.
   */
  refundedParts: z
    .object({
      shipping: MoneySchema,
      lines: z.array(z.object({ lineId: z.string().min(1).max(64), amount: MoneySchema })).max(500),
    })
    .nullable()
    .optional(),
  placedAt: IsoInstantSchema,
  paidAt: IsoInstantSchema.nullable(),
  shippedAt: IsoInstantSchema.nullable(),
  deliveredAt: IsoInstantSchema.nullable(),
  updatedAt: IsoInstantSchema,
  tracking: TrackingSchema.nullable(),
  version: z.number().int().min(1),
});
export type Order = z.infer<typeof OrderSchema>;

/**
 * The three moments of a cancellation: before payment (nothing to refund), after payment and
 * before shipment (refund in full), after shipment (a dispute).
 */
export const PHASES = ['before_payment', 'before_shipment', 'after_shipment'] as const;
export type Phase = (typeof PHASES)[number];

/** The moment an order is in; a cancelled order counts by what happened before it ended. */
export function phaseOf(order: Pick<Order, 'status' | 'paidAt' | 'shippedAt'>): Phase {
  switch (order.status) {
    case 'awaiting_payment':
      return 'before_payment';
    case 'awaiting_shipment':
      return 'before_shipment';
    case 'shipped':
    case 'delivered':
    case 'completed':
      return 'after_shipment';
    case 'cancelled':
      if (order.shippedAt !== null) return 'after_shipment';
      return order.paidAt !== null ? 'before_shipment' : 'before_payment';
  }
}
