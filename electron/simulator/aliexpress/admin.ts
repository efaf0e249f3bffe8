import { z } from 'zod';
import { toInstant } from '../../../shared/domain/time';
import { buyerAsksToCancel, buyerOpensDispute, buyerWrites } from './buyers';
import { BusinessError } from './envelope';
import { SandboxFaultsSchema, type FaultPlan } from './faults';
import type { JsonOut } from './json-text';
import { formatPacific } from './pacific';
import type { Platform } from './platform';
import type { TokenStore } from './tokens';

/**
 * The sandbox's own admin API (not AliExpress), behind `Authorization: Bearer <adminToken>`;
 * JSON in, JSON out, errors as HTTP 4xx `{ "error": { "code", "message" } }`:
 *   GET  /_sandbox/ledger[?after=<seq>]      { entries }: every applied change since start
 *   GET  /_sandbox/clock                     { now, nowMs, pacific }
 *   POST /_sandbox/clock { ms }              advances platform time, applying deadlines on the way
 *   POST /_sandbox/code                      { code, expiresAt }: an authorization code, no browser
 *   GET|POST /_sandbox/faults                { lostAnswerRate, errorRate, apiCallLimit, callsPerSecond }
 *                                            (POST replaces the whole set; missing fields are off)
 *   POST /_sandbox/buyer-message { buyerId | orderId, text }     201 { messageId, buyerId }
 *   POST /_sandbox/cancel-request { orderId, reason? }            201 { orderId }
 *   POST /_sandbox/dispute { orderId, solutionType? }             201 { issueId }
 */

export interface AdminAnswer {
  readonly status: number;
  readonly json: JsonOut;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const Digits = z.string().regex(/^\d{1,20}$/, 'must be a string of digits');
const AdvanceSchema = z.strictObject({ ms: z.number().int().min(0).max(366 * 86_400_000) });
const BuyerMessageSchema = z.strictObject({ buyerId: Digits.optional(), orderId: Digits.optional(), text: z.string().min(1).max(2000) });
const CancelRequestSchema = z.strictObject({ orderId: Digits, reason: z.string().min(1).max(200).optional() });
const DisputeSchema = z.strictObject({ orderId: Digits, solutionType: z.enum(['refund', 'return_and_refund']).optional() });

function parse<S extends z.ZodType>(schema: S, body: string): z.output<S> {
  let value: unknown;
  try {
    value = body.trim() === '' ? {} : (JSON.parse(body) as unknown);
  } catch {
    throw new AdminError(400, 'bad_request', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdminError(400, 'bad_request', `Invalid field "${(issue?.path ?? []).join('.') || '(body)'}": ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

function clockBody(platform: Platform): JsonOut {
  const now = platform.now();
  return { now: toInstant(now), nowMs: now, pacific: formatPacific(now) };
}

function buyerMove<T>(move: () => T): T {
  try {
    return move();
  } catch (error) {
    if (error instanceof BusinessError) throw new AdminError(error.subCode === 'not_found' ? 404 : 409, error.subCode, error.message);
    throw error;
  }
}

export function handleAdmin(
  method: string,
  url: URL,
  body: string,
  services: { platform: Platform; tokens: TokenStore; faults: FaultPlan },
): AdminAnswer {
  const { platform, tokens, faults } = services;
  const route = `${method} ${url.pathname}`;
  switch (route) {
    case 'GET /_sandbox/ledger': {
      const after = url.searchParams.get('after') ?? '0';
      if (!/^\d{1,12}$/.test(after)) throw new AdminError(400, 'bad_request', `"after" must be a ledger sequence number; got "${after}".`);
      return { status: 200, json: { entries: platform.ledger.slice(Number(after)) as unknown as JsonOut } };
    }
    case 'GET /_sandbox/clock':
      return { status: 200, json: clockBody(platform) };
    case 'POST /_sandbox/clock':
      platform.advance(parse(AdvanceSchema, body).ms);
      return { status: 200, json: clockBody(platform) };
    case 'POST /_sandbox/code': {
      const { code, expiresAt } = tokens.issueCode(platform.now());
      return { status: 201, json: { code, expiresAt: toInstant(expiresAt) } };
    }
    case 'GET /_sandbox/faults':
      return { status: 200, json: faults.current };
    case 'POST /_sandbox/faults': {
      const config = parse(SandboxFaultsSchema, body);
      faults.set(config);
      return { status: 200, json: config };
    }
    case 'POST /_sandbox/buyer-message': {
      const input = parse(BuyerMessageSchema, body);
      if ((input.buyerId === undefined) === (input.orderId === undefined)) {
        throw new AdminError(400, 'bad_request', 'Give exactly one of "buyerId" and "orderId".');
      }
      const message = buyerMove(() =>
        buyerWrites(platform, { text: input.text, ...(input.buyerId === undefined ? {} : { buyerId: input.buyerId }), ...(input.orderId === undefined ? {} : { orderId: input.orderId }) }),
      );
      return { status: 201, json: { messageId: message.id, buyerId: message.buyerAccountId } };
    }
    case 'POST /_sandbox/cancel-request': {
      const input = parse(CancelRequestSchema, body);
      buyerMove(() => buyerAsksToCancel(platform, input.orderId, input.reason ?? 'I no longer need the item'));
      return { status: 201, json: { orderId: input.orderId } };
    }
    case 'POST /_sandbox/dispute': {
      const input = parse(DisputeSchema, body);
      const issue = buyerMove(() => buyerOpensDispute(platform, input.orderId, input.solutionType ?? 'refund'));
      return { status: 201, json: { issueId: issue.id } };
    }
    default:
      throw new AdminError(404, 'not_found', `There is no admin endpoint ${route}.`);
  }
}
