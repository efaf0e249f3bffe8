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
  ])('%s is refused with its path named', async (_label, channel, input, path) => {
    const result = await dispatchCall(channel, input, () => Promise.reject(new Error('the handler must not run')));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(result.ok ? '' : result.error.message).toContain(`${path}: is not a known field`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
