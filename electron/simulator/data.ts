import type { Order, OrderLine, OrderStatus, Tracking } from '../../shared/domain/order';
import type {
  BuyerReason,
  CancelRequest,
  Evidence,
  RequestKind,
  RequestState,
  Resolution,
} from '../../shared/domain/request';
import { toInstant } from '../../shared/domain/time';
import { missingCase } from '../../shared/domain/views';
import type { Money } from '../../shared/money';
import { EVIDENCE_PNG_BYTES } from './png';
import { Rng, hashString } from './random';

/**
 * The seeded dataset of the demo marketplace: orders and buyers' cancel requests / disputes that
 * look like a real seller's week. Pure function of (seed, orderCount, startMs): no other input.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A pre-shipment cancel not answered within this is auto-accepted by the platform. */
export const CANCEL_RESPONSE_WINDOW_MS = 48 * HOUR_MS;

export const STORE_IDS = ['store-1', 'store-2', 'store-3'] as const;

export const DEMO_CURRENCIES = ['USD', 'EUR', 'GBP', 'BRL', 'JPY', 'KWD'] as const;
export type DemoCurrency = (typeof DEMO_CURRENCIES)[number];

export const CANCEL_REASONS = [
  'changed_mind',
  'ordered_by_mistake',
  'found_cheaper',
  'shipping_too_slow',
  'wrong_address',
  'payment_issue',
] as const satisfies readonly BuyerReason[];

export const DISPUTE_REASONS = [
  'not_received',
  'not_as_described',
  'damaged',
  'wrong_item',
  'missing_parts',
  'counterfeit',
] as const satisfies readonly BuyerReason[];

/** States a pre-shipment cancel can be in. */
export const CANCEL_STATES = [
  'requested',
  'accepted',
  'refunded',
  'refused',
  'withdrawn',
  'auto_accepted',
] as const satisfies readonly RequestState[];

/** States only a dispute reaches (proof, offers, escalation). */
export const DISPUTE_ONLY_STATES = [
  'proof_requested',
  'proof_submitted',
  'offer_made',
  'refused_by_buyer',
  'escalated',
  'closed_by_platform',
] as const satisfies readonly RequestState[];

/** States in which the request is still being worked on (respondBy lies in the future). */
export const OPEN_STATES: ReadonlySet<RequestState> = new Set<RequestState>([
  'requested',
  'proof_requested',
  'proof_submitted',
  'offer_made',
  'refused_by_buyer',
  'escalated',
]);

/**
 * Buyer names, some of them hostile on purpose: the app must render them as text, never as
 * markup or spreadsheet formulas.
 */
export const BUYER_NAMES: readonly (readonly [name: string, country: string])[] = [
  ['Emily Johnson', 'US'],
  ['Michael Smith', 'US'],
  ['Olivia Brown', 'GB'],
  ['Harry Wilson', 'GB'],
  ['Sophie Martin', 'FR'],
  ['Lucas Bernard', 'FR'],
  ['Zoë Müller', 'DE'],
  ['Jürgen Weiß', 'DE'],
  ['Łukasz Wójcik', 'PL'],
  ['María José Peña', 'ES'],
  ['João Conceição', 'BR'],
  ['Ana Luíza Gonçalves', 'BR'],
  ['Thiago Araújo', 'BR'],
  ['山田 太郎', 'JP'],
  ['佐藤 花子', 'JP'],
  ['Søren Ødegård', 'DK'],
  ['Ólafur Þórsson', 'IS'],
  ['Αλέξανδρος Παπαδόπουλος', 'GR'],
  ['Иван Петров', 'RU'],
  ['محمد العتيبي', 'KW'],
  ['فاطمة الصباح', 'KW'],
  ['Nguyễn Thị Hương', 'VN'],
  ['李伟', 'CN'],
  ['Chloé Dubois-Lefèvre', 'BE'],
  ["Seán O'Brien", 'IE'],
  ['=HYPERLINK("http://x","y")', 'US'],
  ['<script>alert("buyer")</script>', 'GB'],
  ["Robert'); DROP TABLE orders;--", 'US'],
  ['Priya Raghunathan-Venkataraman Subramaniam Iyer', 'IN'],
  ['Kofi Mensah', 'GH'],
];

