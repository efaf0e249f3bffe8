import { z } from 'zod';
import { formatMoney, type Money } from '../money';

/**
 * The seller's message templates (Settings): a name and a text with placeholders the reply
 * dialog fills for the request it answers. Filling is pure: the locale and time zone come in.
 */

/** The placeholders a template may use, with what each becomes. */
export const TEMPLATE_PLACEHOLDERS = {
  orderId: 'the order id',
  amount: 'the amount the buyer asks for',
  dueDate: 'the proof due date (the reply deadline when no proof was asked)',
  buyerName: "the buyer's name",
} as const;
export type TemplatePlaceholder = keyof typeof TEMPLATE_PLACEHOLDERS;

export const MESSAGE_TEMPLATES_MAX = 30;

export const MessageTemplateSchema = z
  .object({
    name: z.string().trim().min(1, 'give the template a name').max(60),
    text: z.string().trim().min(1, 'write the text').max(5_000),
  })
  .strict();
export type MessageTemplate = z.infer<typeof MessageTemplateSchema>;

export const MessageTemplatesSchema = z.array(MessageTemplateSchema).max(MESSAGE_TEMPLATES_MAX);

export const DEFAULT_MESSAGE_TEMPLATES: readonly MessageTemplate[] = [
  {
    name: 'Ask for photos',
    text: 'Hello {buyerName}, to look into order {orderId} we need photos of the item and its packaging. Please send them by {dueDate}.',
  },
  {
    name: 'Tracking update',
    text: 'Hello {buyerName}, order {orderId} is on its way: you can follow it with the tracking number on the order page. Please allow a few more days before cancelling.',
  },
  {
    name: 'Offer explained',
    text: 'Hello {buyerName}, we are sorry about order {orderId}. You asked for {amount}: we offer a partial refund so you can keep the item. Please accept or refuse the offer on the order page.',
  },
];

/** What the placeholders are filled from: one request. */
export interface TemplateContext {
  readonly orderId: string;
  readonly amount: Money | null;
  /** ISO instant; null when there is none (the placeholder then stays as written). */
  readonly dueAt: string | null;
  readonly buyerName: string;
}

export interface TemplateFormat {
  /** BCP 47 locale for the amount and the date ("en-US"); the runtime's when omitted. */
  readonly locale?: string;
  /** IANA time zone for the date ("Europe/Paris"); the runtime's when omitted. */
  readonly timeZone?: string;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The template's text with every known placeholder filled: the amount through the money module,
 * the date through Intl. An unknown placeholder, or one with nothing to fill it with, stays as
 * written, so the seller sees what is missing before sending.
 */
export function fillTemplate(text: string, context: TemplateContext, format: TemplateFormat = {}): string {
  const values: Readonly<Record<TemplatePlaceholder, string | null>> = {
    orderId: context.orderId,
    amount: context.amount === null ? null : formatMoney(context.amount, format.locale),
    dueDate: context.dueAt === null ? null : new Intl.DateTimeFormat(format.locale, { dateStyle: 'long', timeZone: format.timeZone }).format(Date.parse(context.dueAt)),
    buyerName: context.buyerName.trim() === '' ? null : context.buyerName,
  };
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name as TemplatePlaceholder] : null;
    return value ?? whole;
  });
}
