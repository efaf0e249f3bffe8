import { z } from 'zod';
import {
  BoolSchema,
  IdSchema,
  IntSchema,
  optional,
  parseJsonValue,
  required,
  requiredId,
  jsonParam,
  type ApiContext,
  type ApiDefinition,
} from './api-kit';
import { agreeSolution, saveSolution, uploadImage } from './disputes';
import { BusinessError, missingParameter, wireList, type WireObject } from './envelope';
import type { Issue } from './model';

/**
 * Disputes (§5.5–§5.9). Every answer is `result_object` (a Boolean for actions); business errors
 * are `error_response` with code 15 and an `isv.*` sub code (disputes.ts lists them).
 * issuelist.get: query_dto optional (Q8), current_page 1-based (default 1), page_size 1 to
 * ISSUE_PAGE_MAX (default 20), issue_status, order_no (the child or the parent order id),
 * buyer_login_id; newest first.
 */

export const ISSUE_PAGE_MAX = 50;
const ISSUE_STATUSES = ['processing', 'canceled_issue', 'finish'] as const;

const IssueQuerySchema = z.looseObject({
  current_page: IntSchema.optional(),
  page_size: IntSchema.optional(),
  issue_status: z.string().optional(),
  order_no: IdSchema.optional(),
  buyer_login_id: z.string().optional(),
});

function listIssues(context: ApiContext): WireObject {
  const text = optional(context, 'query_dto');
  const query = text === undefined ? {} : parseJsonValue('query_dto', text, IssueQuerySchema);
  const page = query.current_page ?? 1;
  const size = query.page_size ?? 20;
  if (size < 1 || size > ISSUE_PAGE_MAX) throw new BusinessError('isv.invalid-parameter', `page_size must be from 1 to ${ISSUE_PAGE_MAX}; got ${size}.`);
  if (page < 1) throw new BusinessError('isv.invalid-parameter', `current_page starts at 1; got ${page}.`);
  const status = query.issue_status;
  if (status !== undefined && status !== '' && !(ISSUE_STATUSES as readonly string[]).includes(status)) {
    throw new BusinessError('isv.invalid-parameter', `issue_status must be one of ${ISSUE_STATUSES.join(', ')}; got "${status}".`);
  }
  const matches = (issue: Issue): boolean =>
    (status === undefined || status === '' || issue.status === status) &&
    (query.order_no === undefined || issue.childId === query.order_no || issue.orderId === query.order_no) &&
    (query.buyer_login_id === undefined || query.buyer_login_id === '' || issue.buyerLoginId === query.buyer_login_id);
  const found = [...context.platform.issues.values()]
    .filter(matches)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  return {
    current_page: page,
    page_size: size,
    total_item: found.length,
    data_list: wireList('issue_api_issue_dto', found.slice((page - 1) * size, page * size).map((issue) => context.views.issueItem(issue))),
  };
}

function issueDetail(context: ApiContext): WireObject {
  const buyerLoginId = required(context, 'buyer_login_id');
  const issueId = requiredId(context, 'issue_id');
  const issue = context.platform.issues.get(issueId);
  if (issue === undefined || issue.buyerLoginId !== buyerLoginId) {
    throw new BusinessError('isv.issue-not-found', `There is no dispute ${issueId} opened by buyer ${buyerLoginId}.`);
  }
  return { result_object: context.views.issueDetail(issue) };
}

function agree(context: ApiContext): WireObject {
  const returnAddressId = optional(context, 'return_address_id');
  agreeSolution(context.platform, context.api, {
    buyerLoginId: required(context, 'buyer_login_id'),
    issueId: requiredId(context, 'issue_id'),
    solutionId: requiredId(context, 'solution_id'),
    ...(returnAddressId === undefined ? {} : { returnAddressId }),
  });
  return { result_object: true };
}

const SaveSchema = z.looseObject({
  add_seller_solution: BoolSchema,
  buyer_login_id: z.string().min(1),
  issue_id: IdSchema,
  buyer_solution_id: IdSchema.optional(),
  modify_seller_solution_id: IdSchema.optional(),
  refund_amount: z.union([z.string(), z.number().transform(String)]),
  refund_amount_currency: z.string().min(1),
  solution_context: z.string(),
  add_solution_type: z.enum(['refund', 'return_and_refund']).optional(),
  return_good_address_id: IdSchema.optional(),
});

function save(context: ApiContext): WireObject {
  const input = jsonParam(context, 'param_dto', SaveSchema);
  saveSolution(context.platform, context.api, {
    addSellerSolution: input.add_seller_solution,
    buyerLoginId: input.buyer_login_id,
    issueId: input.issue_id,
    refundAmount: input.refund_amount,
    refundAmountCurrency: input.refund_amount_currency,
    solutionContext: input.solution_context,
    ...(input.buyer_solution_id === undefined ? {} : { buyerSolutionId: input.buyer_solution_id }),
    ...(input.modify_seller_solution_id === undefined ? {} : { modifySellerSolutionId: input.modify_seller_solution_id }),
    ...(input.add_solution_type === undefined ? {} : { addSolutionType: input.add_solution_type }),
    ...(input.return_good_address_id === undefined ? {} : { returnGoodAddressId: input.return_good_address_id }),
  });
  return { result_object: true };
}

function upload(context: ApiContext): WireObject {
  const buyerLoginId = required(context, 'buyer_login_id');
  const issueId = requiredId(context, 'issue_id');
  const extension = required(context, 'extension');
  const file = context.params.files.get('image_bytes');
  if (file === undefined || file.bytes.length === 0) throw missingParameter('image_bytes');
  uploadImage(context.platform, context.api, { issueId, buyerLoginId, extension, bytes: file.bytes });
  return { result_object: true };
}

export const ISSUE_APIS: readonly ApiDefinition[] = [
  { name: 'aliexpress.issue.issuelist.get', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: listIssues },
  { name: 'aliexpress.issue.detail.get', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: issueDetail },
  { name: 'aliexpress.issue.solution.agree', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: agree },
  { name: 'aliexpress.issue.solution.save', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: save },
  { name: 'aliexpress.issue.image.upload', gateways: ['sync'], needsToken: true, mayLoseAnswer: true, handle: upload },
];
