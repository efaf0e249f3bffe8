import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../../../../shared/domain/order';
import {
  DEFAULT_POLICY,
  RULES_PHASE_LABELS,
  PRE_SHIPMENT_AUTO_ACCEPT_MS,
  parsePolicy,
  rulesPhaseOf,
  replyDeadlineMs,
  slaStatus,
  timeLeftMs,
} from '../../../../shared/rules';
import { DAY, HOUR, NOW, at, makeOrder, makeRequest } from '../factories';

describe('rulesPhaseOf', () => {
  it.each([
    ['awaiting_payment', 'before_payment'],
    ['awaiting_shipment', 'before_shipment'],
    ['shipped', 'after_shipment'],
    ['delivered', 'after_shipment'],
    ['completed', 'after_shipment'],
    ['cancelled', 'closed'],
  ] as const)('%s is %s', (status, phase) => {
    expect(rulesPhaseOf(makeOrder({ status }))).toBe(phase);
  });

  it('labels every phase and covers every status', () => {
    for (const status of ORDER_STATUSES) expect(RULES_PHASE_LABELS[rulesPhaseOf(makeOrder({ status }))]).toBeTruthy();
  });
});

describe('reply deadline', () => {
  it('is respondBy for a dispute, read from the marketplace', () => {
    const request = makeRequest({ kind: 'dispute', respondBy: at(9 * DAY) }, makeOrder({ status: 'delivered' }));
    expect(replyDeadlineMs(request)).toBe(NOW + 9 * DAY);
  });

  it('is never later than 48 h after a cancel was made (the platform auto-accepts then)', () => {
    const request = makeRequest({ requestedAt: at(-HOUR), respondBy: at(10 * DAY) });
    expect(replyDeadlineMs(request)).toBe(NOW - HOUR + PRE_SHIPMENT_AUTO_ACCEPT_MS);
    const earlier = makeRequest({ requestedAt: at(-HOUR), respondBy: at(HOUR) });
    expect(replyDeadlineMs(earlier)).toBe(NOW + HOUR);
  });

  it('tells the SLA status', () => {
    const request = makeRequest({ requestedAt: at(-40 * HOUR) }); // 8 h left
    expect(timeLeftMs(request, NOW)).toBe(8 * HOUR);
    expect(slaStatus(request, DEFAULT_POLICY, NOW)).toBe('warning');
    expect(slaStatus(request, parsePolicy({ slaWarningHours: 6 }), NOW)).toBe('ok');
    expect(slaStatus(request, DEFAULT_POLICY, NOW + 8 * HOUR)).toBe('overdue');
  });
});
