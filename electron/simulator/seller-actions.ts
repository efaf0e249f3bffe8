import type { z } from 'zod';
import type { FaultInjector } from './faults';
import { HttpError, errorReply, jsonReply, validate, type Reply } from './http';
import { canonicalJson, type IdempotencyKeyMode, type IdempotencyStore } from './idempotency';
import type { ActionResult, Marketplace } from './marketplace';
import type { Route } from './route';
import {
  AcceptBodySchema,
  EscalateBodySchema,
  IdempotencyKeySchema,
  OfferBodySchema,
  RefuseBodySchema,
  RequestEvidenceBodySchema,
  RetryRefundBodySchema,
} from './schemas';

/**
 * The seller's action endpoints, POST /v1/requests/:id/<action>: strict body, expectedVersion,
 * and the Idempotency-Key either honoured (replayable answer, 409 while in flight, 422 on reuse)
 * or ignored, as most real marketplaces do.
 */

export interface SellerActionServices {
  readonly marketplace: Marketplace;
  readonly faults: FaultInjector;
  readonly idempotency: IdempotencyStore;
  /** Read as each call starts, so the admin API can switch it between calls. */
  readonly idempotencyKeys: () => IdempotencyKeyMode;
}

type Run<S extends z.ZodType> = (requestId: string, body: z.infer<S>, key: string | null) => ActionResult;

/** One seller action endpoint, POST /v1/requests/:id/<name>, with the Idempotency-Key handling above. */
export function sellerActionRoute<S extends z.ZodType>(services: SellerActionServices, name: string, schema: S, run: Run<S>): Route {
  return {
    method: 'POST',
    pattern: new RegExp(`^/v1/requests/([^/]+)/${name}$`),
    auth: 'token',
    faulty: true,
    sellerAction: true,
    handle: async ({ request, url, params, body }) => {
      const requestId = params[0] ?? '';
      if (services.idempotencyKeys() === 'ignore') {
        // Each call is handled afresh: a retry of an applied call meets version_conflict.
        const input = validate(schema, await body(), 'body');
        await services.faults.delay();
        services.marketplace.runDue();
        return decide(() => run(requestId, input, null));
      }
      const keyHeader = request.headers['idempotency-key'];
      if (typeof keyHeader !== 'string' || !IdempotencyKeySchema.safeParse(keyHeader).success) {
        throw new HttpError(
          400,
          'bad_request',
          'Header "Idempotency-Key" is required: 1 to 200 printable ASCII characters, unique per decision.',
          { field: 'Idempotency-Key' },
        );
      }
      const raw = await body();
      const input = validate(schema, raw, 'body');
      return honoured(services, keyHeader, `POST ${url.pathname} ${canonicalJson(raw)}`, () =>
        run(requestId, input, keyHeader),
      );
    },
  };
}

export function sellerActionRoutes(services: SellerActionServices): Route[] {
  const { marketplace } = services;
  const action = <S extends z.ZodType>(name: string, schema: S, run: Run<S>): Route => sellerActionRoute(services, name, schema, run);

  return [
    action('accept', AcceptBodySchema, (id, body, key) => marketplace.accept(id, body, key)),
    action('retry-refund', RetryRefundBodySchema, (id, body, key) => marketplace.retryRefund(id, body, key)),
    action('refuse', RefuseBodySchema, (id, body, key) => marketplace.refuse(id, body, key)),
    action('request-evidence', RequestEvidenceBodySchema, (id, body, key) =>
      marketplace.requestEvidence(id, body, key),
    ),
    action('offer', OfferBodySchema, (id, body, key) => marketplace.offer(id, body, key)),
    action('escalate', EscalateBodySchema, (id, body, key) => marketplace.escalate(id, body, key)),
  ];
}

/** Runs an action; the marketplace's refusals (409, 422...) become answers like its successes. */
function decide(run: () => ActionResult): Reply {
  try {
    const result = run();
    return jsonReply(200, { request: result.request, order: result.order, refund: result.refund });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return errorReply(error);
  }
}

/** Handles a keyed call once: later calls with the key replay its answer or are refused. */
async function honoured(
  services: SellerActionServices,
  key: string,
  fingerprint: string,
  run: () => ActionResult,
): Promise<Reply> {
  const { idempotency } = services;
  const claim = idempotency.claim(key, fingerprint);
  switch (claim.kind) {
    case 'mismatch':
      throw new HttpError(
        422,
        'idempotency_key_reused',
        `Idempotency-Key "${key}" was already used for a different call; use a new key for a new decision.`,
        { field: 'Idempotency-Key' },
      );
    case 'in_flight':
      throw new HttpError(
        409,
        'idempotency_in_flight',
        `A call with Idempotency-Key "${key}" is still being handled; retry once it has answered.`,
        { field: 'Idempotency-Key' },
      );
    case 'replay':
      return { ...claim.reply, headers: { ...claim.reply.headers, 'Idempotent-Replayed': 'true' } };
    case 'claimed':
      break;
  }
  try {
    await services.faults.delay();
    services.marketplace.runDue();
    const reply = decide(run);
    idempotency.complete(key, fingerprint, reply);
    return reply;
  } catch (error) {
    idempotency.release(key);
    throw error;
  }
}
