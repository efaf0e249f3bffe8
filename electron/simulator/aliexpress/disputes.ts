import { currencyExponent, fromDecimal, MoneyError } from '../../../shared/money';
import { ISSUE_WINDOW_MS } from './basics';
import { BusinessError } from './envelope';
import type { Issue, Order, Solution, SolutionType } from './model';
import type { Platform } from './platform';

/**
 * The seller's dispute actions (§5.7–§5.9) with their business errors. Errors come back as
 * legacy TOP `code: 15` with these `sub_code`s (Q7 has no source; the names are the sandbox's):
 *   isv.issue-not-found           no such dispute for this buyer
 *   isv.issue-not-processing      the dispute has ended (finished or cancelled)
 *   isv.issue-not-waiting-seller  the dispute waits on the buyer or AliExpress, not the seller
 *   isv.solution-not-found        the solution is not one of this dispute's
 *   isv.solution-already-handled  the solution is no longer open to the seller
 *   isv.return-address-required   a return needs the seller's return address id
 *   isv.return-address-not-found  the id is not one of the seller's refund addresses
 *   isv.refund-amount-invalid     not a positive major-unit decimal for the currency
 *   isv.refund-amount-exceeds-max above refund_money_max
 *   isv.currency-mismatch         not the dispute's currency
 *   isv.solution-type-not-allowed the type may only change for "not as described" disputes
 *   isv.seller-solution-exists    add while the seller's own offer is still open: modify it
 *   isv.solution-context-invalid  empty, or longer than SOLUTION_CONTEXT_MAX
 *   isv.image-invalid / isv.image-too-large / isv.extension-invalid   evidence uploads
 */

export const SOLUTION_CONTEXT_MAX = 512;
/** Largest evidence image (Q10 has no number; 5 MiB is the sandbox's). */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp'] as const;

/** The dispute, for this buyer, still being processed. */
export function openIssueOf(platform: Platform, issueId: string, buyerLoginId: string): { issue: Issue; order: Order } {
  const issue = platform.issues.get(issueId);
  if (issue === undefined || issue.buyerLoginId !== buyerLoginId) {
    throw new BusinessError('isv.issue-not-found', `There is no dispute ${issueId} opened by buyer ${buyerLoginId}.`);
  }
  const order = platform.orders.get(issue.orderId);
  if (order === undefined) throw new BusinessError('isv.issue-not-found', `The order of dispute ${issueId} no longer exists.`);
  if (issue.status !== 'processing') {
    throw new BusinessError('isv.issue-not-processing', `Dispute ${issueId} has ended (${issue.status}); it takes no more actions.`);
  }
  return { issue, order };
}

function waitingOnSeller(issue: Issue): void {
  if (issue.reverseStatus !== 'wait_for_seller_response') {
    throw new BusinessError('isv.issue-not-waiting-seller', `Dispute ${issue.id} is not waiting for the seller (${issue.reverseStatus}).`);
  }
}

function refundAddress(platform: Platform, addressId: string | undefined): string {
  if (addressId === undefined || addressId === '') {
    throw new BusinessError('isv.return-address-required', 'A solution with a return needs the return address id (return_address_id).');
  }
  const found = platform.seller.addresses.some((address) => address.kind === 'refund' && address.addressId === addressId);
  if (!found) throw new BusinessError('isv.return-address-not-found', `Address ${addressId} is not one of the seller's return addresses.`);
  return addressId;
}

/** aliexpress.issue.solution.agree: the seller accepts the buyer's solution. */
export function agreeSolution(
  platform: Platform,
  api: string,
  input: { issueId: string; buyerLoginId: string; solutionId: string; returnAddressId?: string },
): void {
  const { issue, order } = openIssueOf(platform, input.issueId, input.buyerLoginId);
  const solution = issue.solutions.find((candidate) => candidate.id === input.solutionId);
  if (solution === undefined) throw new BusinessError('isv.solution-not-found', `Solution ${input.solutionId} is not part of dispute ${issue.id}.`);
  if (solution.owner !== 'buyer' || solution.status !== 'wait_seller_accept') {
    throw new BusinessError('isv.solution-already-handled', `Solution ${solution.id} is not waiting for the seller (${solution.owner}, ${solution.status}).`);
  }
  waitingOnSeller(issue);
  if (solution.type === 'return_and_refund') solution.returnAddressId = refundAddress(platform, input.returnAddressId);
  const at = platform.now();
  platform.reach(issue, solution, 'negotiation_consensus', at);
  solution.sellerAcceptAt = at;
  platform.addProcess(issue, { actionType: 'seller_accept', memberType: 'seller', content: '', at, receiveGoods: false });
  platform.settle(api, order, issue, solution, at);
}

