import type { IssueReason } from './model';

/**
 * The fixed word lists the sandbox's data is drawn from: products, buyers' names and countries,
 * reasons. Plain data, so that the generator stays about the shapes.
 */

export interface Product {
  readonly name: string;
  /** A typical price in US cents; other currencies scale it (CURRENCIES). */
  readonly usdCents: number;
}

export const PRODUCTS: readonly Product[] = [
  { name: 'Ulanzi Smartphone Cage with Side Handle Rig', usdCents: 6665 },
  { name: 'Wireless Earbuds Bluetooth 5.3 Noise Cancelling', usdCents: 2399 },
  { name: 'Stainless Steel Insulated Water Bottle 750ml', usdCents: 1450 },
  { name: 'Mechanical Keyboard 68 Keys Hot Swappable RGB', usdCents: 4890 },
  { name: 'USB-C GaN Charger 65W 3 Ports', usdCents: 2875 },
  { name: 'Women Summer Linen Dress Loose Fit', usdCents: 1999 },
  { name: 'Men Waterproof Hiking Jacket Windbreaker', usdCents: 5420 },
  { name: 'LED Desk Lamp Dimmable with Wireless Charger', usdCents: 3150 },
  { name: 'Silicone Kitchen Utensil Set 12 pcs', usdCents: 1725 },
  { name: 'Camping Tent 2 Person Ultralight', usdCents: 8990 },
  { name: 'Smart Watch Fitness Tracker Heart Rate', usdCents: 3599 },
  { name: 'Ceramic Coffee Mug Set Hand Painted', usdCents: 1280 },
  { name: 'Carbon Fiber Trekking Poles Pair', usdCents: 4210 },
  { name: 'Portable Projector 1080P WiFi', usdCents: 10999 },
  { name: 'Baby Soft Cotton Romper 3 pcs', usdCents: 1340 },
  { name: 'Bike Phone Holder Aluminium 360°', usdCents: 899 },
];

/** Order currencies and what one US cent is worth in their minor units (rounded). */
export const CURRENCIES: Readonly<Record<string, { readonly perUsdCent: number; readonly usdPer10000: number }>> = {
  USD: { perUsdCent: 1, usdPer10000: 10_000 },
  EUR: { perUsdCent: 0.92, usdPer10000: 10_850 },
  GBP: { perUsdCent: 0.79, usdPer10000: 12_700 },
  BRL: { perUsdCent: 5.1, usdPer10000: 1_960 },
  JPY: { perUsdCent: 1.5, usdPer10000: 67 },
};

export interface Country {
  readonly code: string;
  readonly currency: string;
  readonly loginPrefix: string;
}

/** Where buyers live, weighted by how often they buy. */
export const COUNTRIES: readonly (readonly [Country, number])[] = [
  [{ code: 'US', currency: 'USD', loginPrefix: 'us' }, 30],
  [{ code: 'FR', currency: 'EUR', loginPrefix: 'fr' }, 12],
  [{ code: 'DE', currency: 'EUR', loginPrefix: 'de' }, 10],
  [{ code: 'ES', currency: 'EUR', loginPrefix: 'es' }, 8],
  [{ code: 'JP', currency: 'JPY', loginPrefix: 'jp' }, 10],
  [{ code: 'GB', currency: 'GBP', loginPrefix: 'uk' }, 8],
  [{ code: 'BR', currency: 'BRL', loginPrefix: 'br' }, 10],
  [{ code: 'RU', currency: 'USD', loginPrefix: 'ru' }, 6],
];

export const FIRST_NAMES: Readonly<Record<string, readonly string[]>> = {
  US: ['Emily', 'James', 'Olivia', 'Michael', 'Ava'],
  FR: ['Camille', 'Louis', 'Chloé', 'Hugo'],
  DE: ['Lena', 'Jonas', 'Mia', 'Lukas'],
  ES: ['Lucía', 'Mateo', 'Sofía', 'Hugo'],
  JP: ['Yui', 'Haruto', 'Sakura', 'Ren'],
  GB: ['Amelia', 'Oliver', 'Isla', 'George'],
  BR: ['Ana', 'João', 'Beatriz', 'Lucas'],
  RU: ['Анна', 'Иван', 'Мария', 'Дмитрий'],
};

export const LAST_NAMES: Readonly<Record<string, readonly string[]>> = {
  US: ['Smith', 'Johnson', 'Brown', 'Garcia'],
  FR: ['Martin', 'Bernard', 'Dubois', 'Lefèvre'],
  DE: ['Müller', 'Schmidt', 'Schneider', 'Fischer'],
  ES: ['García', 'Fernández', 'López', 'Martínez'],
  JP: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka'],
  GB: ['Taylor', 'Davies', 'Evans', 'Wilson'],
  BR: ['Silva', 'Santos', 'Oliveira', 'Souza'],
  RU: ['Иванова', 'Смирнов', 'Кузнецова', 'Попов'],
};

export const CANCEL_REASONS: readonly string[] = [
  'I no longer need the item',
  'Shipping takes too long',
  'I ordered the wrong size or colour',
  'I found a better price elsewhere',
  'I need to change the delivery address',
];

export const ISSUE_REASONS: readonly IssueReason[] = [
  { id: 115, english: 'Item not received', chinese: '货物仍然在运输途中', snad: false },
  { id: 203, english: 'Item not as described', chinese: '货物与描述不符', snad: true },
  { id: 204, english: 'Item damaged', chinese: '货物破损', snad: true },
  { id: 205, english: 'Wrong item received', chinese: '发错货', snad: true },
  { id: 116, english: 'Package returned to sender', chinese: '包裹被退回', snad: false },
];

/** What the buyer writes when opening a dispute, one per ISSUE_REASONS entry, in the same order. */
export const BUYER_ISSUE_TEXTS: readonly string[] = [
  'not receive good',
  'The colour is different from the photos.',
  'The box arrived crushed and the item is broken.',
  'I received a different model.',
  'The tracking says the parcel went back to the sender.',
];

export const BUYER_MESSAGES: readonly string[] = [
  'Hello, when will my order ship?',
  'Please cancel my order, I ordered by mistake.',
  'The item arrived damaged, what can you do?',
  'Здравствуйте, где мой заказ?',
  'Can you send it to a different address?',
];
