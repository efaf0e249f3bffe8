import { z } from 'zod';
import { IdSchema, IntSchema, jsonParam, required, type ApiContext, type ApiDefinition } from './api-kit';
import { GatewayError, type WireObject } from './envelope';
import { toJsonText, type JsonOut } from './json-text';
import type { ImMessage } from './model';
import type { IssuedTokens } from './tokens';

/**
 * Tokens (§3.2, /rest only, flat answers) and buyer messages (§5.11, on /sync and /rest).
 *
 * Token errors (Q5 has no source; the sandbox's): InvalidCode (unknown, used or expired code),
 * IllegalRefreshToken (unknown or expired refresh token), as flat GOP errors.
 *
 * IM: `result` is a map, so its lists stay plain arrays in every shape. Errors sit inside it:
 * { success: false, error_code, error_message } with BUYER_NOT_FOUND, TEMPLATE_NOT_SUPPORTED,
 * CONTENT_EMPTY, CONTENT_TOO_LONG (text of 1 to IM_TEXT_MAX characters), PAGE_SIZE_INVALID.
 * message/list pages newest first: start_time (ms) and last_message_id continue after the
 * last message of the previous page; next_start_time / last_message_id name the next cursor.
 */

export const IM_TEXT_MAX = 2000;
export const IM_PAGE_MAX = 20;

function tokenBody(context: ApiContext, issued: IssuedTokens): WireObject {
  const now = context.platform.now();
  const seller = context.platform.seller;
  return {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    expire_time: issued.accessExpiresAt,
    refresh_token_valid_time: issued.refreshExpiresAt,
    expires_in: Math.floor((issued.accessExpiresAt - now) / 1000),
    refresh_expires_in: Math.floor((issued.refreshExpiresAt - now) / 1000),
    user_id: seller.sellerId,
    seller_id: seller.sellerId,
    user_nick: seller.loginId,
    account: seller.loginId,
    account_platform: 'seller_center',
    havana_id: `3000${seller.sellerId}`,
    locale: 'en_US',
    sp: 'ae',
  };
}

function createToken(context: ApiContext): WireObject {
  const issued = context.tokens.exchangeCode(required(context, 'code'), context.platform.now());
  if (issued === null) throw new GatewayError('ISV', 'InvalidCode', 'The authorization code is invalid, expired or already used');
  return tokenBody(context, issued);
}

function refreshToken(context: ApiContext): WireObject {
  const issued = context.tokens.exchangeRefresh(required(context, 'refresh_token'), context.platform.now());
  if (issued === null) throw new GatewayError('ISV', 'IllegalRefreshToken', 'The specified refresh token is invalid or expired');
  return tokenBody(context, issued);
}

const failure = (code: string, message: string): WireObject => ({ result: { success: false, error_code: code, error_message: message } });

const SendSchema = z.looseObject({
  buyer_id: IdSchema,
  template_id: IntSchema,
  message_content_dto: z
    .looseObject({
      txt: z.string().optional(),
      img_url: z.string().optional(),
      width: IntSchema.optional(),
      height: IntSchema.optional(),
      item_id: IdSchema.optional(),
      order_id: IdSchema.optional(),
      promotion_id: IdSchema.optional(),
    })
    .optional(),
});

