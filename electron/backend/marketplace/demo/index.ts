import { DEMO_CAPABILITIES } from '../../../../shared/domain/marketplace';
import type { MarketplaceAdapter } from '../adapter';
import { MarketplaceHttpClient, type HttpClientOptions } from '../http-client';
import { actOnDemo, fetchDemoRequest, readDemoOutcome } from './actions';
import { demoListing } from './listing';

/** The demo marketplace's HTTP client: it runs on this machine and sets no rate limit of its own. */
export function createDemoHttpClient(options: HttpClientOptions): MarketplaceHttpClient {
  // A real marketplace's adapter sets the limits its API documents.
  return new MarketplaceHttpClient({ requestsPerSecond: 500, burst: 500, ...options });
}

/** The demo marketplace (electron/simulator/) behind the adapter seam. */
export function createDemoAdapter(http: MarketplaceHttpClient): MarketplaceAdapter {
  const listing = demoListing(http);
  return {
    kind: 'demo',
    endpoint: http.baseUrl,
    capabilities: DEMO_CAPABILITIES,
    listOrders: (params) => listing.listOrders(params),
    listRequests: (params) => listing.listRequests(params),
    listMessages: (params) => listing.listMessages(params),
    fetchRequest: (requestId) => fetchDemoRequest(http, requestId),
    act: (call) => actOnDemo(http, call),
    readOutcome: (call) => readDemoOutcome(http, call),
    fetchEvidence: async (evidenceId, maxBytes) =>
      // A successful binary call always has bytes; an empty answer is simply not an image.
      (await http.call(`/v1/evidence/${encodeURIComponent(evidenceId)}`, { binaryMaxBytes: maxBytes })).bytes ?? Buffer.alloc(0),
  };
}
