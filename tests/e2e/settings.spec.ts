import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Order } from '../../shared/domain/order';
import type { CancelRequest } from '../../shared/domain/request';
import type { Clock } from '../../shared/domain/time';
import { viewOfState } from '../../shared/domain/views';
import { allowedActions, type ActionOption } from '../../shared/rules/actions';
import { DEFAULT_POLICY, type Policy } from '../../shared/rules/policy';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { Simulator } from '../../electron/simulator/server';
import { startE2eDesk, type E2eDesk } from './desk';
import { installPageClock } from '../support/e2e-clock';
import { fetchAllFromMarketplace } from '../support/marketplace';
import { watchPageErrors, type HostProcess } from './host';
import { expectRulesAsShown } from './rules-panel';

/**
 * Settings through the real dialog (Ctrl+,) against the real backend over the host: what is
 * saved is what the backend holds after a reload and after a restart, each section saves only
 * its own fields without undoing the other's (the undo window lives inside the policy), the rules
 * use the saved policy, and a value out of range is refused with a sentence and saves nothing.
 */

let desk: E2eDesk;
let timeline: Clock;
let simulator: Simulator;
let host: HostProcess;

test.beforeAll(async () => {
  desk = await startE2eDesk({ seed: 13, orders: 300, buyers: { active: false } });
  ({ timeline, simulator, host } = desk);
});

test.afterAll(async () => {
  await desk.close();
});

interface Sections {
  timing: Locator;
  policy: Locator;
}

/** Waits for the desk to have loaded and synced. */
async function expectLoaded(page: Page): Promise<void> {
  await expect(page.locator('[data-sync-state="idle"]')).toBeVisible();
  await expect(page.locator('[data-focused="true"]')).toBeVisible();
}

/** Ctrl+, with both sections on screen. */
async function openSettings(page: Page): Promise<Sections> {
  await expect(page.getByTestId('queue-scroll')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+,');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const sections = {
    timing: dialog.getByRole('region', { name: 'Undo, sync and alerts' }),
    policy: dialog.getByRole('region', { name: 'Store policy' }),
  };
  await expect(sections.timing).toBeVisible();
  await expect(sections.policy).toBeVisible();
  return sections;
}

interface Shown {
  undoWindowSeconds: string;
  syncIntervalMinutes: string;
  deadlineAlertHours: string;
  proofDueDays: string;
  shippingAfterShipment: string;
  proofRequestTemplate: string;
}

async function expectShown({ timing, policy }: Sections, shown: Shown): Promise<void> {
  await expect(timing.getByLabel('Undo window')).toHaveValue(shown.undoWindowSeconds);
  await expect(timing.getByLabel('Sync every')).toHaveValue(shown.syncIntervalMinutes);
  await expect(timing.getByLabel('Deadline alert')).toHaveValue(shown.deadlineAlertHours);
  await expect(policy.getByLabel('Days to send proof')).toHaveValue(shown.proofDueDays);
  await expect(policy.getByLabel('Shipping after shipment')).toHaveValue(shown.shippingAfterShipment);
  await expect(policy.getByLabel('Proof request message')).toHaveValue(shown.proofRequestTemplate);
}

const proofOption = (options: readonly ActionOption[]) => options.find((option) => option.action === 'request_proof');

