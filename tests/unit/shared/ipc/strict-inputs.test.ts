import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CHANNELS, type ChannelName } from '../../../../shared/ipc/contract';
import { dispatchCall } from '../../../../shared/ipc/dispatch';
import { DEFAULT_POLICY } from '../../../../shared/rules/policy';

/** Every object schema, at any depth, that would drop a key it does not know (not strict). */
function lenientObjects(schema: z.core.$ZodType, path: string, seen = new Set<z.core.$ZodType>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const walk = (inner: unknown, at: string): string[] => lenientObjects(inner as z.core.$ZodType, at, seen);
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall as z.core.$ZodType | undefined;
      const own = catchall?._zod.def.type === 'never' ? [] : [path];
      const shape = def.shape as Record<string, z.core.$ZodType>;
      return [...own, ...Object.entries(shape).flatMap(([key, value]) => walk(value, `${path}.${key}`))];
    }
    case 'union':
      return (def.options as z.core.$ZodType[]).flatMap((option, index) => walk(option, `${path}|${index}`));
    case 'intersection':
      return [...walk(def.left, path), ...walk(def.right, path)];
    case 'array':
      return walk(def.element, `${path}[]`);
    case 'record':
      return walk(def.valueType, `${path}{}`);
    case 'pipe':
      return [...walk(def.in, path), ...walk(def.out, path)];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return walk(def.innerType, path);
    default:
      return [];
  }
}