interface Product {
  readonly sku: string;
  readonly title: string;
}

const PRODUCTS: readonly Product[] = [
  { sku: 'EAR-TWS-01', title: 'Wireless earbuds with charging case' },
  { sku: 'CBL-USBC-2M', title: 'USB-C to USB-C cable, 2 m, 100 W' },
  { sku: 'CASE-PH15', title: 'Shockproof phone case' },
  { sku: 'LED-STRIP-5M', title: 'RGB LED strip 5 m with remote' },
  { sku: 'WATCH-SPT', title: 'Sports smartwatch, heart-rate monitor' },
  { sku: 'BAG-CANV', title: 'Canvas tote bag' },
  { sku: 'MUG-TRV', title: 'Stainless travel mug 450 ml' },
  { sku: 'KB-MECH-87', title: 'Mechanical keyboard 87 keys, brown switches' },
  { sku: 'MS-WL-01', title: 'Silent wireless mouse' },
  { sku: 'LAMP-DESK', title: 'LED desk lamp, dimmable' },
  { sku: 'SOCK-5P', title: 'Cotton socks, pack of 5' },
  { sku: 'TEE-ORG', title: 'Organic cotton T-shirt' },
  { sku: 'JKT-RAIN', title: 'Lightweight rain jacket' },
  { sku: 'BTL-GLS', title: 'Glass water bottle 1 L' },
  { sku: 'CHG-65W', title: '65 W GaN charger, 3 ports' },
  { sku: 'SSD-1TB', title: 'Portable SSD 1 TB' },
  { sku: 'TOY-BLK', title: 'Building blocks set (500 pcs)' },
  { sku: 'KNF-CHEF', title: 'Chef\'s knife 20 cm "Damascus" & sheath' },
  { sku: 'PLT-SUC', title: 'Succulent pot set <3 pcs>' },
  { sku: 'CAM-ACT', title: 'Action camera 4K, waterproof' },
  { sku: 'BRS-ELC', title: 'Electric toothbrush' },
  { sku: 'HAT-BKT', title: 'Bucket hat — unisex' },
  { sku: 'PEN-GEL', title: 'Gel pens, 12 colours' },
  { sku: 'SCR-MAG', title: 'Magnetic screwdriver set 24-in-1' },
];

interface PriceSpec {
  /** Unit price range in minor units, snapped to `step`, then `ending` subtracted (x.99 prices). */
  readonly unitMin: number;
  readonly unitMax: number;
  readonly step: number;
  readonly ending: number;
  readonly shippingMin: number;
  readonly shippingMax: number;
  readonly shippingStep: number;
}

const PRICES: Readonly<Record<DemoCurrency, PriceSpec>> = {
  USD: { unitMin: 200, unitMax: 20_000, step: 50, ending: 1, shippingMin: 199, shippingMax: 1_999, shippingStep: 100 },
  EUR: { unitMin: 200, unitMax: 18_000, step: 50, ending: 1, shippingMin: 199, shippingMax: 1_499, shippingStep: 100 },
  GBP: { unitMin: 200, unitMax: 15_000, step: 50, ending: 1, shippingMin: 199, shippingMax: 1_299, shippingStep: 100 },
  BRL: { unitMin: 1_000, unitMax: 100_000, step: 100, ending: 10, shippingMin: 990, shippingMax: 4_990, shippingStep: 500 },
  JPY: { unitMin: 300, unitMax: 30_000, step: 10, ending: 0, shippingMin: 300, shippingMax: 1_500, shippingStep: 100 },
  KWD: { unitMin: 250, unitMax: 60_000, step: 250, ending: 0, shippingMin: 500, shippingMax: 3_000, shippingStep: 250 },
};

const CURRENCY_WEIGHTS: readonly (readonly [DemoCurrency, number])[] = [
  ['USD', 34],
  ['EUR', 22],
  ['GBP', 10],
  ['BRL', 16],
  ['JPY', 10],
  ['KWD', 8],
];

const CARRIERS = ['Cainiao', 'DHL', 'UPS', 'Correios', 'Japan Post', 'Royal Mail', 'Aramex'] as const;

