import type { Clock } from '../../../../shared/domain/time';
import { DeskError } from '../../../../shared/errors';
import type { MarketplaceAdapter } from '../adapter';
import { networkDetail, readCapped } from '../http-client';
import { actOnAliExpress, readAliExpressOutcome, snapshotOf } from './actions';
import type { AeCaller } from './caller';
import { ALIEXPRESS_CAPABILITIES } from './capabilities';
import { aliExpressListing, issueDetail } from './listing';
import { listAliExpressMessages } from './messages';
import { buyerAttachments, parseEvidenceId } from './mapping/disputes';
import { asRecord } from './mapping/fields';

export interface AliExpressAdapterOptions {
  /** The IOP client (signed calls to the store's app), or a recorded stand-in in tests. */
  readonly caller: AeCaller;
  /** Where the store's gateway is (for the status bar; never a secret). */
  readonly endpoint: string;
  readonly storeId: string;
  readonly clock: Clock;
  /** Fetches a buyer's attachment by its URL (AliExpress's file_path), at most maxBytes. */
  readonly fetchFile: (url: string, maxBytes: number) => Promise<Buffer>;
  readonly log?: (line: string) => void;
}

/** AliExpress behind the adapter seam: the Open Platform's seller APIs (protocol reference, §5). */
export function createAliExpressAdapter(options: AliExpressAdapterOptions): MarketplaceAdapter {
  const { caller, storeId, clock } = options;
  const listing = aliExpressListing(caller, clock, storeId, options.log ?? (() => undefined));
  return {
    kind: 'aliexpress',
    endpoint: options.endpoint,
    capabilities: ALIEXPRESS_CAPABILITIES,
    listOrders: (params) => listing.listOrders(params),
    listRequests: (params) => listing.listRequests(params),
    listMessages: (params) => listAliExpressMessages(caller, params, clock.now()),
    fetchRequest: async (requestId, orderId) => {
      // An id that is not an AliExpress cancellation or issue is not on AliExpress.
      if (!/^(cancel|issue)-\d{1,20}$/.test(requestId)) return null;
      return (await snapshotOf(caller, storeId, { requestId, orderId }))?.request ?? null;
    },
    act: (call) => actOnAliExpress(caller, storeId, call),
    readOutcome: (call) => readAliExpressOutcome(caller, storeId, call),
    fetchEvidence: async (evidenceId, maxBytes) => {
      // The id names the issue, the buyer and the attachment's place: the detail gives its URL again.
      const parts = parseEvidenceId(evidenceId);
      if (parts === null) throw new DeskError('not_found', `${evidenceId} is not an AliExpress attachment.`);
      const detail = asRecord(await issueDetail(caller, parts.issueId, parts.buyerLoginId), 'the issue detail');
      const attachment = buyerAttachments(detail)[parts.index];
      if (attachment === undefined) throw new DeskError('not_found', `AliExpress no longer shows attachment ${parts.index + 1} of issue ${parts.issueId}.`);
      return options.fetchFile(attachment.filePath, maxBytes);
    },
  };
}

export { ALIEXPRESS_CAPABILITIES } from './capabilities';

/**
 * A buyer's file by the URL AliExpress gives (https, or the local sandbox's http), read with a cap:
 * a file larger than `maxBytes` is refused while it streams in ('payload_too_large').
 */
export async function fetchAliExpressFile(url: string, maxBytes: number, timeoutMs = 30_000): Promise<Buffer> {
  if (!/^https:\/\//i.test(url) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//i.test(url)) {
    throw new DeskError('invalid_payload', 'AliExpress named a buyer file at an address that is not https; it was not fetched.');
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new DeskError('marketplace_unreachable', `AliExpress's file server did not answer (${networkDetail(error)}).`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DeskError('marketplace_error', `AliExpress's file server answered HTTP ${response.status} for a buyer file.`);
  }
  return readCapped(response, maxBytes, 'a buyer file');
}