describe('IPC inputs are strict at every depth', () => {
  it('no object schema inside any channel input drops unknown keys', () => {
    const lenient = (Object.keys(CHANNELS) as ChannelName[]).flatMap((channel) => lenientObjects(CHANNELS[channel].input, channel));
    expect(lenient).toEqual([]);
  });

  it.each([
    ['a misspelt policy field', 'settings.update', { policy: { ...DEFAULT_POLICY, undoWindowSecnds: 0 } }, 'policy.undoWindowSecnds'],
    ['an amount on an accept', 'decisions.decide', { requestIds: ['r-1'], action: { type: 'accept', amount: { amountMinor: 100, currency: 'USD' } } }, 'action.amount'],
    ['a key inside an amount', 'decisions.plan', { requestIds: ['r-1'], action: { type: 'offer', amount: { amountMinor: 100, currency: 'USD', cents: 1 } } }, 'action.amount.cents'],
    ['a nested policy key', 'settings.update', { policy: { ...DEFAULT_POLICY, repeatCanceller: { minRequests: 3, windowDays: 30, days: 1 } } }, 'policy.repeatCanceller.days'],
    ['__proto__ in the policy', 'settings.update', JSON.parse(`{ "policy": { "__proto__": { "polluted": true } } }`) as unknown, 'policy.__proto__'],
    ['an action on a recommended plan (the rules choose it)', 'decisions.planRecommended', { requestIds: ['r-1'], action: { type: 'accept' } }, 'action'],
    ['an amount beside a recommended action', 'decisions.decideRecommended', { items: [{ requestId: 'r-1', action: 'offer', amount: { amountMinor: 1, currency: 'USD' } }] }, 'items.0.amount'],
    ['a recipient on a message (the request names the buyer)', 'messages.send', { requestId: 'r-1', text: 'Hello', to: 'buyer' }, 'to'],
    ['a status on a message (the outbox decides it)', 'messages.send', { requestId: 'r-1', text: 'Hello', status: 'sent' }, 'status'],
    ['a limit on a thread', 'messages.list', { requestId: 'r-1', limit: 5 }, 'limit'],
    ['a key inside a message template', 'settings.update', { messageTemplates: [{ name: 'Hi', text: 'Hello', html: '<b>x</b>' }] }, 'messageTemplates.0.html'],
  ])('%s is refused with its path named', async (_label, channel, input, path) => {
    const result = await dispatchCall(channel, input, () => Promise.reject(new Error('the handler must not run')));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(result.ok ? '' : result.error.message).toContain(`${path}: is not a known field`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the conversation channels', () => {
  it.each([
    ['a message without text', 'messages.send', { requestId: 'r-1' }, 'text: Invalid input'],
    ['a text that is not a string', 'messages.send', { requestId: 'r-1', text: ['Hello'] }, 'text: Invalid input'],
    ['a text beyond what any marketplace takes', 'messages.send', { requestId: 'r-1', text: 'x'.repeat(100_001) }, 'text: Too big'],
    ['no request', 'messages.list', { requestId: '' }, 'requestId: Too small'],
    ['a template without a name', 'settings.update', { messageTemplates: [{ name: ' ', text: 'Hello' }] }, 'messageTemplates.0.name: give the template a name'],
  ])('refuse %s, naming the path', async (_label, channel, input, expected) => {
    const result = await dispatchCall(channel, input, () => Promise.reject(new Error('the handler must not run')));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(result.ok ? '' : result.error.message).toContain(expected);
  });
});

describe('the recommended-decision channels', () => {
  it.each([
    ['no request', 'decisions.planRecommended', { requestIds: [] }, 'requestIds: Too small'],
    ['an action the rules do not know', 'decisions.decideRecommended', { items: [{ requestId: 'r-1', action: 'refund_twice' }] }, 'items.0.action: Invalid option'],
    ['no items', 'decisions.decideRecommended', { items: [] }, 'items: Too small'],
  ])('refuse %s, naming the path', async (_label, channel, input, expected) => {
    const result = await dispatchCall(channel, input, () => Promise.reject(new Error('the handler must not run')));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(result.ok ? '' : result.error.message).toContain(expected);
  });
});

describe('the seller photo channels', () => {
  const png = 'iVBORw0KGgo=';
  it.each([
    ['a declared type beside the bytes (the bytes say what they are)', 'evidence.attach', { requestId: 'r-1', fileName: 'label.png', dataBase64: png, contentType: 'image/png' }, 'contentType: is not a known field'],
    ['a path instead of a name', 'evidence.attach', { requestId: 'r-1', fileName: 'a\u0000b.png', dataBase64: png }, 'fileName: must not contain control characters'],
    ['a name longer than 200 characters', 'evidence.attach', { requestId: 'r-1', fileName: `${'x'.repeat(200)}.png`, dataBase64: png }, 'fileName: Too big'],
    ['an empty name', 'evidence.attach', { requestId: 'r-1', fileName: '', dataBase64: png }, 'fileName: Too small'],
    ['bytes that are not base64', 'evidence.attach', { requestId: 'r-1', fileName: 'label.png', dataBase64: 'not base64!' }, 'dataBase64: Invalid base64'],
    ['more than ~14 MiB of base64', 'evidence.attach', { requestId: 'r-1', fileName: 'label.png', dataBase64: 'AAAA'.repeat(3_670_017) }, 'dataBase64: a photo of at most 10 MiB fits here'],
    ['a request on a detach (the id names the photo)', 'evidence.detach', { attachmentId: 'photo-1', requestId: 'r-1' }, 'requestId: is not a known field'],
    ['photos with a decision on several requests', 'decisions.decide', { requestIds: ['r-1', 'r-2'], action: { type: 'refuse', reason: 'other', note: 'x', attachments: ['photo-1'] } }, 'action.attachments: photos go with a decision on one request, not on several'],
    ['photos on an accept', 'decisions.decide', { requestIds: ['r-1'], action: { type: 'accept', attachments: ['photo-1'] } }, 'action.attachments: is not a known field'],
    ['a photo named twice', 'decisions.decide', { requestIds: ['r-1'], action: { type: 'offer', amount: { amountMinor: 1, currency: 'USD' }, attachments: ['photo-1', 'photo-1'] } }, 'action.attachments: names a photo twice'],
    ['an attachment id that is a path', 'decisions.decide', { requestIds: ['r-1'], action: { type: 'refuse', reason: 'other', note: 'x', attachments: ['../secrets'] } }, 'action.attachments.0: must be an attachment id'],
  ])('refuse %s, naming the path', async (_label, channel, input, expected) => {
    const result = await dispatchCall(channel, input, () => Promise.reject(new Error('the handler must not run')));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(result.ok ? '' : result.error.message).toContain(expected);
  });

  it('lets one request take photos, and a bulk decision go without them', async () => {
    const handled: unknown[] = [];
    const handle = (_channel: unknown, input: unknown) => {
      handled.push(input);
      return Promise.resolve(null);
    };
    expect(await dispatchCall('decisions.decide', { requestIds: ['r-1'], action: { type: 'refuse', reason: 'other', note: 'x', attachments: ['photo-1', 'photo-2'] } }, handle)).toMatchObject({ ok: true });
    expect(await dispatchCall('decisions.plan', { requestIds: ['r-1', 'r-2'], action: { type: 'offer', percent: 20 } }, handle)).toMatchObject({ ok: true });
    expect(await dispatchCall('evidence.attach', { requestId: 'r-1', fileName: 'label.png', dataBase64: png }, handle)).toMatchObject({ ok: true });
    expect(handled).toHaveLength(3);
  });
});