const MESSAGES: Readonly<Record<BuyerReason, readonly string[]>> = {
  changed_mind: ['I changed my mind, please cancel.', 'Not needed anymore, sorry!', ''],
  ordered_by_mistake: [
    'Ordered the wrong size by mistake.',
    'Clicked twice, I only want ONE.\nPlease cancel this one.',
  ],
  found_cheaper: ['Found it cheaper elsewhere.', 'Same item is 30% cheaper at another shop.'],
  shipping_too_slow: ['Delivery estimate is too long for me.', 'I need it before Friday <b>urgent</b>'],
  wrong_address: ['I entered my old address, please cancel.', 'Wrong address!!! Cancel & I will reorder.'],
  payment_issue: ['Payment did not go through correctly.', 'Charged twice?? Please cancel.'],
  not_received: [
    'Tracking has not moved for 3 weeks.',
    'Package never arrived. Não chegou 😡',
    'Where is my order? <a href="http://example.invalid">see here</a>',
  ],
  not_as_described: ['Colour is completely different from the photos.', 'Material is cheap plastic, not metal.'],
  damaged: [
    'Arrived broken, see photos.',
    'Box crushed, item cracked <img src=x onerror=alert(1)>',
  ],
  wrong_item: ['I received a different item.', 'Wrong model sent (ordered black, got white).'],
  missing_parts: ['The charger is missing from the box.', 'Only 3 of 5 pieces were in the package.'],
  counterfeit: ['This is a fake, the logo is wrong.', 'Not original. =1+1 See serial number.'],
};

/** Request plan: what the request looks like at `startMs`. */
interface RequestPlan {
  readonly kind: RequestKind;
  readonly state: RequestState;
  readonly reason: BuyerReason;
}

const CANCEL_STATE_WEIGHTS: readonly (readonly [RequestState, number])[] = [
  ['requested', 60],
  ['accepted', 4],
  ['refunded', 14],
  ['refused', 7],
  ['withdrawn', 7],
  ['auto_accepted', 8],
];

const DISPUTE_STATE_WEIGHTS: readonly (readonly [RequestState, number])[] = [
  ['requested', 42],
  ['proof_requested', 8],
  ['proof_submitted', 7],
  ['offer_made', 6],
  ['refused_by_buyer', 4],
  ['escalated', 4],
  ['accepted', 3],
  ['refunded', 10],
  ['refused', 6],
  ['withdrawn', 5],
  ['closed_by_platform', 5],
];

export interface DatasetOptions {
  readonly seed: number;
  readonly orderCount: number;
  /** "Now" for the dataset: every timestamp is at or before it; open deadlines are after it. */
  readonly startMs: number;
  /**
   * Put before every id (orders, requests, evidence, buyers): two demo marketplaces with their own
   * prefix never share an id, as two stores of a real marketplace never do. Default: none.
   */
  readonly idPrefix?: string;
  /** The marketplace's store (shop) ids the orders are spread over; default STORE_IDS. */
  readonly storeIds?: readonly string[];
}

export interface Dataset {
  /** In id order. */
  readonly orders: Order[];
  /** In id order. */
  readonly requests: CancelRequest[];
}

/** Six-digit, zero-padded ids sort as strings in creation order. */
export function orderId(index: number, prefix = ''): string {
  return `${prefix}o-${String(index).padStart(6, '0')}`;
}

export function requestId(index: number, prefix = ''): string {
  return `${prefix}r-${String(index).padStart(6, '0')}`;
}

/** An evidence id from its request's id (whatever its prefix) and its place among the request's files. */
export function evidenceId(requestIndexId: string, index: number): string {
  const match = /^(.*)r-(\d+)$/.exec(requestIndexId);
  return match === null ? `ev-${requestIndexId}-${index}` : `${match[1] ?? ''}ev-${match[2] ?? ''}-${index}`;
}

/** A valid id prefix: letters, digits, '-' or '_', ending with '-' (e.g. "b-"). */
export const ID_PREFIX = /^(?:[A-Za-z0-9_]{1,16}-)?$/;

export function money(amountMinor: number, currency: string): Money {
  return { amountMinor, currency };
}

/** The refund ceiling of an order today: what was paid minus what was refunded. */
export function refundable(order: Order): number {
  return Math.max(0, order.paid.amountMinor - order.refunded.amountMinor);
}

