import type { MarketplaceKind } from '../../../shared/domain/marketplace';
import { DeskError } from '../../../shared/errors';
import type { MarketplaceAdapter } from './adapter';
import { createDemoAdapter, createDemoHttpClient } from './demo';
import type { HttpClientOptions } from './http-client';

/** How to reach one store's marketplace. */
export interface MarketplaceConnection {
  kind: MarketplaceKind;
  baseUrl: string;
  token: string;
}

/** What every adapter is built with: the injected clock and randomness, and the client's tuning. */
export type AdapterEnvironment = Pick<HttpClientOptions, 'clock' | 'random'> & Partial<Omit<HttpClientOptions, 'baseUrl' | 'token' | 'clock' | 'random'>>;

/** The registry: one line per marketplace kind. */
export function createAdapter(connection: MarketplaceConnection, environment: AdapterEnvironment): MarketplaceAdapter {
  switch (connection.kind) {
    case 'demo':
      return createDemoAdapter(createDemoHttpClient({ ...environment, baseUrl: connection.baseUrl, token: connection.token }));
    case 'aliexpress':
      throw new DeskError('not_supported', 'AliExpress is not connected yet in this version of Cancel Desk.');
  }
}

export type { MarketplaceAdapter } from './adapter';
