/**
 * The command line of `npm run start:web`, and where the marketplace token comes from. Never from
 * the command line: every local user can read it (`ps`) and the shell keeps it in its history.
 * It comes from the environment (removed from it once read), a file, or standard input.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeIssues } from '../../shared/ipc/dispatch';

export const MARKETPLACE_TOKEN_ENV = 'CANCEL_DESK_MARKETPLACE_TOKEN';

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  'data-dir': z.string().min(1).default('.desk-data/web'),
  'marketplace-url': z.url().optional(),
  'marketplace-token-file': z.string().min(1).optional(),
  'marketplace-token-stdin': z.boolean().default(false),
  seed: z.coerce.number().int().default(42),
  orders: z.coerce.number().int().min(1).max(300_000).default(2_000),
  'renderer-dir': z.string().default('out/renderer'),
  'sync-interval-s': z.coerce.number().int().min(5).default(300),
  /** Runs the app's clock (and the embedded demo's) from this instant instead of now: tests, demos. */
  'start-at': z.iso.datetime({ offset: false }).optional(),
  /** Without the AliExpress demo store (the sandbox): the two demo-marketplace stores only. */
  'no-aliexpress-demo': z.boolean().default(false),
});

/** Trimmed (a file ends with a line break), and nothing that cannot go into a header. */
const MarketplaceTokenSchema = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(4_096, 'must be at most 4096 characters')
  .regex(/^[\x21-\x7e\u00a0-\uffff]+$/, 'must not contain spaces, line breaks or control characters');

export type HostArgs = Omit<z.infer<typeof ArgsSchema>, 'marketplace-token-file' | 'marketplace-token-stdin'> & {
  /** The marketplace token and where it came from (for messages); null: none was given. */
  marketplaceToken: { value: string; source: string } | null;
};

export type ParsedHostArgs = { ok: true; args: HostArgs } | { ok: false; message: string };

/** Where the token may be read from; the real process's by default in the CLI, fakes in tests. */
export interface TokenSources {
  /** Read, and the token variable deleted from it (so that no child process inherits it). */
  readonly env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
}

export const COMMAND_LINE_TOKEN_REFUSED =
  '--marketplace-token is refused: a token on the command line can be read by every user of this machine (ps) and stays in your shell history. ' +
  `Give it in the ${MARKETPLACE_TOKEN_ENV} environment variable, in a file (--marketplace-token-file <path>), ` +
  'or on standard input (--marketplace-token-stdin).';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The options of `start:web`, every one checked; a refusal is one sentence for the person who typed it. */
export async function parseHostArgs(argv: readonly string[], sources: TokenSources): Promise<ParsedHostArgs> {
  // Taken out of the environment first, whatever else is wrong with the command line.
  const fromEnv = sources.env[MARKETPLACE_TOKEN_ENV];
  delete sources.env[MARKETPLACE_TOKEN_ENV];

  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'marketplace-url': { type: 'string' },
        // Declared only to be refused with a sentence saying what to use instead.
        'marketplace-token': { type: 'string' },
        'marketplace-token-file': { type: 'string' },
        'marketplace-token-stdin': { type: 'boolean' },
        seed: { type: 'string' },
        orders: { type: 'string' },
        'renderer-dir': { type: 'string' },
        'sync-interval-s': { type: 'string' },
        'start-at': { type: 'string' },
        'no-aliexpress-demo': { type: 'boolean' },
        // Accepted and ignored, as before: the embedded demo is what runs without --marketplace-url.
        demo: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // An option given without its value (`--marketplace-token` alone) lands here too.
    if (argv.some((arg) => arg === '--marketplace-token' || arg.startsWith('--marketplace-token='))) return { ok: false, message: COMMAND_LINE_TOKEN_REFUSED };
    return { ok: false, message: describeError(error) };
  }
  if (values['marketplace-token'] !== undefined) return { ok: false, message: COMMAND_LINE_TOKEN_REFUSED };

  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const { 'marketplace-token-file': tokenFile, 'marketplace-token-stdin': tokenStdin, ...args } = parsed.data;

  const given = [
    ...(fromEnv === undefined ? [] : [`the ${MARKETPLACE_TOKEN_ENV} environment variable`]),
    ...(tokenFile === undefined ? [] : ['--marketplace-token-file']),
    ...(tokenStdin ? ['--marketplace-token-stdin'] : []),
  ];
  if (given.length > 1) return { ok: false, message: `Give the marketplace token one way only; it was given by ${given.join(' and ')}.` };

  let raw: string;
  let source: string;
  if (fromEnv !== undefined) {
    [raw, source] = [fromEnv, `the ${MARKETPLACE_TOKEN_ENV} environment variable`];
  } else if (tokenFile !== undefined) {
    source = `the file ${tokenFile}`;
    try {
      raw = await sources.readFile(tokenFile);
    } catch (error) {
      return { ok: false, message: `Could not read the marketplace token from ${source}: ${describeError(error)}` };
    }
  } else if (tokenStdin) {
    source = 'standard input';
    try {
      raw = await sources.readStdin();
    } catch (error) {
      return { ok: false, message: `Could not read the marketplace token from standard input: ${describeError(error)}` };
    }
  } else {
    return { ok: true, args: { ...args, marketplaceToken: null } };
  }
  const token = MarketplaceTokenSchema.safeParse(raw);
  // Never the token itself in the message: only what is wrong with it.
  if (!token.success) return { ok: false, message: `The marketplace token from ${source} ${token.error.issues[0]?.message ?? 'is invalid'}.` };
  return { ok: true, args: { ...args, marketplaceToken: { value: token.data, source } } };
}