/** A photo submitted by the buyer. */
export function makeEvidence(id: string, submittedAtMs: number): Evidence {
  return {
    id,
    kind: 'photo',
    fileName: `IMG_${String(hashString(id) % 10_000).padStart(4, '0')}.png`,
    contentType: 'image/png',
    bytes: EVIDENCE_PNG_BYTES,
    submittedAt: toInstant(submittedAtMs),
  };
}

/** A buyer message for a reason, picked by the caller's randomness. */
export function buyerMessageFor(reason: BuyerReason, pick: number): string {
  const messages = MESSAGES[reason];
  return messages[Math.floor(pick * messages.length) % messages.length] ?? '';
}

/** A tracking record for a shipped order. */
export function makeTracking(rng: Rng): Tracking {
  return { carrier: rng.pick(CARRIERS), number: `LP${rng.int(100_000_000, 999_999_999)}CN` };
}

/** Generates the dataset. Same options, same output, byte for byte. */
export function generateDataset(options: DatasetOptions): Dataset {
  const { seed, orderCount, startMs } = options;
  if (!Number.isSafeInteger(orderCount) || orderCount < 0) {
    throw new RangeError(`orderCount must be a non-negative integer; got ${orderCount}.`);
  }
  if (!Number.isSafeInteger(startMs)) {
    throw new RangeError(`startMs must be an integer number of milliseconds; got ${startMs}.`);
  }
  const idPrefix = options.idPrefix ?? '';
  if (!ID_PREFIX.test(idPrefix)) throw new RangeError(`idPrefix must be up to 16 letters, digits or '_' followed by '-'; got "${idPrefix}".`);
  const storeIds = options.storeIds ?? STORE_IDS;
  if (storeIds.length === 0) throw new RangeError('storeIds must name at least one store.');
  const generator = new Generator(seed, orderCount, startMs, idPrefix, storeIds);
  return generator.run();
}

class Generator {
  private readonly rng: Rng;
  private readonly buyerPool: number;
  private readonly orders: Order[] = [];
  private readonly requests: CancelRequest[] = [];

  constructor(
    seed: number,
    private readonly orderCount: number,
    private readonly startMs: number,
    private readonly idPrefix: string,
    private readonly storeIds: readonly string[],
  ) {
    this.rng = new Rng(seed);
    this.buyerPool = Math.max(40, Math.ceil(orderCount / 4));
  }

  run(): Dataset {
    for (let index = 1; index <= this.orderCount; index++) this.generateOne(index);
    return { orders: this.orders, requests: this.requests };
  }

  /** Uniform integer in [min, max] milliseconds. */
  private span(min: number, max: number): number {
    return this.rng.int(min, max);
  }

  private planRequest(index: number): RequestPlan | null {
    // The first twelve orders carry one request for every state (and every reason), so even the
    // smallest dataset shows the whole state machine.
    const forced = index - 1;
    if (forced < CANCEL_STATES.length) {
      return {
        kind: 'cancel',
        state: CANCEL_STATES[forced] as RequestState,
        reason: CANCEL_REASONS[forced] as BuyerReason,
      };
    }
    const disputeForced = forced - CANCEL_STATES.length;
    if (disputeForced < DISPUTE_ONLY_STATES.length) {
      return {
        kind: 'dispute',
        state: DISPUTE_ONLY_STATES[disputeForced] as RequestState,
        reason: DISPUTE_REASONS[disputeForced] as BuyerReason,
      };
    }
    if (!this.rng.chance(0.35)) return null;
    if (this.rng.chance(0.45)) {
      return {
        kind: 'cancel',
        state: this.rng.weighted(CANCEL_STATE_WEIGHTS),
        reason: this.rng.pick(CANCEL_REASONS),
      };
    }
    return {
      kind: 'dispute',
      state: this.rng.weighted(DISPUTE_STATE_WEIGHTS),
      reason: this.rng.pick(DISPUTE_REASONS),
    };
  }

