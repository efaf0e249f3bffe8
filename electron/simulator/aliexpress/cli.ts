import { systemClock } from '../clock';
import { createAliExpressSandbox } from './server';

/**
 * `npm run simulator -- --protocol aliexpress [--port 7071] [--seed 42] [--orders 200]`: the
 * AliExpress sandbox alone, on the wall clock, until SIGINT/SIGTERM. Prints exactly one line once
 * it listens, with everything a connector needs:
 *   AliExpress sandbox running at http://127.0.0.1:7071 (app key 12345678, app secret …, admin token …)
 * The gateway is <url>/sync and <url>/rest; the consent page <url>/oauth/authorize.
 */

export interface AliExpressCliOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly orders: number;
  readonly adminToken: string;
  readonly appKey: string;
  readonly appSecret: string;
}

export async function startAliExpressSandboxCli(options: AliExpressCliOptions): Promise<void> {
  const sandbox = await createAliExpressSandbox({ ...options, clock: systemClock }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`simulator: could not start the AliExpress sandbox: ${message}\n`);
    process.exit(1);
  });
  process.stdout.write(
    `AliExpress sandbox running at ${sandbox.url} (app key ${sandbox.appKey}, app secret ${sandbox.appSecret}, admin token ${sandbox.adminToken})\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
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