function sendMessage(context: ApiContext): WireObject {
  const { platform } = context;
  const input = jsonParam(context, 'im_send_message_dto', SendSchema);
  const orders = [...platform.orders.values()].filter((order) => order.buyer.accountId === input.buyer_id);
  const latest = orders.sort((a, b) => b.createdAt - a.createdAt)[0];
  if (latest === undefined) return failure('BUYER_NOT_FOUND', `Buyer ${input.buyer_id} has no order with this seller.`);
  const dto = input.message_content_dto ?? {};
  let content: Record<string, JsonOut>;
  switch (input.template_id) {
    case 1: {
      const text = dto.txt ?? '';
      if (text.trim() === '') return failure('CONTENT_EMPTY', 'A text message needs message_content_dto.txt.');
      if (text.length > IM_TEXT_MAX) return failure('CONTENT_TOO_LONG', `The text is ${text.length} characters; the limit is ${IM_TEXT_MAX}.`);
      content = { txt: text };
      break;
    }
    case 3:
      if (dto.img_url === undefined || dto.img_url === '') return failure('CONTENT_EMPTY', 'An image message needs message_content_dto.img_url.');
      content = { img_url: dto.img_url, width: dto.width ?? 0, height: dto.height ?? 0 };
      break;
    case 10006:
    case 10007:
    case 21004: {
      const key = input.template_id === 10006 ? 'item_id' : input.template_id === 10007 ? 'order_id' : 'promotion_id';
      const value = dto[key];
      if (value === undefined) return failure('CONTENT_EMPTY', `Template ${input.template_id} needs message_content_dto.${key}.`);
      content = { [key]: value };
      break;
    }
    default:
      return failure('TEMPLATE_NOT_SUPPORTED', `Template ${input.template_id} is not one of 1, 3, 10006, 10007, 21004.`);
  }
  const at = platform.now();
  const message: ImMessage = {
    id: platform.ids.wide(),
    buyerAccountId: input.buyer_id,
    from: 'seller',
    templateId: input.template_id,
    content: toJsonText(content),
    sentAt: at,
  };
  platform.messages.push(message);
  platform.record(
    { kind: 'seller_action', api: context.api, orderId: latest.id, details: { messageId: message.id, buyerId: input.buyer_id, templateId: input.template_id } },
    at,
  );
  return { result: { success: true, data: { message_id: BigInt(message.id) } } };
}

const MsSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/).transform(Number)]);

const ListSchema = z.looseObject({
  buyer_id: IdSchema,
  page_size: IntSchema.optional(),
  start_time: MsSchema.optional(),
  last_message_id: IdSchema.optional(),
});

/** Newest first: later time first, then the larger id (ids have one length, so text order is number order). */
function newerFirst(a: ImMessage, b: ImMessage): number {
  return b.sentAt - a.sentAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function listMessages(context: ApiContext): WireObject {
  const { platform } = context;
  const input = jsonParam(context, 'im_query_message_dto', ListSchema);
  const size = input.page_size ?? IM_PAGE_MAX;
  if (size < 1 || size > IM_PAGE_MAX) return failure('PAGE_SIZE_INVALID', `page_size must be from 1 to ${IM_PAGE_MAX}; got ${size}.`);
  const start = input.start_time;
  const last = input.last_message_id;
  const after = (message: ImMessage): boolean => {
    if (start === undefined) return true;
    if (message.sentAt !== start) return message.sentAt < start;
    return last === undefined || BigInt(message.id) < BigInt(last);
  };
  const conversation = platform.messages.filter((message) => message.buyerAccountId === input.buyer_id && after(message)).sort(newerFirst);
  const page = conversation.slice(0, size);
  const tail = page[page.length - 1];
  const sellerId = BigInt(platform.seller.sellerId);
  return {
    result: {
      success: true,
      data: {
        message_list: page.map((message) => {
          const buyer = BigInt(message.buyerAccountId);
          const fromBuyer = message.from === 'buyer';
          return {
            message_id: BigInt(message.id),
            from_account_id: fromBuyer ? buyer : sellerId,
            from_account_type: fromBuyer ? 11 : 12,
            to_account_id: fromBuyer ? sellerId : buyer,
            to_account_type: fromBuyer ? 12 : 11,
            template_id: message.templateId,
            type: 1,
            content: message.content,
            send_time: message.sentAt,
          };
        }),
        has_more: conversation.length > page.length,
        next_start_time: tail?.sentAt,
        last_message_id: tail === undefined ? undefined : BigInt(tail.id),
      },
    },
  };
}

export const SYSTEM_APIS: readonly ApiDefinition[] = [
  { name: '/auth/token/create', gateways: ['rest'], needsToken: false, mayLoseAnswer: false, handle: createToken },
  { name: '/auth/token/refresh', gateways: ['rest'], needsToken: false, mayLoseAnswer: true, handle: refreshToken },
  { name: 'aliexpress/message/send', gateways: ['sync', 'rest'], needsToken: true, mayLoseAnswer: true, handle: sendMessage },
  { name: 'aliexpress/message/list', gateways: ['sync', 'rest'], needsToken: true, mayLoseAnswer: true, handle: listMessages },
];
