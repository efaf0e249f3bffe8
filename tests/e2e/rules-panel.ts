import { expect, type Page } from '@playwright/test';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import { instantMs } from '../../shared/domain/time';
import { DEMO_CAPABILITIES } from '../../shared/domain/marketplace';
import { allowedActions, type ActionOption } from '../../shared/rules/actions';
import type { Policy } from '../../shared/rules/policy';

/** One action of the detail pane's rules panel, as the seller reads it. */
interface ShownAction {
  action: string;
  allowed: boolean;
  why: string;
  /** The refusal reasons (allowed or not, and why), under an allowed refuse only. */
  reasons: { allowed: boolean; text: string }[];
}

const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();

/** How the rules panel writes an action the rules evaluated (RulesPanel.vue). */
function asShown(option: ActionOption): ShownAction {
  return {
    action: option.action,
    allowed: option.allowed,
    why: squash(option.message),
    reasons:
      option.action === 'refuse' && option.allowed
        ? option.reasons.map((reason) => ({ allowed: reason.allowed, text: squash(`${reason.label} — ${reason.message}`) }))
        : [],
  };
}

/**
 * The rules the detail pane shows for `request`, checked against the rules evaluated here at the
 * very instant the backend evaluated them (the panel's "Checked" time), so that the comparison
 * is exact on any date and however slow the run. Answers that instant and the options.
 */
export async function expectRulesAsShown(
  page: Page,
  item: { order: Order; request: CancelRequest },
  policy: Policy,
): Promise<{ evaluatedAt: number; options: ActionOption[] }> {
  const pane = page.locator('.detail-pane');
  await expect(pane.locator('.detail-order-id')).toHaveText(item.order.id);
  await expect(pane.locator('.detail-evaluated time')).toHaveAttribute('datetime', /\d{4}-\d\d-\d\dT/);
  // One read of the DOM: the instant and the verdicts of the same evaluation (the pane may refresh).
  const shown = await pane.evaluate((element) => ({
    orderId: element.querySelector('.detail-order-id')?.textContent ?? '',
    respondBy: element.querySelector('.detail-header time')?.getAttribute('datetime') ?? '',
    evaluatedAt: element.querySelector('.detail-evaluated time')?.getAttribute('datetime') ?? '',
    actions: [...element.querySelectorAll('.detail-action')].map((action) => ({
      action: action.getAttribute('data-action') ?? '',
      allowed: action.classList.contains('allowed'),
      why: action.querySelector('.detail-action-why')?.textContent ?? '',
      reasons: [...action.querySelectorAll('.detail-refusals li')].map((reason) => ({ allowed: reason.classList.contains('allowed'), text: reason.textContent })),
    })),
  }));
  expect({ orderId: squash(shown.orderId), respondBy: shown.respondBy }, 'the pane still shows the request').toEqual({
    orderId: item.order.id,
    respondBy: item.request.respondBy,
  });
  const evaluatedAt = instantMs(shown.evaluatedAt);
  expect(Number.isFinite(evaluatedAt), `the panel's time: ${shown.evaluatedAt}`).toBe(true);
  // As the app evaluates them: with the store's marketplace's capabilities (the demo's).
  const options = allowedActions(item.order, item.request, policy, evaluatedAt, DEMO_CAPABILITIES);
  const onScreen = shown.actions.map((action) => ({
    ...action,
    why: squash(action.why),
    reasons: action.reasons.map((reason) => ({ allowed: reason.allowed, text: squash(reason.text) })),
  }));
  expect(onScreen, `the rules panel of ${item.order.id} at ${shown.evaluatedAt}`).toEqual(options.map(asShown));
  return { evaluatedAt, options };
}