  private generateOne(index: number): void {
    const plan = this.planRequest(index);
    const currency = this.rng.weighted(CURRENCY_WEIGHTS);
    const storeId = this.rng.pick(this.storeIds);
    const lines = this.makeLines(index, currency);
    const spec = PRICES[currency];
    const shippingMinor = this.rng.chance(0.4)
      ? 0
      : this.rng.int(
          Math.ceil(spec.shippingMin / spec.shippingStep),
          Math.floor(spec.shippingMax / spec.shippingStep),
        ) *
          spec.shippingStep -
        spec.ending;
    let subtotal = 0;
    for (const line of lines) subtotal += line.qty * line.unitPrice.amountMinor;
    let discountMinor = 0;
    if (this.rng.chance(0.2)) {
      // A percentage coupon, rounded down to the minor unit (integer maths only).
      discountMinor = Math.floor((subtotal * this.rng.int(5, 20)) / 100);
    }
    const buyerNumber = 1 + Math.floor(this.rng.float() ** 2 * this.buyerPool);
    const [buyerName, buyerCountry] = BUYER_NAMES[
      hashString(`buyer-${buyerNumber}`) % BUYER_NAMES.length
    ] as readonly [string, string];

    const order: MutableOrder = {
      id: orderId(index, this.idPrefix),
      storeId,
      status: 'awaiting_payment',
      currency,
      buyer: { id: `${this.idPrefix}b-${String(buyerNumber).padStart(6, '0')}`, name: buyerName, country: buyerCountry },
      lines,
      shipping: money(shippingMinor, currency),
      discount: money(discountMinor, currency),
      paid: money(0, currency),
      refunded: money(0, currency),
      placedAt: '',
      paidAt: null,
      shippedAt: null,
      deliveredAt: null,
      updatedAt: '',
      tracking: null,
      version: 1,
    };
    const fullPaid = subtotal + shippingMinor - discountMinor;

    if (plan === null) {
      this.orderWithoutRequest(order, fullPaid);
    } else {
      this.orderWithRequest(order, fullPaid, plan);
    }
    this.orders.push(order);
  }

  private makeLines(orderIndex: number, currency: DemoCurrency): OrderLine[] {
    const spec = PRICES[currency];
    const count = this.rng.weighted<number>([
      [1, 50],
      [2, 30],
      [3, 13],
      [4, 7],
    ]);
    const lines: OrderLine[] = [];
    for (let lineIndex = 1; lineIndex <= count; lineIndex++) {
      const product = this.rng.pick(PRODUCTS);
      const variant = this.rng.int(1, 6);
      const unitMinor =
        this.rng.int(Math.ceil(spec.unitMin / spec.step), Math.floor(spec.unitMax / spec.step)) *
          spec.step -
        spec.ending;
      const qty = this.rng.weighted<number>([
        [1, 70],
        [2, 20],
        [3, 6],
        [5, 3],
        [10, 1],
      ]);
      lines.push({
        lineId: `${orderId(orderIndex, this.idPrefix)}-${lineIndex}`,
        sku: `${product.sku}-V${variant}`,
        title: product.title,
        qty,
        unitPrice: money(unitMinor, currency),
      });
    }
    return lines;
  }