export interface SaveSolutionInput {
  readonly addSellerSolution: boolean;
  readonly buyerLoginId: string;
  readonly issueId: string;
  readonly buyerSolutionId?: string;
  readonly modifySellerSolutionId?: string;
  readonly refundAmount: string;
  readonly refundAmountCurrency: string;
  readonly solutionContext: string;
  readonly addSolutionType?: SolutionType;
  readonly returnGoodAddressId?: string;
}

function refundMinor(issue: Issue, amount: string, currency: string): number {
  if (currency !== issue.currency) {
    throw new BusinessError('isv.currency-mismatch', `Dispute ${issue.id} is in ${issue.currency}, not ${currency}.`);
  }
  const exponent = currencyExponent(currency);
  const shape = exponent === 0 ? /^\d{1,12}$/ : new RegExp(`^\\d{1,12}(\\.\\d{1,${exponent}})?$`);
  if (!shape.test(amount)) {
    throw new BusinessError('isv.refund-amount-invalid', `"${amount}" is not an amount in ${currency} (major units, at most ${exponent} decimals).`);
  }
  let minor: number;
  try {
    minor = fromDecimal(amount, currency, 'halfEven').amountMinor;
  } catch (error) {
    if (error instanceof MoneyError) throw new BusinessError('isv.refund-amount-invalid', `"${amount}" is not an amount in ${currency}.`);
    throw error;
  }
  if (minor > issue.refundMaxMinor) {
    throw new BusinessError('isv.refund-amount-exceeds-max', `A refund of ${amount} ${currency} is above what dispute ${issue.id} can refund.`);
  }
  return minor;
}