test('settings saved in the dialog are the backend\'s after a reload and a restart; a bad value saves nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const checkErrors = watchPageErrors(page);
  await installPageClock(page, timeline);

  // A fresh data folder: the defaults.
  await page.goto(host.url);
  await expectLoaded(page);
  let sections = await openSettings(page);
  await expectShown(sections, {
    undoWindowSeconds: String(DEFAULT_SETTINGS.policy.undoWindowSeconds),
    syncIntervalMinutes: String(DEFAULT_SETTINGS.syncIntervalMinutes),
    deadlineAlertHours: String(DEFAULT_SETTINGS.deadlineAlertHours),
    proofDueDays: String(DEFAULT_POLICY.proofDueDays),
    shippingAfterShipment: DEFAULT_POLICY.shippingAfterShipment,
    proofRequestTemplate: DEFAULT_POLICY.proofRequestTemplate,
  });

  // Timing first, then the policy: the policy is saved whole, and must keep the undo window
  // the timing section saved inside it a moment before.
  const saved: Shown = {
    undoWindowSeconds: '45',
    syncIntervalMinutes: '20',
    deadlineAlertHours: '2.5',
    proofDueDays: '6',
    shippingAfterShipment: DEFAULT_POLICY.shippingAfterShipment === 'keep' ? 'refund' : 'keep',
    proofRequestTemplate: 'Please send a photo of the parcel and of its label.',
  };
  await sections.timing.getByLabel('Undo window').fill(saved.undoWindowSeconds);
  await sections.timing.getByLabel('Sync every').fill(saved.syncIntervalMinutes);
  await sections.timing.getByLabel('Deadline alert').fill(saved.deadlineAlertHours);
  await sections.timing.getByRole('button', { name: 'Save timing' }).click();
  await expect(sections.timing.getByRole('status')).toHaveText('Saved.');
  await sections.policy.getByLabel('Days to send proof').fill(saved.proofDueDays);
  await sections.policy.getByLabel('Shipping after shipment').selectOption(saved.shippingAfterShipment);
  await sections.policy.getByLabel('Proof request message').fill(saved.proofRequestTemplate);
  await sections.policy.getByRole('button', { name: 'Save policy' }).click();
  await expect(sections.policy.getByRole('status')).toHaveText('Saved. The rules use this policy from now on.');

  // A reload forgets everything the page held: what shows is what the backend kept.
  await page.reload();
  await expectLoaded(page);
  sections = await openSettings(page);
  await expectShown(sections, saved);

  // Out of range, next to a valid change: a sentence under the field, the focus on it, and
  // nothing saved, not even the valid change.
  await sections.timing.getByLabel('Undo window').fill('301');
  await sections.timing.getByLabel('Sync every').fill('30');
  await sections.timing.getByRole('button', { name: 'Save timing' }).click();
  await expect(sections.timing.getByRole('status')).toHaveText('Not saved: one field needs a fix (see below each field).');
  const undoField = sections.timing.getByLabel('Undo window');
  await expect(undoField).toBeFocused();
  await expect(undoField).toHaveAttribute('aria-invalid', 'true');
  await expect(undoField).toHaveAccessibleDescription(/^Must be 300 or less\./);
  await page.reload();
  await expectLoaded(page);
  sections = await openSettings(page);
  await expectShown(sections, saved);

  // A restart on the same data folder, later on the same timeline: the settings are on disk.
  await page.goto('about:blank');
  host = await desk.restartHost();
  await page.goto(host.url);
  await expectLoaded(page);
  sections = await openSettings(page);
  await expectShown(sections, saved);
  await page.keyboard.press('Escape');
  await expect(page.locator('dialog[open]')).toHaveCount(0);

  // The rules use the saved policy: the proof's due date is six days after the instant the app
  // evaluated, not the default three.
  const policy: Policy = {
    ...DEFAULT_POLICY,
    undoWindowSeconds: Number(saved.undoWindowSeconds),
    proofDueDays: Number(saved.proofDueDays),
    shippingAfterShipment: saved.shippingAfterShipment as Policy['shippingAfterShipment'],
    proofRequestTemplate: saved.proofRequestTemplate,
  };
  const [orders, requests] = await Promise.all([
    fetchAllFromMarketplace<Order>(simulator, 'orders'),
    fetchAllFromMarketplace<CancelRequest>(simulator, 'requests'),
  ]);
  const pickedAt = timeline.now();
  const target = requests.flatMap((request) => {
    const order = orders.find((candidate) => candidate.id === request.orderId);
    if (order === undefined || viewOfState(request.state) !== 'needs_reply') return [];
    return proofOption(allowedActions(order, request, policy, pickedAt))?.allowed === true ? [{ order, request }] : [];
  })[0];
  if (target === undefined) throw new Error('no open request allows a proof request');
  await page.keyboard.press('/');
  await page.keyboard.type(target.order.id);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-focused="true"]')).toHaveAttribute('data-request-id', target.request.id);
  const { evaluatedAt, options } = await expectRulesAsShown(page, target, policy);
  expect(proofOption(options)?.message).not.toBe(proofOption(allowedActions(target.order, target.request, DEFAULT_POLICY, evaluatedAt))?.message);
  checkErrors();
});
