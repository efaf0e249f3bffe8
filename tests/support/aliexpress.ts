import { createAliExpressAdapter, fetchAliExpressFile } from '../../electron/backend/marketplace/aliexpress';
import { IopClient, type IopTokenSource } from '../../electron/backend/marketplace/aliexpress/iop';
import type { MarketplaceAdapter } from '../../electron/backend/marketplace/adapter';
import { createAliExpressSandbox, type AliExpressSandbox } from '../../electron/simulator/aliexpress/server';
import type { ManualClock } from '../../electron/simulator/clock';

/** The AliExpress sandbox on the test's clock, a client signed in to it, and the adapter over that client. */
export interface AliExpressRig {
  readonly sandbox: AliExpressSandbox;
  readonly client: IopClient;
  readonly adapter: MarketplaceAdapter;
  readonly storeId: string;
}

/** Tokens from the sandbox's consent (a code, exchanged once), refreshed through /auth/token/refresh. */
async function signedIn(client: () => IopClient, sandbox: AliExpressSandbox): Promise<IopTokenSource> {
  let access = '';
  let refresh = '';
  const keep = (answer: Readonly<Record<string, unknown>>): string => {
    access = String(answer.access_token);
    refresh = String(answer.refresh_token);
    return access;
  };
  const source: IopTokenSource = {
    accessToken: () => Promise.resolve(access),
    refresh: async () => keep(await client().rest('/auth/token/refresh', { refresh_token: refresh })),
  };
  keep(await client().rest('/auth/token/create', { code: sandbox.issueCode() }));
  return source;
}

export async function openAliExpress(options: { seed: number; orders: number; clock: ManualClock; storeId?: string }): Promise<AliExpressRig> {
  const { clock } = options;
  const sandbox = await createAliExpressSandbox({ seed: options.seed, orders: options.orders, clock });
  // The client asks the token source, which signs in through the same client: built first, filled after.
  let live: IopTokenSource | null = null;
  const tokens: IopTokenSource = {
    accessToken: () => (live === null ? Promise.resolve('') : live.accessToken()),
    refresh: () => (live === null ? Promise.resolve('') : live.refresh()),
  };
  const made = new IopClient({ baseUrl: sandbox.url, appKey: sandbox.appKey, appSecret: sandbox.appSecret, clock, tokens, requestsPerSecond: 10_000, burst: 10_000 });
  live = await signedIn(() => made, sandbox);
  const storeId = options.storeId ?? 'ae-test';
  const adapter = createAliExpressAdapter({ caller: made, endpoint: sandbox.url, storeId, clock, fetchFile: (url, maxBytes) => fetchAliExpressFile(url, maxBytes) });
  return { sandbox, client: made, adapter, storeId };
}
