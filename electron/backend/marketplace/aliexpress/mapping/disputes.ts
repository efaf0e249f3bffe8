import { CancelRequestSchema, type CancelRequest, type Evidence, type RequestState, type Resolution } from '../../../../../shared/domain/request';
import { toInstant } from '../../../../../shared/domain/time';
import type { Money } from '../../../../../shared/money';
import { aeId, issueAmount, pacificToInstant } from '../convert';
import { iopList } from '../iop';
import { asRecord, invalid, oneOf, optionalText, type AeRecord } from './fields';
import { versionOf } from './orders';
import { disputeReason } from './reasons';

/** A dispute's id in the desk: AliExpress's issue id, named so it never meets an order's. */
export function disputeRequestId(issueId: string): string {
  return `issue-${issueId}`;
}

/** The issue id inside a dispute's request id, or null when it is not one. */
export function issueIdOf(requestId: string): string | null {
  const found = /^issue-(\d{1,20})$/.exec(requestId);
  return found?.[1] ?? null;
}

export const AE_ISSUE_STATUSES = ['processing', 'canceled_issue', 'finish'] as const;

export const AE_SOLUTION_STATUSES = [
  'wait_buyer_and_seller_accept',
  'wait_buyer_accept',
  'wait_seller_accept',
  'reached',
  'buyer_refused',
  'seller_accept_and_buyer_refused',
  'reach_cancle',
  'perform',
] as const;
type SolutionStatus = (typeof AE_SOLUTION_STATUSES)[number];

/** A solution (`SolutionApiDto`) as the desk reads it. */
export interface AeSolution {
  readonly id: string;
  readonly owner: 'buyer' | 'seller' | 'platform';
  readonly type: 'refund' | 'return_and_refund';
  readonly status: SolutionStatus;
  readonly reachedType: string | null;
  readonly amount: Money;
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly reachedMs: number | null;
}

/** Pacific time of a field that may be absent. */
function optionalTime(value: unknown, field: string): number | null {
  return value === undefined || value === null || value === '' ? null : pacificToInstant(value, field);
}

function solutionOf(raw: unknown, field: string, owner: AeSolution['owner'], currency: string | null): AeSolution {
  const solution = asRecord(raw, field);
  const amount = issueAmount(solution.refund_money ?? '0', solution.refund_money_currency ?? currency, `${field}.refund_money`);
  const createdMs = pacificToInstant(solution.gmt_create, `${field}.gmt_create`);
  return {
    id: aeId(solution.id, `${field}.id`),
    owner,
    type: oneOf(solution.solution_type ?? 'refund', `${field}.solution_type`, ['refund', 'return_and_refund'] as const),
    status: oneOf(solution.status, `${field}.status`, AE_SOLUTION_STATUSES),
    reachedType: optionalText(solution.reached_type, `${field}.reached_type`, 60),
    amount,
    createdMs,
    modifiedMs: optionalTime(solution.gmt_modified, `${field}.gmt_modified`) ?? createdMs,
    reachedMs: optionalTime(solution.reached_time, `${field}.reached_time`),
  };
}

/** Every solution of the issue, buyer's, seller's and platform's. */
export function solutionsOf(detail: AeRecord, currency: string | null): AeSolution[] {
  const read = (list: unknown, name: string, owner: AeSolution['owner']): AeSolution[] =>
    iopList(list, 'solution_api_dto').map((raw, index) => solutionOf(raw, `${name}[${index}]`, owner, currency));
  return [
    ...read(detail.buyer_solution_list, 'buyer_solution_list', 'buyer'),
    ...read(detail.seller_solution_list, 'seller_solution_list', 'seller'),
    ...read(detail.platform_solution_list, 'platform_solution_list', 'platform'),
  ];
}

/** The buyer's standing ask: the newest buyer solution that is not withdrawn. */
function buyerAsk(solutions: readonly AeSolution[]): AeSolution | null {
  const live = solutions.filter((solution) => solution.owner === 'buyer' && solution.status !== 'reach_cancle');
  return live.sort((a, b) => b.createdMs - a.createdMs)[0] ?? null;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };
const VIDEO_TYPES: Readonly<Record<string, string>> = { mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm' };

/** A buyer attachment's evidence id: enough to find the file again (issue, buyer, position). */
export function evidenceIdOf(issueId: string, buyerLoginId: string, index: number): string {
  return `ae.${issueId}.${index}.${buyerLoginId}`.slice(0, 64);
}

/** The parts of an evidence id, or null when it is not one of ours. */
export function parseEvidenceId(evidenceId: string): { issueId: string; index: number; buyerLoginId: string } | null {
  const found = /^ae\.(\d{1,20})\.(\d{1,3})\.(.+)$/.exec(evidenceId);
  if (found === null) return null;
  return { issueId: found[1] ?? '', index: Number(found[2]), buyerLoginId: found[3] ?? '' };
}

/** The buyer's attachments in the process log, in order: what `evidenceIdOf`'s index counts. */
export function buyerAttachments(detail: AeRecord): Array<{ filePath: string; createdMs: number }> {
  const found: Array<{ filePath: string; createdMs: number }> = [];
  iopList(detail.process_dto_list, 'api_issue_process_dto').forEach((raw, processIndex) => {
    const process = asRecord(raw, `process_dto_list[${processIndex}]`);
    iopList(process.attachments, 'api_attachment_dto').forEach((rawAttachment, index) => {
      const field = `process_dto_list[${processIndex}].attachments[${index}]`;
      const attachment = asRecord(rawAttachment, field);
      if (attachment.owner !== 'buyer') return;
      const filePath = optionalText(attachment.file_path, `${field}.file_path`, 2000);
      if (filePath === null) return;
      found.push({ filePath, createdMs: pacificToInstant(attachment.gmt_create ?? process.gmt_create, `${field}.gmt_create`) });
    });
  });
  return found;
}

function evidenceOf(issueId: string, buyerLoginId: string, attachments: ReturnType<typeof buyerAttachments>): Evidence[] {
  return attachments.slice(0, 50).map((attachment, index) => {
    // The last path segment, without the query or fragment of the URL.
    const path = attachment.filePath.split(/[?#]/)[0] ?? '';
    const fileName = (path.split('/').filter((part) => part !== '').at(-1) ?? `attachment-${index + 1}`).slice(0, 200);
    const extension = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
    const video = VIDEO_TYPES[extension];
    return {
      id: evidenceIdOf(issueId, buyerLoginId, index),
      kind: video === undefined ? 'photo' : 'video',
      fileName,
      contentType: video ?? IMAGE_TYPES[extension] ?? 'application/octet-stream',
      bytes: 0,
      submittedAt: toInstant(attachment.createdMs),
    };
  });
}

/** The buyer's opening words: the process log's initiating entry, else the reason AliExpress names. */
function openingWords(detail: AeRecord, reasonText: string): string {
  for (const [index, raw] of iopList(detail.process_dto_list, 'api_issue_process_dto').entries()) {
    const process = asRecord(raw, `process_dto_list[${index}]`);
    if (process.action_type === 'initiate' && process.submit_member_type === 'buyer') {
      const content = optionalText(process.content, `process_dto_list[${index}].content`, 5000);
      if (content !== null) return content;
    }
  }
  return reasonText;
}

const PLATFORM_STATUSES = new Set(['wait_for_AE_feedback', 'wait_for_final_solution', 'wait_ae_final_feedback', 'wait_for_service_provider_response']);

/** Where the dispute stands, and how it ended once it did. */
function stateOf(
  status: (typeof AE_ISSUE_STATUSES)[number],
  detailStatus: string | null,
  solutions: readonly AeSolution[],
  currency: string,
  endedMs: number,
): { state: RequestState; offer: Money | null; resolution: Resolution | null } {
  if (status === 'canceled_issue') {
    return { state: 'withdrawn', offer: null, resolution: { outcome: 'withdrawn', amount: null, decidedAt: toInstant(endedMs), by: 'buyer' } };
  }
  const reached = solutions.filter((solution) => solution.status === 'reached' || solution.status === 'perform').sort((a, b) => (b.reachedMs ?? b.modifiedMs) - (a.reachedMs ?? a.modifiedMs))[0];
  if (status === 'finish') {
    const decidedAt = toInstant(reached?.reachedMs ?? endedMs);
    if (reached === undefined || detailStatus === 'refund_reject' || reached.amount.amountMinor === 0) {
      return { state: 'refused', offer: null, resolution: { outcome: 'refused', amount: null, decidedAt, by: reached?.reachedType === 'platform_arbitrate' ? 'platform' : 'seller' } };
    }
    if (reached.reachedType === 'seller_reponse_timeout') {
      return { state: 'auto_accepted', offer: null, resolution: { outcome: 'decided_by_platform', amount: reached.amount, decidedAt, by: 'platform' } };
    }
    if (reached.reachedType === 'platform_arbitrate' || reached.owner === 'platform') {
      return { state: 'closed_by_platform', offer: null, resolution: { outcome: 'decided_by_platform', amount: reached.amount, decidedAt, by: 'platform' } };
    }
    return { state: 'refunded', offer: null, resolution: { outcome: 'refunded', amount: reached.amount, decidedAt, by: reached.owner === 'seller' ? 'buyer' : 'seller' } };
  }
  if (detailStatus !== null && PLATFORM_STATUSES.has(detailStatus)) return { state: 'escalated', offer: null, resolution: null };
  const pendingOffer = solutions.filter((solution) => solution.owner === 'seller' && solution.status === 'wait_buyer_accept').sort((a, b) => b.createdMs - a.createdMs)[0];
  if (pendingOffer !== undefined) return { state: 'offer_made', offer: pendingOffer.amount.currency === currency ? pendingOffer.amount : null, resolution: null };
  const refusedOffer = solutions.some((solution) => solution.owner === 'seller' && (solution.status === 'buyer_refused' || solution.status === 'seller_accept_and_buyer_refused'));
  if (refusedOffer && buyerAsk(solutions)?.status !== 'wait_seller_accept') return { state: 'refused_by_buyer', offer: null, resolution: null };
  return { state: 'requested', offer: null, resolution: null };
}

/** The 5 days a seller has to answer a new dispute, where AliExpress names no trigger time (protocol §7). */
export const DISPUTE_ANSWER_MS = 5 * 24 * 3_600_000;

/**
 * A dispute from `aliexpress.issue.detail.get`'s `result_object`, stamped with the desk's store.
 * `listModified` is the issue list's `gmt_modified` (the detail has none of its own): the newest
 * of it and every time in the detail is the request's updatedAt, and its version.
 */
export function disputeFromDetail(raw: unknown, storeId: string, listModified: number | null = null): CancelRequest {
  const detail = asRecord(raw, 'the issue');
  const issueId = aeId(detail.id ?? detail.issue_id, 'id');
  const orderId = aeId(detail.parent_order_id ?? detail.order_id, 'parent_order_id');
  const buyerLoginId = optionalText(detail.buyer_login_id, 'buyer_login_id', 40);
  if (buyerLoginId === null) throw invalid(`issue ${issueId}`, 'without the buyer (buyer_login_id)');
  const status = oneOf(detail.issue_status, 'issue_status', AE_ISSUE_STATUSES);
  const detailStatus = optionalText(detail.reverse_detail_status, 'reverse_detail_status', 60);
  const cap = issueAmount(detail.refund_money_max, detail.refund_money_max_currency, 'refund_money_max');
  const localCap =
    detail.refund_money_max_local === undefined || detail.refund_money_max_local === null
      ? null
      : issueAmount(detail.refund_money_max_local, detail.refund_money_max_local_currency, 'refund_money_max_local');
  const solutions = solutionsOf(detail, null);
  const ask = buyerAsk(solutions);
  // The buyer asks in the order's (local) currency; the cap in that currency when AliExpress gives it.
  const currency = ask?.amount.currency ?? localCap?.currency ?? cap.currency;
  const refundMax = localCap !== null && localCap.currency === currency ? localCap : cap;
  if (refundMax.currency !== currency) throw invalid('refund_money_max', `in ${refundMax.currency} while the buyer asks in ${currency}`);
  const requestedAmount = ask?.amount ?? refundMax;
  const createdMs = pacificToInstant(detail.gmt_create, 'gmt_create');
  const reasonText = optionalText(detail.issue_reason ?? detail.reason_english, 'issue_reason', 500) ?? '';
  const attachments = buyerAttachments(detail);
  const times = [createdMs, listModified ?? createdMs, ...solutions.map((solution) => Math.max(solution.modifiedMs, solution.reachedMs ?? 0)), ...attachments.map((attachment) => attachment.createdMs)];
  const updatedMs = Math.max(...times);
  const trigger = optionalTime(detail.timeout_trigger_time, 'timeout_trigger_time');
  const { state, offer, resolution } = stateOf(status, detailStatus, solutions, currency, updatedMs);
  const request: CancelRequest = {
    id: disputeRequestId(issueId),
    orderId,
    storeId,
    kind: 'dispute',
    reason: disputeReason(reasonText),
    buyerMessage: openingWords(detail, reasonText).slice(0, 5000),
    requestedAt: toInstant(createdMs),
    respondBy: toInstant(trigger ?? createdMs + DISPUTE_ANSWER_MS),
    requestedAmount: requestedAmount.amountMinor > refundMax.amountMinor ? refundMax : requestedAmount,
    refundMax,
    state,
    evidence: evidenceOf(issueId, buyerLoginId, attachments),
    proofRequest: null,
    offer,
    resolution,
    updatedAt: toInstant(updatedMs),
    version: versionOf(updatedMs),
  };
  const checked = CancelRequestSchema.safeParse(request);
  if (!checked.success) throw invalid(`issue ${issueId}`, `that does not make a valid dispute (${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? ''})`);
  return checked.data;
}