  /**
   * Sets the order's history so that its last event happens at or before `latestMs`, ending in
   * `status`. Returns the time of the last event.
   */
  private timeline(order: MutableOrder, status: OrderStatus, fullPaid: number, latestMs: number): number {
    const rng = this.rng;
    const paid = (paidAtMs: number): void => {
      order.paidAt = toInstant(paidAtMs);
      order.paid = money(fullPaid, order.currency);
    };
    const ship = (shippedAtMs: number): void => {
      order.shippedAt = toInstant(shippedAtMs);
      order.tracking = makeTracking(rng);
    };
    order.status = status;
    switch (status) {
      case 'awaiting_payment': {
        const placed = latestMs - this.span(2 * MINUTE_MS, DAY_MS);
        order.placedAt = toInstant(placed);
        return placed;
      }
      case 'awaiting_shipment': {
        const paidAt = latestMs - this.span(2 * MINUTE_MS, 3 * DAY_MS);
        order.placedAt = toInstant(paidAt - this.span(MINUTE_MS, 3 * HOUR_MS));
        paid(paidAt);
        return paidAt;
      }
      case 'shipped': {
        const shippedAt = latestMs - this.span(HOUR_MS, 20 * DAY_MS);
        const paidAt = shippedAt - this.span(6 * HOUR_MS, 4 * DAY_MS);
        order.placedAt = toInstant(paidAt - this.span(MINUTE_MS, 3 * HOUR_MS));
        paid(paidAt);
        ship(shippedAt);
        return shippedAt;
      }
      case 'delivered':
      case 'completed': {
        const deliveredAt =
          status === 'delivered'
            ? latestMs - this.span(HOUR_MS, 10 * DAY_MS)
            : latestMs - this.span(15 * DAY_MS, 80 * DAY_MS);
        const shippedAt = deliveredAt - this.span(3 * DAY_MS, 18 * DAY_MS);
        const paidAt = shippedAt - this.span(6 * HOUR_MS, 4 * DAY_MS);
        order.placedAt = toInstant(paidAt - this.span(MINUTE_MS, 3 * HOUR_MS));
        paid(paidAt);
        ship(shippedAt);
        order.deliveredAt = toInstant(deliveredAt);
        // Orders complete on their own 15 days after delivery.
        return status === 'completed' ? deliveredAt + 15 * DAY_MS : deliveredAt;
      }
      case 'cancelled': {
        // Cancelled by the seller (out of stock) or unpaid for three days; no buyer request.
        const placed = latestMs - this.span(4 * DAY_MS, 60 * DAY_MS);
        order.placedAt = toInstant(placed);
        if (rng.chance(0.7)) {
          const paidAt = placed + this.span(MINUTE_MS, 3 * HOUR_MS);
          paid(paidAt);
          order.refunded = money(fullPaid, order.currency);
          return paidAt + this.span(HOUR_MS, 3 * DAY_MS);
        }
        return placed + 3 * DAY_MS;
      }
      default:
        return missingCase(status);
    }
  }

  private orderWithoutRequest(order: MutableOrder, fullPaid: number): void {
    const status = this.rng.weighted<OrderStatus>([
      ['awaiting_payment', 5],
      ['awaiting_shipment', 20],
      ['shipped', 25],
      ['delivered', 20],
      ['completed', 25],
      ['cancelled', 5],
    ]);
    const last = this.timeline(order, status, fullPaid, this.startMs);
    if ((status === 'delivered' || status === 'completed') && this.rng.chance(0.03)) {
      // An earlier goodwill refund (a late delivery, say): "refunded" is usually 0, not always.
      order.refunded = money(Math.floor((fullPaid * this.rng.int(5, 20)) / 100), order.currency);
    }
    order.updatedAt = toInstant(last);
  }

