import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startAliExpressSandboxCli } from './aliexpress/cli';
import { parseFaultSpec, type FaultConfig } from './faults';
import { createSimulator } from './server';

/**
 * `npm run simulator -- --port 7070 --seed 42 --orders 50000`: runs the demo marketplace alone
 * until SIGINT/SIGTERM. Prints exactly one line once it listens; bad arguments exit with code 2.
 * `--protocol aliexpress` runs the AliExpress sandbox instead (aliexpress/cli.ts).
 */

const USAGE =
  'Usage: npm run simulator -- [--port 7070] [--host 127.0.0.1] [--seed 42] [--orders 10000] ' +
  '[--token demo-token] [--admin-token demo-admin-token] ' +
  '[--faults error=0.2,latency=50,rate429=0.1,retryAfter=1,drop=0.05,lostAnswer=0.05,duplicate=0.1,reorder=0.1] ' +
  '[--ignore-idempotency-keys] ' +
  '| --protocol aliexpress [--port] [--host] [--seed] [--orders] [--admin-token] [--app-key 12345678] [--app-secret demo-app-secret]';

const IntegerText = z.string().regex(/^\d+$/, 'must be a whole number');

const ArgsSchema = z.object({
  port: IntegerText.transform(Number).pipe(z.number().max(65_535, 'must be at most 65535')),
  host: z.string().min(1, 'must not be empty'),
  seed: IntegerText.transform(Number).pipe(z.number().max(0xffffffff, 'must be at most 4294967295')),
  orders: IntegerText.transform(Number).pipe(z.number().max(1_000_000, 'must be at most 1000000')),
  token: z.string().min(8, 'must be at least 8 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII'),
  'admin-token': z
    .string()
    .min(8, 'must be at least 8 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII'),
});
type CliArgs = z.infer<typeof ArgsSchema> & {
  faults: FaultConfig | undefined;
  /** Seller actions ignore Idempotency-Key, as most real marketplaces do. */
  ignoreIdempotencyKeys: boolean;
  /** Which marketplace to run: the demo one, or the AliExpress sandbox. */
  protocol: 'demo' | 'aliexpress';
  'app-key': string;
  'app-secret': string;
};

const AliExpressArgsSchema = z.object({
  protocol: z.enum(['demo', 'aliexpress'], 'must be "demo" or "aliexpress"'),
  'app-key': z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1 to 32 letters or digits'),
  'app-secret': z.string().min(8, 'must be at least 8 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII'),
});

function fail(message: string): never {
  process.stderr.write(`simulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '7070' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string', default: '42' },
        orders: { type: 'string', default: '10000' },
        token: { type: 'string', default: 'demo-token' },
        'admin-token': { type: 'string', default: 'demo-admin-token' },
        faults: { type: 'string' },
        'ignore-idempotency-keys': { type: 'boolean', default: false },
        protocol: { type: 'string', default: 'demo' },
        'app-key': { type: 'string', default: '12345678' },
        'app-secret': { type: 'string', default: 'demo-app-secret' },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const {
    faults: faultSpec,
    'ignore-idempotency-keys': ignoreIdempotencyKeys,
    protocol,
    'app-key': appKey,
    'app-secret': appSecret,
    ...rest
  } = values;
  const aliexpress = AliExpressArgsSchema.safeParse({ protocol, 'app-key': appKey, 'app-secret': appSecret });
  if (!aliexpress.success) {
    const issue = aliexpress.error.issues[0];
    const name = String(issue?.path[0] ?? '?');
    fail(`--${name} ${issue?.message ?? 'is invalid'} (got "${String(values[name])}").`);
  }
  if (aliexpress.data.protocol === 'aliexpress' && faultSpec !== undefined) {
    fail('--faults is for the demo marketplace; the AliExpress sandbox takes its faults at POST /_sandbox/faults.');
  }
  const parsed = ArgsSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? '?');
    fail(`--${name} ${issue?.message ?? 'is invalid'} (got "${String(values[name])}").`);
  }
  let faults: FaultConfig | undefined;
  if (typeof faultSpec === 'string') {
    try {
      faults = parseFaultSpec(faultSpec);
    } catch (error) {
      fail(`--faults: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ...parsed.data, faults, ignoreIdempotencyKeys: ignoreIdempotencyKeys === true, ...aliexpress.data };
}

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.protocol === 'aliexpress') {
    await startAliExpressSandboxCli({
      port: args.port,
      host: args.host,
      seed: args.seed,
      orders: args.orders,
      adminToken: args['admin-token'],
      appKey: args['app-key'],
      appSecret: args['app-secret'],
    });
    return;
  }
  const simulator = await createSimulator({
    seed: args.seed,
    orders: args.orders,
    port: args.port,
    host: args.host,
    token: args.token,
    adminToken: args['admin-token'],
    ...(args.faults === undefined ? {} : { faults: args.faults }),
    idempotencyKeys: args.ignoreIdempotencyKeys ? 'ignore' : 'honour',
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`simulator: could not start: ${message}\n`);
    process.exit(1);
  });
  process.stdout.write(
    `Demo marketplace running at ${simulator.url} (token ${simulator.token}, admin token ${simulator.adminToken})\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`simulator: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
