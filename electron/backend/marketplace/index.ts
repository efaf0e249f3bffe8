import type { MarketplaceAdapter } from './adapter';
import { createAliExpressAdapter, fetchAliExpressFile } from './aliexpress';
import { IopClient, type IopTokenSource } from './aliexpress/iop';
import { createDemoAdapter, createDemoHttpClient } from './demo';
import type { HttpClientOptions } from './http-client';

/** How to reach one store's marketplace: the demo's token, or AliExpress's app and its signed-in tokens. */
export type MarketplaceConnection =
  | { kind: 'demo'; baseUrl: string; token: string }
  | {
      kind: 'aliexpress';
      baseUrl: string;
      storeId: string;
      appKey: string;
      appSecret: string;
      tokens: IopTokenSource;
      /** Told (once per fact) what an answer showed of a point the protocol reference marks unconfirmed: the first live run tells. */
      onUnconfirmed?: (fact: string) => void;
    };

/** What every adapter is built with: the injected clock and randomness, and the client's tuning. */
export type AdapterEnvironment = Pick<HttpClientOptions, 'clock' | 'random'> & Partial<Omit<HttpClientOptions, 'baseUrl' | 'token' | 'clock' | 'random'>>;

/** The registry: one line per marketplace kind. */
export function createAdapter(connection: MarketplaceConnection, environment: AdapterEnvironment): MarketplaceAdapter {
  switch (connection.kind) {
    case 'demo':
      return createDemoAdapter(createDemoHttpClient({ ...environment, baseUrl: connection.baseUrl, token: connection.token }));
    case 'aliexpress':
      return createAliExpressAdapter({
        caller: new IopClient({
          baseUrl: connection.baseUrl,
          appKey: connection.appKey,
          appSecret: connection.appSecret,
          clock: environment.clock,
          tokens: connection.tokens,
          ...(connection.onUnconfirmed === undefined ? {} : { onUnconfirmed: once(connection.onUnconfirmed) }),
          // The AliExpress sandbox on this machine sets no limit of its own (like the demo's client);
          // the real gateway gets IOP_LIMITS.
          ...(isLoopback(connection.baseUrl) ? { requestsPerSecond: 500, burst: 500, maxInFlight: 8 } : {}),
        }),
        endpoint: connection.baseUrl,
        storeId: connection.storeId,
        clock: environment.clock,
        fetchFile: (url, maxBytes) => fetchAliExpressFile(url, maxBytes),
      });
  }
}

export type { MarketplaceAdapter } from './adapter';

/** Whether a marketplace runs on this machine (a sandbox, the demo). */
function isLoopback(baseUrl: string): boolean {
  return /^http:\/\/(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d+)?(\/|$)/i.test(baseUrl);
}

/** Each distinct fact passed on once: an answer shape is the same on every call. */
function once(tell: (fact: string) => void): (fact: string) => void {
  const told = new Set<string>();
  return (fact) => {
    if (told.has(fact) || told.size > 200) return;
    told.add(fact);
    tell(fact);
  };
}