  private orderWithRequest(order: MutableOrder, fullPaid: number, plan: RequestPlan): void {
    const rng = this.rng;
    const start = this.startMs;
    const requestIndex = this.requests.length + 1;
    const id = requestId(requestIndex, this.idPrefix);
    const { kind, state, reason } = plan;

    // 1. When things happened, working back from "now".
    const window = kind === 'cancel' ? CANCEL_RESPONSE_WINDOW_MS : this.span(3, 7) * DAY_MS + this.span(0, 23) * HOUR_MS;
    let requestedAt: number;
    let respondBy: number;
    let changedAt: number; // when the request reached its current state
    let version = 1;
    let proofDueAt = 0;
    let proofSubmittedAt = 0;
    const nearDeadline = rng.chance(0.2);
    const openAge = (): number =>
      nearDeadline
        ? this.span(window - 5 * HOUR_MS, window - 30 * MINUTE_MS)
        : this.span(MINUTE_MS, window - 5 * HOUR_MS);
    switch (state) {
      case 'requested': {
        requestedAt = start - openAge();
        respondBy = requestedAt + window;
        changedAt = requestedAt;
        break;
      }
      case 'proof_requested':
      case 'proof_submitted': {
        const last = start - this.span(MINUTE_MS, 2 * DAY_MS);
        const proofAskedAt = state === 'proof_requested' ? last : last - this.span(HOUR_MS, 2 * DAY_MS);
        proofSubmittedAt = state === 'proof_submitted' ? last : 0;
        requestedAt = proofAskedAt - this.span(10 * MINUTE_MS, 2 * DAY_MS);
        proofDueAt = proofAskedAt + this.span(3 * DAY_MS, 5 * DAY_MS);
        // Asking for proof extends the seller's deadline past the buyer's due date.
        respondBy = Math.max(requestedAt + window, proofDueAt + 72 * HOUR_MS);
        changedAt = last;
        version = state === 'proof_requested' ? 2 : 3;
        break;
      }
      case 'offer_made': {
        changedAt = start - this.span(MINUTE_MS, 2 * DAY_MS);
        requestedAt = changedAt - this.span(10 * MINUTE_MS, 3 * DAY_MS);
        respondBy = Math.max(requestedAt + window, changedAt + 72 * HOUR_MS);
        version = 2;
        break;
      }
      case 'refused_by_buyer': {
        changedAt = start - this.span(MINUTE_MS, 2 * DAY_MS);
        const offeredAt = changedAt - this.span(HOUR_MS, 2 * DAY_MS);
        requestedAt = offeredAt - this.span(10 * MINUTE_MS, 2 * DAY_MS);
        respondBy = changedAt + 72 * HOUR_MS;
        version = 3;
        break;
      }
      case 'escalated': {
        changedAt = start - this.span(MINUTE_MS, 2 * DAY_MS);
        requestedAt = changedAt - this.span(DAY_MS, 5 * DAY_MS);
        // The platform rules on an escalation when respondBy passes.
        respondBy = changedAt + 72 * HOUR_MS;
        version = 2;
        break;
      }
      case 'accepted': {
        // Accepted moments ago: the refund is still settling.
        changedAt = start - this.span(MINUTE_MS, 25 * MINUTE_MS);
        requestedAt = changedAt - this.span(10 * MINUTE_MS, window - HOUR_MS);
        respondBy = requestedAt + window;
        version = 2;
        break;
      }
      case 'auto_accepted': {
        requestedAt = start - this.span(3 * DAY_MS, 40 * DAY_MS);
        respondBy = requestedAt + window;
        changedAt = respondBy;
        version = 2;
        break;
      }
      case 'closed_by_platform': {
        requestedAt = start - this.span(12 * DAY_MS, 40 * DAY_MS);
        const escalatedAt = requestedAt + this.span(DAY_MS, 4 * DAY_MS);
        respondBy = escalatedAt + 72 * HOUR_MS;
        changedAt = respondBy;
        version = 3;
        break;
      }
      case 'refunded':
      case 'refused':
      case 'withdrawn': {
        requestedAt = start - window - this.span(HOUR_MS, 35 * DAY_MS);
        respondBy = requestedAt + window;
        changedAt = requestedAt + this.span(5 * MINUTE_MS, window - HOUR_MS);
        version = state === 'refunded' ? 3 : 2;
        break;
      }
      default:
        return missingCase(state);
    }

    // 2. The order up to the request.
    let preStatus: OrderStatus;
    if (kind === 'cancel') {
      const unpaid =
        (reason === 'payment_issue' || rng.chance(0.1)) && state !== 'refused';
      preStatus = unpaid ? 'awaiting_payment' : 'awaiting_shipment';
    } else {
      preStatus = reason === 'not_received' && rng.chance(0.8) ? 'shipped' : 'delivered';
    }
    let orderLast = this.timeline(order, preStatus, fullPaid, requestedAt - this.span(MINUTE_MS, 2 * HOUR_MS));
    if (kind === 'dispute' && rng.chance(0.03)) {
      order.refunded = money(Math.floor((fullPaid * rng.int(5, 15)) / 100), order.currency);
    }

    // 3. Amounts.
    const currency = order.currency;
    const available = refundable(order);
    let refundMax = available;
    if (kind === 'dispute' && rng.chance(0.15)) {
      // The marketplace sometimes caps below the full amount (shipping not refundable here).
      refundMax = Math.max(0, available - order.shipping.amountMinor);
    }
    const partialReason = reason === 'damaged' || reason === 'missing_parts' || reason === 'not_as_described';
    const requestedAmount =
      kind === 'dispute' && partialReason && rng.chance(0.5)
        ? Math.floor((available * rng.int(20, 80)) / 100)
        : available;
    const offerAmount =
      refundMax >= 2 ? Math.min(refundMax - 1, Math.max(1, Math.floor((refundMax * rng.int(20, 80)) / 100))) : 0;

    // 4. The request.
    const evidence: Evidence[] = [];
    const requestEvidenceKey = id;
    if (kind === 'dispute' && reason !== 'not_received' && rng.chance(0.5)) {
      const photos = rng.int(1, 3);
      for (let photo = 1; photo <= photos; photo++) {
        evidence.push(makeEvidence(evidenceId(requestEvidenceKey, evidence.length + 1), requestedAt));
      }
    }
    if (state === 'proof_submitted') {
      const photos = rng.int(1, 4);
      for (let photo = 1; photo <= photos; photo++) {
        evidence.push(makeEvidence(evidenceId(requestEvidenceKey, evidence.length + 1), proofSubmittedAt));
      }
    }
    let offer: Money | null = null;
    let resolution: Resolution | null = null;
    const decided = (outcome: Resolution['outcome'], amount: number | null, by: Resolution['by']): Resolution => ({
      outcome,
      amount: amount === null ? null : money(amount, currency),
      decidedAt: toInstant(changedAt),
      by,
    });
    let refundedNow = 0;
    switch (state) {
      case 'offer_made':
      case 'refused_by_buyer':
        if (offerAmount > 0) offer = money(offerAmount, currency);
        break;
      case 'accepted':
        refundedNow = refundMax;
        resolution = decided('refunded', refundMax, 'seller');
        break;
      case 'refunded':
        if (kind === 'dispute' && offerAmount > 0 && rng.chance(0.3)) {
          // The buyer took a partial offer.
          offer = money(offerAmount, currency);
          refundedNow = offerAmount;
          resolution = decided('refunded', offerAmount, 'buyer');
        } else {
          refundedNow = refundMax;
          resolution = decided('refunded', refundMax, 'seller');
        }
        break;
      case 'auto_accepted':
        refundedNow = refundMax;
        resolution = decided('decided_by_platform', refundMax, 'platform');
        break;
      case 'closed_by_platform':
        if (rng.chance(0.5)) {
          refundedNow = refundMax;
          resolution = decided('decided_by_platform', refundMax, 'platform');
        } else {
          resolution = decided('decided_by_platform', null, 'platform');
        }
        break;
      case 'refused':
        resolution = decided('refused', null, 'seller');
        break;
      case 'withdrawn':
        resolution = decided('withdrawn', null, 'buyer');
        break;
      case 'requested':
      case 'proof_requested':
      case 'proof_submitted':
      case 'escalated':
        break;
      default:
        return missingCase(state);
    }

    // 5. What the request did to the order.
    const cancelsOrder =
      kind === 'cancel' && (state === 'accepted' || state === 'refunded' || state === 'auto_accepted');
    if (refundedNow > 0 || cancelsOrder) {
      order.refunded = money(order.refunded.amountMinor + refundedNow, currency);
      if (kind === 'cancel') order.status = 'cancelled';
      orderLast = Math.max(orderLast, changedAt);
      order.version = 2;
    }
    if (kind === 'cancel' && state === 'refused') {
      // "Already shipped": the seller shipped it and refused the cancel.
      order.status = 'shipped';
      order.shippedAt = toInstant(changedAt);
      order.tracking = makeTracking(rng);
      orderLast = Math.max(orderLast, changedAt);
      order.version = 2;
    }
    order.updatedAt = toInstant(orderLast);

    const proofRequest =
      state === 'proof_requested' || state === 'proof_submitted'
        ? {
            message: 'Please send photos of the item and of the package label.',
            dueAt: toInstant(proofDueAt),
          }
        : null;
    this.requests.push({
      id,
      orderId: order.id,
      storeId: order.storeId,
      kind,
      reason,
      buyerMessage: buyerMessageFor(reason, rng.float()),
      requestedAt: toInstant(requestedAt),
      respondBy: toInstant(respondBy),
      requestedAmount: money(requestedAmount, currency),
      refundMax: money(refundMax, currency),
      state,
      evidence,
      proofRequest,
      offer,
      resolution,
      updatedAt: toInstant(changedAt),
      version,
    });
  }
}

type MutableOrder = { -readonly [K in keyof Order]: Order[K] };