/** aliexpress.issue.solution.save: a counter-offer (refusing the buyer's) or a change to the seller's. */
export function saveSolution(platform: Platform, api: string, input: SaveSolutionInput): void {
  const { issue, order } = openIssueOf(platform, input.issueId, input.buyerLoginId);
  const context = input.solutionContext.trim();
  if (context === '' || input.solutionContext.length > SOLUTION_CONTEXT_MAX) {
    throw new BusinessError('isv.solution-context-invalid', `solution_context must be 1 to ${SOLUTION_CONTEXT_MAX} characters.`);
  }
  const amount = refundMinor(issue, input.refundAmount, input.refundAmountCurrency);
  const at = platform.now();
  let solution: Solution;
  if (input.addSellerSolution) {
    waitingOnSeller(issue);
    const buyerSolution = issue.solutions.find((candidate) => candidate.id === input.buyerSolutionId && candidate.owner === 'buyer');
    if (buyerSolution === undefined) {
      throw new BusinessError('isv.solution-not-found', `Buyer solution ${input.buyerSolutionId ?? '(none given)'} is not part of dispute ${issue.id}.`);
    }
    if (buyerSolution.status !== 'wait_seller_accept') {
      throw new BusinessError('isv.solution-already-handled', `Buyer solution ${buyerSolution.id} is no longer open (${buyerSolution.status}).`);
    }
    if (issue.solutions.some((candidate) => candidate.owner === 'seller' && candidate.status === 'wait_buyer_accept')) {
      throw new BusinessError('isv.seller-solution-exists', `Dispute ${issue.id} already has an open seller solution: modify it instead.`);
    }
    const type = input.addSolutionType ?? buyerSolution.type;
    if (type !== buyerSolution.type && !issue.reason.snad) {
      throw new BusinessError('isv.solution-type-not-allowed', `Dispute ${issue.id} ("${issue.reason.english}") only takes a ${buyerSolution.type} solution.`);
    }
    const returnAddressId = type === 'return_and_refund' ? refundAddress(platform, input.returnGoodAddressId) : null;
    buyerSolution.status = 'reach_cancle';
    buyerSolution.modifiedAt = at;
    solution = {
      id: platform.ids.wide(),
      owner: 'seller',
      type,
      isDefault: false,
      content: input.solutionContext,
      status: 'wait_buyer_accept',
      reachedType: null,
      refundMinor: amount,
      version: 1,
      createdAt: at,
      modifiedAt: at,
      buyerAcceptAt: null,
      sellerAcceptAt: null,
      reachedAt: null,
      returnAddressId,
    };
    issue.solutions.push(solution);
    platform.addProcess(issue, { actionType: 'seller_create_solution', memberType: 'seller', content: input.solutionContext, at, receiveGoods: false });
  } else {
    const found = issue.solutions.find((candidate) => candidate.id === input.modifySellerSolutionId && candidate.owner === 'seller');
    if (found === undefined) {
      throw new BusinessError('isv.solution-not-found', `Seller solution ${input.modifySellerSolutionId ?? '(none given)'} is not part of dispute ${issue.id}.`);
    }
    if (found.status !== 'wait_buyer_accept') {
      throw new BusinessError('isv.solution-already-handled', `Seller solution ${found.id} can no longer change (${found.status}).`);
    }
    const type = input.addSolutionType ?? found.type;
    if (type !== found.type && !issue.reason.snad) {
      throw new BusinessError('isv.solution-type-not-allowed', `Dispute ${issue.id} ("${issue.reason.english}") only takes a ${found.type} solution.`);
    }
    found.returnAddressId = type === 'return_and_refund' ? refundAddress(platform, input.returnGoodAddressId ?? found.returnAddressId ?? undefined) : null;
    found.type = type;
    found.refundMinor = amount;
    found.content = input.solutionContext;
    found.version += 1;
    found.modifiedAt = at;
    solution = found;
    platform.addProcess(issue, { actionType: 'seller_modify_solution', memberType: 'seller', content: input.solutionContext, at, receiveGoods: false });
  }
  issue.reverseStatus = 'wait_for_buyer_response';
  issue.timeoutType = 'WAIT_SOLUTION_TIMEOUT';
  issue.timeoutAt = at + ISSUE_WINDOW_MS;
  platform.recordChange(api, order, at, issue, {
    solutionId: solution.id,
    refundAmount: input.refundAmount,
    currency: input.refundAmountCurrency,
    added: input.addSellerSolution,
  });
  platform.scheduleBuyerAnswer(issue, solution, at);
}

const MAGIC: readonly (readonly [string, readonly number[]])[] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/bmp', [0x42, 0x4d]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46]],
];

/** aliexpress.issue.image.upload: the photo joins the dispute's process log as the seller's. */
export function uploadImage(
  platform: Platform,
  api: string,
  input: { issueId: string; buyerLoginId: string; extension: string; bytes: Buffer },
): string {
  const { issue, order } = openIssueOf(platform, input.issueId, input.buyerLoginId);
  const extension = input.extension.replace(/^\./, '').toLowerCase();
  if (!(IMAGE_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new BusinessError('isv.extension-invalid', `"${input.extension}" is not an image extension (${IMAGE_EXTENSIONS.join(', ')}).`);
  }
  if (input.bytes.length > IMAGE_MAX_BYTES) {
    throw new BusinessError('isv.image-too-large', `The image is ${input.bytes.length} bytes; the limit is ${IMAGE_MAX_BYTES}.`);
  }
  const type = MAGIC.find(([, magic]) => magic.every((byte, index) => input.bytes[index] === byte))?.[0];
  if (type === undefined || input.bytes.length < 8) throw new BusinessError('isv.image-invalid', 'image_bytes is not a PNG, JPEG, GIF, BMP or WebP image.');
  const at = platform.now();
  const fileId = `${platform.ids.digits('8', 12)}.${extension}`;
  platform.uploads.set(fileId, { bytes: Buffer.from(input.bytes), contentType: type });
  platform.addProcess(issue, {
    actionType: 'seller_upload_evidence',
    memberType: 'seller',
    content: '',
    at,
    receiveGoods: false,
    attachments: [{ fileId, at, owner: 'seller' }],
  });
  platform.recordChange(api, order, at, issue, { fileId, bytes: input.bytes.length });
  return fileId;
}
