import { divideRounded } from '../../../shared/money';
import { Rng } from '../random';
import { CURRENCIES } from './catalog';
import type { Order, OrderLine } from './model';

/** Time windows of AliExpress's rules (§7), ids and amounts shared by the data and the platform. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** An unanswered cancellation request is granted by the platform after this (§7). */
export const CANCEL_WINDOW_MS = 48 * HOUR_MS;
/** The seller's time to answer a dispute, and the buyer's to answer a counter-offer (§7). */
export const ISSUE_WINDOW_MS = 5 * DAY_MS;
/** A refused counter-offer goes to AliExpress, which decides after this. */
export const ARBITRATION_MS = 3 * DAY_MS;
/** An agreed return: the buyer ships it back and the platform refunds on arrival. */
export const RETURN_MS = 4 * DAY_MS;
/** The seller's handling time once paid. */
export const SHIPPING_WINDOW_MS = 7 * DAY_MS;

/**
 * Unique ids. Orders, child orders, disputes, solutions and messages get 16 digits starting 91–99,
 * all above 2^53 so that no JavaScript number holds them exactly (and about half are odd, so
 * rounding to a double visibly changes them).
 */
export class IdMint {
  private readonly used = new Set<string>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng((seed ^ 0x1d5_a11e) >>> 0);
  }

  /** A fresh id of `length` digits starting with `prefix`. */
  digits(prefix: string, length: number): string {
    for (;;) {
      let id = prefix;
      while (id.length < length) id += String(this.rng.int(0, 9));
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  /** A 16-digit id beyond Number.MAX_SAFE_INTEGER. */
  wide(): string {
    return this.digits(`9${this.rng.int(1, 9)}`, 16);
  }
}

/** A product's price in a currency's minor units (JPY to the nearest 10 yen). */
export function priceIn(usdCents: number, currency: string): number {
  const rate = CURRENCIES[currency];
  if (rate === undefined) throw new RangeError(`The sandbox has no rate for ${currency}.`);
  const perMille = BigInt(Math.round(rate.perUsdCent * 1000));
  const minor = Number(divideRounded(BigInt(usdCents) * perMille, 1000n, 'halfEven'));
  return currency === 'JPY' ? Math.max(10, Math.round(minor / 10) * 10) : minor;
}

export function lineTotal(line: OrderLine): number {
  return line.unitPriceMinor * line.count;
}

export function orderTotal(order: Order): number {
  return order.lines.reduce((total, line) => total + lineTotal(line), 0) + order.shippingMinor;
}

