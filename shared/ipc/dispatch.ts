import type { z } from 'zod';
import { toErrorShape } from '../errors';
import { CHANNELS, isChannelName, type ChannelName } from './contract';
import type { Result } from './result';

/** Every failing path of a zod error, as one sentence ("limit: Too big...; view: Invalid option..."). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) =>
      // A key the schema does not know is named by its own path, so a typo deep inside is found at once.
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${[...issue.path, key].join('.')}: is not a known field`)
        : [`${issue.path.length > 0 ? issue.path.join('.') : '(input)'}: ${issue.message}`],
    )
    .join('; ');
}

/**
 * The one place an IPC call is checked: the channel must be in the contract and the input must
 * match its schema; only then is `handle` called, with the parsed input. Never throws.
 */
export async function dispatchCall(
  channel: unknown,
  input: unknown,
  handle: (channel: ChannelName, input: unknown) => Promise<unknown>,
): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return {
      ok: false,
      error: { code: 'unknown_channel', message: `There is no channel named ${JSON.stringify(channel)}.` },
    };
  }
  const parsed = CHANNELS[channel].input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `Invalid input for ${channel}: ${describeIssues(parsed.error)}`,
      },
    };
  }
  try {
    return { ok: true, value: await handle(channel, parsed.data) };
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}
