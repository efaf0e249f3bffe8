import { describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_TEMPLATES, MessageTemplatesSchema, fillTemplate, type TemplateContext } from '../../../../shared/messages/templates';
import { DEFAULT_SETTINGS, SettingsPatchSchema, SettingsSchema, applySettingsPatch } from '../../../../shared/settings';

const context: TemplateContext = {
  orderId: 'o-000042',
  amount: { amountMinor: 1999, currency: 'USD' },
  dueAt: '2026-12-03T09:00:00.000Z',
  buyerName: 'Ana Souza',
};

describe('fillTemplate', () => {
  it('fills every placeholder: the amount through the money module, the date through Intl, in the locale and time zone given', () => {
    const text = 'Hi {buyerName}, order {orderId}: {amount} by {dueDate}.';
    expect(fillTemplate(text, context, { locale: 'en-US', timeZone: 'UTC' })).toBe('Hi Ana Souza, order o-000042: $19.99 by December 3, 2026.');
    expect(fillTemplate(text, context, { locale: 'de-DE', timeZone: 'UTC' })).toBe('Hi Ana Souza, order o-000042: 19,99\u00a0$ by 3. Dezember 2026.');
    // The day is the seller's: late on the 2nd in Los Angeles is the 3rd in UTC.
    expect(fillTemplate('{dueDate}', { ...context, dueAt: '2026-12-03T03:00:00.000Z' }, { locale: 'en-US', timeZone: 'America/Los_Angeles' })).toBe('December 2, 2026');
  });

  it('formats amounts in currencies with 0 and 3 decimals exactly', () => {
    expect(fillTemplate('{amount}', { ...context, amount: { amountMinor: 1500, currency: 'JPY' } }, { locale: 'en-US' })).toBe('¥1,500');
    expect(fillTemplate('{amount}', { ...context, amount: { amountMinor: 12345, currency: 'KWD' } }, { locale: 'en-US' })).toBe('KWD\u00a012.345');
  });

  it('leaves an unknown placeholder, and one with nothing to fill it, as written; fills a placeholder each time it appears', () => {
    expect(fillTemplate('{orderId} {orderId} {tracking} {dueDate} {amount} {buyerName}', { ...context, dueAt: null, amount: null, buyerName: ' ' }, { locale: 'en-US' })).toBe(
      'o-000042 o-000042 {tracking} {dueDate} {amount} {buyerName}',
    );
    // Buyer text is put in as it is (plain text): nothing in it is read as a placeholder again.
    expect(fillTemplate('{buyerName}', { ...context, buyerName: '{orderId}\u202E' }, { locale: 'en-US' })).toBe('{orderId}\u202E');
    expect(fillTemplate('{__proto__} {constructor}', context)).toBe('{__proto__} {constructor}');
  });
});

describe('message templates in the settings', () => {
  it('default to a few good ones, each using placeholders', () => {
    expect(DEFAULT_SETTINGS.messageTemplates.map((template) => template.name)).toEqual(['Ask for photos', 'Tracking update', 'Offer explained']);
    for (const template of DEFAULT_MESSAGE_TEMPLATES) expect(template.text).toMatch(/\{orderId\}/);
    // Older settings without templates get the defaults.
    expect(SettingsSchema.parse({ syncIntervalMinutes: 7 }).messageTemplates).toEqual(DEFAULT_MESSAGE_TEMPLATES);
  });

  it('are replaced as a whole by a patch; a patch without them keeps them', () => {
    const mine = [{ name: 'Thanks', text: 'Thank you, {buyerName}!' }];
    const next = applySettingsPatch(DEFAULT_SETTINGS, SettingsPatchSchema.parse({ messageTemplates: mine }));
    expect(next.messageTemplates).toEqual(mine);
    expect(applySettingsPatch(next, SettingsPatchSchema.parse({ syncIntervalMinutes: 9 })).messageTemplates).toEqual(mine);
  });

  it('refuse a template without a name or text, with an unknown field, or more than 30', () => {
    expect(MessageTemplatesSchema.safeParse([{ name: ' ', text: 'x' }]).success).toBe(false);
    expect(MessageTemplatesSchema.safeParse([{ name: 'x', text: '' }]).success).toBe(false);
    expect(MessageTemplatesSchema.safeParse([{ name: 'x', text: 'y', extra: 1 }]).success).toBe(false);
    expect(MessageTemplatesSchema.safeParse(Array.from({ length: 31 }, () => ({ name: 'x', text: 'y' }))).success).toBe(false);
  });
});
